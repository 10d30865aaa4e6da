"""Page load times: each web page's median time to answer, now and at an older commit.

For each tree (this checkout, and with ``--before COMMIT`` that commit checked out in a temporary
git worktree), the script builds a store from the bundled data in a temporary folder
(``careerbench ingest``), trains the pay model (``careerbench train``, so both trees answer
from a trained model and no load waits for a training), starts ``careerbench serve`` (one
worker) on a free loopback port, loads each page once to warm it, then ``--loads`` times, and
keeps the median and the fastest time to the last byte of the HTML (charts are drawn on the
server, so that is the page). Both trees run in the same process of this script, one after the
other, with this checkout's Python environment; the older tree's code is put first on
``PYTHONPATH``. A page the older commit does not have is recorded with its status (404).

Writes ``benchmarks/results/pages.json`` and ``pages.md``: per page the medians, and
after / before as a ratio (below 1: faster now). Traffic stays on 127.0.0.1.

    python benchmarks/bench_pages.py --before 3a8de39 --loads 7
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
#: The pages as a first visit opens them (each shows its example question), and where I stand
#: with a question asked.
PAGES = [
    "/",
    "/?role=ml-engineer&level=senior&country=US&tc=200000",
    "/points",
    "/estimate",
    "/offers",
    "/switch",
    "/negotiate",
    "/places",
    "/tracks",
    "/simulate?paths=1000",
    "/skills",
    "/trends",
    "/claims",
    "/data",
]


@dataclass(frozen=True)
class Tree:
    label: str
    path: Path
    commit: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _commit(path: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(path), "log", "-1", "--format=%h %s"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()[:120]


def _environment(tree: Tree, work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree.path / "src")
    env["CAREERBENCH_HOME"] = str(work / f"home-{tree.label}")
    env["CAREERBENCH_STORE"] = str(work / f"{tree.label}.duckdb")
    return env


def _careerbench(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "careerbench.cli", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=1800,
    )


def _get(url: str) -> tuple[int, float]:
    """(status, seconds to the last byte)."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=300) as response:
            response.read()
            status = int(response.status)
    except urllib.error.HTTPError as error:
        error.read()
        status = int(error.code)
    return status, time.perf_counter() - start


def measure(tree: Tree, work: Path, loads: int) -> dict[str, Any]:
    """Each page's status, median and fastest load (ms) served from ``tree``."""
    env = _environment(tree, work)
    print(f"[{tree.label}] {tree.commit}: ingest and train", flush=True)
    _careerbench(env, "ingest")
    _careerbench(env, "train")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "careerbench.cli", "serve", "--host", "127.0.0.1",
         "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                _get(base + "/api/health")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"{tree.label}: the server did not start") from None
                time.sleep(0.2)
        pages: dict[str, Any] = {}
        for path in PAGES:
            status, _ = _get(base + path)  # warm: caches, imports, the chart renderer
            times = [_get(base + path)[1] * 1000 for _ in range(loads)] if status == 200 else []
            pages[path] = {
                "status": status,
                "median_ms": round(statistics.median(times), 1) if times else None,
                "fastest_ms": round(min(times), 1) if times else None,
            }
            print(f"[{tree.label}] {path}: {pages[path]}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"commit": tree.commit, "pages": pages}


def _ratios(before: dict[str, Any], after: dict[str, Any]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for path in PAGES:
        b, a = before["pages"][path]["median_ms"], after["pages"][path]["median_ms"]
        out[path] = round(a / b, 2) if a is not None and b else None
    return out


def _markdown(document: dict[str, Any]) -> str:
    after = document["trees"]["after"]
    before = document["trees"].get("before")
    lines = [
        "# Page load times",
        "",
        f"Median of {document['loads']} loads after one warm-up, one server worker on loopback, "
        "the bundled data, the pay model trained. Time to the last byte of the HTML (charts are "
        f"drawn on the server). {document['machine']}.",
        "",
        f"- after: `{after['commit']}`",
    ]
    if before is not None:
        lines += [f"- before: `{before['commit']}`", ""]
        lines += [
            "| page | before (ms) | after (ms) | after / before |",
            "| --- | ---: | ---: | ---: |",
        ]
        for path in PAGES:
            b, a = before["pages"][path], after["pages"][path]
            ratio = document["ratios"][path]
            lines.append(
                f"| `{path}` | {b['median_ms'] if b['median_ms'] is not None else b['status']} "
                f"| {a['median_ms'] if a['median_ms'] is not None else a['status']} "
                f"| {'-' if ratio is None else f'{ratio:.2f}'} |"
            )
    else:
        lines += ["", "| page | median (ms) |", "| --- | ---: |"]
        lines += [f"| `{p}` | {after['pages'][p]['median_ms']} |" for p in PAGES]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", help="a commit to measure too, in a temporary worktree")
    parser.add_argument("--loads", type=int, default=7, help="timed loads per page")
    args = parser.parse_args()
    document: dict[str, Any] = {
        "loads": args.loads,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "trees": {},
    }
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
        work = Path(folder)
        if args.before:
            checkout = work / "before"
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "add", "--detach", str(checkout),
                 args.before],
                check=True, capture_output=True,
            )  # fmt: skip
            try:
                before = Tree("before", checkout, _commit(checkout))
                document["trees"]["before"] = measure(before, work, args.loads)
            finally:
                subprocess.run(
                    ["git", "-C", str(REPO), "worktree", "remove", "--force", str(checkout)],
                    check=False,
                )
        document["trees"]["after"] = measure(Tree("after", REPO, _commit(REPO)), work, args.loads)
    if args.before:
        document["ratios"] = _ratios(document["trees"]["before"], document["trees"]["after"])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pages.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "pages.md").write_text(_markdown(document), encoding="utf-8")
    print(_markdown(document))


if __name__ == "__main__":
    main()
