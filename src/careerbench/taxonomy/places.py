"""Places: countries (ISO 3166-1 alpha-2), US states (USPS codes) and metro areas (CBSA codes).

Knowledge lives beside this module, in files a reviewer can read:

- ``countries.csv``: ISO-2 code, English name and common variants ("UK", "Korea, South");
- ``us_states.csv``: USPS code, name, FIPS code and variants, for the 50 states, DC and PR;
- ``metros.csv``: every metropolitan statistical area with its CBSA code and its name as the BEA
  writes it in its Regional Price Parities (2023 delineation, e.g. 41860 "San
  Francisco-Oakland-Fremont, CA");
- ``metro_cities.csv``: cities and suburbs -> their CBSA (a city outside every metropolitan
  statistical area is absent, so it has no metro);
- ``metro_aliases.csv``: names people use for a metro ("Bay Area", "NYC", "DFW");
- ``cities_abroad.csv``: cities outside the US people name without their country ("London",
  "Bangalore"), so such a name is read as that city, never as a US metro it resembles.

Three entry points:

- ``parse_location`` reads source strings ("Seattle, WA", "London, EN, United Kingdom",
  "Seoul, KG, Korea, South"). US places get their state, city and, when the city is in
  ``metro_cities.csv``, their metro. Source strings that name a famous place in the wrong state
  ("Dublin, IN", "California City, CA") are geocoder artefacts more often than not; they keep
  their state but get no metro. Outside the US only the country (and the city as written) is
  kept: the middle part is a region code, not a USPS state.
- ``parse_place_name`` reads a place a source names in a word or two, without its state or
  country, as job boards write their offices ("San Francisco", "New York City", "United
  Kingdom"): a country, a metro alias, the city named first in exactly one metro's name, or a
  state. Nothing is guessed: a suburb ("Palo Alto"), a name several metros share ("Portland") and
  a city abroad ("London", "Zürich") give None. A bare name is read as a city before a state
  ("Washington" is Washington, DC: boards name offices), and a US city named first in its metro
  stays the US one even where a city abroad shares its name ("Athens", "Manchester").
- ``match_place`` reads what a user typed and says what it matched and how (``PlaceMatch``:
  ``exact``, ``alias``, ``fuzzy`` or ``not found``, with a note for people); every face shows
  that note, so a place is never silently read as another. ``resolve_place`` (and
  ``resolve_country``/``resolve_state``/``resolve_metro``) return the place and raise
  ``InvalidValue`` listing the closest matches when there is none. A two-letter code
  that is both a US state and a country ("CA", "IN", "DE") is read as the state by
  ``resolve_place``; ``resolve_country`` reads it as the country. "Remote" is not a place.

Matching ignores case, full stops and repeated spaces, and treats "Saint"/"St" alike.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from careerbench.errors import InvalidValue, closest
from careerbench.knowledge import load_csv

HERE = Path(__file__).parent

_CITY_STATE = re.compile(r"(.+?),\s*([A-Za-z]{2})")
_CBSA = re.compile(r"\d{5}")


@dataclass(frozen=True)
class Place:
    """A place at the finest level known: country, then state, city and metro (US only)."""

    country: str
    state: str | None = None
    city: str | None = None
    metro_code: str | None = None
    metro_name: str | None = None

    @property
    def label(self) -> str:
        """A short human label: "City, ST", else the metro name, else the state or country."""
        if self.city and self.state:
            return f"{self.city}, {self.state}"
        if self.metro_name:
            return self.metro_name
        if self.state:
            return self.state
        if self.city:
            return f"{self.city}, {self.country}"
        return self.country


#: How a typed place was matched: by its own name or code; by a name people use for it (an
#: alias, a city within a metro, a state's name for its code); by a guess (a name close to it, or
#: a bare city name shared with a city abroad); or not at all.
EXACT, ALIAS, FUZZY, NOT_FOUND = "exact", "alias", "fuzzy", "not found"


@dataclass(frozen=True)
class PlaceMatch:
    """What a typed place was read as (``place``, None when nothing matched) and how (``how``);
    ``suggestions`` are the closest known places when nothing matched."""

    text: str
    place: Place | None
    how: str
    suggestions: tuple[str, ...] = ()
    #: Every place the text was compared with when nothing matched (for the error's list).
    candidates: tuple[str, ...] = field(default=(), repr=False, compare=False)
    hint: str = ""

    @property
    def shown(self) -> str:
        """The place matched as people read it ("London, United Kingdom", "Seattle-Tacoma-
        Bellevue, WA"); "" when nothing matched."""
        if self.place is None:
            return ""
        if self.place.country != "US":
            name = _country_names().get(self.place.country, self.place.country)
            return f"{self.place.city}, {name}" if self.place.city else name
        return self.place.label

    @property
    def note(self) -> str:
        """What to tell the person who typed it ("" when it matched exactly)."""
        if self.how == EXACT:
            return ""
        if self.how == ALIAS:
            return f"{self.text.strip()} → {self.shown}"
        if self.how == FUZZY:
            return f"{self.text.strip()} → did you mean {self.shown}?"
        close = "; did you mean " + " or ".join(self.suggestions) + "?" if self.suggestions else ""
        return f"{self.text.strip()}: not a place we know{close}"

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "matched": self.shown or None,
            "how": self.how,
            "note": self.note,
            "suggestions": list(self.suggestions),
        }


def _key(text: str) -> str:
    """The matching key of a name: lower case, no full stops, "saint" -> "st", single spaces."""
    value = text.lower().replace(".", "").replace("\u2019", "'")
    value = re.sub(r"\bsaint\b", "st", value)
    return re.sub(r"\s+", " ", value).strip()


def _rows(name: str) -> tuple[dict[str, str], ...]:
    return load_csv(HERE / name)


def _aliases(row: dict[str, str]) -> list[str]:
    return [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]


def _labelled(row: dict[str, str]) -> str:
    """ "California (CA)": how suggestions name a state or country (accepted as input too)."""
    return f"{row['name']} ({row['code']})"


@cache
def _countries() -> dict[str, str]:
    """Key of a code, name or alias -> ISO-2 code."""
    out: dict[str, str] = {}
    for row in _rows("countries.csv"):
        for name in (row["code"], row["name"], _labelled(row), *_aliases(row)):
            out[_key(name)] = row["code"]
    return out


@cache
def _country_names() -> dict[str, str]:
    """ISO-2 code -> English name."""
    return {row["code"]: row["name"] for row in _rows("countries.csv")}


@cache
def _state_codes() -> frozenset[str]:
    return frozenset(row["code"] for row in _rows("us_states.csv"))


def state_codes() -> list[str]:
    """The USPS codes of the states (and DC), sorted."""
    return sorted(_state_codes())


@cache
def _states() -> dict[str, str]:
    """Key of a USPS code, name or alias -> USPS code."""
    out: dict[str, str] = {}
    for row in _rows("us_states.csv"):
        for name in (row["code"], row["name"], _labelled(row), *_aliases(row)):
            out[_key(name)] = row["code"]
    return out


def _state_names() -> dict[str, str]:
    """USPS code -> name."""
    return {row["code"]: row["name"] for row in _rows("us_states.csv")}


@cache
def _metros() -> dict[str, str]:
    """CBSA code -> name."""
    return {row["cbsa"]: row["name"] for row in _rows("metros.csv")}


@cache
def _metro_by_name() -> dict[str, str]:
    """Key of a metro's full name, and of its name without the states -> CBSA code."""
    out: dict[str, str] = {_key(name): code for code, name in _metros().items()}
    short: dict[str, set[str]] = defaultdict(set)
    for code, name in _metros().items():
        short[_key(name.rsplit(",", 1)[0])].add(code)
    for name, codes in short.items():
        if len(codes) == 1:  # "Rochester" names two metros: left to the city lookup
            out.setdefault(name, next(iter(codes)))
    return out


@cache
def _metro_aliases() -> dict[str, str]:
    """Key of an alias ("Bay Area") -> CBSA code."""
    return {_key(row["alias"]): row["cbsa"] for row in _rows("metro_aliases.csv")}


@cache
def _metro_cities() -> dict[tuple[str, str], tuple[str, str]]:
    """(key of a city, USPS state) -> (city as written in the table, CBSA code)."""
    return {
        (_key(row["city"]), row["state"]): (row["city"], row["cbsa"])
        for row in _rows("metro_cities.csv")
    }


@cache
def _cities_by_name() -> dict[str, frozenset[str]]:
    """Key of a city name alone -> the CBSA codes of every city (or principal city) so named."""
    out: dict[str, set[str]] = defaultdict(set)
    for (city, _), (_, code) in _metro_cities().items():
        out[city].add(code)
    for code, name in _metros().items():
        for principal in name.rsplit(",", 1)[0].split("-"):
            if principal:
                out[_key(principal)].add(code)
    return {city: frozenset(codes) for city, codes in out.items()}


def _metro_state(name: str) -> str | None:
    """The first state of a metro name ("New York-Newark-Jersey City, NY-NJ" -> "NY")."""
    match = re.search(r",\s*([A-Z]{2})", name)
    return match.group(1) if match else None


def _metro_place(code: str) -> Place:
    name = _metros()[code]
    return Place("US", _metro_state(name), None, code, name)


def _us_place(city: str, state: str) -> Place:
    """A US city: its name as the table writes it when known, and its metro when it has one."""
    known = _metro_cities().get((_key(city), state))
    if known is None:
        return Place("US", state, city.strip())
    name, code = known
    return Place("US", state, name, code, _metros()[code])


def _split_country(parts: list[str]) -> tuple[str, list[str]] | None:
    """(ISO-2 code, the parts before it) when trailing parts name a country."""
    for count in range(1, len(parts)):
        code = _countries().get(_key(", ".join(parts[-count:])))
        if code is not None:
            return code, parts[:-count]
    return None


@lru_cache(maxsize=8192)
def parse_location(text: str | None) -> Place | None:
    """A location string from a source -> Place; None when it cannot be read.

    Reads "City, ST" (US), "City, ST, United States" and "City, Region, Country".
    """
    if not isinstance(text, str) or not text.strip():
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) == 2 and parts[1] in _state_codes():
        return _us_place(parts[0], parts[1])
    split = _split_country(parts) if len(parts) >= 2 else None
    if split is not None:
        country, rest = split
        if country == "US":
            if len(rest) == 2 and rest[1] in _state_codes():
                return _us_place(rest[0], rest[1])
            return None
        return Place(country, city=rest[0])
    if len(parts) == 1:
        code = _countries().get(_key(parts[0]))
        return Place(code) if code else None
    return None


@cache
def _first_cities() -> dict[str, frozenset[str]]:
    """Key of the city named first in a metro's name -> the CBSA codes of the metros so named."""
    out: dict[str, set[str]] = defaultdict(set)
    for code, name in _metros().items():
        out[_key(name.split(",")[0].split("-")[0])].add(code)
    return {city: frozenset(codes) for city, codes in out.items()}


@lru_cache(maxsize=8192)
def parse_place_name(text: str | None) -> Place | None:
    """A place named without its state or country ("Seattle", "NYC", "UK") -> Place, else None.

    Reads, in this order: a country, a metro alias, the city named first in exactly one metro's
    name (with its metro; its state is the metro's first), a US state name.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    key = _key(text)
    if key in _countries():
        return Place(_countries()[key])
    code = _metro_aliases().get(key)
    if code is None:
        codes = _first_cities().get(key, frozenset())
        code = next(iter(codes)) if len(codes) == 1 else None
    if code is not None:
        name = _metros()[code]
        state = _metro_state(name)
        known = _metro_cities().get((key, state or ""))
        city = known[0] if known is not None and known[1] == code else None
        return Place("US", state, city, code, name)
    if key in _states():
        return Place("US", _states()[key])
    return None


def resolve_country(text: str) -> str:
    """ISO-2 code of a country typed by a user ("US", "United States", "uk", "Korea, South")."""
    code = _countries().get(_key(text))
    if code is None:
        raise InvalidValue("country", text, map(_labelled, _rows("countries.csv")))
    return code


def resolve_state(text: str) -> str:
    """USPS code of a US state typed by a user ("CA", "California", "washington dc")."""
    code = _states().get(_key(text))
    if code is None:
        raise InvalidValue("state", text, map(_labelled, _rows("us_states.csv")))
    return code


def _metro_candidates() -> list[str]:
    return list(_metros().values())


def _city_labels() -> list[str]:
    return [f"{city}, {state}" for (_, state), (city, _) in _metro_cities().items()]


def _metro_of_city(value: str, field: str, text: str) -> str | None:
    """CBSA code of a city typed without its state; None when no city is so named."""
    codes = _cities_by_name().get(_key(value))
    if not codes:
        return None
    if len(codes) == 1:
        return next(iter(codes))
    # Several metros have a city of this name: a principal city (first in the metro name) wins.
    principal = [c for c in codes if _key(_metros()[c].split("-")[0].split(",")[0]) == _key(value)]
    if len(principal) == 1:
        return principal[0]
    options = [_metros()[c] for c in sorted(codes)]
    raise InvalidValue(field, text, options, hint="several metros match; add the state")


def _lookup_metro(value: str, field: str, text: str) -> str | None:
    """CBSA code by code, exact name, alias or city name; None when nothing matches exactly."""
    if _CBSA.fullmatch(value) and value in _metros():
        return value
    key = _key(value)
    for table in (_metro_by_name(), _metro_aliases()):
        if key in table:
            return table[key]
    city = _CITY_STATE.fullmatch(value)
    if city and city.group(2).upper() in _state_codes():
        place = _us_place(city.group(1), city.group(2).upper())
        if place.metro_code is None:
            raise InvalidValue(
                field, text, _metro_candidates(), hint=f"{place.label} is in no metro area known"
            )
        return place.metro_code
    stripped = re.sub(r"^(greater|metro)\s+|\s+(metro(politan)?( area)?|area)$", "", key)
    if stripped != key:
        for table in (_metro_by_name(), _metro_aliases()):
            if stripped in table:
                return table[stripped]
    return _metro_of_city(stripped, field, text)


def _fuzzy_metro(value: str) -> str | None:
    """CBSA code of the metro whose name is very close to ``value`` (WRatio >= 90), if any."""
    names = {name: code for code, name in _metros().items()}
    match = process.extractOne(
        value, list(names), scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=90
    )
    return names[match[0]] if match is not None else None


def resolve_metro(text: str) -> tuple[str, str]:
    """(CBSA code, name) of a metro typed by a user.

    Accepts a CBSA code ("41860"), a metro name as BEA writes it (with or without the states),
    an alias ("Bay Area"), "City, ST" or a city name alone ("Seattle") when it is unambiguous.
    A name close to exactly one metro name is accepted too ("Seattle-Tacoma").
    """
    value = text.strip()
    code = _lookup_metro(value, "metro", text) if value else None
    if code is None and value:
        code = _fuzzy_metro(value)
    if code is None:
        raise InvalidValue("metro", text, _metro_candidates() + _city_labels())
    return code, _metros()[code]


def metro_note(text: str, code: str, name: str) -> str:
    """What a typed metro was read as ("Seattle → Seattle-Tacoma-Bellevue, WA"); "" when it is
    the metro's own name or code."""
    own = {_key(code), _key(name), _key(name.split(",")[0])}
    return "" if _key(text) in own else f"{text.strip()} → {name}"


def resolve_place(text: str) -> Place:
    """A place typed by a user (``match_place``); ``InvalidValue`` naming the closest places
    when nothing matches."""
    match = match_place(text)
    if match.place is None:
        raise InvalidValue("place", text, match.candidates, hint=match.hint)
    return match.place


@lru_cache(maxsize=4096)
def match_place(text: str) -> PlaceMatch:
    """A place typed by a user, what it matched and how (``PlaceMatch``); never raises.

    Accepts, in this order: a CBSA code; a USPS state code; a country code, name or variant; a
    state name; a metro name as BEA writes it; "City, ST" (a city missing from the tables is
    kept at state level unless its name is close to a known city of that state, which is then
    suggested); "City, Country"; a metro alias or a city name alone ("Seattle" -> its metro); a
    city abroad named alone ("London" -> London, United Kingdom: a guess); a name close to one
    metro's (a guess). Anything else matches nothing, with the closest places as suggestions.
    """
    try:
        place, guessed = _read_place(text)
    except InvalidValue as error:
        suggestions = tuple(closest(text, error.valid)) if text.strip() else ()
        return PlaceMatch(text, None, NOT_FOUND, suggestions, tuple(error.valid), error.hint)
    how = FUZZY if guessed else (EXACT if _key(text) in _own_names(place) else ALIAS)
    return PlaceMatch(text, place, how)


def _own_names(place: Place) -> set[str]:
    """The keys of a place's own names and codes (typing one of them is an exact match)."""
    names = {place.label}
    if place.metro_code and not place.city:
        names |= {place.metro_code, place.metro_name or "", (place.metro_name or "").split(",")[0]}
    if place.state and not place.city and not place.metro_code:
        names |= {place.state, _state_names().get(place.state, "")}
    if place.country != "US":
        country = _country_names().get(place.country, place.country)
        names |= {place.country, country}
        if place.city:
            names |= {f"{place.city}, {place.country}", f"{place.city}, {country}"}
    if place.city and place.state:
        names.add(f"{place.city}, {_state_names().get(place.state, place.state)}")
    return {_key(n) for n in names if n}


@cache
def _cities_abroad() -> dict[str, tuple[str, str]]:
    """Key of a city abroad's name or alias -> (its name, its country's ISO-2 code)."""
    out: dict[str, tuple[str, str]] = {}
    for row in _rows("cities_abroad.csv"):
        for name in (row["city"], *_aliases(row)):
            out[_key(name)] = (row["city"], row["country"])
    return out


def _abroad(value: str) -> Place | None:
    found = _cities_abroad().get(_key(value))
    return None if found is None else Place(found[1], city=found[0])


def _read_place(text: str) -> tuple[Place, bool]:
    """The place ``text`` names and whether it is a guess; ``InvalidValue`` when none."""
    value = text.strip()
    key = _key(value)
    if not key:
        raise InvalidValue("place", text, _country_names().values())
    if _CBSA.fullmatch(value) and value in _metros():
        return _metro_place(value), False
    if value.upper() in _state_codes() and value.upper() != "US" and len(value) == 2:
        return Place("US", value.upper()), False
    if key in _countries():
        return Place(_countries()[key]), False
    if key in _states():
        return Place("US", _states()[key]), False
    city = _CITY_STATE.fullmatch(value)
    if city and city.group(2).upper() in _state_codes():
        place = _us_place(city.group(1), city.group(2).upper())
        if place.metro_code is None and key in _metro_by_name():
            return _metro_place(_metro_by_name()[key]), False
        return _us_city(city.group(1).strip(), city.group(2).upper(), text), False
    if key in _metro_by_name() and "," in value:
        return _metro_place(_metro_by_name()[key]), False
    if "," in value:
        head, tail = (p.strip() for p in value.rsplit(",", 1))
        country = _countries().get(_key(tail))
        state = _states().get(_key(tail))
        if state is not None:
            return _us_city(head, state, text), False
        if country is not None and head:
            return Place(country, city=head), False
    try:
        code = _lookup_metro(value, "place", text)
    except InvalidValue as error:
        abroad = _abroad(value)
        if abroad is not None:
            return abroad, True
        raise InvalidValue("place", text, error.valid, hint="add the state") from None
    if code is not None:
        return _metro_place(code), False
    abroad = _abroad(value)
    if abroad is not None:
        return abroad, True
    code = _fuzzy_metro(value)
    if code is not None:
        return _metro_place(code), True
    raise InvalidValue("place", text, _place_candidates())


def _us_city(city: str, state: str, text: str) -> Place:
    place = _us_place(city, state)
    if place.metro_code is None:
        known = [name for (_, st), (name, _) in _metro_cities().items() if st == state]
        near = [n for n in known if fuzz.ratio(_key(n), _key(city)) >= 88]
        if near:
            raise InvalidValue("place", text, [f"{n}, {state}" for n in near])
    return place


@cache
def _place_candidates() -> tuple[str, ...]:
    return (
        *map(_labelled, _rows("countries.csv")),
        *map(_labelled, _rows("us_states.csv")),
        *_metros().values(),
        *_city_labels(),
        *(row["alias"] for row in _rows("metro_aliases.csv")),
    )


def metro_names() -> list[str]:
    """Every US metro area's name ("Seattle-Tacoma-Bellevue, WA"), sorted: suggestions for a
    metro field."""
    return sorted(_metros().values())


def city_names() -> list[str]:
    """Every known US city as "City, ST", sorted: suggestions for a place field."""
    return sorted(set(_city_labels()))
