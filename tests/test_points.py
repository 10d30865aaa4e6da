"""Your own data points: read with the sources' knowledge, answered beside the market, by every
face.

The main fixture is 25 real Levels.fyi rows (data scientists in the Seattle area, 2020) in the
shape of a table copied from a spreadsheet: tab-separated, a title line above, a source line
below, amounts written in several ways and a column careerbench does not read.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from careerbench.api.app import create_app
from careerbench.errors import InputError
from careerbench.market import market_answer, position_of
from careerbench.pay_index import basis_for
from careerbench.points import answer_points, choose_cohort, percentile_among, set_statistics
from careerbench.points_table import (
    MAX_ROWS,
    _Problem,
    column_names,
    parse_amount,
    read_header,
    read_points,
)
from careerbench.sources import levelsfyi
from careerbench.store import Store
from tests.conftest import CLI, FIXTURES, SHARED_LEVELSFYI, run_cli

POINTS = FIXTURES / "points_levelsfyi.tsv"
TEXT = POINTS.read_text(encoding="utf-8")
#: The Levels.fyi rows the fixture was cut from (``rowNumber``), in order.
ROW_NUMBERS = [
    19554, 19571, 20124, 20320, 20612, 20717, 20776, 20881, 21084, 21209, 21353, 21407, 21446,
    21631, 22379, 23815, 23896, 24111, 24340, 24632, 24797, 24858, 25071, 25073, 25120,
]  # fmt: skip
HEADER = "Company\tTitle\tLevel\tLocation\tTC\tBase\tYear"


def same(document: object, expected: object) -> bool:
    """Equal documents, floats to a millionth: a pay index read back from its cache file is
    rounded to six decimals, so another process may hold it a millionth apart."""
    if isinstance(expected, dict):
        return (
            isinstance(document, dict)
            and document.keys() == expected.keys()
            and all(same(document[k], v) for k, v in expected.items())
        )
    if isinstance(expected, list):
        return (
            isinstance(document, list)
            and len(document) == len(expected)
            and all(same(d, e) for d, e in zip(document, expected, strict=True))
        )
    if isinstance(expected, float) and isinstance(document, int | float):
        return document == pytest.approx(expected, rel=1e-5)
    return document == expected


def table(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def five() -> list[str]:
    """Five ordinary rows (ML engineers, Google, Seattle, 2025), to which a test adds its own."""
    pays = ["$250,000", "$260,000", "$270,000", "$280,000", "$290,000"]
    return [f"Google\tML Engineer\tL4\tSeattle, WA\t{p}\t$180,000\t2025" for p in pays]


@pytest.fixture(scope="module")
def client(store: Path) -> TestClient:
    return TestClient(create_app(store))


# ---- reading real rows ---------------------------------------------------------------------
def test_real_rows_are_each_understood_and_the_lines_around_the_table_skipped() -> None:
    reading = read_points(TEXT, today=2026)
    assert (reading.rows, len(reading.points), len(reading.rejected)) == (25, 25, 0)
    assert [s.line for s in reading.skipped] == [1, 30]
    assert reading.separator == "\t"
    fields = {c.header: c.field for c in reading.columns}
    assert fields == {
        "Company": "company", "Title": "title", "Level": "level", "Location": "location",
        "Total Compensation": "total_comp", "Base Salary": "base", "Yrs exp": "years_experience",
        "Date": "year", "Tag": None,
    }  # fmt: skip
    tag = next(c for c in reading.columns if c.header == "Tag")
    assert "not a column careerbench reads" in tag.note
    first = reading.points[0]
    assert (first.line, first.company, first.tier, first.role) == (
        4, "Amazon", "big-tech", "data-scientist",
    )  # fmt: skip
    assert (first.level, first.level_how) == ("staff", "ladder")  # Amazon L7 on its ladder
    assert first.place is not None and first.place.metro_code == "42660"
    assert (first.year, first.year_given) == (2020, True)
    assert (first.total_comp, first.base) == (500_000, 180_000)  # "$500,000" and "180k"
    odd = next(p for p in reading.points if p.line == 19)  # Amazon "L 4": no ladder reads it
    assert odd.level == "entry" and odd.level_how == "experience"
    assert "level: 'L 4'" in odd.notes[0]


@pytest.mark.fulldata
def test_points_are_normalized_as_the_levelsfyi_source_normalizes_the_same_rows(
    tmp_path: Path,
) -> None:
    """No second copy of any rule: the original rows through the Levels.fyi adapter give the
    same company, tier, role, level, metro, year and pay as the pasted table."""
    raw = pd.read_csv(SHARED_LEVELSFYI, dtype=str, keep_default_na=False)
    rows = raw[raw["rowNumber"].isin([str(n) for n in ROW_NUMBERS])]
    assert len(rows) == 25
    path = tmp_path / "rows.csv"
    rows.to_csv(path, index=False)
    records = levelsfyi.adapt(path).records.to_pandas()
    records = records.set_index(records["source_id"].str.removeprefix("row-").astype(int))
    for number, point in zip(ROW_NUMBERS, read_points(TEXT).points, strict=True):
        record = records.loc[number]
        assert point.place is not None
        ours = (
            point.company, point.tier, point.role, point.level, point.place.metro_code,
            point.year, point.total_comp, point.base,
        )  # fmt: skip
        theirs = (
            record["company"], record["tier"], record["role_family"], record["level"],
            record["metro_code"], record["observed_year"], record["total_comp"], record["base"],
        )  # fmt: skip
        assert ours == theirs, number


@pytest.mark.parametrize("separator", [",", ";", "|", "  "])
def test_every_table_shape_reads_the_same(separator: str) -> None:
    rows = [line.split("\t") for line in TEXT.splitlines()[2:28]]
    if separator == ",":
        shaped = [",".join(f'"{c}"' if "," in c else c for c in row) for row in rows]
    elif separator == "|":
        shaped = ["| " + " | ".join(row) + " |" for row in rows]
        shaped.insert(1, "|" + "---|" * len(rows[0]))
    else:
        shaped = [separator.join(row) for row in rows]
    reading = read_points("\n".join(shaped), today=2026)
    expected = read_points(TEXT, today=2026)
    assert [p.to_dict() | {"line": 0} for p in reading.points] == [
        p.to_dict() | {"line": 0} for p in expected.points
    ]
    assert not reading.rejected


@pytest.mark.parametrize(
    ("text", "value", "currency", "unit"),
    [
        ("$250,000", 250_000, "USD", None),
        ("250k", 250_000, None, None),
        ("$250K", 250_000, "USD", None),
        ("1.2M", 1_200_000, None, None),
        ("250,000 USD", 250_000, "USD", None),
        ("250 000", 250_000, None, None),
        ("$180K - $220K", 200_000, "USD", None),
        ("180-220k", 200_000, None, None),
        ("€90,000", 90_000, "EUR", None),
        ("CA$150k", 150_000, "CAD", None),
        ("$85/hr", 85, "USD", "hourly"),
        ("15k per month", 15_000, None, "monthly"),
    ],
)
def test_amounts_as_people_write_them(
    text: str, value: float, currency: str | None, unit: str | None
) -> None:
    amount = parse_amount(text)
    assert (amount.value, amount.currency, amount.unit) == (value, currency, unit)


@pytest.mark.parametrize("text", ["about", "250.000", "-5000", "$250k €", "12 apples"])
def test_what_is_not_an_amount_says_so(text: str) -> None:
    with pytest.raises(_Problem):
        parse_amount(text)


def test_headers_are_matched_loosely_with_their_currency_and_unit() -> None:
    assert read_header("TC") == ("total_comp", None, 1.0)
    assert read_header("Total Compensation (USD)") == ("total_comp", "USD", 1.0)
    assert read_header("Base Salary ($K)") == ("base", "USD", 1_000.0)
    assert read_header("yr") == ("year", None, 1.0)
    assert read_header("Salary (EUR)") == ("base", "EUR", 1.0)
    assert read_header("Favourite colour") == (None, None, 1.0)
    reading = read_points(table(*five(), header=HEADER.replace("TC", "TC ($K)")).replace(
        "$250,000", "250"), today=2026)  # fmt: skip
    assert reading.points[0].total_comp == 250_000


# ---- bad input: clear messages, nothing lost ------------------------------------------------
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "nothing to read"),
        ("\n  \n\n", "nothing to read"),
        ("250000\n260000\n", "no header row"),
        ("Company\tTitle\nGoogle\tML Engineer\n", "no pay column among 'Company', 'Title'"),
        (table("Google\tML Engineer\tL4\tSeattle, WA\t$250,000\t$180,000\t2025"),
         "1 data point(s) understood of 1 row(s)"),
    ],
)  # fmt: skip
def test_unreadable_input_names_the_field_and_the_fix(store: Path, text: str, message: str) -> None:
    with pytest.raises(InputError) as raised:
        answer_points(text, model="never", store=store)
    assert raised.value.field == "points"
    assert message in str(raised.value)


def test_one_row_says_how_many_points_statistics_need(store: Path) -> None:
    with pytest.raises(InputError, match="at least 5 data points of one measure"):
        answer_points(table(five()[0]), model="never", store=store)


def test_the_year_of_points_without_one_is_not_in_the_future() -> None:
    with pytest.raises(InputError) as raised:
        read_points(TEXT, year=2031, today=2026)
    assert raised.value.field == "year" and "from 2000 to 2026" in str(raised.value)


def test_too_many_rows_or_too_much_text_is_refused() -> None:
    row = "Google\tML Engineer\tL4\tSeattle, WA\t250k\t180k\t2025"
    with pytest.raises(InputError, match=f"more than {MAX_ROWS} rows"):
        read_points(table(*[row] * (MAX_ROWS + 1)))
    with pytest.raises(InputError, match="over 64 KiB"):
        read_points(table(*[row + " " * 200] * 400))


def test_unknown_columns_are_named_and_the_rest_is_read(store: Path) -> None:
    text = table(*(f"{r}\tblue" for r in five()), header=HEADER + "\tFavourite colour")
    answer = answer_points(text, model="never", store=store, today=2026)
    ignored = [c for c in answer.reading.columns if c.field is None]
    assert [c.header for c in ignored] == ["Favourite colour"]
    assert answer.measures["total_comp"].statistics.n == 5


def test_mixed_currencies_reject_the_rows_not_in_dollars_and_convert_nothing(
    store: Path,
) -> None:
    rows = [
        *five(),
        "SAP\tData Scientist\t\tBerlin, Germany\t€120,000\t€95,000\t2025",
        "Revolut\tML Engineer\t\tLondon, UK\t£130k\t£100k\t2025",
        "Shopify\tML Engineer\t\tToronto, Canada\tCA$200k\tCA$170k\t2025",
        "Acme\tML Engineer\t\tSeattle, WA\t$210,000 EUR\t\t2025",
    ]
    answer = answer_points(table(*rows), model="never", store=store, today=2026)
    reading = answer.reading
    assert reading.rows == 9 == len(reading.points) + len(reading.rejected)
    reasons = {r.line: r.reason for r in reading.rejected}
    assert "is in EUR; careerbench holds no exchange rates and converts nothing" in reasons[7]
    assert "is in GBP" in reasons[8] and "is in CAD" in reasons[9]
    assert "names two currencies (USD and EUR)" in reasons[10]
    stats = answer.measures["total_comp"].statistics
    assert stats.n == 5 and stats.quantiles["p50"] == pytest.approx(
        270_000 * basis_for(store, year=2026).factor(2025)
    )


def test_a_currency_column_rejects_its_other_currencies() -> None:
    header = HEADER + "\tCurrency"
    plain = "Google\tML Engineer\tL4\tSeattle, WA\t250k\t180k\t2025"
    rows = [f"{r}\tUSD" for r in five()]
    rows += [f"{plain}\tEUR", f"{five()[0]}\tEUR", f"{plain}\tXYZ", f"{plain}\t$"]
    reading = read_points(table(*rows, header=header), today=2026)
    reasons = [r.reason for r in reading.rejected]
    assert len(reading.points) == 6 and len(reasons) == 3
    assert reasons[0].startswith("total comp: '250k' is in EUR; careerbench holds no exchange")
    assert "'$250,000' is in USD but the currency column says EUR" in reasons[1]
    assert "currency: 'XYZ' is not a currency code" in reasons[2]


@pytest.mark.parametrize(
    ("tc", "base", "reason"),
    [
        ("$500", "", "total comp: $500 is below $1,000 a year: an hourly rate, or thousands"),
        ("$50,000,000", "", "above $20,000,000 a year, not one person's annual pay"),
        ("$85/hr", "", "is an hourly rate; give annual pay (full time: $85 x 2,080 hours = "
         "$176,800 a year)"),
        ("$21,000 a month", "", "is a monthly figure; give annual pay (x 12 = $252,000)"),
        ("21000", "15000", "total comp: $21,000 looks monthly beside the other points (their "
         "median $265,000; x 12 = $252,000): give annual pay"),
        ("", "15000", "base salary: $15,000 looks monthly beside the other points (their "
         "median $180,000; x 12 = $180,000)"),
        ("$170,000", "$180,000", "total comp $170,000 is below base $180,000"),
        ("lots", "", "total comp: 'lots' is not an amount; write an annual amount such as "
         "250000"),
    ],
)  # fmt: skip
def test_absurd_hourly_and_monthly_pay_is_rejected_with_its_own_reason(
    tc: str, base: str, reason: str
) -> None:
    row = f"Google\tML Engineer\tL4\tSeattle, WA\t{tc}\t{base}\t2025"
    reading = read_points(table(*five(), row), today=2026)
    assert len(reading.points) == 5 and len(reading.rejected) == 1
    assert reading.rejected[0].line == 7
    assert reason in reading.rejected[0].reason


def test_rows_of_another_shape_and_bad_years_are_rejected_not_lost() -> None:
    text = "\n".join(
        [
            "Company,Title,Level,Location,TC,Base,Year",
            *(
                f'Google,ML Engineer,L4,"Seattle, WA","${k},000",180k,2025'
                for k in range(250, 300, 10)
            ),
            "Google,ML Engineer,L4,Seattle,$250,000,$180,000,2025",
            "Google,ML Engineer,L4,Seattle,250k,180k,1999",
            "Google,ML Engineer,L4,Seattle,250k,180k,2031",
            "Google,ML Engineer,L4,Seattle,250k,180k,last year",
            "Google,ML Engineer,L4,Seattle,,,2025",
            "Thanks to everyone who shared their numbers!",
        ]
    )
    reading = read_points(text, today=2026)
    assert reading.rows == 10 and len(reading.points) == 5
    assert [s.line for s in reading.skipped] == [12]
    reasons = [r.reason for r in reading.rejected]
    assert reasons[0].startswith("9 cells where the header has 7: a comma inside an amount?")
    assert "before 2000" in reasons[1] and "after this year (2026)" in reasons[2]
    assert "names no year" in reasons[3] and reasons[4].startswith("no pay")


def test_fields_not_understood_are_said_beside_a_row_that_still_counts() -> None:
    rows = [*five(), "Initech\tSynergy Ninja\tBand 7\tAtlantis\t$250,000\t$180,000\t"]
    reading = read_points(table(*rows), today=2026)
    point = reading.points[-1]
    assert (point.role, point.level, point.place, point.year) == ("other", None, None, 2026)
    assert point.year_given is False and point.tier == "unknown"
    notes = " | ".join(point.notes)
    assert "names no role family" in notes and "level: 'Band 7'" in notes
    assert "place: unknown value 'Atlantis'" in notes
    assert "1 point(s) name no year: taken as 2026" in reading.remarks


CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["$250,000", "250k", "1.2M", "€90k", "$85/hr", "Seattle, WA", "L5", "2024",
                     "Senior ML Engineer", "Google", "-", "", "Remote", "CA$1", "1e9", "NaN"]),
)  # fmt: skip
HEADERS = st.lists(
    st.sampled_from([n for names in column_names().values() for n in names] + ["Notes"]),
    min_size=1,
    max_size=8,
)


@given(
    st.tuples(HEADERS, st.lists(st.lists(CELLS, max_size=9), max_size=12), st.sampled_from("\t,;|"))
)
def test_any_table_is_read_with_every_line_accounted_for_or_refused(
    drawn: tuple[list[str], list[list[str]], str],
) -> None:
    headers, rows, separator = drawn
    lines = [separator.join(headers), *(separator.join(row) for row in rows)]
    try:
        reading = read_points("\n".join(lines), today=2026)
    except InputError as error:
        assert error.field == "points"
        return
    seen = {p.line for p in reading.points} | {r.line for r in reading.rejected}
    seen |= {s.line for s in reading.skipped}
    assert len(seen) == len(reading.points) + len(reading.rejected) + len(reading.skipped)
    text = "\n".join(lines).splitlines()
    unseen = [at + 1 for at, line in enumerate(text) if line.strip() and at + 1 not in seen]
    _header, *rules = unseen  # the header row; then only table rules ("|---|---|")
    assert all(set(text[at - 1]) <= set(" \t:|+=-") for at in rules)
    assert reading.rows == len(reading.points) + len(reading.rejected)
    for point in reading.points:
        assert point.total_comp is not None or point.base is not None


# ---- statistics --------------------------------------------------------------------------
def test_statistics_of_the_real_rows_in_their_own_year(store: Path) -> None:
    """In 2020 dollars the points are as given: the quantiles of the 25 figures."""
    answer = answer_points(TEXT, year=2020, model="never", store=store, today=2026)
    tc, base = answer.measures["total_comp"].statistics, answer.measures["base"].statistics
    assert tc.quantiles == {"p25": 173_000, "p50": 200_000, "p75": 215_000}
    assert base.quantiles == {"p25": 128_000, "p50": 135_000, "p75": 150_000}
    low, high = tc.intervals["p50"]
    assert low < 200_000 < high
    assert answer.factors == {2020: 1.0}


def test_the_bootstrap_is_seeded_and_its_intervals_hold_the_estimate() -> None:
    values = [float(v) for v in np.random.default_rng(3).lognormal(12, 0.3, size=12)]
    years = [2025] * 12
    first = set_statistics("total_comp", values, years, seed=5)
    assert first == set_statistics("total_comp", values, years, seed=5)
    other = set_statistics("total_comp", values, years, seed=6)
    assert other.intervals != first.intervals and other.quantiles == first.quantiles
    for name, (low, high) in first.intervals.items():
        assert low <= first.quantiles[name] <= high
    assert set_statistics("base", values[:4], years[:4]).withheld == (
        "4 point(s) of base salary: statistics need at least 5 (the privacy floor)"
    )


def test_measures_are_never_mixed(store: Path) -> None:
    rows = [r.replace("\t$180,000\t", "\t\t") for r in five()]
    rows += [f"Google\tML Engineer\tL4\tSeattle, WA\t\t${b},000\t2025" for b in (150, 160, 170)]
    answer = answer_points(table(*rows), model="never", store=store, today=2026)
    tc, base = answer.measures["total_comp"], answer.measures["base"]
    assert tc.statistics.n == 5 and base.statistics.n == 3
    assert base.statistics.withheld and base.market is None
    assert tc.market is not None and tc.market.measure == "total_comp"


# ---- the cohort and the market beside the points -------------------------------------------
def test_the_cohort_is_what_most_points_share() -> None:
    choice = choose_cohort(read_points(TEXT, today=2026).points)
    assert choice.cohort is not None
    assert choice.cohort.to_dict() == {
        "role": "data-scientist", "level": "mid", "tier": "big-tech", "country": "US",
        "metro": "42660", "metro_name": "Seattle-Tacoma-Bellevue, WA",
    }  # fmt: skip
    assert "level mid: the most common level (12 of 25 points)" in choice.why
    mixed = [
        "Google\tML Engineer\tL4\tSeattle, WA\t250k\t\t2025",
        "Google\tML Engineer\tL4\tNew York, NY\t260k\t\t2025",
        "Meta\tML Engineer\tE4\tAustin, TX\t270k\t\t2025",
        "Acme AI\tML Engineer\tSenior\tDenver, CO\t280k\t\t2025",
        "Initech\tData Scientist\tSenior\tLondon, UK\t290k\t\t2025",
    ]
    choice = choose_cohort(read_points(table(*mixed), today=2026).points)
    assert choice.cohort is not None
    assert choice.cohort.to_dict() == {
        "role": "ml-engineer", "level": "mid", "tier": "big-tech", "country": "US",
    }  # fmt: skip
    assert "tier big-tech: 3 of 5 points" in choice.why  # Google twice and Meta; no company
    assert "country US: 4 of 5 points" in choice.why
    fewer = [row.replace("Meta", "Initech") for row in mixed]
    choice = choose_cohort(read_points(table(*fewer), today=2026).points)
    assert choice.cohort is not None and choice.cohort.tier is None
    assert (
        "any company: no company or tier is shared by most points (the most: big-tech, 2 of 5)"
        in choice.why
    )
    unknown = [r.replace("ML Engineer", "Synergy Ninja").replace("Data Scientist", "Ninja")
               for r in mixed]  # fmt: skip
    assert choose_cohort(read_points(table(*unknown), today=2026).points).cohort is None


def test_the_market_beside_the_points_is_like_for_like(store: Path) -> None:
    """Same measure, year and basis as market_answer for the chosen cohort; the points
    brought to that year with the store's pay index."""
    answer = answer_points(TEXT, tc=230_000, model="never", store=store, today=2026)
    basis = basis_for(store, "pay-index", year=2026)
    assert answer.factors == {2020: basis.factor(2020)}
    values = [p.total_comp * basis.factor(2020) for p in answer.reading.points if p.total_comp]
    stats = answer.measures["total_comp"].statistics
    assert stats.quantiles["p50"] == pytest.approx(float(np.quantile(values, 0.5)))
    assert answer.choice.cohort is not None
    for measure in ("total_comp", "base"):
        beside = answer.measures[measure].market
        assert beside is not None
        expected = market_answer(
            answer.choice.cohort, measure=measure, year=2026, basis="pay-index",
            pay=230_000 if measure == "total_comp" else None, model="never", store=store,
        )  # fmt: skip
        assert beside.to_dict() == expected.to_dict()
        assert beside.basis == answer.basis == "USD of 2026 (pay index, projected)"
        assert beside.measure == measure and beside.year == 2026
        sentence = answer.measures[measure].sentence
        assert f"Your 25 data points' {beside.words}, of 2020 in {answer.basis}" in sentence
        assert beside.evidence_text() in sentence
    you = answer.you
    assert you is not None and you.among_points == percentile_among(values, 230_000)
    market = answer.measures["total_comp"].market
    assert market is not None
    assert you.in_market == position_of(market, 230_000).percentile
    assert "64th percentile of your 25 data points" in you.headline


# ---- the command line --------------------------------------------------------------------
def test_cli_answers_a_file_as_the_library(store: Path) -> None:
    done = run_cli("points", str(POINTS), "--tc", "230000", "--model", "never", "--json",
                   store=store)  # fmt: skip
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    library = answer_points(TEXT, tc=230_000, model="never", store=store)
    assert same(document, json.loads(json.dumps(library.to_dict())) | {"added": None})


def test_cli_reads_standard_input_and_shows_each_row(store: Path) -> None:
    done = subprocess.run(
        [*CLI, "points", "-", "--base", "140000", "--model", "never"],
        input=TEXT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "CAREERBENCH_STORE": str(store), "COLUMNS": "200"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert "Your base salary $140,000 is at about the" in out
    assert "read 25 rows: 25 understood, 0 rejected" in out
    assert "line 4: Amazon (big-tech); data-scientist; staff (company ladder); Seattle, WA" in out
    assert "Tag: not a column careerbench reads: ignored" in out
    assert "skipped line 30 (not a row): Source: Levels.fyi" in out
    assert "careerbench's cohort: role data-scientist" in out


def test_cli_mistakes_exit_2_without_a_traceback(store: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    for args, message in (
        ([str(empty)], "points: nothing to read"),
        ([str(tmp_path / "missing.csv")], "file: no file at"),
        ([str(POINTS), "--tc", "1", "--base", "2"], "give your total comp (tc) or your base"),
    ):
        done = run_cli("points", *args, "--model", "never", store=store)
        assert done.returncode == 2, done.stderr
        assert message in done.stderr and "Traceback" not in done.stderr


def test_add_loads_the_points_into_the_store_as_they_were_understood(
    store: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "store.duckdb"
    shutil.copy2(store, copy)
    done = run_cli("points", str(POINTS), "--add", "--model", "never", "--json", store=copy)
    assert done.returncode == 0, done.stderr
    added = json.loads(done.stdout)["added"]
    assert (added["status"], added["rows_read"], added["rows_loaded"]) == ("loaded", 25, 25)
    assert added["rows_quarantined"] == 0
    assert Path(added["file"]).parent == tmp_path / "store.duckdb.points"
    with Store(copy) as db:
        records = db.records()
        frame = records.filter(records.load_key == added["load_key"]).to_pandas()
    by_line = frame.set_index("source_id")
    for point in read_points(TEXT).points:
        record = by_line.loc[f"line-{point.line}"]
        assert point.place is not None
        assert (
            record["company"], record["tier"], record["role_family"], record["level"],
            record["metro_code"], record["observed_year"], record["total_comp"], record["base"],
        ) == (
            point.company, point.tier, point.role, point.level, point.place.metro_code,
            point.year, point.total_comp, point.base,
        )  # fmt: skip
    again = run_cli("points", str(POINTS), "--add", "--model", "never", "--json", store=copy)
    assert json.loads(again.stdout)["added"]["status"] == "unchanged"


# ---- the API -----------------------------------------------------------------------------
def test_api_answers_as_the_library(client: TestClient, store: Path) -> None:
    response = client.post("/api/points", json={"points": TEXT, "base": 140_000})
    assert response.status_code == 200, response.text
    library = answer_points(TEXT, base=140_000, store=store)
    assert same(response.json(), json.loads(json.dumps(library.to_dict())))


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        ({"points": ""}, ["body", "points"], "nothing to read"),
        ({"points": "Company\tTitle\nA\tB\n"}, ["body", "points"], "no pay column"),
        ({"points": TEXT, "tc": 1, "base": 2}, ["body", "tc"], "not both"),
        ({"points": "x" * (64 * 1024 + 1)}, ["body", "points"], "at most"),
        ({"points": TEXT, "pay": 1}, ["body", "pay"], "Extra inputs"),
    ],
)
def test_api_mistakes_are_422_naming_the_field(
    client: TestClient, body: dict[str, object], where: list[str], message: str
) -> None:
    response = client.post("/api/points", json=body)
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == where and message in detail["msg"]


# ---- the page ----------------------------------------------------------------------------
def test_page_offers_a_text_area_and_a_file_field_posted_without_scripts(
    client: TestClient,
) -> None:
    html = client.get("/points").text
    assert 'method="post"' in html and 'enctype="multipart/form-data"' in html
    assert '<textarea id="f-points" name="points"' in html and 'type="file"' in html
    assert "<script" not in html and 'href="/points"' in html
    assert "totalyearlycompensation" in html  # the accepted header names


def test_page_shows_the_library_answer_for_pasted_points(client: TestClient, store: Path) -> None:
    response = client.post("/points", data={"points": TEXT, "tc": "230000"})
    assert response.status_code == 200
    html = response.text
    library = answer_points(TEXT, tc=230_000, store=store)
    assert library.you is not None
    assert html.count(str(escape(library.you.headline))) == 1
    for row in library.statistics_rows():
        assert all(cell in html for cell in row[1:5])
    assert 'data-testid="understood"' in html and "staff (company ladder)" in html
    assert 'data-testid="market-total_comp"' in html and 'data-testid="market-base"' in html
    assert "/download/points" not in html and "link to this view" not in html


def test_page_reads_an_uploaded_file_and_shows_rejections(client: TestClient) -> None:
    text = TEXT.replace("$500,000", "€500,000")
    response = client.post(
        "/points",
        data={"points": "", "tc": ""},
        files={"file": ("points.tsv", text.encode("utf-8"), "text/tab-separated-values")},
    )
    assert response.status_code == 200
    html = response.text
    assert 'data-testid="rejected"' in html
    assert "total comp: &#39;€500,000&#39; is in EUR" in html
    assert "25 rows: 24 understood, 1 rejected." in html
    assert "Amazon\tData Scientist\tL7" in html  # the file's text kept in the text area


def test_page_error_keeps_the_input_beside_the_form(client: TestClient) -> None:
    pasted = "Company\tTC\nAcme\t250k\n"
    response = client.post("/points", data={"points": pasted, "tc": "230000"})
    assert response.status_code == 422
    html = response.text
    assert re.search(r'<p class="error" role="alert">points: 1 data point\(s\) understood', html)
    assert "Acme\t250k" in html and 'value="230000"' in html


# ---- privacy -----------------------------------------------------------------------------
def _files_holding(folder: Path, needle: bytes) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_pasted_pay_is_neither_logged_nor_stored(
    client: TestClient, store: Path, caplog: pytest.LogCaptureFixture, careerbench_home: Path
) -> None:
    text = TEXT.replace("Expedia", "Quokkatronics").replace("143k", "$143,217")
    fingerprint = hashlib.sha256(store.read_bytes()).hexdigest()
    caplog.set_level(logging.DEBUG)
    answer_points(text, tc=387_654, model="never", store=store)
    assert client.post("/api/points", json={"points": text, "tc": 387_654}).status_code == 200
    assert client.post("/points", data={"points": text, "tc": "387654"}).status_code == 200
    logged = caplog.text
    for secret in ("387654", "387,654", "143217", "143,217", "Quokkatronics"):
        assert secret not in logged
    assert hashlib.sha256(store.read_bytes()).hexdigest() == fingerprint
    for folder in (store.parent, careerbench_home):
        for secret in (b"Quokkatronics", b"143217", b"387654"):
            assert _files_holding(folder, secret) == []
