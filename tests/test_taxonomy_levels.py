"""Company ladders -> the common level, the fallbacks and their basis, and real-data checks."""

from __future__ import annotations

import csv
import statistics
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from careerbench.errors import InvalidValue
from careerbench.schema import Level
from careerbench.taxonomy.companies import normalize_company
from careerbench.taxonomy.levels import (
    ladder_companies,
    level_from_experience,
    map_level,
    normalize_level,
    resolve_level,
)

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
LEVELSFYI = SHARED_DATA / "levelsfyi_stem_salaries" / "Levels_Fyi_Salary_Data.csv"


@pytest.mark.parametrize(
    ("company", "raw", "level"),
    [
        ("Google", "L3", Level.ENTRY),
        ("Google", "L4", Level.MID),
        ("google", "L5", Level.SENIOR),
        ("Google", "L6", Level.STAFF),
        ("Google", "L7", Level.PRINCIPAL),
        ("Google", "L8", Level.DIRECTOR_PLUS),
        ("Google", "T4", Level.MID),
        ("Facebook", "E3", Level.ENTRY),
        ("Meta", "E6", Level.STAFF),
        ("Meta", "IC4", Level.MID),
        ("Meta", "M1", Level.STAFF),
        ("Meta", "D1", Level.DIRECTOR_PLUS),
        ("Meta", "L5 Product Manager", Level.SENIOR),
        ("Amazon", "L4", Level.ENTRY),
        ("Amazon", "SDE II", Level.MID),
        ("Amazon web services", "L6", Level.SENIOR),
        ("Amazon", "L7", Level.STAFF),
        ("Amazon", "L10", Level.DIRECTOR_PLUS),
        ("Microsoft", "59", Level.ENTRY),
        ("Microsoft", "62", Level.MID),
        ("Microsoft", "63", Level.SENIOR),
        ("Microsoft", "67", Level.PRINCIPAL),
        ("Microsoft", "68", Level.DIRECTOR_PLUS),
        ("Microsoft", "Senior SDE", Level.SENIOR),
        ("Apple", "ICT2", Level.ENTRY),
        ("Apple", "ICT4", Level.SENIOR),
        ("Apple", "ICT6", Level.PRINCIPAL),
        ("Netflix", "Senior Software Engineer", Level.SENIOR),
        ("Oracle", "IC-3", Level.MID),
        ("Salesforce", "Lead MTS", Level.STAFF),
        ("Stripe", "L3", Level.SENIOR),
        ("Airbnb", "L5", Level.SENIOR),
        ("ByteDance", "2-2", Level.SENIOR),
        ("Goldman Sachs", "Vice President", Level.SENIOR),
        ("Goldman Sachs", "Executive Director / Vice-President", Level.STAFF),
        ("Morgan Stanley", "Associate", Level.MID),
        ("Accenture", "Associate Manager", Level.STAFF),
    ],
)
def test_company_ladders(company: str, raw: str, level: Level) -> None:
    assert map_level(company, raw, None, None) == (level, "ladder")


@pytest.mark.parametrize(
    ("raw", "level"),
    [
        ("Senior Software Engineer", Level.SENIOR),
        ("Software Engineer II", Level.MID),
        ("SDE 1", Level.ENTRY),
        ("Staff Engineer", Level.STAFF),
        ("Principal", Level.PRINCIPAL),
        ("Junior", Level.ENTRY),
        ("Entry Level", Level.ENTRY),
        ("L5", Level.SENIOR),
        ("IC3", Level.SENIOR),
        ("E4", Level.MID),
        ("P4", Level.SENIOR),
        ("Director", Level.DIRECTOR_PLUS),
        ("VP", Level.DIRECTOR_PLUS),
        ("Intern", Level.INTERN),
        ("Senior Manager", Level.STAFF),
        ("Mid-Level", Level.MID),
    ],
)
def test_generic_patterns(raw: str, level: Level) -> None:
    assert map_level("Acme Widgets", raw, None, None) == (level, "pattern")


def test_fallbacks_say_their_basis() -> None:
    assert map_level("Acme", "Band Q", "Staff Engineer", 3.0) == (Level.STAFF, "title")
    assert map_level(None, None, "Senior Data Scientist", None) == (Level.SENIOR, "title")
    assert map_level("Acme", None, "Engineer", 1.0) == (Level.ENTRY, "experience")
    assert map_level("Acme", None, "Engineer", 7.0) == (Level.SENIOR, "experience")
    assert map_level("Acme", "NA", None, 30.0) == (Level.PRINCIPAL, "experience")
    assert map_level("Acme", None, "Engineer", None) == (None, "unknown")
    assert map_level(None, None, None, float("nan")) == (None, "unknown")


def test_experience_thresholds_rise() -> None:
    levels = [level_from_experience(y) for y in (0, 2, 3, 6, 7, 10, 12, 13, 15, 40)]
    assert [lv.rank for lv in levels] == sorted(lv.rank for lv in levels)
    assert Level.DIRECTOR_PLUS not in levels


def test_normalize_level() -> None:
    assert normalize_level("ic-3") == "IC3"
    assert normalize_level("2-1") == "2-1"
    assert normalize_level(" Senior   MTS ") == "SENIOR MTS"
    assert normalize_level("Vice-President") == "VICE PRESIDENT"


def test_ladders_cover_the_largest_companies() -> None:
    companies = set(ladder_companies())
    assert len(companies) >= 30
    assert {"Google", "Meta", "Amazon", "Microsoft", "Apple", "Netflix", "Nvidia"} <= companies


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("senior", Level.SENIOR),
        ("Senior", Level.SENIOR),
        ("sr", Level.SENIOR),
        ("director", Level.DIRECTOR_PLUS),
        ("director-plus", Level.DIRECTOR_PLUS),
        ("director+", Level.DIRECTOR_PLUS),
        ("junior", Level.ENTRY),
        (" Staff ", Level.STAFF),
    ],
)
def test_resolve_level(text: str, level: Level) -> None:
    assert resolve_level(text) is level


def test_resolve_level_rejects_company_levels() -> None:
    with pytest.raises(InvalidValue, match="'senior'"):
        resolve_level("seniour")
    with pytest.raises(InvalidValue, match="level"):
        resolve_level("L5")


def _levelsfyi_rows() -> list[dict[str, str]]:
    if not LEVELSFYI.exists():
        pytest.skip("the Levels.fyi file is not beside the repository")
    with LEVELSFYI.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _years(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


@pytest.mark.fulldata
def test_median_experience_rises_with_the_mapped_level_at_each_company() -> None:
    by_company: dict[str, dict[Level, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in _levelsfyi_rows():
        company = normalize_company(row["company"])
        years = _years(row["yearsofexperience"])
        if company is None or years is None:
            continue
        level, basis = map_level(company.name, row["level"], None, None)
        if level is not None and basis == "ladder":
            by_company[company.name][level].append(years)
    checked = 0
    for company, levels in by_company.items():
        if sum(len(v) for v in levels.values()) < 100:
            continue
        medians = [
            statistics.median(levels[lv])
            for lv in sorted(levels, key=lambda lv: lv.rank)
            if len(levels[lv]) >= 20
        ]
        assert medians == sorted(medians), (company, medians)
        checked += 1
    assert checked >= 30


@pytest.mark.fulldata
def test_most_levelsfyi_rows_get_a_level_from_their_level_string() -> None:
    rows = _levelsfyi_rows()
    bases: Counter[str] = Counter()
    for row in rows:
        company = normalize_company(row["company"])
        name = company.name if company else None
        _, basis = map_level(name, row["level"], row["title"], _years(row["yearsofexperience"]))
        bases[basis] += 1
    assert bases["ladder"] / len(rows) >= 0.55
    assert (bases["ladder"] + bases["pattern"]) / len(rows) >= 0.85
    assert bases["unknown"] / len(rows) < 0.01
