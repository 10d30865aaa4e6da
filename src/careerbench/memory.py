"""A long-running process's native memory: few malloc arenas.

The server answers in a pool of threads. glibc's allocator gives each thread that finds the
arenas busy an arena of its own, up to eight per core, and memory freed in one arena is not
reused by another: under many distinct questions a server's resident memory kept growing (by
~100 MB over 10,000 requests after every cache was full) while the Python objects it held did
not. With two arenas it levels off (``benchmarks/bench_memory.py``, ``benchmarks/results``).

``limit_arenas`` sets that bound in the running process (glibc's ``mallopt``) and in the
environment, so that worker processes started afterwards have it from their start. A bound the
operator set (``MALLOC_ARENA_MAX``) is left as it is; elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

#: glibc's ``mallopt`` parameter for the most arenas.
_M_ARENA_MAX = -8
#: The arenas of a server process.
ARENAS = 2
ENV = "MALLOC_ARENA_MAX"


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Bound this process's malloc arenas (and its children's); whether a bound is in force."""
    if os.environ.get(ENV):
        return True  # the operator's bound, read by glibc when the process started
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        applied = bool(libc.mallopt(_M_ARENA_MAX, arenas))
    except (OSError, AttributeError):  # not glibc (no mallopt)
        return False
    if applied:
        os.environ[ENV] = str(arenas)
    return applied
