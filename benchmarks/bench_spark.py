"""DuckDB against Spark local[2], in the same run, on records resampled from the real ones.

1. The store: the bundled aijobs.net data plus the Levels.fyi extract (``../shared/data`` or
   ``$CAREERBENCH_LEVELSFYI``) when present, resampled with replacement (seed 0) to ``--records``
   records (default 1,000,000) in a store of its own.
2. Ingest: ``--ingest-rows`` raw source rows (default: ``--records``) drawn with replacement
   (seed 0) from the bundled aijobs.net file and the Levels.fyi extract in their proportions,
   written as the two CSV files (one row per line): ``ingest.ingest`` into a store (DuckDB and
   pandas, one process) against ``lake_ingest.ingest_lake`` on Spark, and the two results
   compared (records and quarantined rows per source).
3. Export: the records as the partitioned Parquet lake (DuckDB's partitioned ``COPY``).
4. The cohort index: ``CohortIndex.build`` on DuckDB against ``lake_index.build`` on Spark from
   the lake, and the two indexes compared cell by cell.
5. Batch estimates: ``--batch-rows`` aijobs.net rows without pay (default 200,000, resampled from
   the bundled file, seed 0): ``batch.estimate_file`` against ``spark_batch.estimate_on_spark``,
   and the two outputs compared.

Each step's wall time, throughput and peak resident memory (this process and its children: the
JVM and Spark's Python workers, sampled every 50 ms) are written to
``benchmarks/results/spark.json`` and ``.md``. Run: ``python benchmarks/bench_spark.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from careerbench import engine, lake, lake_index, pay_index
from careerbench.batch import estimate_file
from careerbench.cohort_index import CohortIndex
from careerbench.config import vendored
from careerbench.estimate import load_model
from careerbench.ingest import ingest
from careerbench.lake_ingest import ingest_lake
from careerbench.spark_batch import estimate_on_spark
from careerbench.store import Store

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SHARED_LEVELSFYI = (
    ROOT.parent / "shared" / "data" / "levelsfyi_stem_salaries" / "Levels_Fyi_Salary_Data.csv"
)
SEED = 0
LOCAL = engine.Engine(
    "spark",
    "local[2]",
    (("spark.sql.shuffle.partitions", "8"), ("spark.driver.memory", "2g")),
)


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found += _tree(int(child))
    return found


@contextmanager
def measured(results: dict[str, Any], name: str, items: int) -> Iterator[None]:
    """Time a step and sample the peak memory of this process and its children."""
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], sum(_rss_kib(p) for p in _tree(os.getpid())))
            done.wait(0.05)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    started = time.perf_counter()
    yield
    seconds = time.perf_counter() - started
    done.set()
    watcher.join()
    results[name] = {
        "seconds": round(seconds, 2),
        "items": items,
        "per_second": round(items / seconds),
        "peak_rss_mb": round(peak[0] / 1024),
    }
    print(name, results[name], flush=True)


def resampled_store(base: Path, target: Path, records: int) -> None:
    """A copy of the store ``base`` whose records are ``records`` drawn with replacement."""
    target.write_bytes(base.read_bytes())
    with Store(target, read_only=False) as db:
        real = db.records().order_by(["source", "source_id"]).to_pyarrow()
        rows = np.random.default_rng(SEED).integers(0, real.num_rows, size=records)
        db.con.register("drawn", real.take(pa.array(rows)))
        db.con.execute("CREATE OR REPLACE TABLE records AS SELECT * FROM drawn")
        db.con.unregister("drawn")
    with Store(target, read_only=False) as db:
        db.cluster()


def raw_inputs(home: Path, levels: Path | None, rows: int) -> tuple[Path, Path | None]:
    """``rows`` raw rows drawn with replacement from the real files, in their proportions, as
    an aijobs.net CSV and a Levels.fyi CSV (a line break inside a field becomes a space)."""
    rng = np.random.default_rng(SEED)
    real = {"aijobs": pq.read_table(vendored("aijobs_salaries.parquet")).to_pandas()}
    real["aijobs"] = real["aijobs"].drop(columns=["source_row"])
    if levels is not None:
        real["levelsfyi"] = pd.read_csv(levels, dtype=str, keep_default_na=False)
    total = sum(len(frame) for frame in real.values())
    written: dict[str, Path] = {}
    left = rows
    for i, (name, frame) in enumerate(real.items()):
        n = left if i == len(real) - 1 else round(rows * len(frame) / total)
        left -= n
        drawn = frame.iloc[rng.integers(0, len(frame), size=n)]
        drawn = drawn.replace(r"[\r\n]+", " ", regex=True)
        written[name] = home / f"raw_{name}.csv"
        drawn.to_csv(written[name], index=False)
    return written["aijobs"], written.get("levelsfyi")


def ingest_steps(home: Path, levels: Path | None, rows: int, results: dict[str, Any]) -> None:
    """The same raw rows ingested by DuckDB into a store and on Spark into a lake."""
    steps = results["steps"]
    raw_aijobs, raw_levels = raw_inputs(home, levels, rows)
    store = home / "ingested.duckdb"
    with measured(steps, "ingest (duckdb)", rows):
        report = ingest(store, aijobs_path=raw_aijobs, levelsfyi_path=raw_levels, prepare=False)
    with measured(steps, "ingest (spark)", rows):
        made = ingest_lake(
            LOCAL,
            str(home / "ingested-lake"),
            aijobs_path=str(raw_aijobs),
            levelsfyi_path=str(raw_levels) if raw_levels else None,
        )
    counts = [(x.load_key, x.rows_read, x.rows_quarantined, x.records) for x in report.loads]
    results["ingest_loads"] = counts
    results["ingest_equal"] = counts == [
        (x.load_key, x.rows_read, x.rows_quarantined, x.records) for x in made.loads
    ]


def batch_steps(
    home: Path, base: Path, spark: Any, batch_rows: int, results: dict[str, Any]
) -> None:
    """Batch estimates of ``batch_rows`` aijobs.net rows, single process against Spark."""
    steps = results["steps"]
    rows = pq.read_table(vendored("aijobs_salaries.parquet")).to_pandas()
    drawn = rows.sample(batch_rows, replace=True, random_state=SEED)
    batch = home / "batch.csv"
    drawn.drop(columns=["salary", "salary_in_usd", "source_row"]).to_csv(batch, index=False)
    model = load_model(base)
    with measured(steps, "batch estimates (single process)", batch_rows):
        estimate_file(model, batch, "aijobs", home / "one.csv")
    with measured(steps, "batch estimates (spark)", batch_rows):
        estimate_on_spark(spark, model, str(batch), "aijobs", home / "two.csv")
    results["batch_equal"] = (home / "one.csv").read_bytes() == (home / "two.csv").read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument(
        "--ingest-rows", type=int, help="Raw rows to ingest (default: --records; 0: none)."
    )
    parser.add_argument(
        "--batch-rows", type=int, default=200_000, help="0: no batch step (no model training)."
    )
    parser.add_argument(
        "--home", type=Path, help="Data dir to use (a re-run reuses its trained pay model)."
    )
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="careerbench-bench-"))
    home.mkdir(parents=True, exist_ok=True)
    os.environ["CAREERBENCH_HOME"] = str(home)
    levels_env = os.environ.get("CAREERBENCH_LEVELSFYI")
    levels = Path(levels_env) if levels_env else SHARED_LEVELSFYI
    base = home / "base.duckdb"
    ingest(base, levelsfyi_path=levels if levels.is_file() else None)
    with Store(base) as db:
        real_records = int(db.con.execute("SELECT count(*) FROM records").fetchall()[0][0])
    store = home / "store.duckdb"
    resampled_store(base, store, args.records)
    basis = pay_index.basis_for(base, "pay-index")
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        # Other work on the machine slows both engines: the load average when the run began.
        "load_average_at_start": round(os.getloadavg()[0], 1),
        "real_records": real_records,
        "records": args.records,
        "batch_rows": args.batch_rows,
        "ingest_rows": args.records if args.ingest_rows is None else args.ingest_rows,
        "spark_master": LOCAL.master,
        # The batch's pay model: capped boosting rounds train faster and score faster.
        "training_rounds": os.environ.get("CAREERBENCH_TRAINING_ROUNDS", "full"),
        "seed": SEED,
    }
    steps: dict[str, Any] = {}
    started = time.perf_counter()
    spark = engine.spark_session(LOCAL)
    results["spark_session_seconds"] = round(time.perf_counter() - started, 1)

    results["steps"] = steps
    if results["ingest_rows"]:
        ingest_steps(home, levels if levels.is_file() else None, results["ingest_rows"], results)
    path = home / "lake"
    with Store(store) as db, measured(steps, "export lake (duckdb)", args.records):
        lake.export(db, path)
    with Store(store) as db, measured(steps, "index (duckdb)", args.records):
        expected = CohortIndex.build(db, basis)
    with measured(steps, "index (spark)", args.records):
        built = lake_index.build(spark, str(path), basis)
    results["index_cells"] = expected.n_cells
    results["index_cells_equal"] = bool(
        np.array_equal(expected.cell_count, built.cell_count)
        and all(np.array_equal(expected.codes[d], built.codes[d]) for d in expected.codes)
    )
    del expected, built

    results["steps"] = steps
    if args.batch_rows:
        batch_steps(home, base, spark, args.batch_rows, results)
    results["spark_over_duckdb_time"] = {
        "index": round(steps["index (spark)"]["seconds"] / steps["index (duckdb)"]["seconds"], 1)
    }
    if "ingest (spark)" in steps:
        results["spark_over_duckdb_time"]["ingest"] = round(
            steps["ingest (spark)"]["seconds"] / steps["ingest (duckdb)"]["seconds"], 1
        )
    results["load_average_at_end"] = round(os.getloadavg()[0], 1)
    if "batch estimates (spark)" in steps:
        results["spark_over_duckdb_time"]["batch"] = round(
            steps["batch estimates (spark)"]["seconds"]
            / steps["batch estimates (single process)"]["seconds"],
            1,
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "spark.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [
        f"# DuckDB against Spark {LOCAL.master}",
        "",
        f"{args.records:,} records resampled (seed {SEED}) from {real_records:,} real ones; "
        f"{results['ingest_rows']:,} raw rows ingested; "
        f"{args.batch_rows:,} batch rows; {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average {results['load_average_at_start']} at the "
        f"start and {results['load_average_at_end']} at the end (other work shares the cores); "
        f"Spark session start "
        f"{results['spark_session_seconds']} s (not counted below).",
        "",
        "| step | seconds | items/s | peak RSS (MB, with children) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, step in steps.items():
        lines.append(
            f"| {name} | {step['seconds']} | {step['per_second']:,} | {step['peak_rss_mb']:,} |"
        )
    lines += [
        "",
        f"Same loads ingested on both engines (rows read, quarantined, records): "
        f"{results.get('ingest_equal', 'not run')}. "
        f"Same cells on both engines: {results['index_cells_equal']} "
        f"({results['index_cells']:,} cells); same batch output file: "
        f"{results.get('batch_equal', 'not run (--batch-rows 0)')}.",
        "",
    ]
    (RESULTS / "spark.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
