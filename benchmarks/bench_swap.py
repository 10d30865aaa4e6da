"""What a running server's users feel when an ingest replaces the store under it.

A server (``careerbench serve``, one worker) answers a cohort question over and over from two
client threads while an ingest rewrites every load of the same store (``--force``), once with the
ingest preparing the new contents' pay index and cohort index before its swap (``prepare``, the
default) and once without (``rebuild``: the server's first request after the swap learns and
builds them, as before). For each: the requests' median and slowest latency, and the slowest
latency after the swap (the pause a user sees); also the ingest's own wall time. Both runs in
turns in the same process, on copies of the same store.

Writes ``benchmarks/results/swap.json`` and ``benchmarks/results/swap.md``.
Usage: ``python benchmarks/bench_swap.py [--store PATH] [--runs 2]`` (default: a store of the
bundled data and the Levels.fyi extract at ``../shared/data`` when present).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
LEVELS = Path(__file__).resolve().parents[2] / "shared/data/levelsfyi_stem_salaries"
QUESTION = "/api/benchmark?role=ml-engineer&level=senior&country=US&tier=big-tech"
CLI = [sys.executable, "-m", "careerbench.cli"]
#: The ingest, as a library call: ``prepare`` switches the preparation of the caches.
INGEST = (
    "import sys; from pathlib import Path; from careerbench.ingest import ingest; "
    "ingest(Path(sys.argv[1]), force=True, prepare=sys.argv[2] == 'prepare')"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ask(port: int) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{QUESTION}", timeout=300) as answer:
        if answer.status != 200:
            raise SystemExit(f"{QUESTION} answered {answer.status}")
        answer.read()
    return time.perf_counter() - started


def one_run(store: Path, mode: str) -> dict[str, Any]:
    port = free_port()
    env = dict(os.environ, CAREERBENCH_RESPONSE_CACHE="0")  # every request reads the index
    server = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--store", str(store), "--workers", "1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        while True:
            try:
                ask(port)  # listening, and the caches of the current contents in memory
                break
            except OSError:
                time.sleep(0.2)
        timings: list[tuple[float, float]] = []  # (finished at, latency)
        stop = threading.Event()

        def client() -> None:
            while not stop.is_set():
                latency = ask(port)
                timings.append((time.monotonic(), latency))

        clients = [threading.Thread(target=client) for _ in range(2)]
        for thread in clients:
            thread.start()
        time.sleep(1.0)
        started = time.monotonic()
        subprocess.run([sys.executable, "-c", INGEST, str(store), mode], env=env, check=True)
        swapped = time.monotonic()
        time.sleep(8.0)  # the server notices the new file on its next request
        stop.set()
        for thread in clients:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = [latency for _, latency in timings]
    after = [latency for at, latency in timings if at >= swapped]
    return {
        "mode": mode,
        "requests": len(latencies),
        "ingest_s": round(swapped - started, 2),
        "median_ms": round(1000 * statistics.median(latencies), 1),
        "slowest_ms": round(1000 * max(latencies), 1),
        "slowest_after_swap_ms": round(1000 * max(after), 1) if after else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store to copy (default: build one)")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        pristine = Path(folder) / "pristine" / "store.duckdb"
        pristine.parent.mkdir()
        if args.store:
            shutil.copyfile(args.store, pristine)
        else:
            sources = [f"--levelsfyi={next(LEVELS.glob('*.csv'))}"] if LEVELS.is_dir() else []
            subprocess.run([*CLI, "ingest", "--store", str(pristine), *sources], check=True)
        data = "bundled data + Levels.fyi extract" if LEVELS.is_dir() else "bundled data"
        runs: list[dict[str, Any]] = []
        for number in range(args.runs):
            for mode in ("rebuild", "prepare"):  # in turns: the machine's load falls on both
                store = Path(folder) / f"{mode}{number}" / "store.duckdb"
                store.parent.mkdir()
                shutil.copyfile(pristine, store)
                runs.append(one_run(store, mode))
                print(json.dumps(runs[-1]))
    summary = {
        mode: {
            key: statistics.median(float(run[key]) for run in runs if run["mode"] == mode)
            for key in ("ingest_s", "median_ms", "slowest_ms", "slowest_after_swap_ms")
        }
        for mode in ("rebuild", "prepare")
    }
    after = {mode: figures["slowest_after_swap_ms"] for mode, figures in summary.items()}
    pause = after["rebuild"] / after["prepare"]
    result = {
        "data": data,
        "question": QUESTION,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "runs": runs,
        "median_of_runs": summary,
        "pause_ratio_rebuild_over_prepare": round(pause, 1),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "swap.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "# A server's pause when an ingest replaces its store",
        "",
        f"Data: {data}. Question: `{QUESTION}`, asked by two clients without pause; "
        f"{args.runs} runs of each mode in turns; medians of the runs. {result['machine']}.",
        "",
        "| mode | ingest (s) | median request (ms) | slowest request (ms) "
        "| slowest after the swap (ms) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for mode, figures in summary.items():
        lines.append(
            f"| {mode} | {figures['ingest_s']:.1f} | {figures['median_ms']:.1f} | "
            f"{figures['slowest_ms']:.0f} | {figures['slowest_after_swap_ms']:.0f} |"
        )
    lines += ["", f"The pause after the swap is {pause:.1f}x shorter when the ingest prepares."]
    (RESULTS / "swap.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
