"""A server process allocates from few malloc arenas, so that memory freed by one request
thread is reused by the next (``memory``)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

#: Eight threads allocate while numpy runs without the GIL, then glibc lists its heaps.
SCRIPT = textwrap.dedent(
    """
    import ctypes, ctypes.util, re, sys, tempfile, threading
    import numpy as np

    if sys.argv[1] == "app":
        from careerbench.api.app import create_app
        create_app()

    def work():
        draw = np.random.default_rng(1)
        for _ in range(200):
            np.sort(draw.random(20_000))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.fopen.restype = ctypes.c_void_p
    with tempfile.NamedTemporaryFile(suffix=".xml") as report:
        handle = ctypes.c_void_p(libc.fopen(report.name.encode(), b"w"))
        libc.malloc_info(0, handle)
        libc.fclose(handle)
        print(len(re.findall('<heap nr=', open(report.name).read())))
    """
)


def heaps(mode: str) -> int:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, env=env, check=True
    )
    return int(done.stdout.split()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_info")
def test_the_app_bounds_its_processes_malloc_arenas() -> None:
    assert heaps("plain") > 2  # threads that allocate at once get arenas of their own ...
    assert heaps("app") <= 2  # ... unless the server's process bounds them
