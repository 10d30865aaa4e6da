"""Knowledge files: titles, companies, ladders, places, and their coverage of the real data."""

from __future__ import annotations

import pandas as pd
import pytest

from careerbench.config import vendored
from careerbench.errors import InvalidValue
from careerbench.schema import Level, RoleFamily, Tier
from careerbench.taxonomy.companies import normalize_company, resolve_tier, tier_of
from careerbench.taxonomy.levels import ladder_companies, map_level, resolve_level
from careerbench.taxonomy.places import (
    parse_location,
    resolve_country,
    resolve_metro,
    resolve_place,
    resolve_state,
)
from careerbench.taxonomy.titles import classify_title, title_level_hint, title_names_domain
from tests.conftest import SHARED_LEVELSFYI


@pytest.mark.parametrize(
    ("title", "family"),
    [
        ("Machine Learning Engineer", RoleFamily.ML_ENGINEER),
        ("Senior Computer Vision Engineer", RoleFamily.ML_ENGINEER),
        ("MLOps Engineer", RoleFamily.MLOPS_ENGINEER),
        ("Machine Learning Infrastructure Engineer", RoleFamily.MLOPS_ENGINEER),
        ("AI Engineer", RoleFamily.AI_ENGINEER),
        ("Prompt Engineer", RoleFamily.AI_ENGINEER),
        ("Research Scientist", RoleFamily.RESEARCH_SCIENTIST),
        ("Machine Learning Researcher", RoleFamily.RESEARCH_SCIENTIST),
        ("Research Engineer", RoleFamily.RESEARCH_ENGINEER),
        ("Applied Scientist", RoleFamily.APPLIED_SCIENTIST),
        ("Data Scientist", RoleFamily.DATA_SCIENTIST),
        ("Quantitative Researcher", RoleFamily.DATA_SCIENTIST),
        ("Analytics Engineer", RoleFamily.DATA_ENGINEER),
        ("Business Intelligence Analyst", RoleFamily.DATA_ANALYST),
        ("Engineering Manager", RoleFamily.MANAGER),
        ("Data Product Manager", RoleFamily.PRODUCT_MANAGER),
        ("Site Reliability Engineer", RoleFamily.SOFTWARE_ENGINEER),
        ("Engineer", RoleFamily.OTHER),
        ("Account Executive", RoleFamily.OTHER),
    ],
)
def test_titles_map_to_families(title: str, family: RoleFamily) -> None:
    assert classify_title(title) is family


def test_levelsfyi_tags_refine_software_engineers_only() -> None:
    assert classify_title("Software Engineer", "ML / AI") is RoleFamily.ML_ENGINEER
    assert classify_title("Software Engineer", "Data") is RoleFamily.DATA_ENGINEER
    assert classify_title("Software Engineer", "Full Stack") is RoleFamily.SOFTWARE_ENGINEER
    assert classify_title("Data Scientist", "ML / AI") is RoleFamily.DATA_SCIENTIST


def test_title_level_words() -> None:
    assert title_level_hint("Staff Data Scientist") is Level.STAFF
    assert title_level_hint("Head of AI") is Level.DIRECTOR_PLUS
    assert title_level_hint("Sr. ML Engineer") is Level.SENIOR
    assert title_level_hint("Lead Data Engineer") is None
    assert not title_names_domain("Engineer") and title_names_domain("Data Engineer")


def test_domain_titles_of_the_bundled_data_map_to_specific_families() -> None:
    titles = pd.read_parquet(vendored("aijobs_salaries.parquet"), columns=["job_title"])[
        "job_title"
    ]
    domain = titles[titles.map(title_names_domain)]
    specific = domain.map(lambda t: classify_title(t) is not RoleFamily.OTHER)
    assert specific.mean() >= 0.95


def test_company_aliases_and_tiers() -> None:
    assert normalize_company("facebook") == normalize_company("Meta Platforms, Inc.")
    assert normalize_company("Amazon web services").name == "Amazon"  # type: ignore[union-attr]
    assert normalize_company("google ").tier is Tier.BIG_TECH  # type: ignore[union-attr]
    assert normalize_company("Anthropic").tier is Tier.FRONTIER_LAB  # type: ignore[union-attr]
    assert normalize_company("Jane Street").tier is Tier.FINANCE_QUANT  # type: ignore[union-attr]
    unknown = normalize_company("acme widgets llc")
    assert (
        unknown is not None and unknown.tier is Tier.UNKNOWN and unknown.name == "Acme Widgets Llc"
    )
    assert normalize_company("NA") is None
    assert tier_of("Google") == "big-tech" and tier_of("Gogle") is None
    with pytest.raises(InvalidValue, match="big-tech"):
        resolve_tier("bigtech")


@pytest.mark.parametrize(
    ("company", "raw", "level"),
    [
        ("Google", "L5", Level.SENIOR),
        ("Google", "T4", Level.MID),
        ("Meta", "E6", Level.STAFF),
        ("Meta", "IC4", Level.MID),
        ("Amazon", "SDE II", Level.MID),
        ("Amazon", "L6", Level.SENIOR),
        ("Microsoft", "63", Level.SENIOR),
        ("Microsoft", "59", Level.ENTRY),
        ("Apple", "ICT4", Level.SENIOR),
        ("Oracle", "IC-3", Level.MID),
        ("Salesforce", "Lead MTS", Level.STAFF),
        ("Goldman Sachs", "Vice President", Level.SENIOR),
        ("Acme", "Senior Software Engineer", Level.SENIOR),
        ("Acme", "Software Engineer II", Level.MID),
    ],
)
def test_company_ladders(company: str, raw: str, level: Level) -> None:
    assert map_level(company, raw, None, None)[0] is level


def test_level_fallbacks_say_their_basis() -> None:
    assert map_level("Acme", "Band Q", "Staff Engineer", 3.0) == (Level.STAFF, "title")
    assert map_level("Acme", None, "Engineer", 7.0) == (Level.SENIOR, "experience")
    assert map_level("Acme", None, "Engineer", None) == (None, "unknown")
    assert len(ladder_companies()) >= 30
    assert resolve_level("Sr") is Level.SENIOR
    with pytest.raises(InvalidValue, match="senior"):
        resolve_level("seniour")


def test_places() -> None:
    seattle = parse_location("Redmond, WA")
    assert seattle is not None and seattle.metro_code == "42660" and seattle.state == "WA"
    london = parse_location("London, EN, United Kingdom")
    assert london is not None and london.country == "GB" and london.metro_code is None
    assert parse_location("Nowhere, ZZ") is None
    assert resolve_place("San Francisco, CA").metro_code == "41860"
    assert resolve_place("CA").state == "CA"
    assert resolve_country("CA") == "CA" and resolve_country("United Kingdom") == "GB"
    assert resolve_state("california") == "CA"
    assert resolve_metro("Seattle") == ("42660", "Seattle-Tacoma-Bellevue, WA")
    with pytest.raises(InvalidValue, match="San Francisco"):
        resolve_place("Sna Francisco")


@pytest.mark.fulldata
def test_levelsfyi_coverage_and_ladders_rise_with_experience() -> None:
    frame = pd.read_csv(SHARED_LEVELSFYI, dtype=str, keep_default_na=False)
    companies = frame["company"].map(normalize_company)
    assert (companies.map(lambda c: c is not None and c.tier is not Tier.UNKNOWN)).mean() > 0.88
    places = frame["location"].map(parse_location)
    assert places.notna().mean() > 0.99
    us = places[places.map(lambda p: p is not None and p.country == "US")]
    assert us.map(lambda p: p.metro_code is not None).mean() > 0.97
    years = pd.to_numeric(frame["yearsofexperience"], errors="coerce")
    names = companies.map(lambda c: c.name if c else None)
    mapped = [map_level(c, lv, None, None) for c, lv in zip(names, frame["level"], strict=True)]
    frame["level_common"] = [lv.value if lv else None for lv, _ in mapped]
    frame["basis"] = [basis for _, basis in mapped]
    frame["years"] = years
    frame["company_name"] = names
    ladder = frame[frame["basis"] == "ladder"]
    order = ["entry", "mid", "senior", "staff"]
    for company in ladder["company_name"].value_counts().index[:20]:
        rows = ladder[ladder["company_name"] == company]
        medians = rows.groupby("level_common")["years"].agg(["median", "size"])
        medians = medians[medians["size"] >= 10].reindex([o for o in order if o in medians.index])
        values = medians["median"].tolist()
        assert values == sorted(values), (company, medians.to_dict())
