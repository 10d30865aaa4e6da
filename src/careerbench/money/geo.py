"""Where pay is earned and spent: US places, their taxes' jurisdiction and their cost of living.

Cost of living uses the BEA Regional Price Parities (``data/bea_rpp.parquet``, US = 100, latest
year 2024): a metro's RPP when the place is in a metro BEA publishes, else its state's, else the
US (100). A value earned in ``place`` is worth ``value * RPP(reference) / RPP(place)`` in
``reference`` (the same basket of goods and services, all items; ``line="housing"`` uses the
housing RPP instead). RPPs compare price levels within one year; they are not inflation.

Places are read with ``careerbench.taxonomy.places.match_place`` ("San Francisco, CA", "Texas",
"TX", a metro name or CBSA code); a ``Location`` keeps that match, so every face can say what a
typed place was read as when it was not its exact name ("Seattle -> Seattle-Tacoma-Bellevue,
WA"), and a place abroad is refused with what it was read as ("London -> did you mean London,
United Kingdom? (outside the US: ...)"). A remote job is taxed and priced where you live:
``remote:Austin, TX`` (or ``remote from Austin, TX``). Only US places are supported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import pyarrow.parquet as pq

from careerbench.config import vendored
from careerbench.errors import InputError, InvalidValue
from careerbench.money.tax import locality_for
from careerbench.taxonomy.places import PlaceMatch, match_place

DEFAULT_RPP_YEAR = 2024
LINES = ("all_items", "housing")
_REMOTE = re.compile(r"^\s*remote(?:\s*[:(]\s*|\s+from\s+|\s+in\s+|\s*,\s*)?(.*?)\)?\s*$", re.I)


@dataclass(frozen=True)
class Location:
    """A US place resolved for taxes and prices."""

    label: str
    state: str | None
    city: str | None = None
    metro_code: str | None = None
    metro_name: str | None = None
    remote: bool = False
    #: What the typed place was read as, and how (None: made by the program, not typed).
    match: PlaceMatch | None = field(default=None, compare=False)

    @property
    def note(self) -> str:
        """What to tell the person who typed the place ("" when it matched exactly)."""
        return "" if self.match is None else self.match.note

    @property
    def locality(self) -> str | None:
        """The city income tax that applies (New York City), if any."""
        return locality_for(self.state, self.city)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "state": self.state,
            "city": self.city,
            "metro_code": self.metro_code,
            "metro_name": self.metro_name,
            "remote": self.remote,
            "locality": self.locality,
            "matched": None if self.match is None else self.match.to_dict(),
        }


@lru_cache(maxsize=1024)
def locate(text: str) -> Location:
    """A place typed by a user -> Location; unknown places raise ``InvalidValue``."""
    value = text.strip()
    remote = False
    match = _REMOTE.match(value)
    if match:
        remote = True
        value = match.group(1).strip()
        if not value:
            raise InputError(
                "place",
                "a remote job is taxed and priced where you live; say where, e.g. "
                "'remote:Austin, TX'",
            )
    if not value:
        raise InputError("place", "empty; give a US place such as 'Austin, TX' or 'CA'")
    found = match_place(value)
    place = found.place
    if place is None:
        raise InvalidValue("place", value, found.candidates, hint=found.hint)
    if place.country != "US":
        said = found.note or f"{text.strip()} is {found.shown}"
        raise InputError(
            "place",
            f"{said} (outside the US: no tax or cost-of-living data; give a US state or city)",
        )
    if place.state is None and place.metro_code is None:
        raise InputError("place", f"{text!r} is a country; give a state or a city, e.g. 'TX'")
    label = place.label if place.city or place.metro_name or place.state else value
    if remote:
        label = f"remote ({label})"
    return Location(
        label, place.state, place.city, place.metro_code, place.metro_name, remote, found
    )


def place_notes(locations: Iterable[Location]) -> list[str]:
    """What each typed place was read as when it was not its exact name, once each: the notes
    every face shows (the command line prints them, the API returns them, pages put them beside
    the field)."""
    return list(dict.fromkeys(location.note for location in locations if location.note))


@cache
def _table() -> dict[tuple[str, str, int], tuple[float, str]]:
    """(key, line, year) -> (rpp, name); key is 'US', a USPS state code or a CBSA code."""

    path = vendored("bea_rpp.parquet")
    if not path.exists():
        raise FileNotFoundError(
            f"{path.name} is missing from careerbench's vendored data; rebuild it with "
            "scripts/vendor_bea_rpp.py"
        )
    columns = pq.read_table(path).to_pydict()
    out: dict[tuple[str, str, int], tuple[float, str]] = {}
    for fips, geo_type, state, name, line, year, value in zip(
        columns["geo_fips"],
        columns["geo_type"],
        columns["state"],
        columns["name"],
        columns["line"],
        columns["year"],
        columns["rpp"],
        strict=True,
    ):
        key = {"us": "US", "state": state, "metro": fips}.get(geo_type)
        if key:
            out[(key, line, int(year))] = (float(value), name)
    return out


def rpp_years() -> list[int]:
    return sorted({year for _, _, year in _table()})


@dataclass(frozen=True)
class Rpp:
    """One price level: its value (US = 100), the area it belongs to and that area's kind."""

    value: float
    area: str
    level: str
    year: int
    line: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rpp": self.value,
            "area": self.area,
            "level": self.level,
            "year": self.year,
            "line": self.line,
        }


def rpp(location: Location, year: int = DEFAULT_RPP_YEAR, line: str = "all_items") -> Rpp:
    """The price level of ``location``: its metro's, else its state's, else the US's."""
    if line not in LINES:
        raise InvalidValue("rpp_line", line, LINES)
    table = _table()
    if ("US", line, year) not in table:
        years = [str(y) for y in rpp_years()]
        raise InvalidValue("rpp_year", str(year), years)
    for key, level in ((location.metro_code, "metro"), (location.state, "state")):
        if key and (key, line, year) in table:
            value, name = table[(key, line, year)]
            return Rpp(value, name, level, year, line)
    value, name = table[("US", line, year)]
    return Rpp(value, name, "us", year, line)


def col_factor(
    place: Location, reference: Location, year: int = DEFAULT_RPP_YEAR, line: str = "all_items"
) -> float:
    """The multiplier that turns dollars spent in ``place`` into ``reference`` dollars."""
    return rpp(reference, year, line).value / rpp(place, year, line).value


def col_adjust(
    value: float,
    place: Location,
    reference: Location,
    year: int = DEFAULT_RPP_YEAR,
    line: str = "all_items",
) -> float:
    """``value`` earned in ``place``, in purchasing power of ``reference``."""
    return value * col_factor(place, reference, year, line)
