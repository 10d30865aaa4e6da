"""Page load times: each web page's median time to answer, now and at an older commit.

For each tree (this checkout, and with ``--before COMMIT`` that commit checked out in a temporary
git worktree), the script builds a store from the bundled data in a temporary folder
(``careerbench ingest``), trains the pay model (``careerbench train``, so both trees answer
from a trained model and no load waits for a training), starts ``careerbench serve`` (one
worker) on a free loopback port; then each page is loaded once from each server to warm it and
``--loads`` times more, the servers taking turns load by load (on a shared machine a busy moment
falls on both alike), keeping the median and the fastest time to the last byte of the HTML
(charts are drawn on the server, so that is the page). Both trees run with this checkout's
Python environment; the older tree's code is put first on ``PYTHONPATH``. A page the older
commit does not have is recorded with its status (404).

Writes ``benchmarks/results/pages.json`` and ``pages.md``: per page the medians, and
after / before as a ratio (below 1: faster now). Traffic stays on 127.0.0.1.

    python benchmarks/bench_pages.py --before 3a8de39 --loads 7

(3a8de39 is main just before the web pages drew the distribution and showed offers side by
side: the parent of the commit that added the distribution chart.)
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


class Server:
    """``careerbench serve`` (one worker) from ``tree`` on a free loopback port, over a store
    built from the bundled data with the pay model trained."""

    def __init__(self, tree: Tree, work: Path) -> None:
        # The commit as the server starts: the code it imports (the checkout may move on).
        self.tree = Tree(tree.label, tree.path, _commit(tree.path))
        env = _environment(tree, work)
        print(f"[{tree.label}] {self.tree.commit}: ingest and train", flush=True)
        _careerbench(env, "ingest")
        _careerbench(env, "train")
        port = _free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "careerbench.cli", "serve", "--host", "127.0.0.1",
             "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while True:
            try:
                _get(self.base + "/api/health")
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"{tree.label}: the server did not start") from None
                time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def measure(servers: list[Server], loads: int) -> dict[str, dict[str, Any]]:
    """Each page's status, median and fastest load (ms) on each server. The servers take turns
    load by load, so a busy moment of the machine falls on both alike."""
    found: dict[str, dict[str, Any]] = {s.tree.label: {} for s in servers}
    for path in PAGES:
        statuses = {s.tree.label: _get(s.base + path)[0] for s in servers}  # warm-up
        times: dict[str, list[float]] = {s.tree.label: [] for s in servers}
        for _ in range(loads):
            for server in servers:
                if statuses[server.tree.label] == 200:
                    times[server.tree.label].append(_get(server.base + path)[1] * 1000)
        for label, taken in times.items():
            found[label][path] = {
                "status": statuses[label],
                "median_ms": round(statistics.median(taken), 1) if taken else None,
                "fastest_ms": round(min(taken), 1) if taken else None,
            }
            print(f"[{label}] {path}: {found[label][path]}", flush=True)
    return found


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
        trees = [Tree("after", REPO, _commit(REPO))]
        checkout = work / "before"
        if args.before:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "add", "--detach", str(checkout),
                 args.before],
                check=True, capture_output=True,
            )  # fmt: skip
            trees.insert(0, Tree("before", checkout, _commit(checkout)))
        servers: list[Server] = []
        try:
            for tree in trees:
                servers.append(Server(tree, work))
            pages = measure(servers, args.loads)
        finally:
            for server in servers:
                server.stop()
            if args.before:
                subprocess.run(
                    ["git", "-C", str(REPO), "worktree", "remove", "--force", str(checkout)],
                    check=False,
                )
        for server in servers:
            label = server.tree.label
            document["trees"][label] = {"commit": server.tree.commit, "pages": pages[label]}
    if args.before:
        document["ratios"] = _ratios(document["trees"]["before"], document["trees"]["after"])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "pages.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "pages.md").write_text(_markdown(document), encoding="utf-8")
    print(_markdown(document))


if __name__ == "__main__":
    main()
