"""Company names, normalized, and the tier of each (knowledge in ``companies.yaml``).

Raw names are matched after lower-casing, removing punctuation and legal suffixes ("Inc", "LLC",
...), first exactly against canonical names and aliases, then by a conservative fuzzy match
(``FUZZY_MIN`` on names of at least ``FUZZY_MIN_LENGTH`` characters). A company not listed keeps
its cleaned, title-cased name and tier ``unknown``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from careerbench.errors import InvalidValue
from careerbench.schema import Tier

FUZZY_MIN = 93
FUZZY_MIN_LENGTH = 6
LEGAL_SUFFIXES = r"(inc|llc|l l c|corp|corporation|ltd|limited|co|plc|gmbh|ag|sa|bv|nv|pvt|pte)"
MISSING = {"", "na", "n/a", "none", "nan", "null", "-"}


@dataclass(frozen=True)
class Company:
    name: str
    tier: Tier


def key(raw: str) -> str:
    """The matching key of a company name."""
    text = raw.strip().lower().replace("&", " & ")
    text = re.sub(r"[^a-z0-9&+ ]", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    previous = None
    while previous != text:
        previous = text
        text = re.sub(rf"\s+{LEGAL_SUFFIXES}$", "", text).strip()
    return text


@cache
def _knowledge() -> tuple[dict[str, Company], list[str]]:
    document: dict[str, Any] = yaml.safe_load(
        Path(__file__).with_name("companies.yaml").read_text()
    )
    by_key: dict[str, Company] = {}
    for tier_name, names in document["tiers"].items():
        tier = Tier(tier_name)
        for name in names:
            by_key[key(str(name))] = Company(str(name), tier)
    for alias, canonical in document["aliases"].items():
        target = by_key.get(key(str(canonical)))
        if target is None:
            raise ValueError(f"companies.yaml: alias {alias!r} points to unknown {canonical!r}")
        by_key[key(str(alias))] = target
    return by_key, sorted({c.name for c in by_key.values()})


def known_companies() -> list[str]:
    """Canonical names of every listed company."""
    return _knowledge()[1]


@lru_cache(maxsize=16384)
def lookup(raw: str) -> Company | None:
    """The listed company a raw name stands for, or None."""
    by_key, _ = _knowledge()
    k = key(raw)
    if not k:
        return None
    found = by_key.get(k)
    if found is not None:
        return found
    if len(k) >= FUZZY_MIN_LENGTH:
        match = process.extractOne(k, list(by_key), scorer=fuzz.ratio, score_cutoff=FUZZY_MIN)
        if match is not None:
            return by_key[match[0]]
    return None


@lru_cache(maxsize=16384)
def normalize_company(raw: str | None) -> Company | None:
    """A raw company name as written in a source -> Company (``None`` when missing)."""
    if raw is None or raw.strip().lower() in MISSING:
        return None
    found = lookup(raw)
    if found is not None:
        return found
    cleaned = re.sub(r"\s+", " ", raw.strip())
    name = cleaned if any(c.isupper() for c in cleaned) else cleaned.title()
    return Company(name, Tier.UNKNOWN)


def resolve_company(text: str) -> Company:
    """A company named by a user; unknown names get the closest listed ones."""
    found = lookup(text)
    if found is None:
        raise InvalidValue("company", text, known_companies(), hint="(or filter by --tier instead)")
    return found


def resolve_tier(text: str) -> Tier:
    value = text.strip().lower()
    try:
        return Tier(value)
    except ValueError:
        raise InvalidValue("tier", text, [t.value for t in Tier]) from None
