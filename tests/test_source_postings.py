"""Employers' posted pay ranges: real rows of the committed sample, hand-written bad rows, and
(marked fulldata) the whole January 2026 frontier-lab file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from careerbench.errors import SourceError
from careerbench.schema import MAX_ANNUAL_PAY, MIN_ANNUAL_PAY, EmploymentType, Level, RoleFamily
from careerbench.sources import postings
from careerbench.taxonomy.companies import normalize_company
from careerbench.taxonomy.titles import (
    classify_posting_title,
    posting_employment_type,
    posting_title_level,
)
from tests.conftest import FIXTURES, SHARED_POSTINGS

SAMPLE = FIXTURES / "postings_sample.csv"
MALFORMED = FIXTURES / "postings_malformed.csv"
HEADER = "company,title,team,locations,pay_min,pay_max,currency,first_seen,last_seen,url\n"


@pytest.fixture(scope="module")
def sample() -> postings.Adapted:
    return postings.adapt(SAMPLE)


@pytest.fixture(scope="module")
def records(sample: postings.Adapted) -> list[dict[str, Any]]:
    return sample.records.to_pylist()


def _of(records: list[dict[str, Any]], title: str) -> list[dict[str, Any]]:
    found = [r for r in records if r["raw_title"].strip() == title]
    assert found, title
    return found


def test_every_sample_row_is_loaded_or_quarantined(sample: postings.Adapted) -> None:
    assert sample.source == "postings"
    assert sample.rows_read == 40
    assert sample.rows_loaded == 39 and sample.rows_quarantined == 1
    assert sample.reconciles()
    # A placeholder range of $1-$2 is not an annual salary.
    assert sample.quarantine.column("reason").to_pylist() == ["pay_min below $1,000 a year: 1"]
    assert postings.distinct_postings(sample.records) == 39
    assert sample.records.num_rows == 72
    assert "39 postings -> 72 records (one per distinct place)" in sample.notes


def test_malformed_rows_are_quarantined_with_their_reason() -> None:
    adapted = postings.adapt(MALFORMED)
    assert adapted.rows_read == 21 and adapted.rows_loaded == 2 and adapted.reconciles()
    reasons = dict(
        zip(
            adapted.quarantine.column("source_row").to_pylist(),
            adapted.quarantine.column("reason").to_pylist(),
            strict=True,
        )
    )
    assert reasons == {
        2: "empty company",
        3: "empty title",
        4: "missing pay_min",
        5: "missing pay_max",
        6: "pay_min is not a number: 300k",
        7: "pay_max is not a number: competitive",
        8: "pay_min above pay_max: 400000 > 300000",
        9: f"pay_min below ${MIN_ANNUAL_PAY:,.0f} a year: 45",
        10: f"pay_max above ${MAX_ANNUAL_PAY:,.0f} a year: 25000000",
        11: "currency GBP: not USD, and careerbench has no exchange rate to convert it",
        12: "missing currency",
        13: "unknown currency: DOLLARS",
        14: "unparseable first_seen: Jan 2026 (expected a date YYYY-MM-DD, 2000-2100)",
        15: "unparseable first_seen: 1999-12-31 (expected a date YYYY-MM-DD, 2000-2100)",
        16: "unparseable last_seen: soon (expected a date YYYY-MM-DD, 2000-2100)",
        17: "last_seen before first_seen",
        18: "missing url: no posting id",
        19: "url names no posting: see our careers page",
        20: "duplicate of row 1 (same posting id)",
    }
    # The raw row travels with its reason.
    assert '"pay_max": "competitive"' in adapted.quarantine.column("raw").to_pylist()[5]
    # "$350,000", lower-case "usd", an ISO timestamp and no last_seen are read.
    loaded = [r for r in adapted.records.to_pylist() if r["source_id"] == "greenhouse:1000021"]
    assert {r["range_low"] for r in loaded} == {350_000.0}
    assert {(r["currency"], r["observed_year"]) for r in loaded} == {("USD", 2025)}


def test_missing_file_or_columns_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no file at"):
        postings.adapt(tmp_path / "none.csv")
    bad = tmp_path / "board.csv"
    bad.write_text(
        "company,title,locations,first_seen\nAnthropic,Research Engineer,SF,2026-01-02\n"
    )
    with pytest.raises(SourceError) as caught:
        postings.adapt(bad)
    message = str(caught.value)
    assert str(bad) in message
    assert "pay_min, pay_max, currency, url" in message


def test_an_export_with_no_postings_gives_an_empty_table(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text(HEADER)
    adapted = postings.adapt(empty)
    assert (adapted.rows_read, adapted.records.num_rows, adapted.rows_quarantined) == (0, 0, 0)
    assert postings.distinct_postings(adapted.records) == 0


@pytest.mark.parametrize(
    ("title", "family", "level"),
    [
        ("Research Engineer, Discovery", RoleFamily.RESEARCH_ENGINEER, None),
        ("Staff Research Engineer, Discovery Team", RoleFamily.RESEARCH_ENGINEER, Level.STAFF),
        ("Research Scientist, Interpretability", RoleFamily.RESEARCH_SCIENTIST, None),
        ("Senior Research Scientist, Reward Models", RoleFamily.RESEARCH_SCIENTIST, Level.SENIOR),
        ("Researcher, Alignment", RoleFamily.RESEARCH_SCIENTIST, None),
        # Two roles named: the first decides; the board marker states no level.
        (
            "Research Engineer / Research Scientist, Biology & Life Sciences",
            RoleFamily.RESEARCH_ENGINEER,
            None,
        ),
        (
            "[Expression of Interest] Research Scientist/Engineer, Honesty",
            RoleFamily.RESEARCH_SCIENTIST,
            None,
        ),
        ("ML/Research Engineer, Safeguards", RoleFamily.RESEARCH_ENGINEER, None),
        (
            "Staff Machine Learning Engineer, Virtual Collaborator",
            RoleFamily.ML_ENGINEER,
            Level.STAFF,
        ),
        ("Machine Learning Engineer, Integrity", RoleFamily.ML_ENGINEER, None),
        ("TLM, Machine Learning, Integrity", RoleFamily.ML_ENGINEER, None),
        ("Machine Learning Systems Engineer, RL Engineering", RoleFamily.MLOPS_ENGINEER, None),
        ("ML Infrastructure Engineer, Safeguards", RoleFamily.MLOPS_ENGINEER, None),
        ("Distributed Training Engineer, Sora", RoleFamily.MLOPS_ENGINEER, None),
        ("Training Performance Engineer", RoleFamily.MLOPS_ENGINEER, None),
        # "Software Engineer, <qualifier>": the qualifier decides, only ML words make it ML.
        ("Software Engineer, ML Networking", RoleFamily.MLOPS_ENGINEER, None),
        ("Senior/Staff Software Engineer, Inference", RoleFamily.MLOPS_ENGINEER, Level.SENIOR),
        ("Software Engineer, Model Inference", RoleFamily.MLOPS_ENGINEER, None),
        ("Staff+ Software Engineer, Data Infrastructure", RoleFamily.DATA_ENGINEER, Level.STAFF),
        ("Software Engineer, Data Acquisition", RoleFamily.DATA_ENGINEER, None),
        ("Software Engineer, Fleet Hardware Health", RoleFamily.SOFTWARE_ENGINEER, None),
        ("Software Engineer, GPU Infrastructure", RoleFamily.SOFTWARE_ENGINEER, None),
        ("Software Engineer, Triton Compiler", RoleFamily.SOFTWARE_ENGINEER, None),
        ("Software  Engineer, Data Visualization", RoleFamily.SOFTWARE_ENGINEER, None),
        (
            "Full Stack Software Engineer, Reinforcement Learning",
            RoleFamily.SOFTWARE_ENGINEER,
            None,
        ),
        (
            "Senior / Staff+ Software Engineer - Autonomous Agent Infrastructure",
            RoleFamily.SOFTWARE_ENGINEER,
            Level.SENIOR,
        ),
        (
            "Principal Software Engineer, ChatGPT for Work",
            RoleFamily.SOFTWARE_ENGINEER,
            Level.PRINCIPAL,
        ),
        ("TPU Kernel Engineer", RoleFamily.SOFTWARE_ENGINEER, None),
        ("Performance Engineer, GPU", RoleFamily.SOFTWARE_ENGINEER, None),
        ("Forward Deployed Engineer, Applied AI", RoleFamily.AI_ENGINEER, None),
        ("Data Scientist, Product", RoleFamily.DATA_SCIENTIST, None),
        ("Engineering Manager, Inference", RoleFamily.MANAGER, Level.STAFF),
        ("Application Security Engineering Manager", RoleFamily.MANAGER, Level.STAFF),
        (
            " [Expression of Interest] Research Manager, Interpretability",
            RoleFamily.MANAGER,
            Level.STAFF,
        ),
        ("Technical Program Manager, Inference", RoleFamily.PRODUCT_MANAGER, None),
        ("Product Manager, API ", RoleFamily.PRODUCT_MANAGER, None),
        # Non-technical functions are other whatever their rank word.
        ("Manager, Startup Account Executive", RoleFamily.OTHER, None),
        ("Head of Product Communications", RoleFamily.OTHER, Level.DIRECTOR_PLUS),
        ("Director, Accounting Operations", RoleFamily.OTHER, Level.DIRECTOR_PLUS),
        ("Financial Reporting Accountant", RoleFamily.OTHER, None),
        ("Commercial Counsel, Partnerships & Alliances", RoleFamily.OTHER, None),
        ("Recruiter, AI Research", RoleFamily.OTHER, None),
        ("Geopolitics Analyst, Policy", RoleFamily.OTHER, None),
        ("Data Center Hardware Operations Lead", RoleFamily.OTHER, None),
        ("Customer Success Manager, Public Sector", RoleFamily.OTHER, None),
        ("Growth Account Executive", RoleFamily.OTHER, None),
    ],
)
def test_real_titles_map_to_families_and_levels(
    title: str, family: RoleFamily, level: Level | None
) -> None:
    assert classify_posting_title(title) is family
    assert posting_title_level(title) is level


def test_titles_level_conventions() -> None:
    assert posting_title_level("Senior Staff Research Engineer") is Level.PRINCIPAL
    assert posting_title_level("Member of Technical Staff") is None
    assert posting_title_level("Research Engineer, Frontier Red Team (Hardware Lead)") is None
    assert posting_title_level("Founding Developer Relations Lead") is None
    assert posting_title_level("Research Intern, Interpretability") is Level.INTERN


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Recruiting Coordinator [contract]", EmploymentType.CONTRACT),
        ("Research Intern, Interpretability", EmploymentType.INTERN),
        ("Contracts Manager", EmploymentType.FULL_TIME),
        ("Internal Mobility Program Manager", EmploymentType.FULL_TIME),
        ("Research Engineer", EmploymentType.FULL_TIME),
    ],
)
def test_employment_type_from_the_title(title: str, kind: EmploymentType) -> None:
    assert posting_employment_type(title) is kind


def test_records_carry_the_title_family_and_level(records: list[dict[str, Any]]) -> None:
    staff = _of(records, "Staff Research Engineer, Discovery Team")
    assert {(r["role_family"], r["level"], r["level_basis"]) for r in staff} == {
        ("research-engineer", "staff", "title")
    }
    plain = _of(records, "Research Engineer, Discovery")
    assert {(r["level"], r["level_basis"]) for r in plain} == {(None, None)}
    assert all(r["raw_level"] is None for r in records)
    assert all((r["level"] is None) == (r["level_basis"] is None) for r in records)
    contract = _of(records, "Recruiting Coordinator [contract]")
    assert {r["employment_type"] for r in contract} == {"contract"}
    assert {r["tag"] for r in _of(records, "Research Engineer")} == {"Research"}


def test_a_posted_range_is_base_pay_with_its_midpoint(records: list[dict[str, Any]]) -> None:
    discovery = _of(records, "Research Engineer, Discovery")[0]
    assert (discovery["range_low"], discovery["range_high"]) == (350_000.0, 850_000.0)
    assert discovery["base"] == discovery["total_comp"] == 600_000.0
    single = _of(records, "Engineering Manager, Cloud Security")
    assert {(r["range_low"], r["range_high"], r["total_comp"]) for r in single} == {
        (405_000.0, 405_000.0, 405_000.0)
    }
    for r in records:
        assert r["range_low"] <= r["base"] == r["total_comp"] <= r["range_high"]
        assert r["base"] == (r["range_low"] + r["range_high"]) / 2
        assert r["equity"] is None and r["bonus"] is None
        assert (r["currency"], r["observed_year"], r["weight"]) == ("USD", 2026, 1)
        assert r["source"] == "postings"


def test_companies_are_the_frontier_labs(records: list[dict[str, Any]]) -> None:
    assert {(r["raw_company"], r["company"], r["tier"]) for r in records} == {
        ("Anthropic", "Anthropic", "frontier-lab"),
        ("OpenAI", "OpenAI", "frontier-lab"),
    }


@pytest.mark.parametrize(
    ("raw", "name", "tier"),
    [
        ("OpenAI", "OpenAI", "frontier-lab"),
        ("OpenAI LP", "OpenAI", "frontier-lab"),
        ("Anthropic PBC", "Anthropic", "frontier-lab"),
        ("DeepMind", "Google DeepMind", "frontier-lab"),
        ("Google DeepMind", "Google DeepMind", "frontier-lab"),
        ("x.AI", "xAI", "frontier-lab"),
        ("Mistral", "Mistral AI", "frontier-lab"),
        ("Cohere", "Cohere", "frontier-lab"),
        ("Inflection", "Inflection AI", "frontier-lab"),
        ("Character.AI", "Character.AI", "frontier-lab"),
        ("Adept AI", "Adept", "frontier-lab"),
        ("SSI", "Safe Superintelligence", "frontier-lab"),
        ("Thinking Machines", "Thinking Machines Lab", "frontier-lab"),
        ("Meta (FAIR)", "Meta", "big-tech"),
        ("Facebook AI Research", "Meta", "big-tech"),
        ("Scale AI", "Scale AI", "ai-unicorn"),
        ("Databricks", "Databricks", "ai-unicorn"),
        ("Perplexity AI", "Perplexity", "ai-unicorn"),
        ("HuggingFace", "Hugging Face", "ai-unicorn"),
        ("Together", "Together AI", "ai-unicorn"),
        ("Ai2", "Allen Institute for AI", "academia-gov"),
    ],
)
def test_ai_companies_are_known_by_name_and_alias(raw: str, name: str, tier: str) -> None:
    company = normalize_company(raw)
    assert company is not None
    assert (company.name, company.tier.value) == (name, tier)


def _places(records: list[dict[str, Any]], title: str) -> list[tuple[Any, ...]]:
    return [(r["country"], r["state"], r["city"], r["metro_code"]) for r in _of(records, title)]


def test_a_posting_naming_several_places_is_one_record_per_place(
    records: list[dict[str, Any]],
) -> None:
    # "Atlanta, GA; Austin, TX; Boston, MA; Chicago, IL; New York City, NY | Seattle, WA;
    #  San Francisco, CA | New York City, NY; Washington, DC": New York named twice, once here.
    deployed = _of(records, "Forward Deployed Engineer, Applied AI")
    assert len({r["source_id"] for r in deployed}) == 1
    assert [r["metro_code"] for r in deployed] == [
        "12060", "12420", "14460", "16980", "35620", "42660", "41860", "47900",
    ]  # fmt: skip
    assert _places(records, "Performance Engineer") == [
        ("US", "NY", "New York City", "35620"),
        ("US", "WA", "Seattle", "42660"),
        ("US", "CA", "San Francisco", "41860"),
    ]
    # A comma-separated run of places.
    assert [p[3] for p in _places(records, "Software Engineer, iOS")] == ["41860", "35620", "42660"]
    # Bare names as an Ashby board writes them; "Washington | DC" and "London | UK" joined back.
    assert _places(records, "Protection Scientist Engineer, Intelligence and Investigations") == [
        ("US", "CA", "San Francisco", "41860"),
        ("US", "NY", "New York City", "35620"),
        ("US", "DC", "Washington", "47900"),
        ("US", None, None, None),
    ]
    assert _places(records, "Software Engineer, Compute - Storage") == [
        ("US", "CA", "San Francisco", "41860"),
        ("GB", None, "London", None),
    ]
    assert _places(records, "Recruiting Coordinator [contract]") == [("US", None, None, None)]


def test_remote_mode_comes_from_the_location_text(records: list[dict[str, Any]]) -> None:
    def modes(title: str) -> set[str | None]:
        return {r["remote"] for r in _of(records, title)}

    assert modes("Senior Research Scientist, Reward Models") == {"hybrid"}  # Remote-Friendly
    assert modes("Recruiting Coordinator [contract]") == {"hybrid"}
    assert modes("Fullstack Engineer, Child Safety Tools & Systems") == {"remote"}
    assert modes("Research Engineer, Discovery") == {"onsite"}


@pytest.mark.parametrize(
    ("text", "places", "remote"),
    [
        ("['San Francisco']", [("US", "CA", "San Francisco", "41860")], "onsite"),
        ("London, UK", [("GB", None, "London", None)], "onsite"),
        ("Tokyo, Japan", [("JP", None, "Tokyo", None)], "onsite"),
        # Never guessed: a city abroad named alone stays as written, with no country.
        ("Zürich", [(None, None, "Zürich", None)], "onsite"),
        ("Zürich, Switzerland", [("CH", None, "Zürich", None)], "onsite"),
        (
            "San Francisco, CA (HQ) / New York, NY",
            [("US", "CA", "San Francisco", "41860"), ("US", "NY", "New York", "35620")],
            "onsite",
        ),
        ("Remote", [], "remote"),
        ("Hybrid - Seattle, WA", [("US", "WA", "Seattle", "42660")], "hybrid"),
        ("", [], None),
    ],
)
def test_location_shapes(text: str, places: list[tuple[Any, ...]], remote: str | None) -> None:
    found = postings.parse_locations(text)
    assert [p[:4] for p in found.places] == places
    assert found.remote == remote


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://job-boards.greenhouse.io/anthropic/jobs/4020350008", "greenhouse:4020350008"),
        (
            "https://boards.greenhouse.io/anthropic/jobs/4020350008?gh_src=x",
            "greenhouse:4020350008",
        ),
        ("https://www.example.com/careers?gh_jid=4020350008", "greenhouse:4020350008"),
        (
            "https://jobs.ashbyhq.com/openai/240d459b-696d-43eb-8497-fab3e56ecd9b",
            "ashby:240d459b-696d-43eb-8497-fab3e56ecd9b",
        ),
        (
            "https://jobs.lever.co/acme/0B5E2E4C-1C2D-4E5F-8A9B-0C1D2E3F4A5B/apply",
            "lever:0b5e2e4c-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
        ),
        (
            "https://openai.com/careers/research-scientist-san-francisco/",
            "openai.com/careers/research-scientist-san-francisco",
        ),
        ("https://www.example.com/jobs/42?utm_source=x&id=7", "example.com/jobs/42?id=7"),
        ("see our careers page", None),
        ("", None),
    ],
)
def test_posting_ids_come_from_the_url(url: str, expected: str | None) -> None:
    assert postings.posting_id(url) == expected


def test_one_url_given_to_two_titles_keeps_both_postings(sample: postings.Adapted) -> None:
    rows = sample.records.to_pylist()
    by_title = {r["raw_title"]: r["source_id"] for r in rows}
    base = "openai.com/careers/principal-software-engineer-chatgpt-for-work-san-francisco"
    assert by_title["Principal Software Engineer, ChatGPT for Work"] == (
        base + "#principal-software-engineer-chatgpt-for-work"
    )
    assert by_title["Software Engineer, ChatGPT for Work"] == (
        base + "#software-engineer-chatgpt-for-work"
    )
    assert any("3 URL(s) given to rows of different titles" in n for n in sample.notes)
    # Two postings of one title with their own URLs stay two postings.
    storage = {
        r["source_id"] for r in rows if r["raw_title"] == "Software Engineer, Online Storage"
    }
    assert len(storage) == 2


def test_another_board_export_without_optional_columns(tmp_path: Path) -> None:
    board = tmp_path / "board.csv"
    board.write_text(
        "Company,Title,Locations,Pay_Min,Pay_Max,Currency,First_Seen,URL\n"
        'Meta (FAIR),Research Scientist Intern,"Menlo Park, CA",120000,160000,USD,2025-06-02,'
        "https://jobs.lever.co/meta/0b5e2e4c-1c2d-4e5f-8a9b-0c1d2e3f4a5b\n"
        "Example Labs,Research Engineer,,300000,400000,USD,2025-06-02,https://example.com/jobs/9\n",
        encoding="utf-8",
    )
    adapted = postings.adapt(board)
    assert adapted.rows_loaded == 2 and adapted.reconciles()
    fair, example = adapted.records.to_pylist()
    assert (fair["company"], fair["tier"], fair["tag"]) == ("Meta", "big-tech", None)
    assert (fair["level"], fair["employment_type"]) == ("intern", "intern")
    assert (fair["metro_code"], fair["observed_year"]) == ("41860", 2025)  # San Mateo County
    # No location: one record without a place.
    assert (example["company"], example["tier"]) == ("Example Labs", "unknown")
    assert (example["country"], example["city"], example["remote"]) == (None, None, None)


@pytest.mark.fulldata
@pytest.mark.skipif(not SHARED_POSTINGS.exists(), reason="the postings file is not beside the repo")
def test_full_file_reconciles_with_one_placeholder_quarantined() -> None:
    adapted = postings.adapt(SHARED_POSTINGS)
    assert adapted.rows_read == 417 and adapted.reconciles()
    assert Counter(adapted.quarantine.column("reason").to_pylist()) == {
        "pay_min below $1,000 a year: 1": 1
    }
    table = adapted.records
    assert postings.distinct_postings(table) == adapted.rows_loaded == 416
    assert table.num_rows == 740
    rows = table.to_pylist()
    first: dict[str, dict[str, Any]] = {}
    for r in rows:
        first.setdefault(r["source_id"], r)
    per_posting = list(first.values())
    assert Counter(r["company"] for r in per_posting) == {"Anthropic": 283, "OpenAI": 133}
    assert {r["tier"] for r in rows} == {"frontier-lab"}
    families = Counter(r["role_family"] for r in per_posting)
    assert families["research-engineer"] == 36 and families["research-scientist"] == 11
    assert families["mlops-engineer"] == 12 and families["ml-engineer"] == 3
    assert sum(r["level"] is not None for r in per_posting) == 54
    us = [r for r in rows if r["country"] == "US"]
    # Only the country-wide "Remote - US" places have no metro.
    assert [r for r in us if r["metro_code"] is None] == [
        r for r in us if r["city"] is None and r["state"] is None
    ]
    assert sum(r["metro_code"] is not None for r in us) == 732
