"""Start-up time of the command line: each command as a whole process, beside bare Python.

Every command runs ``--runs`` times (default 10) as a new process, in turns with ``python -c
pass`` so that the machine's load falls on both alike; the median wall time of each is compared
with the median of bare Python in the same run. The commands: ``--help`` (as the installed
command prints it: from the copy kept by the first one), ``--help, drawn`` (the command line
drawing it, as every ``--help`` did before), ``tax``, ``vest`` (no store, no model), and
``sources`` (opens the store; skipped when there is none). Also
counted, for each command: whether pandas, ibis, DuckDB or LightGBM were imported.

Targets: ``--help`` within 3x of bare Python, ``tax`` within 5x.

Writes ``benchmarks/results/startup.json`` and ``benchmarks/results/startup.md``.
Usage: ``python benchmarks/bench_startup.py [--runs 10] [--store PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
HEAVY = ("pandas", "ibis", "duckdb", "lightgbm")
COMMANDS: dict[str, list[str]] = {
    "--help": ["--help"],
    "--help, drawn": ["--help"],
    "tax": ["tax", "--state", "CA", "--wages", "200000"],
    "vest": ["vest", "--grant", "400000"],
    "sources": ["sources"],
}
TARGETS = {"--help": 3.0, "tax": 5.0}
#: The installed console command, as its script starts it.
LAUNCHER = "import sys; sys.argv[0] = 'careerbench'; from careerbench.launcher import main; main()"
#: Prints which heavy modules a command imported, after running it as the console script does.
PROBE = (
    "import sys, runpy\n"
    "sys.argv = ['careerbench', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('careerbench.cli', run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    f"print('HEAVY=' + ','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
)


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr[-500:]}")
    return elapsed


def heavy_imports(args: list[str], env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True, check=False
    )
    line = next((x for x in done.stderr.splitlines() if x.startswith("HEAVY=")), "HEAVY=")
    return [m for m in line.removeprefix("HEAVY=").split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--store", type=Path, default=None)
    options = parser.parse_args()
    env = dict(os.environ)
    if options.store is not None:
        env["CAREERBENCH_STORE"] = str(options.store)
    commands = dict(COMMANDS)
    store = options.store or (
        Path(env["CAREERBENCH_STORE"]) if "CAREERBENCH_STORE" in env else None
    )
    if store is None or not store.exists():
        commands.pop("sources")
    bare = [sys.executable, "-c", "pass"]
    # As the installed `careerbench` command starts (its help printed from the kept copy), and,
    # for "--help, drawn", the command line itself (the help drawn every time).
    launcher = [sys.executable, "-c", LAUNCHER]
    drawn = [sys.executable, "-m", "careerbench.cli"]
    cli = {name: drawn if name == "--help, drawn" else launcher for name in commands}
    for name, args in commands.items():  # warm the file cache (and keep the help) once
        timed([*cli[name], *args], env)
    times: dict[str, list[float]] = {"python -c pass": [], **{name: [] for name in commands}}
    for _ in range(options.runs):
        for name, args in commands.items():
            times["python -c pass"].append(timed(bare, env))
            times[name].append(timed([*cli[name], *args], env))
    python = statistics.median(times["python -c pass"])
    rows: list[dict[str, Any]] = []
    for name, samples in times.items():
        median = statistics.median(samples)
        row: dict[str, Any] = {
            "command": name,
            "median_s": round(median, 4),
            "min_s": round(min(samples), 4),
            "max_s": round(max(samples), 4),
            "x_python": round(median / python, 2),
            "target_x": TARGETS.get(name),
            "heavy_imports": [] if name == "python -c pass" else heavy_imports(commands[name], env),
        }
        row["meets_target"] = (
            None if row["target_x"] is None else row["x_python"] <= row["target_x"]
        )
        rows.append(row)
    document = {
        "runs": options.runs,
        "python": sys.version.split()[0],
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)",
        "results": rows,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "startup.json").write_text(json.dumps(document, indent=2) + "\n")
    lines = [
        "# Command-line start-up",
        "",
        f"Median wall time of {options.runs} runs of each command as a new process, in turns with "
        f"`python -c pass` (Python {document['python']}, {document['machine']}). Written by "
        "`benchmarks/bench_startup.py`.",
        "",
        "| command | median | min | max | x bare Python | target | heavy modules imported |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        target = "" if row["target_x"] is None else f"<= {row['target_x']:g}x"
        if row["meets_target"] is not None:
            target += " (met)" if row["meets_target"] else " (missed)"
        heavy = ", ".join(row["heavy_imports"]) or "none"
        ms = [f"{row[k] * 1000:.0f} ms" for k in ("median_s", "min_s", "max_s")]
        lines.append(
            f"| `{row['command']}` | {' | '.join(ms)} | {row['x_python']:.1f}x | {target} "
            f"| {heavy} |"
        )
    (RESULTS / "startup.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
