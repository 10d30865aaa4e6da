"""Company names, normalized, and the tier of each (knowledge in ``companies.yaml``).

Raw names are matched after lower-casing, removing punctuation, a trailing ".com" and legal
suffixes ("Inc", "LLC", ...), first exactly against canonical names and aliases (also with spaces
removed: "Sales Force" is "Salesforce"), then by a conservative fuzzy match: a ``fuzz.ratio`` of at
least ``FUZZY_MIN`` on keys of at least ``FUZZY_MIN_LENGTH`` characters, so only a typo or two
matches ("Goldman Sachss" is Goldman Sachs; "Goolge" is too short to risk; "Discovery" is
not "Discover").
A company not listed keeps its cleaned name, title-cased word by word when written all in lower
case ("acme widgets" -> "Acme Widgets", "c3.ai" -> "C3.ai"), with tier ``unknown``.
Missing values (``None``, "", "NA", "N/A", ...) give ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from careerbench.errors import InvalidValue
from careerbench.knowledge import load_yaml
from careerbench.schema import Tier

FUZZY_MIN = 95
FUZZY_MIN_LENGTH = 7
LEGAL_SUFFIXES = r"(inc|llc|l l c|corp|corporation|ltd|limited|co|plc|gmbh|ag|sa|bv|nv|pvt|pte)"
MISSING = frozenset({"", "na", "n/a", "none", "nan", "null", "-"})


@dataclass(frozen=True)
class Company:
    name: str
    tier: Tier


@dataclass(frozen=True)
class _Knowledge:
    by_key: dict[str, Company]
    squeezed: dict[str, Company]
    names: list[str]


def key(raw: str) -> str:
    """The matching key of a company name: "Amazon.com, Inc." -> "amazon"."""
    text = raw.strip().lower()
    text = re.sub(r"\.com\b", "", text).replace("&", " & ")
    text = re.sub(r"[^a-z0-9&+ ]", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    previous = None
    while previous != text:
        previous = text
        text = re.sub(rf"\s+{LEGAL_SUFFIXES}$", "", text).strip()
    return text


@cache
def _knowledge() -> _Knowledge:
    document: dict[str, Any] = load_yaml(Path(__file__).with_name("companies.yaml"))
    by_key: dict[str, Company] = {}
    for tier_name, names in document["tiers"].items():
        tier = Tier(tier_name)
        for name in names:
            k = key(str(name))
            if k in by_key:
                raise ValueError(f"companies.yaml: {name!r} is listed twice")
            by_key[k] = Company(str(name), tier)
    for alias, canonical in document["aliases"].items():
        target = by_key.get(key(str(canonical)))
        if target is None:
            raise ValueError(f"companies.yaml: alias {alias!r} points to unknown {canonical!r}")
        by_key[key(str(alias))] = target
    squeezed = {k.replace(" ", ""): c for k, c in by_key.items()}
    return _Knowledge(by_key, squeezed, sorted({c.name for c in by_key.values()}))


def known_companies() -> list[str]:
    """Canonical names of every listed company, sorted."""
    return list(_knowledge().names)


@dataclass(frozen=True)
class CompanyMatch:
    """What a typed company name was read as (``company``, None when it is not listed) and how:
    ``exact`` (its listed name), ``alias`` (a name listed for it, "FB"), ``fuzzy`` (a typo or
    two from a listed name) or ``not found``."""

    text: str
    company: Company | None
    how: str

    @property
    def note(self) -> str:
        """What to tell the person who typed it ("" when it is the listed name)."""
        typed = self.text.strip()
        if self.company is None:
            return f"{typed}: not in our list of companies; matched as written in the data"
        if self.how == "alias":
            return f"{typed} → {self.company.name}"
        if self.how == "fuzzy":
            return f"{typed} → did you mean {self.company.name}?"
        return ""


@lru_cache(maxsize=16384)
def match_company(raw: str) -> CompanyMatch:
    """The listed company a raw name stands for, and how it was matched."""
    knowledge = _knowledge()
    k = key(raw)
    found = knowledge.by_key.get(k) or knowledge.squeezed.get(k.replace(" ", "")) if k else None
    if found is not None:
        return CompanyMatch(raw, found, "exact" if key(found.name) == k else "alias")
    if len(k) >= FUZZY_MIN_LENGTH:
        match = process.extractOne(
            k, list(knowledge.by_key), scorer=fuzz.ratio, score_cutoff=FUZZY_MIN
        )
        if match is not None:
            return CompanyMatch(raw, knowledge.by_key[match[0]], "fuzzy")
    return CompanyMatch(raw, None, "not found")


def lookup(raw: str) -> Company | None:
    """The listed company a raw name stands for, or None."""
    return match_company(raw).company


def _clean_name(raw: str) -> str:
    cleaned = re.sub(r"\s+", " ", raw.strip()).strip(" ,;")
    if any(c.isupper() for c in cleaned):
        return cleaned
    return " ".join(word[:1].upper() + word[1:] for word in cleaned.split(" "))


@lru_cache(maxsize=16384)
def normalize_company(raw: str | None) -> Company | None:
    """A raw company name as written in a source -> Company (``None`` when missing)."""
    if not isinstance(raw, str) or raw.strip().lower() in MISSING:
        return None
    found = lookup(raw)
    if found is not None:
        return found
    return Company(_clean_name(raw), Tier.UNKNOWN)


def tier_of(name: str) -> str | None:
    """The tier of a listed company (``None`` for a company not listed)."""
    found = lookup(name)
    return None if found is None or found.tier is Tier.UNKNOWN else found.tier.value


def resolve_tier(text: str) -> Tier:
    """A tier typed by a user ("big-tech", "Big Tech", "big_tech"); ``InvalidValue`` otherwise."""
    value = re.sub(r"[\s_]+", "-", text.strip().lower())
    try:
        return Tier(value)
    except ValueError:
        raise InvalidValue("tier", text, [t.value for t in Tier]) from None
