"""Job titles -> role families and level hints (knowledge in ``titles.yaml``).

Conventions:
- ``classify_title`` tries the ordered regular expressions of ``titles.yaml`` (case ignored; the
  first match decides), then a fuzzy match (rapidfuzz ``WRatio`` on lower-cased text) against the
  example titles, accepted at ``fuzzy_min`` (88 of 100) or above, else ``RoleFamily.OTHER``;
- generic titles ("Engineer", "Manager", "Analyst", ...) name no domain and map to ``other``
  unless a Levels.fyi ``tag`` refines them;
- a Levels.fyi ``tag`` refines only the titles listed in ``levelsfyi.retag_titles``;
- ``title_level_hint`` reads level words ("Senior", "Staff", "Head of", ...); "Lead" is no level;
- results are cached per distinct string, so classifying a whole source costs one regex pass per
  distinct title;
- titles of postings on an employer's job board (every function of the company, written as
  "<role>, <team>") are read by ``classify_posting_title``, ``posting_title_level`` and
  ``posting_employment_type`` with the ``posting_titles`` rules of ``titles.yaml``: a plain
  "Software Engineer, <qualifier>" takes its family from the qualifier, non-technical functions
  are ``other`` whatever their rank word, and alternatives ("Senior/Staff") give the lowest level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils

from careerbench.knowledge import load_yaml
from careerbench.schema import EmploymentType, Level, RoleFamily


@dataclass(frozen=True)
class _Rules:
    rules: list[tuple[RoleFamily, re.Pattern[str]]]
    examples: dict[str, RoleFamily]
    fuzzy_min: float
    generic: frozenset[str]
    seniority: re.Pattern[str]
    ml_tag: re.Pattern[str]
    mlops_tag: re.Pattern[str]
    data_tag: re.Pattern[str]
    retag_titles: frozenset[str]
    level_words: list[tuple[Level, re.Pattern[str]]]
    posting: _PostingRules


@dataclass(frozen=True)
class _PostingRules:
    noise: re.Pattern[str]
    refine_heads: frozenset[str]
    qualifiers: list[tuple[RoleFamily, re.Pattern[str]]]
    functions: re.Pattern[str]
    technical: re.Pattern[str]
    level_noise: re.Pattern[str]
    level_words: list[tuple[Level, re.Pattern[str]]]
    employment: list[tuple[EmploymentType, re.Pattern[str]]]


def _posting_rules(doc: dict[str, Any], seniority: re.Pattern[str]) -> _PostingRules:
    return _PostingRules(
        noise=re.compile(doc["noise"], re.I),
        refine_heads=frozenset(_head_key(h, seniority) for h in doc["refine_heads"]),
        qualifiers=[
            (RoleFamily(q["family"]), re.compile(q["pattern"], re.I)) for q in doc["qualifiers"]
        ],
        functions=re.compile(doc["functions"], re.I),
        technical=re.compile(doc["technical"], re.I),
        level_noise=re.compile(doc["level_noise"], re.I),
        level_words=[
            (Level(w["level"]), re.compile(w["pattern"], re.I)) for w in doc["level_words"]
        ],
        employment=[
            (EmploymentType(e["type"]), re.compile(e["pattern"], re.I)) for e in doc["employment"]
        ],
    )


@cache
def _rules() -> _Rules:
    doc: dict[str, Any] = load_yaml(Path(__file__).with_name("titles.yaml"))
    lv = doc["levelsfyi"]
    seniority = re.compile(doc["seniority_words"], re.I)
    return _Rules(
        rules=[(RoleFamily(r["family"]), re.compile(r["pattern"], re.I)) for r in doc["rules"]],
        examples={
            example: RoleFamily(family)
            for family, examples in doc["examples"].items()
            for example in examples
        },
        fuzzy_min=float(doc["fuzzy_min"]),
        generic=frozenset(_core(t, seniority) for t in doc["generic_titles"]),
        seniority=seniority,
        ml_tag=re.compile(lv["ml_tag"], re.I),
        mlops_tag=re.compile(lv["mlops_tag"], re.I),
        data_tag=re.compile(lv["data_tag"], re.I),
        retag_titles=frozenset(t.lower() for t in lv["retag_titles"]),
        level_words=[
            (Level(w["level"]), re.compile(w["pattern"], re.I)) for w in doc["level_words"]
        ],
        posting=_posting_rules(doc["posting_titles"], seniority),
    )


def _core(title: str, seniority: re.Pattern[str]) -> str:
    """Lower case, punctuation as spaces, seniority words removed: "Sr. Analyst" -> "analyst"."""
    text = re.sub(r"[^\w&+]+", " ", title.lower())
    text = seniority.sub(" ", text)
    return " ".join(text.split())


@lru_cache(maxsize=8192)
def title_names_domain(title: str) -> bool:
    """False for titles that carry no domain ("Engineer", "Sr. Analyst", "Manager", ...)."""
    rules = _rules()
    core = _core(title, rules.seniority)
    return bool(core) and core not in rules.generic


@lru_cache(maxsize=8192)
def _family_of_title(title: str) -> RoleFamily:
    rules = _rules()
    text = title.strip()
    if not text or not title_names_domain(text):
        return RoleFamily.OTHER
    for family, pattern in rules.rules:
        if pattern.search(text):
            return family
    match = process.extractOne(
        text, list(rules.examples), scorer=fuzz.WRatio, processor=utils.default_process
    )
    if match is not None and match[1] >= rules.fuzzy_min:
        return rules.examples[match[0]]
    return RoleFamily.OTHER


@lru_cache(maxsize=8192)
def classify_title(title: str, tag: str | None = None) -> RoleFamily:
    """The role family of a job title, refined by a Levels.fyi-style tag where given."""
    rules = _rules()
    if tag and title.strip().lower() in rules.retag_titles:
        if rules.mlops_tag.search(tag):
            return RoleFamily.MLOPS_ENGINEER
        if rules.ml_tag.search(tag):
            return RoleFamily.ML_ENGINEER
        if rules.data_tag.search(tag):
            return RoleFamily.DATA_ENGINEER
    return _family_of_title(title)


@lru_cache(maxsize=8192)
def title_level_hint(title: str) -> Level | None:
    """The level a title states in words ("Senior", "Staff", "Head of", ...), if any."""
    for level, pattern in _rules().level_words:
        if pattern.search(title):
            return level
    return None


def _head_key(title: str, seniority: re.Pattern[str]) -> str:
    """Letters only, seniority words removed: "Staff+ Software Engineer" -> "software engineer"."""
    text = re.sub(r"[^a-z]+", " ", title.lower())
    return " ".join(seniority.sub(" ", text).split())


def _clean_posting_title(title: str) -> str:
    """A posting title without board markers ("[Expression of Interest]") and extra spaces."""
    return " ".join(_rules().posting.noise.sub(" ", title).split())


@lru_cache(maxsize=8192)
def classify_posting_title(title: str) -> RoleFamily:
    """The role family of a job-board posting's title (``posting_titles`` in ``titles.yaml``)."""
    rules = _rules()
    posting = rules.posting
    text = _clean_posting_title(title)
    head, qualifier = _split_head(text)
    if qualifier and _head_key(head, rules.seniority) in posting.refine_heads:
        for family, pattern in posting.qualifiers:
            if pattern.search(qualifier):
                return family
        return RoleFamily.SOFTWARE_ENGINEER
    if posting.functions.search(text) and not posting.technical.search(text):
        return RoleFamily.OTHER
    if qualifier:
        family = _family_of_title(head)
        if family is not RoleFamily.OTHER:
            return family
    return _family_of_title(text)


def _split_head(text: str) -> tuple[str, str]:
    """("Software Engineer", "Data Acquisition") from "Software Engineer, Data Acquisition".

    The head ends at the first ", ", " - " (or en/em dash) or "("; the qualifier is the rest.
    """
    match = re.search(r",\s|\s[-\u2013\u2014]\s|\(", text)
    if match is None:
        return text, ""
    qualifier = text[match.end() :].strip(" ()")
    return text[: match.start()].strip(), qualifier


@lru_cache(maxsize=8192)
def posting_title_level(title: str) -> Level | None:
    """The level a posting's title states, the lowest one where it offers alternatives.

    "Senior/Staff Software Engineer" -> senior; "Senior Staff ..." -> principal; "Engineering
    Manager, Inference" -> staff; "Research Engineer" -> None (the title states no level).
    """
    posting = _rules().posting
    text = posting.level_noise.sub(" ", _clean_posting_title(title))
    for level, pattern in posting.level_words:
        if pattern.search(text):
            return level
    found = [hint for part in re.split(r"/", text) if (hint := title_level_hint(part))]
    return min(found, key=lambda level: level.rank) if found else None


@lru_cache(maxsize=8192)
def posting_employment_type(title: str) -> EmploymentType:
    """Intern, contract, part-time or freelance where a posting's title says so, else full-time."""
    for kind, pattern in _rules().posting.employment:
        if pattern.search(title):
            return kind
    return EmploymentType.FULL_TIME
