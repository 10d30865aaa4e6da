"""Company levels -> the common ladder (knowledge in ``ladders.yaml``).

``map_level`` tries, in order: the company's own ladder, its tier's ladder (e.g. banks'
Analyst/Associate/VP), generic patterns ("Senior", "L5", "SDE II", ...), the level words of the
title, and finally years of experience. It returns the level with its *basis* (``ladder``,
``pattern``, ``title``, ``experience`` or ``unknown``) so every record says how its level was found.

Conventions:
- levels are values of ``careerbench.schema.Level`` (intern ... director+); company level strings
  are compared after ``normalize_level`` (upper case, single spaces, "IC-3" -> "IC3");
- a company is looked up through ``companies.lookup``, so aliases share a ladder (Facebook: Meta);
- the experience fallback uses the ``experience`` thresholds of ``ladders.yaml`` (halfway between
  the median years of adjacent levels in the ladder-mapped Levels.fyi rows) and never yields
  ``director+``; missing or negative years (``None``, NaN) give no level;
- ``resolve_level`` accepts only the common levels and the ``aliases`` of ``ladders.yaml`` ("sr",
  "director", "director-plus", ...), never a company's own level string such as "L5".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from careerbench.errors import InvalidValue
from careerbench.knowledge import load_yaml
from careerbench.schema import Level
from careerbench.taxonomy.companies import lookup
from careerbench.taxonomy.titles import title_level_hint


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    level: Level | None
    ladder: dict[str, Level]

    def apply(self, text: str) -> Level | None:
        match = self.pattern.search(text)
        if match is None:
            return None
        if self.level is not None:
            return self.level
        groups = [g for g in match.groups() if g is not None]
        return self.ladder.get(groups[0] if groups else match.group(0))


@dataclass(frozen=True)
class _Ladder:
    exact: dict[str, Level]
    rules: list[_Rule]

    def find(self, text: str) -> Level | None:
        if text in self.exact:
            return self.exact[text]
        for rule in self.rules:
            level = rule.apply(text)
            if level is not None:
                return level
        return None


@dataclass(frozen=True)
class _Knowledge:
    companies: dict[str, _Ladder]
    tiers: dict[str, _Ladder]
    generic: _Ladder
    experience: list[tuple[float, Level]]
    aliases: dict[str, Level]


def normalize_level(raw: str) -> str:
    """Upper case, single spaces.

    "ic-3" -> "IC3", "2-1" kept, "Vice-President" -> "VICE PRESIDENT".
    """
    text = raw.upper()
    text = re.sub(r"(?<=[A-Z])\s*-\s*(?=\d)|(?<=\d)\s*-\s*(?=[A-Z])", "", text)
    text = re.sub(r"(?<!\d)-|-(?!\d)", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _rule(entry: dict[str, Any]) -> _Rule:
    return _Rule(
        pattern=re.compile(entry["pattern"]),
        level=Level(entry["level"]) if "level" in entry else None,
        ladder={str(k): Level(v) for k, v in entry.get("ladder", {}).items()},
    )


def _ladder(entry: dict[str, Any]) -> _Ladder:
    return _Ladder(
        exact={normalize_level(str(k)): Level(v) for k, v in entry.get("exact", {}).items()},
        rules=[_rule(r) for r in entry.get("patterns", [])],
    )


@cache
def _knowledge() -> _Knowledge:
    doc: dict[str, Any] = load_yaml(Path(__file__).with_name("ladders.yaml"))
    return _Knowledge(
        companies={name: _ladder(entry) for name, entry in doc["companies"].items()},
        tiers={name: _ladder(entry) for name, entry in doc["tier_ladders"].items()},
        generic=_Ladder({}, [_rule(r) for r in doc["generic"]]),
        experience=[(float(e["below"]), Level(e["level"])) for e in doc["experience"]],
        aliases={str(k): Level(v) for k, v in doc["aliases"].items()},
    )


def ladder_companies() -> list[str]:
    """Companies with a ladder of their own."""
    return sorted(_knowledge().companies)


def level_from_experience(years: float) -> Level:
    for below, level in _knowledge().experience:
        if years < below:
            return level
    return _knowledge().experience[-1][1]


@lru_cache(maxsize=65536)
def _from_level_string(company: str | None, raw_level: str) -> tuple[Level | None, str]:
    knowledge = _knowledge()
    text = normalize_level(raw_level)
    if not text or text in {"NA", "N/A", "NONE"}:
        return None, "unknown"
    found = lookup(company) if company else None
    name = found.name if found else company
    if name in knowledge.companies:
        level = knowledge.companies[name].find(text)
        if level is not None:
            return level, "ladder"
    if found is not None and found.tier.value in knowledge.tiers:
        level = knowledge.tiers[found.tier.value].find(text)
        if level is not None:
            return level, "ladder"
    level = knowledge.generic.find(text)
    return (level, "pattern") if level is not None else (None, "unknown")


def map_level(
    company: str | None,
    raw_level: str | None,
    title: str | None,
    years_experience: float | None,
) -> tuple[Level | None, str]:
    """(level, basis) for one report; basis says how the level was found."""
    company = company if isinstance(company, str) else None
    if isinstance(raw_level, str) and raw_level:
        level, basis = _from_level_string(company, raw_level)
        if level is not None:
            return level, basis
    if isinstance(title, str) and title:
        hint = title_level_hint(title)
        if hint is not None:
            return hint, "title"
    if years_experience is not None and years_experience == years_experience >= 0:
        return level_from_experience(years_experience), "experience"
    return None, "unknown"


def resolve_level(text: str) -> Level:
    """A level typed by a user ("senior", "Senior", "sr", "director")."""
    value = text.strip().lower()
    try:
        return Level(value)
    except ValueError:
        pass
    aliases = _knowledge().aliases
    if value in aliases:
        return aliases[value]
    raise InvalidValue("level", text, [lv.value for lv in Level])
