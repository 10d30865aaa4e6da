from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from careerbench import datasets
from careerbench.errors import InputError, InvalidValue, SourceError
from careerbench.ingest import ingest, remove
from careerbench.store import Store
from tests.conftest import FIXTURES, run_cli


def test_every_row_is_loaded_or_quarantined(store: Path) -> None:
    loads = {load.load_key: load for load in datasets.loads(store)}
    assert {"aijobs", "levelsfyi", "reference:bls_oews"} <= set(loads)
    for load in loads.values():
        assert load.rows_read == load.rows_loaded + load.rows_quarantined
    with Store(store) as db:
        counts = dict(
            db.con.execute("SELECT load_key, count(*) FROM records GROUP BY 1").fetchall()
        )
    assert counts["aijobs"] == loads["aijobs"].records
    assert counts["levelsfyi"] == loads["levelsfyi"].records == 600


def test_reingest_is_idempotent_and_quick(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    first = ingest(path, levelsfyi_path=FIXTURES / "levelsfyi_sample.csv")
    assert {load.status for load in first.loads} == {"loaded"}
    with Store(path) as db:
        before = db.con.execute("SELECT count(*), sum(total_comp) FROM records").fetchall()
        fingerprint = db.fingerprint()
    second = ingest(path, levelsfyi_path=FIXTURES / "levelsfyi_sample.csv")
    assert {load.status for load in second.loads} == {"unchanged"}
    with Store(path) as db:
        assert db.con.execute("SELECT count(*), sum(total_comp) FROM records").fetchall() == before
        assert db.fingerprint() == fingerprint
    # A Levels.fyi load is checked again from its path even when not named; removing a load
    # takes its records and quarantine with it.
    third = ingest(path)
    assert [(load.load_key, load.status) for load in third.loads] == [
        ("aijobs", "unchanged"),
        ("levelsfyi", "unchanged"),
    ]
    assert remove("levelsfyi", path)
    with Store(path) as db:
        assert db.con.execute(
            "SELECT count(*) FROM records WHERE load_key='levelsfyi'"
        ).fetchall() == [(0,)]


def test_a_failed_load_leaves_the_previous_store_intact(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    ingest(path)
    with Store(path) as db:
        before = db.con.execute("SELECT count(*) FROM records").fetchall()
    # The delete of the old rows succeeds, then the insert fails half-way: nothing may change.
    bad_records = pa.table({"source": ["aijobs"], "total_comp": ["not a number"]})
    with Store(path, read_only=False) as db, pytest.raises(duckdb.Error):
        db.replace_load(
            load_key="aijobs", source="aijobs", origin="test", content_hash="x",
            records=bad_records, quarantine=pa.table({"source": ["aijobs"]}),
            rows_read=1, rows_loaded=1, version="test",
        )  # fmt: skip
    with Store(path) as db:
        assert db.con.execute("SELECT count(*) FROM records").fetchall() == before
        assert db.content_hash("aijobs") != "x"


def test_quarantine_is_visible_by_reason(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    ingest(path, levelsfyi_path=FIXTURES / "levelsfyi_malformed.csv")
    summary = datasets.quarantine_summary(path, source="levelsfyi")
    assert sum(entry.rows for entry in summary) == 6
    assert {e.reason for e in summary} >= {"empty title", "totalyearlycompensation is not a number"}


def test_missing_levelsfyi_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no file at"):
        ingest(tmp_path / "s.duckdb", levelsfyi_path=tmp_path / "missing.csv")


def test_user_csv_with_a_mapping(tmp_path: Path) -> None:
    data = tmp_path / "mine.csv"
    data.write_text(
        "Year,Job,Employer,Where,TC,Currency\n"
        '2025,Senior Machine Learning Engineer,Google,"Mountain View, CA",420000,USD\n'
        '2025,Research Scientist,Anthropic,"San Francisco, CA",560000,USD\n'
        '2025,Data Scientist,Acme,"Austin, TX",150000,EUR\n'
        '20x5,Data Scientist,Acme,"Austin, TX",150000,USD\n'
        '2024,AI Engineer,Acme,"Austin, TX",999,USD\n'
    )
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "columns:\n  Year: year\n  Job: title\n  Employer: company\n  Where: location\n"
        "  TC: total_comp\n  Currency: currency\n"
    )
    path = tmp_path / "s.duckdb"
    report = ingest(path, csv_paths=[data], csv_mapping=mapping)
    load = next(x for x in report.loads if x.source == "csv")
    assert (load.rows_read, load.rows_loaded, load.rows_quarantined) == (5, 2, 3)
    with Store(path) as db:
        rows = db.con.execute(
            "SELECT role_family, level, company, tier, metro_code FROM records "
            "WHERE source = 'csv' ORDER BY total_comp"
        ).fetchall()
    assert rows[0][:3] == ("ml-engineer", "senior", "Google")
    assert rows[0][4] == "41940"
    assert rows[1][0] == "research-scientist" and rows[1][3] == "frontier-lab"
    reasons = {e.reason for e in datasets.quarantine_summary(path, source="csv")}
    assert "currency: amounts in EUR; convert to USD first" in reasons
    assert "year: not a year from 2000 to 2100" in reasons


def test_an_unreadable_input_is_a_clear_error_before_the_store_is_touched(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with pytest.raises(SourceError, match=r"csv: no file at .*nope.csv; give --csv the path"):
        ingest(path, csv_paths=[tmp_path / "nope.csv"])
    with pytest.raises(SourceError, match=r"aijobs: .* is a directory, not a file"):
        ingest(path, aijobs_path=tmp_path)
    with pytest.raises(InputError, match="mapping: no file at"):
        ingest(path, csv_paths=[FIXTURES / "aijobs_sample.csv"], csv_mapping=tmp_path / "m.yaml")
    assert not path.exists()


def test_an_empty_csv_says_it_has_no_header(tmp_path: Path) -> None:
    blank = tmp_path / "blank.csv"
    blank.write_text("\n\n\n")
    with pytest.raises(SourceError, match="holds no header row"):
        ingest(tmp_path / "s.duckdb", csv_paths=[blank])


def test_removing_a_load_the_store_does_not_hold_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    ingest(path, aijobs_path=FIXTURES / "aijobs_sample.csv")
    with pytest.raises(InvalidValue, match="did you mean 'aijobs'"):
        remove("aijob", path)
    assert remove("aijobs", path)
    # A store left without records answers "no data point", as an empty cohort does.
    asked = run_cli("benchmark", "--role", "ml-engineer", store=path)
    assert asked.returncode == 0, asked.stderr
    assert "no total comp data point" in " ".join(asked.stdout.split())


def test_a_header_naming_a_column_twice_is_rejected(tmp_path: Path) -> None:
    data = tmp_path / "twice.csv"
    data.write_text("year,title,total_comp,total_comp\n2025,ML Engineer,200000,250000\n")
    with pytest.raises(SourceError, match="names the column\\(s\\) 'total_comp' more than once"):
        ingest(tmp_path / "s.duckdb", csv_paths=[data])


def test_malformed_rows_are_quarantined_with_their_reason(tmp_path: Path) -> None:
    data = tmp_path / "rows.csv"
    huge = "Engineer " * 200_000  # one 1.8 MB field
    data.write_text(
        "year,title,total_comp\n"
        "2025,ML Engineer,200000,oops\n"  # a field too many: not shifted, quarantined
        "2024.7,ML Engineer,200000\n"
        "2e3,ML Engineer,200000\n"
        "2025,ML\0 Engineer,210000\n"  # a NUL is dropped
        "2025.0,AI Engineer,190000\n"
        f"2025,{huge},200000\n"
    )
    path = tmp_path / "s.duckdb"
    report = ingest(path, aijobs_path=FIXTURES / "aijobs_sample.csv", csv_paths=[data])
    load = next(x for x in report.loads if x.source == "csv")
    assert (load.rows_read, load.rows_loaded, load.rows_quarantined) == (6, 2, 4)
    reasons = {
        row: e.reason
        for e in datasets.quarantine_summary(path, source="csv", examples=10)
        for row in e.example_rows
    }
    assert reasons == {
        1: "4 fields, header has 3",
        2: "year: not a whole year",
        3: "year: not a whole year",
        6: f"title: {len(huge):,} characters, at most 1,000",
    }
    with Store(path) as db:
        titles = db.con.execute(
            "SELECT raw_title, observed_year FROM records WHERE source = 'csv' ORDER BY 1"
        ).fetchall()
        longest = db.con.execute("SELECT max(length(raw)) FROM quarantine").fetchall()[0][0]
    assert titles == [("AI Engineer", 2025), ("ML Engineer", 2025)]
    assert longest < 2_000  # the huge field is not kept whole


def test_every_source_quarantines_a_row_that_does_not_fit_its_header(tmp_path: Path) -> None:
    lines = (FIXTURES / "levelsfyi_sample.csv").read_text().splitlines()
    lines[1] += ",one too many"
    lines[2] = lines[2].replace("Software Engineer", "Software Engineer " * 200, 1)
    levels = tmp_path / "levels.csv"
    levels.write_text("\n".join(lines[:11]) + "\n")
    posts = (FIXTURES / "postings_sample.csv").read_text().splitlines()
    posts[1] += ",x"
    postings = tmp_path / "postings.csv"
    postings.write_text("\n".join(posts[:6]) + "\n")
    path = tmp_path / "s.duckdb"
    ingest(
        path,
        aijobs_path=FIXTURES / "aijobs_sample.csv",
        levelsfyi_path=levels,
        postings_paths=[postings],
    )
    with Store(path) as db:
        rows = db.con.execute(
            "SELECT source, source_row, reason FROM quarantine ORDER BY 1, 2"
        ).fetchall()
    header = len(lines[0].split(","))
    assert ("levelsfyi", 1, f"{header + 1} fields, header has {header}") in rows
    assert ("levelsfyi", 2, "title: 3,600 characters, at most 1,000") in rows
    assert ("postings", 1, "11 fields, header has 10") in rows
