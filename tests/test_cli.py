"""The command line as a user runs it: a real process, real store, exit codes and output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli as run


def test_benchmark_json_document(store: Path) -> None:
    done = run("benchmark", "--role", "ml-engineer", "--level", "senior", "--country", "US",
               "--tc", "200000", "--json", store=store)  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["n"] >= 20 and doc["total_comp"]["p50"] > 100_000
    assert doc["filters"]["role"] == "ml-engineer"
    assert 0 <= doc["percentile"] <= 100
    assert doc["verdict"]["rule"]["source"]


def test_benchmark_table_names_units_and_sources(store: Path) -> None:
    done = run("benchmark", "--role", "data-scientist", "--level", "senior", "--metro",
               "San Francisco", "--tc", "150000", store=store)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "CPI-U adjusted" in done.stdout
    assert "BLS" in done.stdout
    assert "percentile" in done.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["benchmark", "--role", "ml-enginer"], "ml-engineer"),
        (["benchmark", "--level", "seniour"], "senior"),
        (["benchmark", "--tier", "faang"], "tier"),
        (["benchmark", "--state", "Califrnia"], "CA"),
        (["benchmark", "--years", "lots"], "years"),
        (["benchmark", "--tc", "lots"], "--tc"),
        (["benchmark", "--rol", "ml-engineer"], "--role"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(
    store: Path, args: list[str], needle: str
) -> None:
    done = run(*args, store=store)
    assert done.returncode == 2
    assert needle in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_missing_store_says_what_to_do(tmp_path: Path) -> None:
    done = run("benchmark", "--role", "ml-engineer", store=tmp_path / "none.duckdb")
    assert done.returncode == 2
    assert "careerbench ingest" in done.stderr


def test_quarantine_and_titles_commands(store: Path) -> None:
    done = run("titles", "--unmapped", "--json", store=store)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert all(row["role_family"] == "other" for row in rows)
    done = run("quarantine", "--json", store=store)
    assert done.returncode == 0, done.stderr
    assert isinstance(json.loads(done.stdout), list)
