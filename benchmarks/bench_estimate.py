"""Speed of the pay model, each figure beside a baseline measured in the same run.

1. Training: ``careerbench train`` on the bundled aijobs.net data plus the Levels.fyi extract
   (``../shared/data`` or ``$CAREERBENCH_LEVELSFYI``) when present. Target: < 2 minutes on 2
   cores. Trained twice with the same seed: the two models must predict identically.
2. One estimate after load (``estimate()``: the model, the nearest cohort and the drivers) over
   200 profiles, against one cohort query of the benchmark engine for the same profiles.
   Target: <= 20 ms.
3. A batch of 10,000 aijobs.net rows without pay (``estimate_file``: read, describe, predict,
   write), against estimating the same rows one at a time (run on 500 rows, scaled).
   Target: <= 5 s.

Run: ``python benchmarks/bench_estimate.py``. Prints the figures and writes
``benchmarks/results/estimate.json``.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from careerbench import estimate as estimate_module
from careerbench.batch import estimate_file, estimate_rows, read_profiles
from careerbench.benchmark import benchmark_on, load_index
from careerbench.cohort import parse_cohort
from careerbench.config import vendored
from careerbench.ingest import ingest

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "estimate.json"
SHARED_LEVELSFYI = (
    ROOT.parent / "shared" / "data" / "levelsfyi_stem_salaries" / "Levels_Fyi_Salary_Data.csv"
)
BATCH_ROWS = 10_000
LOOP_ROWS = 500
ROLES = ("ml-engineer", "data-scientist", "research-scientist", "ai-engineer", "mlops-engineer")
LEVELS = ("entry", "mid", "senior", "staff")
PLACES = (
    {"country": "US"},
    {"country": "GB"},
    {"metro": "Seattle", "company": "Google"},
    {"metro": "San Francisco", "tier": "big-tech"},
    {"country": "DE"},
)


def profiles() -> list[dict[str, str]]:
    out = []
    for role in ROLES:
        for level in LEVELS:
            for place in PLACES:
                out.append({"role": role, "level": level, **place})
    return out[:200]


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="careerbench-bench-"))
    os.environ["CAREERBENCH_HOME"] = str(home)
    levels_env = os.environ.get("CAREERBENCH_LEVELSFYI")
    levels = Path(levels_env) if levels_env else SHARED_LEVELSFYI
    store = home / "store.duckdb"
    ingest(store, levelsfyi_path=levels if levels.is_file() else None)

    first, _ = estimate_module.train(store, seed=0)
    second, _ = estimate_module.train(store, seed=0)
    sample = pq.read_table(vendored("aijobs_salaries.parquet")).to_pandas()
    rows = sample.sample(BATCH_ROWS, random_state=0)
    batch = home / "batch.csv"
    rows.drop(columns=["salary", "salary_in_usd", "source_row"]).to_csv(batch, index=False)
    records, _ = read_profiles(batch, "aijobs")
    identical = bool(
        np.array_equal(estimate_rows(first, records)[0], estimate_rows(second, records)[0])
    )

    cohorts = [parse_cohort(**p) for p in profiles()]
    estimate_module.estimate(cohorts[0], store=store)  # load the model and the index
    index = load_index(store)
    estimate_ms, cohort_ms = [], []
    for cohort in cohorts:
        start = time.perf_counter()
        estimate_module.estimate(cohort, store=store)
        estimate_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        benchmark_on(index, cohort)
        cohort_ms.append((time.perf_counter() - start) * 1000)

    model = estimate_module.load_model(store)
    start = time.perf_counter()
    _, report = estimate_file(model, batch, "aijobs", home / "out.csv")
    batch_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for position in range(LOOP_ROWS):
        estimate_rows(model, records.iloc[[position]])
    loop_seconds = (time.perf_counter() - start) * BATCH_ROWS / LOOP_ROWS

    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "records": model.counts,
        "train_seconds": [round(first.seconds, 1), round(second.seconds, 1)],
        "train_target_seconds": 120,
        "deterministic": identical,
        "estimate_ms": {
            "p50": round(statistics.median(estimate_ms), 2),
            "p95": round(percentile(estimate_ms, 95), 2),
            "target": 20,
        },
        "cohort_query_ms": {
            "p50": round(statistics.median(cohort_ms), 2),
            "p95": round(percentile(cohort_ms, 95), 2),
        },
        "estimate_vs_cohort_query_p50": round(
            statistics.median(estimate_ms) / statistics.median(cohort_ms), 1
        ),
        "batch": {
            "rows": report.rows,
            "estimated": report.estimated,
            "seconds": round(batch_seconds, 2),
            "target_seconds": 5,
            "row_by_row_seconds": round(loop_seconds, 1),
            "speedup": round(loop_seconds / batch_seconds, 1),
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
