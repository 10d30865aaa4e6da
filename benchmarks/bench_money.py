"""Speed of the money engine, each figure beside a straightforward baseline run the same way.

1. Monte Carlo: 10,000 paths x 3 offers x 5 years (GBM prices, vesting, taxes, cost of living),
   vectorized with numpy, against a per-path Python loop doing the same work (the loop runs on
   1,000 paths and is scaled to 10,000). Target: <= 200 ms.
2. One tax computation (federal + state + payroll): ``compute_tax`` with its cache warm and
   uncached, beside tenforty's ``evaluate_return`` (the engine it used before) timed in the same
   run (``bench_tax_validation.tax_timing``). Target: <= 5 ms uncached.

Run: ``python benchmarks/bench_money.py``. Prints the figures and writes
``benchmarks/results/money.json``.
"""

from __future__ import annotations

import json
import math
import platform
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench_tax_validation import tax_timing
from careerbench.money import tax as tax_module
from careerbench.money.equity import simulate, volatility_of
from careerbench.money.offer import load_offer, vest_events
from careerbench.money.projection import Projection, project
from careerbench.money.tax import tax_curve

ROOT = Path(__file__).resolve().parents[1]
OFFERS = ROOT / "tests" / "fixtures" / "offers"
RESULTS = ROOT / "benchmarks" / "results" / "money.json"
PATHS = 10_000
LOOP_PATHS = 1_000
YEARS = 5


def timed(function: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def loop_baseline(projections: list[Projection], paths: int, seed: int) -> list[list[float]]:
    """The same simulation written path by path in plain Python (the tax curve per value)."""
    rng = random.Random(seed)
    out = []
    for projection in projections:
        offer = projection.offer
        volatility, _ = volatility_of(offer)
        drift = (math.log1p(offer.stock.growth) - volatility**2 / 2) / 12
        step_sd = volatility / math.sqrt(12)
        events = vest_events(offer, YEARS)
        cash = [row.wages - row.equity_total for row in projection.rows]
        match = [row.retirement_match for row in projection.rows]
        location = projection.location
        curve = tax_curve(location.state or "", offer.filing_status, 2025, location.locality)
        factor = projection.rows[0].col_factor
        totals = []
        for _ in range(paths):
            log_price = [0.0]
            for _ in range(12 * YEARS):
                log_price.append(log_price[-1] + drift + step_sd * rng.gauss(0.0, 1.0))
            wages = list(cash)
            for e in events:
                wages[e.year - 1] += e.dollars * math.exp(
                    log_price[e.month] - log_price[e.grant_month]
                )
            total = 0.0
            for y in range(YEARS):
                tax = float(curve.total_tax(np.array([wages[y]]))[0])
                total += (wages[y] + match[y] - tax) * factor
            totals.append(total)
        out.append(totals)
    return out


def main() -> None:
    names = ("bigtech_sf", "amazon_seattle", "remote_austin")
    offers = [load_offer(OFFERS / f"{n}.yaml") for n in names]

    tax_module.clear_caches()
    start = time.perf_counter()
    projections = [project(o, YEARS, "Austin, TX") for o in offers]
    simulate(projections, paths=PATHS, seed=0)
    cold = time.perf_counter() - start

    vectorized = timed(lambda: simulate(projections, paths=PATHS, seed=0), repeat=7)
    loop = timed(lambda: loop_baseline(projections, LOOP_PATHS, 0), repeat=1) * (PATHS / LOOP_PATHS)

    tax = tax_timing()
    tax_module.clear_caches()

    results = {
        "machine": {"python": platform.python_version(), "processor": platform.machine()},
        "monte_carlo": {
            "workload": f"{PATHS} paths x {len(offers)} offers x {YEARS} years",
            "vectorized_ms": round(vectorized * 1000, 1),
            "target_ms": 200,
            "baseline": f"per-path Python loop, {LOOP_PATHS} paths scaled to {PATHS}",
            "baseline_ms": round(loop * 1000, 1),
            "speedup": round(loop / vectorized, 1),
            "first_run_with_tax_curves_ms": round(cold * 1000, 1),
        },
        "tax": {
            **tax,
            "target_ms": 5,
            "baseline": tax.get("tenforty_call", "tenforty not installed"),
            "speedup_uncached_vs_tenforty": (
                None
                if tax.get("tenforty_ms") is None
                else round(tax["tenforty_ms"] / tax["uncached_ms"], 1)
            ),
        },
    }
    mc, tx = results["monte_carlo"], results["tax"]
    print(
        f"Monte Carlo {mc['workload']}: {mc['vectorized_ms']} ms (target <= 200 ms); "
        f"per-path loop {mc['baseline_ms']} ms -> {mc['speedup']}x; first run incl. "
        f"tax curves {mc['first_run_with_tax_curves_ms']} ms"
    )
    print(
        f"one tax computation: {tx['cached_ms']} ms cached, {tx['uncached_ms']} ms uncached "
        f"({tx['uncached_itemizing_ms']} ms itemizing; target <= 5 ms); tenforty's call "
        f"{tx['tenforty_ms']} ms; one tax curve {tx['tax_curve_build_ms']} ms"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
