"""Spark as an engine: every Spark path against the DuckDB result on the same real records.

One local[2] session for the module (small shuffles, no UI). The store is the committed samples
(``small_store``: aijobs.net and Levels.fyi rows), so the pay model trains in seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest

from careerbench import engine, lake, lake_index, lake_ingest, pay_index
from careerbench.batch import estimate_file
from careerbench.cohort_index import (
    BIN_RATIO,
    DIMENSIONS,
    MEASURES,
    CohortIndex,
    cache_path,
    cohort_index,
)
from careerbench.errors import InputError, SourceError
from careerbench.store import Store
from tests.conftest import FIXTURES, run_cli

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from careerbench.ingest import LoadResult
    from careerbench.pay_model import PayModel

pytestmark = [
    pytest.mark.spark,
    # pyspark 4.0's Arrow conversion passes pandas 3 a keyword it deprecates.
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

LOCAL = engine.Engine(
    "spark",
    "local[2]",
    (("spark.sql.shuffle.partitions", "4"), ("spark.default.parallelism", "2")),
)


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = engine.spark_session(LOCAL)
    yield session
    session.stop()
    engine._SESSIONS.clear()


@pytest.fixture(scope="module")
def exported(small_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lake") / "records"
    lake.export_store(small_store, path)
    return path


def test_export_writes_partitions_a_schema_and_every_record(
    small_store: Path, exported: Path
) -> None:
    schema = json.loads((exported / lake.SCHEMA_FILE).read_text())
    con = duckdb.connect()
    con.execute(f"ATTACH '{small_store}' AS stored (READ_ONLY)")
    stored = con.execute(
        "SELECT source, observed_year, count(*), sum(total_comp) FROM stored.records "
        "GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    read_back = con.execute(
        f"SELECT source, observed_year, count(*), sum(total_comp) "
        f"FROM read_parquet('{exported}/*/*/*.parquet', hive_partitioning = true) "
        "GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    assert [(s, int(y), n) for s, y, n, _ in read_back] == [(s, y, n) for s, y, n, _ in stored]
    assert [t for *_, t in read_back] == pytest.approx([t for *_, t in stored], rel=1e-12)
    assert {"aijobs", "levelsfyi"} == {p["source"] for p in schema["partitions"]}
    assert schema["records"] == sum(n for _, _, n, _ in stored)
    assert [(p["source"], p["observed_year"], p["records"]) for p in schema["partitions"]] == [
        (s, y, n) for s, y, n, _ in stored
    ]
    with Store(small_store) as db:
        assert schema["store_fingerprint"] == db.fingerprint()
    assert (exported / "source=levelsfyi").is_dir()


def test_export_replaces_a_lake_whole_and_refuses_a_folder_that_is_not_one(
    small_store: Path, tmp_path: Path
) -> None:
    target = tmp_path / "lake"
    lake.export_store(small_store, target)
    (target / "source=aijobs" / "stale.parquet").write_bytes(b"left by an older export")
    lake.export_store(small_store, target)
    assert not (target / "source=aijobs" / "stale.parquet").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lake"]  # no staged folder left
    other = tmp_path / "photos"
    other.mkdir()
    (other / "cat.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(InputError, match="not a careerbench lake"):
        lake.export_store(small_store, other)
    assert sorted(p.name for p in other.iterdir()) == ["cat.jpg"]


def cell_values(index: CohortIndex, measure: str) -> npt.NDArray[np.float64]:
    """Every record's value of ``measure``, sorted within its cell (the order inside a cell is
    free), as one array."""
    cell_of_row = np.repeat(np.arange(index.n_cells), index.cell_count)
    values = index.arrays[f"values_{measure}"]
    return values[np.lexsort((values, cell_of_row))]


def test_cohort_index_built_on_spark_is_the_duckdb_index_the_server_loads(
    spark: SparkSession, small_store: Path, exported: Path
) -> None:
    written = lake_index.write_index(small_store, LOCAL, str(exported))
    basis = pay_index.basis_for(small_store, "pay-index")
    with Store(small_store) as db:
        assert written.path == cache_path(db, basis)
        stamp = written.path.stat().st_mtime_ns
        built = cohort_index(db, basis)  # the server's way: from the disk cache, not built again
        expected = CohortIndex.build(db, basis)
    assert written.path.stat().st_mtime_ns == stamp
    assert built.n_cells == expected.n_cells == written.cells > 100
    assert int(built.cell_count.sum()) == written.records
    for dim in DIMENSIONS:  # the cells: same keys, in the same order
        assert built.dictionaries[dim] == expected.dictionaries[dim], dim
        assert np.array_equal(built.codes[dim], expected.codes[dim]), dim
    for name in ("cell_start", "cell_count", "cell_postings"):
        assert np.array_equal(built.arrays[name], expected.arrays[name]), name
    everything = np.ones(expected.n_cells, dtype=bool)
    for measure in MEASURES:
        assert np.array_equal(
            built.arrays[f"cell_n_{measure}"], expected.arrays[f"cell_n_{measure}"]
        )
        assert np.array_equal(
            cell_values(built, measure), cell_values(expected, measure), equal_nan=True
        )
        # The sketch: the same bins, but for a value a last-bit rounding puts next door.
        mine = built.histogram(everything, measure)
        theirs = expected.histogram(everything, measure)
        assert mine.sum() == theirs.sum()
        assert np.abs(mine - theirs).sum() <= 2
    # Whole cohorts, exactly and through the sketch (within the tolerance the sketch documents).
    for filters in (
        {"role_family": "ml-engineer"},
        {"source": "levelsfyi", "level": "senior"},
        {"country": "US"},
        {},
    ):
        for exact_max in (10**9, 0):
            a = expected.stats(
                expected.select(filters), "total_comp", (0.1, 0.5, 0.9), exact_max=exact_max
            )
            b = built.stats(
                built.select(filters), "total_comp", (0.1, 0.5, 0.9), exact_max=exact_max
            )
            assert (a.n, a.method) == (b.n, b.method)
            for p in (0.1, 0.5, 0.9):
                if a.method == "exact":
                    assert b.quantiles[p] == a.quantiles[p]
                else:
                    assert b.quantiles[p] == pytest.approx(a.quantiles[p], rel=BIN_RATIO - 1)


def test_a_lake_of_other_contents_or_no_lake_is_refused(
    spark: SparkSession, store: Path, small_store: Path, exported: Path, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="other contents"):
        lake_index.write_index(store, LOCAL, str(exported))
    with pytest.raises(InputError, match="careerbench export"):
        lake_index.write_index(small_store, LOCAL, str(tmp_path / "nothing"))


@pytest.fixture(scope="module")
def small_model(small_store: Path) -> PayModel:
    from careerbench.estimate import load_model

    return load_model(small_store)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("aijobs_sample.csv", "aijobs"),
        ("aijobs_malformed.csv", "aijobs"),
        ("levelsfyi_sample.csv", "levelsfyi"),
        ("levelsfyi_malformed.csv", "levelsfyi"),
    ],
)
def test_batch_on_spark_equals_the_single_process_batch(
    spark: SparkSession, small_model: PayModel, name: str, fmt: str, tmp_path: Path
) -> None:
    from careerbench.spark_batch import estimate_on_spark

    path = FIXTURES / name
    expected, expected_report = estimate_file(small_model, path, fmt, tmp_path / "one.csv")
    table, report = estimate_on_spark(spark, small_model, str(path), fmt, tmp_path / "spark.csv")
    assert list(table["row"]) == list(expected["row"]) == list(range(1, len(expected) + 1))
    assert list(table["reason"]) == list(expected["reason"])
    assert list(table["model"]) == list(expected["model"])
    numbers = ["p10", "p25", "p50", "p75", "p90"]
    np.testing.assert_allclose(
        table[numbers].to_numpy(float), expected[numbers].to_numpy(float), rtol=1e-9, atol=0
    )
    assert (report.rows, report.estimated, report.not_estimated) == (
        expected_report.rows,
        expected_report.estimated,
        expected_report.not_estimated,
    )
    assert report.reconciles()
    assert (tmp_path / "spark.csv").read_text() == (tmp_path / "one.csv").read_text()
    if "malformed" in name:
        assert report.not_estimated


def test_batch_on_spark_keeps_row_order_across_partitions(
    spark: SparkSession, small_model: PayModel, tmp_path: Path
) -> None:
    """A file split into several partitions: row numbers still count the file's rows in order."""
    from careerbench.spark_batch import estimate_on_spark

    rows = pd.read_csv(FIXTURES / "aijobs_sample.csv", dtype=str, keep_default_na=False)
    big = pd.concat([rows] * 10, ignore_index=True)  # 3,000 rows, ~250 kB
    path = tmp_path / "big.csv"
    big.to_csv(path, index=False)
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(60_000))
    try:
        assert spark.read.text(str(path)).rdd.getNumPartitions() > 2
        table, _ = estimate_on_spark(spark, small_model, str(path), "aijobs", None)
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")
    expected, _ = estimate_file(small_model, path, "aijobs", None)
    assert list(table["row"]) == list(range(1, len(big) + 1))
    np.testing.assert_allclose(
        table["p50"].to_numpy(float), expected["p50"].to_numpy(float), rtol=1e-9
    )
    assert list(table["reason"]) == list(expected["reason"])


def test_engine_settings_come_from_options_then_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(engine.ENGINE_ENV, "spark")
    monkeypatch.setenv(engine.MASTER_ENV, "spark://head:7077")
    monkeypatch.setenv(engine.CONF_ENV, "spark.executor.memory=4g, spark.executor.cores=2")
    chosen = engine.choose(conf=["spark.executor.memory=8g"])
    assert chosen == engine.Engine(
        "spark",
        "spark://head:7077",
        (("spark.executor.memory", "8g"), ("spark.executor.cores", "2")),
    )
    assert engine.choose("duckdb").name == "duckdb"
    monkeypatch.delenv(engine.ENGINE_ENV)
    assert not engine.choose().spark


def test_engine_mistakes_are_one_line_errors_naming_the_fix(tmp_path: Path) -> None:
    wrong = run_cli("index", "--engine", "flink")
    assert wrong.returncode == 2
    assert "engine: unknown value 'flink'" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    bad_conf = run_cli("index", "--engine", "spark", "--spark-conf", "spark.executor.memory")
    assert bad_conf.returncode == 2
    assert "spark-conf" in bad_conf.stderr
    assert "key=value" in bad_conf.stderr
    # No Java on the path (and no JAVA_HOME): refused before Spark starts, naming the fix.
    env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    env["PATH"] = str(bin_dir)
    no_java = subprocess.run(
        [sys.executable, "-m", "careerbench.cli", "index", "--engine", "spark", "--lake", "x"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert no_java.returncode == 2, no_java.stderr
    assert "openjdk-17-jre-headless" in no_java.stderr
    assert "Traceback" not in no_java.stderr


def test_export_command_reports_the_lake_it_wrote(small_store: Path, tmp_path: Path) -> None:
    done = run_cli("export", str(tmp_path / "lake"), "--json", store=small_store)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document == {
        "lake": str(tmp_path / "lake"),
        **json.loads((tmp_path / "lake" / lake.SCHEMA_FILE).read_text()),
    }
    assert document["records"] == sum(p["records"] for p in document["partitions"]) > 0


# ---- ingest on Spark into the lake ------------------------------------------------------------
def user_csv(folder: Path) -> tuple[Path, Path]:
    """Data points of one's own (two good rows, three quarantined) and the mapping to ours."""
    data = folder / "mine.csv"
    data.write_text(
        "Year,Job,Employer,Where,TC,Currency\n"
        '2025,Senior Machine Learning Engineer,Google,"Mountain View, CA",420000,USD\n'
        '2025,Research Scientist,Anthropic,"San Francisco, CA",560000,USD\n'
        '2025,Data Scientist,Acme,"Austin, TX",150000,EUR\n'
        '20x5,Data Scientist,Acme,"Austin, TX",150000,USD\n'
        '2024,AI Engineer,Acme,"Austin, TX",999,USD\n'
    )
    mapping = folder / "map.yaml"
    mapping.write_text(
        "columns:\n  Year: year\n  Job: title\n  Employer: company\n  Where: location\n"
        "  TC: total_comp\n  Currency: currency\n"
    )
    return data, mapping


@pytest.fixture(scope="module")
def ingested(
    spark: SparkSession, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, Path, list[LoadResult], lake_ingest.LakeIngest]:
    """The same sources ingested by DuckDB (then exported) and on Spark into a lake:
    (store, exported lake, Spark's lake, DuckDB's loads, Spark's report)."""
    from careerbench.ingest import ingest

    folder = tmp_path_factory.mktemp("ingest")
    data, mapping = user_csv(folder)
    sources = {
        "aijobs": FIXTURES / "aijobs_sample.csv",
        "levelsfyi": FIXTURES / "levelsfyi_malformed.csv",
        "postings": [FIXTURES / "postings_sample.csv", FIXTURES / "postings_malformed.csv"],
    }
    store = folder / "store.duckdb"
    report = ingest(
        store,
        aijobs_path=FIXTURES / "aijobs_sample.csv",
        levelsfyi_path=FIXTURES / "levelsfyi_malformed.csv",
        csv_paths=[data],
        csv_mapping=mapping,
        postings_paths=sources["postings"],
        prepare=False,
    )
    exported = folder / "exported"
    lake.export_store(store, exported)
    # Small file splits and four groups: a file's rows are read and normalized in pieces.
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(20_000))
    try:
        on_spark = lake_ingest.ingest_lake(
            LOCAL,
            str(folder / "spark"),
            aijobs_path=str(FIXTURES / "aijobs_sample.csv"),
            levelsfyi_path=f"file://{FIXTURES / 'levelsfyi_malformed.csv'}",
            csv_paths=[str(data)],
            csv_mapping=mapping,
            postings_paths=[str(p) for p in sources["postings"]],
        )
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")
    return store, exported, folder / "spark", report.loads, on_spark


def lake_rows(path: Path, query: str) -> tuple[list[tuple[object, ...]], list[tuple[str, str]]]:
    """(the rows of ``query`` over the lake's records, sorted; its columns and their types)."""
    con = duckdb.connect()
    con.execute(
        f"CREATE VIEW records AS SELECT * FROM read_parquet('{path}/source=*/*/*.parquet', "
        "hive_partitioning = true)"
    )
    con.execute(
        f"CREATE VIEW quarantine AS SELECT * FROM read_parquet("
        f"'{path}/{lake.QUARANTINE_FOLDER}/source=*/*.parquet', hive_partitioning = true)"
    )
    result = con.execute(query)
    types = [(d[0], str(d[1])) for d in result.description]
    return sorted(result.fetchall(), key=repr), types


def test_ingest_on_spark_gives_the_records_and_quarantine_of_the_duckdb_ingest(
    ingested: tuple[Path, Path, Path, list[LoadResult], lake_ingest.LakeIngest],
) -> None:
    store, exported, on_spark, duck_loads, report = ingested
    columns = ", ".join(lake.columns_of_records())
    expected, expected_types = lake_rows(exported, f"SELECT {columns} FROM records")
    found, found_types = lake_rows(on_spark, f"SELECT {columns} FROM records")
    assert found_types == expected_types
    assert len(found) == len(expected) > 200
    assert found == expected  # the same multiset of records, column by column
    quarantine = "SELECT source, source_row, reason, raw FROM quarantine"
    expected_q, _ = lake_rows(exported, quarantine)
    found_q, _ = lake_rows(on_spark, quarantine)
    assert found_q == expected_q
    assert {s for s, *_ in found_q} == {"levelsfyi", "csv", "postings"}
    assert "currency: amounts in EUR; convert to USD first" in {r for _, _, r, _ in found_q}
    # Counts reconcile per load, and equal the DuckDB ingest's.
    counts = [
        (x.load_key, x.rows_read, x.rows_loaded, x.rows_quarantined, x.records) for x in duck_loads
    ]
    assert [
        (x.load_key, x.rows_read, x.rows_loaded, x.rows_quarantined, x.records)
        for x in report.loads
    ] == counts
    assert all(x.reconciles for x in report.loads)
    schema = json.loads((on_spark / lake.SCHEMA_FILE).read_text())
    assert schema == report.schema.to_dict()
    assert schema["made_by"] == "ingest"
    assert schema["records"] == len(found)
    assert schema["quarantined"] == len(found_q)
    assert (
        schema["partitions"] == json.loads((exported / lake.SCHEMA_FILE).read_text())["partitions"]
    )
    with Store(store) as db:
        assert schema["store_fingerprint"] == db.contents_fingerprint() != db.fingerprint()
    staged = [p.name for p in on_spark.parent.iterdir() if p.name.startswith("spark.")]
    assert not staged  # the staged lake was renamed into place


def test_index_on_spark_from_an_ingested_lake_is_filed_under_the_store_of_the_same_inputs(
    spark: SparkSession,
    ingested: tuple[Path, Path, Path, list[LoadResult], lake_ingest.LakeIngest],
    small_store: Path,
) -> None:
    store, _, on_spark, _, _ = ingested
    built = lake_index.write_index(store, LOCAL, str(on_spark), "cpi")
    basis = pay_index.basis_for(store, "cpi")
    with Store(store) as db:
        assert built.path == cache_path(db, basis)
        expected = CohortIndex.build(db, basis)
    index = CohortIndex.load(built.path)
    assert index.n_cells == expected.n_cells
    np.testing.assert_array_equal(index.cell_count, expected.cell_count)
    with pytest.raises(InputError, match="ingested from other contents"):
        lake_index.write_index(small_store, LOCAL, str(on_spark))


def test_a_failed_ingest_on_spark_leaves_the_earlier_lake_whole(
    spark: SparkSession,
    ingested: tuple[Path, Path, Path, list[LoadResult], lake_ingest.LakeIngest],
    tmp_path: Path,
) -> None:
    _, _, on_spark, _, _ = ingested

    def contents() -> dict[str, bytes]:
        return {
            str(p.relative_to(on_spark)): p.read_bytes() for p in on_spark.rglob("*") if p.is_file()
        }

    before = contents()
    siblings = sorted(p.name for p in on_spark.parent.iterdir())
    data, _ = user_csv(tmp_path)
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("columns:\n  Year: education\n  Job: title\n  TC: total_comp\n")  # no year
    with pytest.raises(SourceError, match=r"csv: .*mine.csv lacks the column\(s\) year"):
        lake_ingest.ingest_lake(
            LOCAL,
            str(on_spark),
            aijobs_path=str(FIXTURES / "aijobs_malformed.csv"),
            csv_paths=[str(data)],
            csv_mapping=wrong,
        )
    assert contents() == before
    assert sorted(p.name for p in on_spark.parent.iterdir()) == siblings  # nothing staged left
    wrong.write_text("columns:\n  Year: date\n")
    with pytest.raises(InputError, match=r"mapping: unknown target column\(s\) \['date'\]"):
        lake_ingest.ingest_lake(LOCAL, str(on_spark), csv_paths=[str(data)], csv_mapping=wrong)
    assert contents() == before
    photos = tmp_path / "photos"
    photos.mkdir()
    with pytest.raises(InputError, match="not a careerbench lake"):
        lake_ingest.ingest_lake(
            LOCAL, str(photos), aijobs_path=str(FIXTURES / "aijobs_malformed.csv")
        )


def test_ingest_command_on_spark_prints_the_reconciliation_and_refuses_bad_input(
    tmp_path: Path,
) -> None:
    target = tmp_path / "lake"
    done = run_cli(
        "ingest", "--engine", "spark", "--spark-master", "local[1]", "--lake", str(target),
        "--aijobs", str(FIXTURES / "aijobs_malformed.csv"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "aijobs" in done.stdout and "read = loaded + quarantined" in done.stdout
    assert "wrote" in done.stdout and "contents fingerprint contents-" in done.stdout
    assert json.loads((target / lake.SCHEMA_FILE).read_text())["quarantined"] == 4
    for args, message in (
        (["--engine", "spark", "--lake", str(target), "--csv", str(tmp_path / "nope.csv")],
         "csv: no file at"),
        (["--engine", "spark"], "lake: the Spark ingest writes a lake; give --lake PATH"),
        (["--lake", str(target)], "lake: a lake is ingested on Spark; add --engine spark"),
    ):  # fmt: skip
        refused = run_cli("ingest", *args, store=tmp_path / "store.duckdb")
        assert refused.returncode == 2, refused.stderr
        assert message in refused.stderr
        assert "Traceback" not in refused.stderr
        assert refused.stderr.count("error:") == 1


# ---- trends and premiums on Spark through the same ibis expressions -----------------------------
def assert_same_answer(found: object, expected: object, where: str = "") -> None:
    """Equal documents; floats equal to floating-point rounding (Spark's exact ``percentile``
    and DuckDB's ``quantile_cont`` both interpolate linearly, summing in their own order)."""
    if isinstance(expected, dict):
        assert isinstance(found, dict) and found.keys() == expected.keys(), where
        for key in expected:
            assert_same_answer(found[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list | tuple):
        assert isinstance(found, list | tuple) and len(found) == len(expected), where
        for i, (a, b) in enumerate(zip(found, expected, strict=True)):
            assert_same_answer(a, b, f"{where}[{i}]")
    elif isinstance(expected, float) and not isinstance(found, int | bool):
        assert found == pytest.approx(expected, rel=1e-9, abs=1e-9), where
    else:
        assert found == expected, where


def test_trends_and_premiums_on_spark_from_the_lake_equal_the_store_answers(
    spark: SparkSession, store: Path, tmp_path: Path
) -> None:
    from dataclasses import asdict

    from careerbench import services
    from careerbench.cohort import parse_cohort
    from careerbench.lake_answers import premiums_on_lake
    from careerbench.premiums import measure_records
    from careerbench.trends import trends

    path = tmp_path / "lake"
    lake.export_store(store, path)
    for role, level in (("ml-engineer", None), ("data-scientist", "senior")):
        cohort = parse_cohort(role=role, level=level, country="US")
        expected = trends(cohort, store=store).to_dict()
        found = services.market_trends(cohort, store=store, engine=LOCAL, lake=str(path))
        assert_same_answer(found.to_dict(), expected)
        assert len(expected["by_year"]) >= 4
        assert expected["ai_premium_by_year"] and expected["postings_by_year"]
    with Store(store) as db:
        measured = [asdict(m) for m in measure_records(db.records())]
    assert_same_answer([asdict(m) for m in premiums_on_lake(LOCAL, str(path))], measured)
    assert all(m["premium"] is not None for m in measured)
    with pytest.raises(InputError, match="add --engine spark"):
        services.market_trends(cohort, store=store, lake=str(path))
