"""Places: countries (ISO 3166-1 alpha-2), US states (USPS codes) and metro areas (CBSA codes).

Knowledge lives beside this module: ``countries.csv`` (codes, names, aliases), ``us_states.csv``,
``metros.csv`` (every metropolitan statistical area with its CBSA code and name as the BEA
writes it) and ``metro_cities.csv`` (cities and suburbs -> their CBSA).

``parse_location`` reads source strings ("Seattle, WA", "London, EN, United Kingdom");
``resolve_place`` and friends read what users type and raise ``InvalidValue`` with the closest
matches when they cannot.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from careerbench.errors import InvalidValue

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Place:
    country: str
    state: str | None = None
    city: str | None = None
    metro_code: str | None = None
    metro_name: str | None = None

    @property
    def label(self) -> str:
        if self.city and self.state:
            return f"{self.city}, {self.state}"
        if self.metro_name:
            return self.metro_name
        if self.state:
            return self.state
        return self.country


def _rows(name: str) -> list[dict[str, str]]:
    with (HERE / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def _countries() -> dict[str, str]:
    """lower-case name, alias or code -> ISO-2 code."""
    out: dict[str, str] = {}
    for row in _rows("countries.csv"):
        code = row["code"]
        out[code.lower()] = code
        out[row["name"].lower()] = code
        for alias in filter(None, row["aliases"].split(";")):
            out[alias.strip().lower()] = code
    return out


@cache
def _states() -> dict[str, str]:
    """lower-case code or name -> USPS code."""
    out: dict[str, str] = {}
    for row in _rows("us_states.csv"):
        out[row["code"].lower()] = row["code"]
        out[row["name"].lower()] = row["code"]
    return out


@cache
def _metros() -> dict[str, str]:
    """CBSA code -> name."""
    return {row["cbsa"]: row["name"] for row in _rows("metros.csv")}


@cache
def _metro_cities() -> dict[tuple[str, str], str]:
    """(lower-case city, state) -> CBSA code."""
    return {(row["city"].lower(), row["state"]): row["cbsa"] for row in _rows("metro_cities.csv")}


def _us_place(city: str, state: str) -> Place:
    code = _metro_cities().get((city.lower(), state))
    return Place("US", state, city, code, _metros().get(code) if code else None)


@lru_cache(maxsize=8192)
def parse_location(text: str | None) -> Place | None:
    """A location string from a source -> Place; None when it cannot be read."""
    if not isinstance(text, str) or not text.strip():
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) == 2 and re.fullmatch(r"[A-Z]{2}", parts[1]) and parts[1].lower() in _states():
        return _us_place(parts[0], parts[1])
    if len(parts) >= 2:
        country = _countries().get(parts[-1].lower())
        if country == "US" and len(parts) == 3 and parts[1].lower() in _states():
            return _us_place(parts[0], _states()[parts[1].lower()])
        if country is not None:
            return Place(country, city=parts[0])
    country = _countries().get(text.strip().lower())
    return Place(country) if country else None


def resolve_country(text: str) -> str:
    """ISO-2 code of a country typed by a user ("US", "United States", "uk")."""
    code = _countries().get(text.strip().lower())
    if code is None:
        names = sorted({row["name"] for row in _rows("countries.csv")} | set(_countries().values()))
        raise InvalidValue("country", text, names)
    return code


def resolve_state(text: str) -> str:
    """USPS code of a US state typed by a user ("CA", "California")."""
    code = _states().get(text.strip().lower())
    if code is None:
        names = sorted({row["name"] for row in _rows("us_states.csv")} | set(_states().values()))
        raise InvalidValue("state", text, names)
    return code


def resolve_metro(text: str) -> tuple[str, str]:
    """(CBSA code, name) of a metro typed by a user: a code, a metro name or a city."""
    value = text.strip()
    metros = _metros()
    if value in metros:
        return value, metros[value]
    city = re.fullmatch(r"(.+?),\s*([A-Za-z]{2})", value)
    if city:
        place = _us_place(city.group(1).strip().title(), city.group(2).upper())
        if place.metro_code:
            return place.metro_code, metros[place.metro_code]
    by_city = {c: code for (c, _), code in _metro_cities().items()}
    if value.lower() in by_city:
        code = by_city[value.lower()]
        return code, metros[code]
    names = {name: code for code, name in metros.items()}
    match = process.extractOne(
        value, list(names), scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=90
    )
    if match is not None:
        return names[match[0]], match[0]
    raise InvalidValue("metro", text, list(names))


def resolve_place(text: str) -> Place:
    """A place typed by a user: country, state, "City, ST", metro name or CBSA code."""
    value = text.strip()
    lowered = value.lower()
    if lowered in _countries() and not (len(value) == 2 and lowered in _states() and value != "US"):
        return Place(_countries()[lowered])
    if lowered in _states():
        return Place("US", _states()[lowered])
    city = re.fullmatch(r"(.+?),\s*([A-Za-z]{2})", value)
    if city and city.group(2).lower() in _states():
        return _us_place(city.group(1).strip().title(), city.group(2).upper())
    try:
        code, name = resolve_metro(value)
    except InvalidValue:
        candidates = (
            [row["name"] for row in _rows("countries.csv")]
            + [row["name"] for row in _rows("us_states.csv")]
            + list(_metros().values())
        )
        raise InvalidValue("place", text, candidates) from None
    state = re.search(r",\s*([A-Z]{2})", name)
    return Place("US", state.group(1) if state else None, None, code, name)
