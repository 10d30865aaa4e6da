"""The store's queries are ibis expressions: the same code runs on another engine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ibis
import pytest
from fastapi.testclient import TestClient

from careerbench import inflation, pay_index
from careerbench import store as store_module
from careerbench.api.app import create_app
from careerbench.benchmark import PROBABILITIES
from careerbench.cohort_index import cohort_index
from careerbench.errors import StoreError
from careerbench.ingest import ingest
from careerbench.store import ContentsMemo, Store, count
from tests.conftest import FIXTURES, run_cli


def test_cohort_quantiles_agree_on_duckdb_and_polars(store: Path) -> None:
    year = inflation.latest_year()
    filters = {"role_family": "data-scientist", "country": "US", "observed_year": (2024, None)}
    with Store(store) as db:
        duck = store_module.quantiles(
            store_module.cohort(db.records(), filters), "total_comp", PROBABILITIES, year
        )
        duck_row = duck.to_pyarrow().to_pylist()[0]
        records = db.records().select("role_family", "country", "observed_year", "total_comp")
        arrow = records.to_pyarrow()
    polars = ibis.polars.connect()
    polars.create_table("records", arrow)
    other = store_module.quantiles(
        store_module.cohort(polars.table("records"), filters), "total_comp", PROBABILITIES, year
    )
    other_row = other.to_pyarrow().to_pylist()[0]
    assert duck_row["n"] == other_row["n"] > 1000
    assert store_module.quantile_values(duck_row, PROBABILITIES) == pytest.approx(
        store_module.quantile_values(other_row, PROBABILITIES), rel=1e-9
    )


def test_a_missing_store_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="careerbench ingest"):
        Store(tmp_path / "missing.duckdb")


def test_real_dollars_follow_cpi(store: Path) -> None:
    with Store(store) as db:
        records = db.records()
        one = records.filter(records.observed_year == 2020).limit(1)
        row = one.select(
            nominal=one.total_comp, real=store_module.real_dollars(one, "total_comp", 2025)
        ).to_pyarrow()
    nominal, real = row.column("nominal")[0].as_py(), row.column("real")[0].as_py()
    assert real == pytest.approx(nominal * inflation.factor(2020, 2025))


def damaged_copies(store: Path, folder: Path) -> list[Path]:
    """Copies of ``store`` cut short (to half, to a tenth) and with bytes flipped at several
    places (the header, the catalog, the middle, near the end)."""
    data = store.read_bytes()
    copies = []
    for fraction in (0.5, 0.1):
        path = folder / f"cut-{fraction}.duckdb"
        path.write_bytes(data[: int(len(data) * fraction)])
        copies.append(path)
    for offset in (0, 4096 + 64, 3 * 4096 + 64, len(data) // 3, len(data) // 2, len(data) - 5000):
        flipped = bytearray(data)
        for i in range(offset, min(offset + 64, len(data))):
            flipped[i] ^= 0x5A
        path = folder / f"flip-{offset}.duckdb"
        path.write_bytes(bytes(flipped))
        copies.append(path)
    return copies


def read_everything(path: Path) -> None:
    with Store(path) as db:
        db.loads()
        db.con.execute("SELECT * FROM records").fetchall()
        db.con.execute("SELECT * FROM quarantine").fetchall()


def test_a_damaged_store_is_named_with_the_fix(store: Path, tmp_path: Path) -> None:
    damaged = 0
    for path in damaged_copies(store, tmp_path):
        try:
            read_everything(path)
        except StoreError as exc:
            message = str(exc)
            assert f"the store {path} is damaged" in message, message
            assert "careerbench ingest" in message and "another careerbench" not in message
            damaged += 1
    # Both cuts and the flips that hit a used block are found (a flip in free space is not):
    # none is a bare DuckDB error.
    assert damaged >= 3


def test_the_cli_says_a_store_is_damaged_without_a_traceback(store: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.duckdb"
    cut.write_bytes(store.read_bytes()[: store.stat().st_size // 2])
    for command in (["sources"], ["benchmark", "--role", "ml-engineer"], ["ingest"]):
        done = run_cli(*command, store=cut)
        assert "Traceback" not in done.stderr
        assert done.returncode == 2, done.stderr
        message = " ".join(done.stderr.split())
        assert f"the store {cut} is damaged" in message and "careerbench ingest" in message


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="no /sys, a folder nobody may write")
def test_a_store_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    path = Path("/sys/careerbench-store.duckdb")
    with pytest.raises(StoreError, match="cannot be written") as raised:
        Store(path, read_only=False)
    assert str(path) in str(raised.value) and "another careerbench" not in str(raised.value)
    assert "--store" in str(raised.value)


def test_a_store_held_by_another_process_is_a_503_without_paths_or_pids(
    store: Path, tmp_path: Path
) -> None:
    held = tmp_path / "held.duckdb"
    held.write_bytes(store.read_bytes())
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(held)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(StoreError, match="is in use") as raised:
            Store(held)
        assert "PID" not in str(raised.value) and str(holder.pid) not in str(raised.value)
        response = TestClient(create_app(held)).get("/api/sources")
    finally:
        holder.kill()
        holder.wait()
    assert response.status_code == 503
    body = response.text
    assert "held.duckdb" in body and "is in use" in body
    for private in (str(tmp_path), sys.executable, "PID", str(holder.pid)):
        assert private not in body


def test_a_damaged_store_is_a_503_naming_only_the_file(store: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.duckdb"
    cut.write_bytes(store.read_bytes()[: store.stat().st_size // 2])
    response = TestClient(create_app(cut)).get("/api/sources")
    assert response.status_code == 503
    assert "cut.duckdb is damaged" in response.text and str(tmp_path) not in response.text


#: A process that holds a store open for writing until it is killed.
HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(120)
"""


def test_caches_of_earlier_contents_are_pruned(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    mine = tmp_path / "mine.csv"
    mine.write_text("year,title,total_comp\n2025,ML Engineer,200000\n")
    cache = tmp_path / "s.duckdb.cache"
    fingerprints = []
    for extra in ([], [mine]):
        ingest(path, csv_paths=extra)
        basis = pay_index.basis_for(path)
        with Store(path) as db:
            cohort_index(db, basis)
            cohort_index(db, inflation_basis(path))
            fingerprints.append(db.fingerprint())
        names = sorted(p.name for p in cache.iterdir())
        assert all(f"-{fingerprints[-1]}-" in name for name in names), names
        assert [n.split("-")[0] for n in names] == ["cohort", "cohort", "pay"]
    assert fingerprints[0] != fingerprints[1]


def inflation_basis(path: Path) -> pay_index.Basis:
    return pay_index.basis_for(path, "cpi")


def test_a_contents_memo_keeps_an_answer_while_the_store_is_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    ingest(path, aijobs_path=FIXTURES / "aijobs_sample.csv")
    memo: ContentsMemo[int] = ContentsMemo(entries=2)
    computed: list[str] = []

    def records(key: str) -> int:
        computed.append(key)
        with Store(path) as db:
            return count(db.records())

    first = memo.get(path, "a", lambda: records("a"))
    assert memo.get(path, "a", lambda: records("a")) == first and computed == ["a"]
    ingest(path, levelsfyi_path=FIXTURES / "levelsfyi_sample.csv")  # the store's file changes
    assert memo.get(path, "a", lambda: records("a")) > first and computed == ["a", "a"]
    memo.get(path, "b", lambda: records("b"))
    memo.get(path, "c", lambda: records("c"))  # bounded: the oldest ("a") is dropped
    memo.get(path, "a", lambda: records("a"))
    assert computed == ["a", "a", "b", "c", "a"]
