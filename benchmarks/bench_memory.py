"""A server's memory under many distinct questions: does it stay flat?

One server process (``careerbench serve --workers 1``) answers ``--queries`` distinct requests
(default 20,000) from four client threads: cohort questions with and without pay (distinct
year ranges and pay figures, so the bounded answer cache fills and turns over), page loads,
tax questions for distinct wages, and unknown companies. Its resident memory is sampled every
tenth of the run. The figure that matters: growth over the second half of the run (after every
bounded cache has had the chance to fill), beside the growth over the first half.

Writes ``benchmarks/results/memory.json`` and ``benchmarks/results/memory.md``.
Usage: ``python benchmarks/bench_memory.py [--store PATH] [--queries 20000]`` (default: the
configured store).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ROLES = ["ml-engineer", "data-scientist", "research-scientist", "ai-engineer", "mlops-engineer"]
LEVELS = ["junior", "mid", "senior", "staff"]
SEED = 20261202


def question(number: int, draw: random.Random) -> str:
    """The ``number``-th question: distinct from every other one."""
    role, level = draw.choice(ROLES), draw.choice(LEVELS)
    kind = number % 5
    if kind == 0:  # no pay: kept by the answer cache (bounded)
        low = 2 + number % 40
        return f"/api/benchmark?role={role}&level={level}&years={low}-{low + 1 + number % 7}"
    if kind == 1:  # with pay: never kept
        return f"/api/benchmark?role={role}&level={level}&country=US&tc={100_000 + number}"
    if kind == 2:
        return f"/?role={role}&level={level}&tc={90_000 + number}"
    if kind == 3:  # the tax engine's memo (bounded)
        return f"/api/tax?state=CA&wages={50_000 + number}"
    return f"/api/benchmark?role={role}&company=Acme%20{number}"  # unknown: a 422 with hints


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmRSS")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120) as answer:
            answer.read()
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--queries", type=int, default=20_000)
    args = parser.parse_args()
    port = free_port()
    command = [sys.executable, "-m", "careerbench.cli", "serve", "--port", str(port)]
    if args.store:
        command += ["--store", str(args.store)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    statuses: dict[int, int] = {}
    samples: list[tuple[int, float]] = []
    try:
        while True:
            try:
                get(port, "/api/benchmark?role=ml-engineer")  # listening, index in memory
                break
            except OSError:
                time.sleep(0.2)
        samples.append((0, rss_mb(server.pid)))
        draw = random.Random(SEED)
        paths = [question(n, draw) for n in range(args.queries)]
        step = args.queries // 10
        lock = threading.Lock()
        started = time.monotonic()
        for tenth in range(10):
            chunk = iter(paths[tenth * step : (tenth + 1) * step])

            def client(chunk: Iterator[str]) -> None:
                while True:
                    with lock:
                        path = next(chunk, None)
                    if path is None:
                        return
                    code = get(port, path)
                    with lock:
                        statuses[code] = statuses.get(code, 0) + 1

            clients = [threading.Thread(target=client, args=(chunk,)) for _ in range(4)]
            for thread in clients:
                thread.start()
            for thread in clients:
                thread.join()
            samples.append(((tenth + 1) * step, rss_mb(server.pid)))
            print(f"{samples[-1][0]:>6} queries: {samples[-1][1]:.0f} MB", flush=True)
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    middle = samples[len(samples) // 2][1]
    first_half, second_half = middle - samples[0][1], samples[-1][1] - middle
    result = {
        "queries": args.queries,
        "seconds": round(elapsed, 1),
        "statuses": {str(code): count for code, count in sorted(statuses.items())},
        "rss_mb": [[n, round(mb, 1)] for n, mb in samples],
        "growth_first_half_mb": round(first_half, 1),
        "growth_second_half_mb": round(second_half, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "memory.json").write_text(json.dumps(result, indent=2) + "\n")
    curve = ", ".join(f"{n:,}: {mb:.0f}" for n, mb in result["rss_mb"])
    lines = [
        "# A server's memory under many distinct questions",
        "",
        f"{args.queries:,} distinct requests in {elapsed:.0f} s from four clients (cohort "
        "questions with and without pay, pages, tax, unknown companies); one server process. "
        f"{result['machine']}.",
        "",
        f"- Answers by status: {result['statuses']}",
        f"- Resident memory (MB) after N requests: {curve}",
        f"- Growth over the first half: {first_half:+.0f} MB; over the second half: "
        f"{second_half:+.0f} MB.",
    ]
    (RESULTS / "memory.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
