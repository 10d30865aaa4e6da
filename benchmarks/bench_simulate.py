"""Career simulation speed: 100,000 paths x 20 years, vectorized, against a per-path loop.

The vectorized run is ``careerbench.paths.simulate.run`` (market pay from the store included).
The baseline is the same model written as a straightforward loop over paths and years in plain
Python (``random`` module), timed on ``--baseline-paths`` paths and scaled linearly to 100,000
(its cost is linear in paths). Writes ``benchmarks/results/simulate.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

from careerbench.benchmark import load_index
from careerbench.paths.simulate import (
    Career,
    _years_in_level,
    choose_measure,
    market_levels,
    model,
    pay_table,
    run,
)

RESULTS = Path(__file__).resolve().parents[1] / "benchmarks" / "results"


def per_path_loop(table: list, track: str, start: str, years: int, paths: int, seed: int) -> float:
    """The same career model, one path and one year at a time."""
    spec = model()
    ladder = list(spec["ladder"])
    stay = _years_in_level(track)
    eq = spec["equity"]
    rng = random.Random(seed)
    total = 0.0
    for _ in range(paths):
        level = ladder.index(start)
        z = max(-2.5, min(2.5, rng.gauss(0, 1)))
        growth = 1.0
        for y in range(years):
            if y > 0:
                p = 0.0 if level == len(ladder) - 1 else 1.0 / stay.get(ladder[level], 99.0)
                if rng.random() < p:
                    level += 1
                    growth = 1.0
                else:
                    growth *= 1 + rng.gauss(
                        spec["annual_raise"]["mean"], spec["annual_raise"]["sd"]
                    )
                    if rng.random() < spec["job_switch"]["rate"]:
                        bump = rng.uniform(*spec["job_switch"]["bump"])
                        z = min(z + math.log1p(bump) / table[level].sigma, 2.5)
            pay = math.exp(table[level].mu + table[level].sigma * z) * growth
            equity = pay * table[level].equity_share
            ret = math.exp(
                rng.gauss(eq["return_mean"] - eq["volatility"] ** 2 / 2, eq["volatility"])
            )
            pay += equity * (ret - 1)
            if rng.random() < spec["layoff"]["rate"]:
                pay *= 1 - rng.uniform(*spec["layoff"]["months_unemployed"]) / 12
                z = max(z - spec["layoff"]["percentile_drop"], -2.5)
            total += pay
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--paths", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--baseline-paths", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    index = load_index()
    career = Career("ml-engineer", "mid")
    run(index, career, years=args.years, paths=1_000, seed=0)  # warm: index, pay table
    timings = []
    for seed in range(args.repeat):
        started = time.perf_counter()
        run(index, career, years=args.years, paths=args.paths, seed=seed)
        timings.append(time.perf_counter() - started)
    vectorized = min(timings)
    measure = choose_measure(index, [career], None)
    table = pay_table(market_levels(index, career, measure, None), career, [])
    started = time.perf_counter()
    per_path_loop(table, career.track, career.start_level, args.years, args.baseline_paths, 0)
    loop = (time.perf_counter() - started) * args.paths / args.baseline_paths
    figures = {
        "paths": args.paths,
        "years": args.years,
        "vectorized_s_best_of": round(vectorized, 4),
        "vectorized_s_all": [round(t, 4) for t in timings],
        "per_path_loop_s_scaled": round(loop, 3),
        "per_path_loop_measured_paths": args.baseline_paths,
        "speedup": round(loop / vectorized, 1),
        "target_s": 1.0,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "simulate.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
