"""The command line as a user runs it: a real process, real store, exit codes and output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from careerbench import services
from careerbench.cohort import parse_cohort
from tests.conftest import FIXTURES
from tests.conftest import run_cli as run


def test_benchmark_json_document(store: Path) -> None:
    done = run("benchmark", "--role", "ml-engineer", "--level", "senior", "--country", "US",
               "--tc", "200000", "--json", store=store)  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    cohort = parse_cohort(role="ml-engineer", level="senior", country="US")
    expected = services.where_i_stand(cohort, tc=200_000, store=store).to_dict()
    assert doc == json.loads(json.dumps(expected))
    answer = doc["answer"]
    assert doc["measure"] == answer["measure"] == "total_comp" and doc["pay"] == 200_000
    assert answer["answered_by"] == "exact cohort" and answer["exact"]["n"] >= 20
    assert answer["quantiles"]["p50"] > 100_000
    assert answer["profile"]["role"] == "ml-engineer"
    assert 0 <= doc["percentile"] <= 100 and doc["verdict"]["rule"]["source"]
    assert doc["headline"].startswith("Your total comp $200,000 is at about the")


def test_benchmark_table_names_units_and_sources(store: Path) -> None:
    # Without the pay model, the relaxed cohort answers (the exact cohort is thin).
    done = run("benchmark", "--role", "data-scientist", "--level", "senior", "--metro",
               "San Francisco", "--tc", "150000", "--model", "never", store=store)  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert "(pay index)" in text and "Levels.fyi data points" in text
    assert "BLS" in text
    assert "percentile" in text
    assert "exact cohort" in text and "cohort relaxed: metro" in text
    cpi = run("benchmark", "--role", "data-scientist", "--level", "senior", "--country", "US",
              "--basis", "cpi", "--year", "2020", "--json", store=store)  # fmt: skip
    assert cpi.returncode == 0, cpi.stderr
    answer = json.loads(cpi.stdout)["answer"]
    assert (answer["year"], answer["basis"]) == (2020, "USD of 2020 (CPI-U)")


def test_total_comp_is_never_ranked_among_base_salaries(store: Path) -> None:
    """aijobs.net postings are base salary: a total comp asked about a role only they report
    has no answer, and the base salaries are shown beside it as context, unranked."""
    done = run("benchmark", "--role", "ai-engineer", "--level", "senior", "--country", "US",
               "--tc", "250000", "--json", store=store)  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["measure"] == "total_comp" and doc["answer"]["answered_by"] == "no data"
    assert doc["percentile"] is None and doc["verdict"] is None
    assert doc["answer"]["quantiles"] is None
    context = doc["context"]
    assert context["measure"] == "base" and context["quantiles"]["p50"] > 0
    assert set(context["exact"]["sources"]) == {"aijobs"}
    assert "cannot be placed" in doc["headline"] and "give your base salary" in doc["headline"]
    by_base = run("benchmark", "--role", "ai-engineer", "--level", "senior", "--country", "US",
                  "--base", "250000", "--json", store=store)  # fmt: skip
    placed = json.loads(by_base.stdout)
    assert placed["measure"] == "base" and placed["context"] is None
    assert placed["percentile"] is not None and placed["percentile"] > 50


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
        (["benchmark", "--basis", "gdp"], "basis: unknown value 'gdp'"),
        (["benchmark", "--measure", "salary"], "measure: unknown value 'salary'"),
        (["benchmark", "--year", "1990"], "year: 1990 is not a year"),
        (["benchmark", "--tc", "200000", "--base", "150000"], "not both"),
        # CPI-U is a basis now (--basis cpi --year YEAR), not a currency year of its own.
        (["benchmark", "--currency-year", "2020"], "No such option: --currency-year"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(
    store: Path, args: list[str], needle: str
) -> None:
    done = run(*args, store=store)
    assert done.returncode == 2
    assert needle in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_an_unknown_model_policy_is_a_user_error(store: Path) -> None:
    done = run("benchmark", "--role", "ml-engineer", "--model", "sometimes", store=store)
    assert "Traceback" not in done.stderr
    assert done.returncode == 2
    assert "model: unknown value 'sometimes'" in " ".join(done.stderr.split())


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


@pytest.mark.parametrize(
    ("case", "option", "expected"),
    [
        ("missing csv", "--csv", "no file at"),
        ("directory csv", "--csv", "is a directory"),
        ("empty csv", "--csv", "holds no header row"),
        ("blank-lines csv", "--csv", "holds no header row"),
        ("missing aijobs", "--aijobs", "no file at"),
        ("missing mapping", "--mapping", "no file at"),
        ("directory mapping", "--mapping", "is a directory"),
        ("missing postings", "--postings", "no file at"),
    ],
)
def test_ingest_of_an_unreadable_input_names_the_option(
    tmp_path: Path, case: str, option: str, expected: str
) -> None:
    good = tmp_path / "mine.csv"
    good.write_text("year,title,total_comp\n2025,ML Engineer,200000\n")
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "blank.csv").write_text("\n\n  \n\n")
    (tmp_path / "folder").mkdir()
    given = {
        "missing csv": ["--csv", str(tmp_path / "nope.csv")],
        "directory csv": ["--csv", str(tmp_path / "folder")],
        "empty csv": ["--csv", str(tmp_path / "empty.csv")],
        "blank-lines csv": ["--csv", str(tmp_path / "blank.csv")],
        "missing aijobs": ["--aijobs", str(tmp_path / "nope.csv")],
        "missing mapping": ["--csv", str(good), "--mapping", str(tmp_path / "nope.yaml")],
        "directory mapping": ["--csv", str(good), "--mapping", str(tmp_path / "folder")],
        "missing postings": ["--postings", str(tmp_path / "nope.csv")],
    }[case]
    aijobs = [] if case == "missing aijobs" else ["--aijobs", str(FIXTURES / "aijobs_sample.csv")]
    done = run("ingest", *aijobs, *given, store=tmp_path / "s.duckdb")
    assert "Traceback" not in done.stderr
    assert done.returncode == 2, done.stderr
    message = " ".join(done.stderr.split())
    assert expected in message and option.lstrip("-") in message
    if expected != "holds no header row":
        assert f"give {option} the path of" in message


def test_ingest_remove_of_an_unknown_load_fails(store: Path) -> None:
    done = run("ingest", "--remove", "aijob", store=store)
    assert "Traceback" not in done.stderr
    assert done.returncode == 2
    message = " ".join(done.stderr.split())
    assert "remove: unknown value 'aijob'; did you mean 'aijobs'?" in message
    assert "careerbench sources" in message
