"""Company names -> canonical companies and tiers; user input resolution; real-data coverage."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from careerbench.errors import InvalidValue
from careerbench.schema import Tier
from careerbench.taxonomy.companies import (
    Company,
    known_companies,
    normalize_company,
    resolve_tier,
    tier_of,
)

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
LEVELSFYI = SHARED_DATA / "levelsfyi_stem_salaries" / "Levels_Fyi_Salary_Data.csv"


@pytest.mark.parametrize(
    ("raw", "name", "tier"),
    [
        ("facebook", "Meta", Tier.BIG_TECH),
        ("Facebook", "Meta", Tier.BIG_TECH),
        ("Meta Platforms, Inc.", "Meta", Tier.BIG_TECH),
        ("google", "Google", Tier.BIG_TECH),
        ("Google LLC", "Google", Tier.BIG_TECH),
        ("  GOOGLE  ", "Google", Tier.BIG_TECH),
        ("Amazon web services", "Amazon", Tier.BIG_TECH),
        ("AWS", "Amazon", Tier.BIG_TECH),
        ("Amazon.com", "Amazon", Tier.BIG_TECH),
        ("Microsoft Corporation", "Microsoft", Tier.BIG_TECH),
        ("NVIDIA Corp.", "Nvidia", Tier.BIG_TECH),
        ("DeepMind", "Google DeepMind", Tier.FRONTIER_LAB),
        ("OpenAI", "OpenAI", Tier.FRONTIER_LAB),
        ("anthropic", "Anthropic", Tier.FRONTIER_LAB),
        ("x.ai", "xAI", Tier.FRONTIER_LAB),
        ("Mistral", "Mistral AI", Tier.FRONTIER_LAB),
        ("Databricks", "Databricks", Tier.AI_UNICORN),
        ("Scale AI", "Scale AI", Tier.AI_UNICORN),
        ("Sales Force", "Salesforce", Tier.TIER2_TECH),
        ("JP Morgan", "JPMorgan Chase", Tier.FINANCE_QUANT),
        ("Jane Street", "Jane Street", Tier.FINANCE_QUANT),
        ("Goldman Sachss", "Goldman Sachs", Tier.FINANCE_QUANT),
        ("Deloitte Consulting", "Deloitte", Tier.NON_TECH),
        ("Discovery", "Discovery", Tier.NON_TECH),
        (
            "Lawrence Livermore National Laboratory",
            "Lawrence Livermore National Laboratory",
            Tier.ACADEMIA_GOV,
        ),
        ("Stealth Startup", "Startup", Tier.STARTUP),
    ],
)
def test_aliases_and_tiers(raw: str, name: str, tier: Tier) -> None:
    assert normalize_company(raw) == Company(name, tier)


def test_unknown_companies_keep_a_cleaned_name() -> None:
    assert normalize_company("acme widgets llc") == Company("Acme Widgets Llc", Tier.UNKNOWN)
    assert normalize_company("  Tiny  Robots ") == Company("Tiny Robots", Tier.UNKNOWN)
    # short names are never fuzzy-matched: a near miss is another company
    assert normalize_company("Goolge") == Company("Goolge", Tier.UNKNOWN)


@pytest.mark.parametrize("raw", [None, "", "  ", "NA", "n/a", "None"])
def test_missing_companies(raw: str | None) -> None:
    assert normalize_company(raw) is None


def test_tier_of_knows_listed_names_and_aliases_only() -> None:
    assert tier_of("facebook") == Tier.BIG_TECH.value
    assert tier_of("OpenAI") == Tier.FRONTIER_LAB.value
    assert tier_of("Gogle") is None
    assert tier_of("Acme Widgets") is None


def test_known_companies() -> None:
    names = known_companies()
    assert names == sorted(names)
    assert {"Google", "Meta", "OpenAI", "Anthropic", "Databricks"} <= set(names)
    assert "Facebook" not in names
    assert len(names) >= 500


def test_resolve_tier() -> None:
    assert resolve_tier("big-tech") is Tier.BIG_TECH
    assert resolve_tier("Frontier Lab") is Tier.FRONTIER_LAB
    assert resolve_tier("finance_quant") is Tier.FINANCE_QUANT
    with pytest.raises(InvalidValue, match="big-tech"):
        resolve_tier("bigtech")


@pytest.mark.fulldata
def test_the_300_most_frequent_levelsfyi_companies_have_a_tier() -> None:
    if not LEVELSFYI.exists():
        pytest.skip("the Levels.fyi file is not beside the repository")
    with LEVELSFYI.open(newline="", encoding="utf-8") as handle:
        raw = [row["company"] for row in csv.DictReader(handle)]
    counts = Counter(name.strip().lower() for name in raw)
    top = [name for name, _ in counts.most_common(300)]
    unknown = [
        name
        for name in top
        if (company := normalize_company(name)) is None or company.tier is Tier.UNKNOWN
    ]
    assert unknown == []
    known = sum(
        (company := normalize_company(name)) is not None and company.tier is not Tier.UNKNOWN
        for name in raw
    )
    assert known / len(raw) >= 0.93


@pytest.mark.parametrize(
    ("typed", "how", "name", "note"),
    [
        ("Google", "exact", "Google", ""),
        ("FB", "alias", "Meta", "FB → Meta"),
        (
            "Goldman Sachss",
            "fuzzy",
            "Goldman Sachs",
            "Goldman Sachss → did you mean Goldman Sachs?",
        ),
        ("Acme Widgets", "not found", None, "Acme Widgets: not in our list of companies"),
    ],
)
def test_a_typed_company_says_what_it_matched_and_how(
    typed: str, how: str, name: str | None, note: str
) -> None:
    from careerbench.cohort import parse_cohort
    from careerbench.taxonomy.companies import match_company

    match = match_company(typed)
    assert match.how == how
    assert (match.company.name if match.company else None) == name
    assert match.note.startswith(note) and bool(match.note) == bool(note)
    # The cohort keeps the note for every face; an exact name leaves none.
    assert parse_cohort(company=typed).read_as.get("company", "") == match.note
