"""Places: source location strings, user input, and the knowledge files behind them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from careerbench.errors import InputError, InvalidValue
from careerbench.money.geo import locate, place_notes
from careerbench.taxonomy import places
from careerbench.taxonomy.places import (
    ALIAS,
    EXACT,
    FUZZY,
    NOT_FOUND,
    Place,
    match_place,
    parse_location,
    resolve_country,
    resolve_metro,
    resolve_place,
    resolve_state,
)

SHARED_LEVELSFYI = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "levelsfyi_stem_salaries"
    / "Levels_Fyi_Salary_Data.csv"
)
TAXONOMY = Path(places.__file__).parent

SF = ("41860", "San Francisco-Oakland-Fremont, CA")
SAN_JOSE = ("41940", "San Jose-Sunnyvale-Santa Clara, CA")
SEATTLE = ("42660", "Seattle-Tacoma-Bellevue, WA")
NEW_YORK = ("35620", "New York-Newark-Jersey City, NY-NJ")
BOSTON = ("14460", "Boston-Cambridge-Newton, MA-NH")
TAMPA = ("45300", "Tampa-St. Petersburg-Clearwater, FL")


@pytest.mark.parametrize(
    ("text", "state", "city", "metro"),
    [
        ("San Francisco, CA", "CA", "San Francisco", SF),
        ("Menlo Park, CA", "CA", "Menlo Park", SF),
        ("Oakland, CA", "CA", "Oakland", SF),
        ("Mountain View, CA", "CA", "Mountain View", SAN_JOSE),
        ("Sunnyvale, CA", "CA", "Sunnyvale", SAN_JOSE),
        ("Redmond, WA", "WA", "Redmond", SEATTLE),
        ("Kirkland, WA", "WA", "Kirkland", SEATTLE),
        ("New York, NY", "NY", "New York", NEW_YORK),
        ("Jersey City, NJ", "NJ", "Jersey City", NEW_YORK),
        ("Austin, TX", "TX", "Austin", ("12420", "Austin-Round Rock-San Marcos, TX")),
        ("Cambridge, MA", "MA", "Cambridge", BOSTON),
        ("Cambridge, MA, United States", "MA", "Cambridge", BOSTON),
        ("Mc Lean, VA", "VA", "Mc Lean", ("47900", "Washington-Arlington-Alexandria, DC-VA-MD-WV")),
        ("Saint Petersburg, FL", "FL", "St. Petersburg", TAMPA),
        ("Stamford, CT", "CT", "Stamford", ("14860", "Bridgeport-Stamford-Danbury, CT")),
    ],
)  # fmt: skip
def test_us_locations_get_state_city_and_metro(
    text: str, state: str, city: str, metro: tuple[str, str]
) -> None:
    place = parse_location(text)
    assert place == Place("US", state, city, *metro)


@pytest.mark.parametrize(
    ("text", "country", "city"),
    [
        ("London, EN, United Kingdom", "GB", "London"),
        ("Bangalore, KA, India", "IN", "Bangalore"),
        ("Toronto, ON, Canada", "CA", "Toronto"),
        ("Berlin, BE, Germany", "DE", "Berlin"),
        ("Hong Kong, HK, Hong Kong (SAR)", "HK", "Hong Kong"),
        ("Seoul, KG, Korea, South", "KR", "Seoul"),
        ("Yangon, YA, Burma", "MM", "Yangon"),
    ],
)
def test_international_locations_keep_country_and_city(text: str, country: str, city: str) -> None:
    assert parse_location(text) == Place(country, None, city)


def test_unreadable_locations_and_places_without_a_metro() -> None:
    for text in (None, "", "   ", "Nowhere, ZZ", "Atlantis, XX, Nowhere Land"):
        assert parse_location(text) is None
    # a real state, but a geocoder artefact rather than a city we know: no metro
    assert parse_location("California City, CA") == Place("US", "CA", "California City")
    assert parse_location("Helena, MT") == Place("US", "MT", "Helena")  # micropolitan
    assert parse_location("India") == Place("IN")


def test_labels() -> None:
    assert resolve_place("Austin, TX").label == "Austin, TX"
    assert resolve_place("Bay Area").label == SF[1]
    assert resolve_place("Texas").label == "TX"
    assert resolve_place("Germany").label == "DE"
    assert Place("GB", city="London").label == "London, GB"


def test_resolve_place_reads_countries_states_cities_and_metros() -> None:
    assert resolve_place("US") == Place("US")
    assert resolve_place("United States") == Place("US")
    assert resolve_place("uk") == Place("GB")
    assert resolve_place("Canada") == Place("CA")
    assert resolve_place("CA") == Place("US", "CA")  # a two-letter code is a state first
    assert resolve_place("California") == Place("US", "CA")
    assert resolve_place("new jersey") == Place("US", "NJ")
    assert resolve_place("San Francisco, CA") == Place("US", "CA", "San Francisco", *SF)
    assert resolve_place("austin, tx").metro_code == "12420"
    assert resolve_place("Washington, DC") == Place(
        "US", "DC", "Washington", "47900", "Washington-Arlington-Alexandria, DC-VA-MD-WV"
    )
    assert resolve_place("41860") == Place("US", "CA", None, *SF)
    assert resolve_place("Seattle") == Place("US", "WA", None, *SEATTLE)
    assert resolve_place("Bay Area") == resolve_place("SF Bay Area") == Place("US", "CA", None, *SF)
    assert resolve_place("Silicon Valley").metro_code == SAN_JOSE[0]
    assert resolve_place("NYC") == Place("US", "NY", None, *NEW_YORK)
    assert resolve_place("Greater Boston").metro_code == "14460"
    assert resolve_place("Seattle-Tacoma").metro_code == "42660"
    assert resolve_place("San Jose-Sunnyvale-Santa Clara, CA") == Place("US", "CA", None, *SAN_JOSE)
    assert resolve_place("Springfield, IL") == Place(
        "US", "IL", "Springfield", "44100", "Springfield, IL"
    )
    assert resolve_place("London, UK") == Place("GB", None, "London")
    # a real city outside the tables stays at state level
    assert resolve_place("Marfa, TX") == Place("US", "TX", "Marfa")


def test_resolve_place_errors_list_the_closest_places() -> None:
    with pytest.raises(InvalidValue, match="San Francisco") as error:
        resolve_place("Sna Francisco")
    assert error.value.field == "place"
    with pytest.raises(InvalidValue, match=r"did you mean 'San Francisco, CA'\?"):
        resolve_place("Sna Francisco, CA")
    with pytest.raises(InvalidValue, match="Seattle"):
        resolve_place("Seatle")
    with pytest.raises(InvalidValue, match=r"Rochester, MN.*Rochester, NY.*add the state"):
        resolve_place("Rochester")
    with pytest.raises(InvalidValue, match="place"):
        resolve_place("Atlantis")
    with pytest.raises(InvalidValue):
        resolve_place("remote")
    with pytest.raises(InvalidValue):
        resolve_place("  ")


@pytest.mark.parametrize(
    ("text", "how", "shown", "note"),
    [
        ("San Francisco, CA", EXACT, "San Francisco, CA", ""),
        ("41860", EXACT, SF[1], ""),
        ("Texas", EXACT, "TX", ""),
        ("United Kingdom", EXACT, "United Kingdom", ""),
        ("Bay Area", ALIAS, SF[1], f"Bay Area → {SF[1]}"),
        ("Seattle", ALIAS, SEATTLE[1], f"Seattle → {SEATTLE[1]}"),
        ("London, UK", ALIAS, "London, United Kingdom", "London, UK → London, United Kingdom"),
        ("Seattle-Tacoma", FUZZY, SEATTLE[1], f"Seattle-Tacoma → did you mean {SEATTLE[1]}?"),
        (
            "London",
            FUZZY,
            "London, United Kingdom",
            "London → did you mean London, United Kingdom?",
        ),
        ("Bengaluru", FUZZY, "Bangalore, India", "Bengaluru → did you mean Bangalore, India?"),
        ("Austn, TX", NOT_FOUND, "", "Austn, TX: not a place we know; did you mean Austin, TX?"),
    ],
)
def test_a_typed_place_says_what_it_matched_and_how(
    text: str, how: str, shown: str, note: str
) -> None:
    match = match_place(text)
    assert (match.how, match.shown, match.note) == (how, shown, note)
    assert (match.place is None) == (how == NOT_FOUND)
    assert match.to_dict()["how"] == how


def test_london_is_read_as_london_uk_never_as_a_us_metro_that_resembles_it() -> None:
    assert resolve_place("London") == Place("GB", None, "London")
    with pytest.raises(InputError) as error:
        locate("London")
    assert error.value.field == "place"
    assert "London → did you mean London, United Kingdom?" in error.value.problem
    assert "outside the US" in error.value.problem and "cost-of-living" in error.value.problem
    # A US city named first in its metro stays the US one (the knowledge file names it abroad).
    assert resolve_place("Manchester").country == "US"
    # A place that is not its exact name says what it was read as, in every face's document.
    seattle = locate("remote:Seattle")
    assert seattle.note == f"Seattle → {SEATTLE[1]}"
    assert seattle.to_dict()["matched"]["how"] == ALIAS
    assert place_notes([seattle, locate("Austin, TX"), seattle]) == [seattle.note]


def test_cities_abroad_are_in_known_countries() -> None:
    codes = {row["code"] for row in _csv("countries.csv")}
    rows = _csv("cities_abroad.csv")
    assert rows and all(row["country"] in codes and row["country"] != "US" for row in rows)


def test_resolve_country_state_metro() -> None:
    assert resolve_country("CA") == "CA"  # as a country, CA is Canada
    assert resolve_country("United Kingdom") == resolve_country("England") == "GB"
    assert resolve_country("Korea, South") == "KR"
    assert resolve_state("california") == "CA"
    assert resolve_state("Washington D.C.") == "DC"
    assert resolve_metro("Seattle") == SEATTLE
    assert resolve_metro("41940") == SAN_JOSE
    assert resolve_metro("Redmond, WA") == SEATTLE
    assert resolve_metro("Bay Area") == SF
    with pytest.raises(InvalidValue, match=r"^country: .*Germany") as country:
        resolve_country("Germnay")
    assert country.value.field == "country"
    with pytest.raises(InvalidValue, match=r"^state: .*'Texas \(TX\)'"):
        resolve_state("Texsa")
    assert resolve_state("Texas (TX)") == "TX" and resolve_country("Germany (DE)") == "DE"
    with pytest.raises(InvalidValue, match=r"^metro: .*Portland-South Portland, ME"):
        resolve_metro("Portland")
    with pytest.raises(InvalidValue, match=r"^metro: .*no metro area"):
        resolve_metro("Marfa, TX")


def _csv(name: str) -> list[dict[str, str]]:
    with (TAXONOMY / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_knowledge_files_are_consistent() -> None:
    metros = {row["cbsa"]: row["name"] for row in _csv("metros.csv")}
    assert len(metros) == 387 and all(len(code) == 5 for code in metros)
    assert not any("Statistical Area" in name for name in metros.values())
    states = {row["code"] for row in _csv("us_states.csv")}
    assert len(states) == 52  # 50 states, DC and PR
    cities = _csv("metro_cities.csv")
    assert len(cities) >= 1000
    seen: set[tuple[str, str]] = set()
    for row in cities:
        assert row["cbsa"] in metros, row
        assert row["state"] in states, row
        # a city's state is one of its metro's states
        assert row["state"] in metros[row["cbsa"]].rsplit(", ", 1)[1].split("-"), row
        key = (row["city"].lower(), row["state"])
        assert key not in seen, row
        seen.add(key)
    assert all(row["cbsa"] in metros for row in _csv("metro_aliases.csv"))
    codes = [row["code"] for row in _csv("countries.csv")]
    assert len(codes) == len(set(codes)) and all(len(c) == 2 for c in codes)


@pytest.mark.fulldata
def test_levelsfyi_locations_parse_and_us_rows_get_a_metro() -> None:
    if not SHARED_LEVELSFYI.exists():
        pytest.skip("the Levels.fyi file is not beside the repository")
    with SHARED_LEVELSFYI.open(newline="", encoding="utf-8") as handle:
        locations = [row["location"] for row in csv.DictReader(handle)]
    parsed = [parse_location(text) for text in locations]
    assert sum(p is not None for p in parsed) / len(parsed) > 0.999
    us = [p for p in parsed if p is not None and p.country == "US"]
    assert len(us) > 40_000
    assert sum(p.metro_code is not None for p in us) / len(us) > 0.99
