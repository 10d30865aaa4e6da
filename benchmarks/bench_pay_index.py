"""How well does each time basis bring old pay to a later year? A backtest of the pay index.

For cohorts with enough data points in both periods, the records of the earlier years are brought
to a later year's dollars and their P25, P50 and P75 compared with the later year's actual
cohort quantiles:

- **Levels.fyi**: 2017-2019 brought to 2020 and to 2021 (cohorts: role family x level x tier,
  and company x level);
- **aijobs.net**: 2022-2023 brought to 2024 and to 2025 (cohorts: role family x level x country).

Bases compared, in the same run: none (nominal dollars), CPI-U, the pay index learned on all
years (in sample: the index's own measurement of those years), and the pay index learned only on
the earlier years and projected forward (out of sample: what a user of older data gets). Errors
are the median absolute percentage error over cohorts, and the median signed error (bias).

Run: ``python benchmarks/bench_pay_index.py`` (uses the full files in ../shared/data when they
are beside the repository, else the bundled aijobs.net data). Writes
``benchmarks/results/pay_index.md`` and ``.json``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from careerbench import inflation, pay_index
from careerbench.ingest import ingest
from careerbench.store import Store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
LEVELSFYI = SHARED / "levelsfyi_stem_salaries" / "Levels_Fyi_Salary_Data.csv"
AIJOBS = SHARED / "aijobs_salaries" / "salaries.csv"
RESULTS = REPO / "benchmarks" / "results"
MIN_N = 20
QUANTILES = (0.25, 0.50, 0.75)

Factor = Callable[[int, int], float]


def records(store: Path) -> pd.DataFrame:
    with Store(store) as db:
        frame: pd.DataFrame = db.records().to_pandas()
    return frame


def backtest(
    frame: pd.DataFrame,
    source: str,
    measure: str,
    early: tuple[int, int],
    target: int,
    groupings: list[list[str]],
    bases: dict[str, Factor],
) -> dict[str, dict[str, float]]:
    """Errors per basis: median absolute % error of P25/P50/P75 and median signed error."""
    data = frame[(frame["source"] == source) & (frame[measure] > 0)]
    before = data[data["observed_year"].between(*early)]
    after = data[data["observed_year"] == target]
    errors: dict[str, list[float]] = {name: [] for name in bases}
    cohorts = 0
    for keys in groupings:
        old_groups = before.groupby(keys, dropna=True)
        new_groups = dict(list(after.groupby(keys, dropna=True)))
        for key, old in old_groups:
            new = new_groups.get(key)
            if new is None or len(old) < MIN_N or len(new) < MIN_N:
                continue
            cohorts += 1
            actual = np.quantile(new[measure].to_numpy(dtype=float), QUANTILES)
            years = old["observed_year"].to_numpy()
            values = old[measure].to_numpy(dtype=float)
            for name, factor in bases.items():
                lookup = {int(y): factor(int(y), target) for y in np.unique(years)}
                brought = values * np.array([lookup[int(y)] for y in years])
                predicted = np.quantile(brought, QUANTILES)
                errors[name] += list(predicted / actual - 1)
    out = {}
    for name, values in errors.items():
        array = np.array(values)
        out[name] = {
            "cohorts": cohorts,
            "mape": float(np.median(np.abs(array))) if len(array) else float("nan"),
            "bias": float(np.median(array)) if len(array) else float("nan"),
        }
    return out


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        store = Path(scratch) / "store.duckdb"
        full = LEVELSFYI.exists() and AIJOBS.exists()
        if full:
            ingest(store, aijobs_path=AIJOBS, levelsfyi_path=LEVELSFYI)
        else:
            ingest(store)
        frame = records(store)
    everything = pay_index.learn(frame)
    cases = []
    if full:
        early_levels = pay_index.learn(frame[frame["observed_year"] <= 2019])
        for target in (2020, 2021):
            cases.append(
                (
                    "levelsfyi",
                    "total_comp",
                    (2017, 2019),
                    target,
                    [["role_family", "level", "tier"], ["company", "level"]],
                    early_levels,
                )
            )
    early_aijobs = pay_index.learn(frame[frame["observed_year"] <= 2023])
    for target in (2024, 2025):
        cases.append(
            (
                "aijobs",
                "base",
                (2022, 2023),
                target,
                [["role_family", "level", "country"]],
                early_aijobs,
            )
        )
    rows = []
    for source, measure, early, target, groupings, early_index in cases:
        bases: dict[str, Factor] = {
            "nominal (no adjustment)": lambda _a, _b: 1.0,
            "CPI-U": inflation.factor,
            "pay index (all years)": everything.factor,
            "pay index (earlier years only, projected)": early_index.factor,
        }
        result = backtest(frame, source, measure, early, target, groupings, bases)
        for basis, figures in result.items():
            rows.append(
                {
                    "source": source,
                    "measure": measure,
                    "from": f"{early[0]}-{early[1]}",
                    "to": target,
                    "basis": basis,
                    **figures,
                }
            )
    RESULTS.mkdir(parents=True, exist_ok=True)
    document = {
        "data": "full ../shared/data files" if full else "bundled aijobs.net data only",
        "min_n": MIN_N,
        "index": everything.to_dict() | {"draws": "omitted"},
        "backtest": rows,
    }
    (RESULTS / "pay_index.json").write_text(json.dumps(document, indent=2) + "\n")
    lines = [
        "# Pay index: backtest of the time basis",
        "",
        f"Data: {document['data']}. Cohorts with at least {MIN_N} data points in both periods. "
        "Error: the earlier years' records brought to the target year, their P25/P50/P75 against "
        "the target year's actual cohort quantiles; median over cohorts and quantiles of the "
        "absolute % error (and of the signed error: bias).",
        "",
        "| source | measure | from | to | basis | cohorts | median abs. error | bias |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        lines.append(
            f"| {row['source']} | {row['measure']} | {row['from']} | {row['to']} | "
            f"{row['basis']} | {row['cohorts']} | {row['mape']:.1%} | {row['bias']:+.1%} |"
        )
    lines += [
        "",
        "## The index (learned on all years)",
        "",
        "| year | index | 95% interval | n | sources | how |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for year, point in sorted(everything.points.items()):
        lines.append(
            f"| {year} | {point.value:.3f} | {point.low:.3f}-{point.high:.3f} | {point.n:,} | "
            f"{', '.join(point.sources) or '-'} | {point.how} |"
        )
    (RESULTS / "pay_index.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
