"""Job titles -> role families, level hints and domain words, on named cases and on real rows."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from careerbench.schema import Level, RoleFamily
from careerbench.taxonomy.titles import classify_title, title_level_hint, title_names_domain

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
AIJOBS = SHARED_DATA / "aijobs_salaries" / "salaries.csv"


def _domain_share(titles: list[str]) -> float:
    """Share of rows whose title names a domain that map to a family other than ``other``."""
    domain = [t for t in titles if title_names_domain(t)]
    specific = sum(classify_title(t) is not RoleFamily.OTHER for t in domain)
    return specific / len(domain)


@pytest.mark.parametrize(
    ("title", "family"),
    [
        ("Machine Learning Engineer", RoleFamily.ML_ENGINEER),
        ("Senior ML Engineer", RoleFamily.ML_ENGINEER),
        ("Staff Machine Learning Engineer", RoleFamily.ML_ENGINEER),
        ("Computer Vision Engineer", RoleFamily.ML_ENGINEER),
        ("NLP Engineer", RoleFamily.ML_ENGINEER),
        ("MLOps Engineer", RoleFamily.MLOPS_ENGINEER),
        ("ML Platform Engineer", RoleFamily.MLOPS_ENGINEER),
        ("Machine Learning Infrastructure Engineer", RoleFamily.MLOPS_ENGINEER),
        ("Research Scientist", RoleFamily.RESEARCH_SCIENTIST),
        ("AI Researcher", RoleFamily.RESEARCH_SCIENTIST),
        ("Research Engineer", RoleFamily.RESEARCH_ENGINEER),
        ("Applied Scientist", RoleFamily.APPLIED_SCIENTIST),
        ("Applied Machine Learning Scientist", RoleFamily.APPLIED_SCIENTIST),
        ("AI Engineer", RoleFamily.AI_ENGINEER),
        ("GenAI Engineer", RoleFamily.AI_ENGINEER),
        ("LLM Engineer", RoleFamily.AI_ENGINEER),
        ("Data Scientist", RoleFamily.DATA_SCIENTIST),
        ("Analytics Engineer", RoleFamily.DATA_ENGINEER),
        ("Data Architect", RoleFamily.DATA_ENGINEER),
        ("Data Engineer", RoleFamily.DATA_ENGINEER),
        ("BI Developer", RoleFamily.DATA_ANALYST),
        ("Data Analyst", RoleFamily.DATA_ANALYST),
        ("Head of Data", RoleFamily.MANAGER),
        ("Director of Machine Learning", RoleFamily.MANAGER),
        ("Software Engineering Manager", RoleFamily.MANAGER),
        ("Product Manager", RoleFamily.PRODUCT_MANAGER),
        ("Technical Program Manager", RoleFamily.PRODUCT_MANAGER),
        ("Hardware Engineer", RoleFamily.HARDWARE_ENGINEER),
        ("Mechanical Engineer", RoleFamily.HARDWARE_ENGINEER),
        ("Software Engineer", RoleFamily.SOFTWARE_ENGINEER),
        ("Backend Developer", RoleFamily.SOFTWARE_ENGINEER),
        ("Solution Architect", RoleFamily.SOFTWARE_ENGINEER),
        ("Account Executive", RoleFamily.OTHER),
        ("Engineer", RoleFamily.OTHER),
        ("", RoleFamily.OTHER),
    ],
)
def test_titles_map_to_families(title: str, family: RoleFamily) -> None:
    assert classify_title(title) is family


def test_fuzzy_fallback_catches_misspellings_only() -> None:
    assert classify_title("Machine Learnng Enginer") is RoleFamily.ML_ENGINEER
    assert classify_title("Pastry Chef") is RoleFamily.OTHER


@pytest.mark.parametrize(
    ("title", "tag", "family"),
    [
        ("Software Engineer", "ML / AI", RoleFamily.ML_ENGINEER),
        ("Software Engineer", "Machine Learning", RoleFamily.ML_ENGINEER),
        ("Software Engineer", "Deep Learning", RoleFamily.ML_ENGINEER),
        ("Software Engineer", "Computer Vision", RoleFamily.ML_ENGINEER),
        ("Software Engineer", "NLP", RoleFamily.ML_ENGINEER),
        ("Software Engineer", "AI", RoleFamily.ML_ENGINEER),
        ("Software Engineer", "Recommender Systems", RoleFamily.ML_ENGINEER),
        ("Software Engineer", "MLOps", RoleFamily.MLOPS_ENGINEER),
        (
            "Software Engineer",
            "ML/AI Engineering (Not Model Development)",
            RoleFamily.MLOPS_ENGINEER,
        ),
        ("Software Engineer", "Data", RoleFamily.DATA_ENGINEER),
        ("Software Engineer", "Full Stack", RoleFamily.SOFTWARE_ENGINEER),
        ("Software Engineer", "DevOps", RoleFamily.SOFTWARE_ENGINEER),
        ("Software Engineer", "Robotics", RoleFamily.SOFTWARE_ENGINEER),
        ("Software Engineer", "Email", RoleFamily.SOFTWARE_ENGINEER),
        ("Data Scientist", "ML / AI", RoleFamily.DATA_SCIENTIST),
        ("Software Engineering Manager", "ML / AI", RoleFamily.MANAGER),
        ("Hardware Engineer", "ML / AI", RoleFamily.HARDWARE_ENGINEER),
    ],
)
def test_levelsfyi_tags_refine_software_engineers(title: str, tag: str, family: RoleFamily) -> None:
    assert classify_title(title, tag) is family


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("Machine Learning Intern", Level.INTERN),
        ("Junior Data Analyst", Level.ENTRY),
        ("Senior Data Scientist", Level.SENIOR),
        ("Sr. ML Engineer", Level.SENIOR),
        ("Staff Software Engineer", Level.STAFF),
        ("Principal Applied Scientist", Level.PRINCIPAL),
        ("Head of AI", Level.DIRECTOR_PLUS),
        ("Director of Data Science", Level.DIRECTOR_PLUS),
        ("VP of Engineering", Level.DIRECTOR_PLUS),
        ("Chief Data Officer", Level.DIRECTOR_PLUS),
        ("Lead Data Engineer", None),
        ("Data Scientist", None),
    ],
)
def test_title_level_hints(title: str, level: Level | None) -> None:
    assert title_level_hint(title) is level


@pytest.mark.parametrize(
    ("title", "names_domain"),
    [
        ("Engineer", False),
        ("Senior Engineer", False),
        ("Manager", False),
        ("Sr. Analyst", False),
        ("Associate", False),
        ("Consultant", False),
        ("Developer", False),
        ("Specialist", False),
        ("Architect", False),
        ("Lead", False),
        ("Engineer II", False),
        ("Data Engineer", True),
        ("Senior Machine Learning Engineer", True),
        ("Account Executive", True),
    ],
)
def test_generic_titles_name_no_domain(title: str, names_domain: bool) -> None:
    assert title_names_domain(title) is names_domain


def test_domain_titles_of_the_fixture_map_to_families() -> None:
    with (FIXTURES / "aijobs_sample.csv").open(newline="", encoding="utf-8") as handle:
        titles = [row["job_title"] for row in csv.DictReader(handle)]
    assert len(titles) >= 100
    assert _domain_share(titles) >= 0.95


@pytest.mark.fulldata
def test_domain_titles_of_the_full_aijobs_file_map_to_families() -> None:
    if not AIJOBS.exists():
        pytest.skip("the aijobs file is not beside the repository")
    with AIJOBS.open(newline="", encoding="utf-8") as handle:
        titles = [row["job_title"] for row in csv.DictReader(handle)]
    assert len(titles) > 100_000
    assert _domain_share(titles) >= 0.95
