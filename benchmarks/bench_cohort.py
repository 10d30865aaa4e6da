"""Cohort-query latency and ingest throughput at 1M and 10M records.

The store is scaled by resampling the real records (bundled aijobs.net data, plus the Levels.fyi
extract from ``../shared/data`` or ``$CAREERBENCH_LEVELSFYI`` when present) with noise: pay times
a log-normal factor (sigma 0.05), years of experience plus normal noise (sigma 0.5). 200 realistic
cohorts (seeded) are drawn from real records: role and level always, other filters at random.

Measured, in one run:
- ``benchmark.benchmark`` end to end through the library (open store, cohort index from memory,
  relaxations, quantiles of four measures, BLS reference): p50/p95 over the 200 cohorts;
- the plain path: one ibis/DuckDB filtered ``quantile_cont`` query per cohort on the same store;
- agreement between the two (exact path: equal; sketch path: within the bin width);
- ingest throughput of the real sources, bulk-load throughput of the scaled rows, index build.

Writes ``benchmarks/results/cohort.json`` and ``benchmarks/results/cohort.md``.
Usage: ``python benchmarks/bench_cohort.py [--sizes 1000000 10000000] [--cohorts 200]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from careerbench import benchmark as bench
from careerbench import inflation
from careerbench import store as store_module
from careerbench.cohort import Cohort
from careerbench.cohort_index import cohort_index
from careerbench.ingest import ingest
from careerbench.pay_index import Basis
from careerbench.sources import registry
from careerbench.store import CLUSTER_ORDER, Store

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = ROOT / "benchmarks" / "scratch"
RESULTS = ROOT / "benchmarks" / "results"
SHARED_LEVELSFYI = (
    ROOT.parent / "shared" / "data" / "levelsfyi_stem_salaries" / "Levels_Fyi_Salary_Data.csv"
)
SEED = 20261123


def levelsfyi_path() -> Path | None:
    env = os.environ.get("CAREERBENCH_LEVELSFYI")
    if env:
        return Path(env)
    return SHARED_LEVELSFYI if SHARED_LEVELSFYI.exists() else None


def real_store() -> tuple[Path, dict[str, Any]]:
    path = SCRATCH / "real.duckdb"
    if path.exists():
        path.unlink()
    shutil.rmtree(path.with_name(path.name + ".cache"), ignore_errors=True)
    started = time.perf_counter()
    report = ingest(path, levelsfyi_path=levelsfyi_path())
    seconds = time.perf_counter() - started
    rows = sum(load.rows_read for load in report.loads if load.source != "bls_oews")
    return path, {"rows_read": rows, "seconds": seconds, "rows_per_second": rows / seconds}


def scaled_store(real: Path, size: int, rng: np.random.Generator) -> tuple[Path, dict[str, Any]]:
    with Store(real) as db:
        records = db.records().to_pyarrow()
        loads = db.ibis.table("loads").to_pyarrow()
    pick = rng.integers(0, records.num_rows, size)
    scaled = records.take(pa.array(pick))
    noise = np.exp(rng.normal(0.0, 0.05, size))
    columns = {}
    for name in ("base", "equity", "bonus", "total_comp", "range_low", "range_high"):
        values = scaled.column(name).to_numpy(zero_copy_only=False).astype(float)
        columns[name] = pa.array(values * noise, type=pa.float64(), mask=np.isnan(values))
    years = scaled.column("years_experience").to_numpy(zero_copy_only=False).astype(float)
    unknown = np.isnan(years)
    years = np.clip(years + rng.normal(0.0, 0.5, size), 0, 50)
    columns["years_experience"] = pa.array(
        years.astype(np.float32), type=pa.float32(), mask=unknown
    )
    columns["source_id"] = pa.array([f"scaled-{i}" for i in range(size)])
    for name, array in columns.items():
        scaled = scaled.set_column(scaled.schema.get_field_index(name), name, array)
    path = SCRATCH / f"scaled-{size}.duckdb"
    if path.exists():
        path.unlink()
    shutil.rmtree(path.with_name(path.name + ".cache"), ignore_errors=True)
    started = time.perf_counter()
    with Store(path, read_only=False) as db:
        db.con.register("scaled", scaled)
        db.con.register("old_loads", loads)
        order = ", ".join(CLUSTER_ORDER)
        db.con.execute(f"CREATE OR REPLACE TABLE records AS SELECT * FROM scaled ORDER BY {order}")
        db.con.execute("INSERT INTO loads SELECT * FROM old_loads")
        db.con.execute("UPDATE loads SET content_hash = content_hash || ?", [f"-scaled-{size}"])
        from careerbench.reference.bls import bls_table

        db.replace_table("bls_oews", bls_table())
    seconds = time.perf_counter() - started
    return path, {"rows": size, "seconds": seconds, "rows_per_second": size / seconds}


def draw_cohorts(real: Path, count: int, rng: np.random.Generator) -> list[Cohort]:
    with Store(real) as db:
        rows = db.records().to_pyarrow().to_pylist()
    cohorts = []
    while len(cohorts) < count:
        r = rows[int(rng.integers(len(rows)))]
        if r["level"] is None:
            continue
        pick = lambda p: rng.random() < p  # noqa: E731
        years = None
        if r["years_experience"] is not None and pick(0.3):
            y = int(r["years_experience"])
            years = (max(0, y - 2), y + 2)
        us = r["country"] == "US"
        cohorts.append(
            Cohort(
                role=r["role_family"],
                level=r["level"],
                tier=r["tier"] if r["tier"] != "unknown" and pick(0.4) else None,
                company=r["company"] if r["company"] and pick(0.2) else None,
                country=r["country"] if r["country"] and pick(0.8) else None,
                state=r["state"] if us and r["state"] and pick(0.3) else None,
                metro=r["metro_code"] if us and r["metro_code"] and pick(0.3) else None,
                metro_name=r["metro_name"],
                remote=r["remote"] if r["remote"] and pick(0.2) else None,
                years=years,
                since=int(r["observed_year"]) if pick(0.2) else None,
            )
        )
    return cohorts


def plain_query(db: Store, cohort: Cohort, year: int) -> tuple[int, list[float]]:
    filters = cohort.index_filters()
    years = filters.pop("years_bucket")
    since = filters.pop("observed_year")
    table = db.records()
    # A total-comp statistic counts the sources that measure total comp, as the library does.
    filters["source"] = sorted(registry.measuring("total_comp"))
    expr = store_module.cohort(table, filters)
    if years is not None:
        expr = store_module.cohort(
            expr,
            {"years_experience": (years[0], None if years[1] is None else years[1] + 0.999999)},
        )
    if since is not None:
        expr = store_module.cohort(expr, {"observed_year": since})
    row = (
        store_module.quantiles(expr, "total_comp", bench.PROBABILITIES, year)
        .to_pyarrow()
        .to_pylist()[0]
    )
    return int(row["n"]), store_module.quantile_values(row, bench.PROBABILITIES)


def percentile(values: list[float], p: float) -> float:
    return float(np.percentile(values, p))


def measure(path: Path, cohorts: list[Cohort], plain_cohorts: int) -> dict[str, Any]:
    year = inflation.latest_year()
    basis = Basis("cpi", year)  # the plain query converts with CPI-U: the same dollars
    started = time.perf_counter()
    with Store(path) as db:
        cohort_index(db, basis)
    build = time.perf_counter() - started
    started = time.perf_counter()
    with Store(path) as db:
        cohort_index(db, basis)  # from disk
    warm = time.perf_counter() - started
    bench.benchmark(cohorts[0], store=path, basis="cpi")  # warm caches (BLS, citations)
    latencies, methods = [], []
    results = []
    for cohort in cohorts:
        t0 = time.perf_counter()
        result = bench.benchmark(cohort, store=path, pay=200_000, basis="cpi")
        latencies.append((time.perf_counter() - t0) * 1000)
        methods.append(result.evidence.method)
        results.append(result)
    plain_ms, max_exact_diff, max_sketch_diff = [], 0.0, 0.0
    with Store(path) as db:
        for result in results[:plain_cohorts]:
            t0 = time.perf_counter()
            n, q = plain_query(db, result.applied, year)
            plain_ms.append((time.perf_counter() - t0) * 1000)
            if result.quantiles is None or n != result.n:
                continue
            ours = [result.quantiles.p10, result.quantiles.p25, result.quantiles.p50,
                    result.quantiles.p75, result.quantiles.p90]  # fmt: skip
            diff = max(abs(a - b) / b for a, b in zip(ours, q, strict=True))
            if result.evidence.method == "exact":
                max_exact_diff = max(max_exact_diff, diff)
            else:
                max_sketch_diff = max(max_sketch_diff, diff)
    sizes = [r.n for r in results]
    return {
        "index_build_or_load_s": round(build, 3),
        "index_from_memory_ms": round(warm * 1000, 3),
        "cohorts": len(cohorts),
        "library_p50_ms": round(percentile(latencies, 50), 2),
        "library_p95_ms": round(percentile(latencies, 95), 2),
        "library_max_ms": round(max(latencies), 2),
        "plain_cohorts": len(plain_ms),
        "plain_p50_ms": round(percentile(plain_ms, 50), 2),
        "plain_p95_ms": round(percentile(plain_ms, 95), 2),
        "speedup_p50": round(
            percentile(plain_ms, 50) / percentile(latencies[: len(plain_ms)], 50), 1
        ),
        "speedup_p95": round(
            percentile(plain_ms, 95) / percentile(latencies[: len(plain_ms)], 95), 1
        ),
        "exact_share": round(methods.count("exact") / len(methods), 3),
        "max_rel_diff_exact": max_exact_diff,
        "max_rel_diff_sketch": max_sketch_diff,
        "cohort_n_median": int(statistics.median(sizes)),
        "cohort_n_max": int(max(sizes)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--cohorts", type=int, default=200)
    parser.add_argument("--plain-cohorts", type=int, default=60)
    args = parser.parse_args()
    SCRATCH.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("CAREERBENCH_HOME", str(SCRATCH / "home"))
    rng = np.random.default_rng(SEED)
    real, ingest_figures = real_store()
    rows, seconds = ingest_figures["rows_read"], ingest_figures["seconds"]
    print(f"ingest of the real sources: {rows:,} rows in {seconds:.1f} s ({rows / seconds:,.0f}/s)")
    cohorts = draw_cohorts(real, args.cohorts, rng)
    out: dict[str, Any] = {"seed": SEED, "ingest_real": ingest_figures, "sizes": {}}
    for size in args.sizes:
        path, load = scaled_store(real, size, rng)
        print(f"{size:,} rows: bulk load {load['seconds']:.1f} s ({size / load['seconds']:,.0f}/s)")
        figures = measure(path, cohorts, args.plain_cohorts)
        figures["bulk_load"] = load
        out["sizes"][str(size)] = figures
        print(json.dumps(figures, indent=2))
        path.unlink()
        shutil.rmtree(path.with_name(path.name + ".cache"), ignore_errors=True)
    (RESULTS / "cohort.json").write_text(json.dumps(out, indent=2) + "\n")
    lines = [
        "# Cohort benchmark results",
        "",
        f"Machine: {os.cpu_count()} cores. Seed {SEED}. {args.cohorts} cohorts drawn from real "
        f"records; the plain query measured on the first {args.plain_cohorts}.",
        f"Ingest of the real sources: {ingest_figures['rows_read']:,} rows at "
        f"{ingest_figures['rows_per_second']:,.0f} rows/s.",
        "",
        "| records | library p50 ms | library p95 ms | plain p50 ms | plain p95 ms | ratio p95 "
        "| exact share | max diff (exact / sketch) | index build s | bulk load rows/s |",
        "| ---: " * 10 + "|",
    ]
    for size, f in out["sizes"].items():
        lines.append(
            f"| {int(size):,} | {f['library_p50_ms']} | {f['library_p95_ms']} | "
            f"{f['plain_p50_ms']} | {f['plain_p95_ms']} | "
            f"{f['speedup_p95']}x | {f['exact_share']:.0%} | "
            f"{f['max_rel_diff_exact']:.1e} / {f['max_rel_diff_sketch']:.1e} | "
            f"{f['index_build_or_load_s']} | {f['bulk_load']['rows_per_second']:,.0f} |"
        )
    (RESULTS / "cohort.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
