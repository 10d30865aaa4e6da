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
  distinct title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils

from careerbench.knowledge import load_yaml
from careerbench.schema import Level, RoleFamily


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
