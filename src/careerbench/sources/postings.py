"""Employers' posted pay ranges (an export of job-board postings) -> canonical records.

The input is a CSV with one row per posting and the columns ``company, title, team, locations,
pay_min, pay_max, currency, first_seen, last_seen, url`` (``team`` and ``last_seen`` may be
absent). Any employer's board export of that shape can be read; the user names the file.

Units: ``pay_min``/``pay_max`` are the posted annual BASE salary range, in nominal US dollars of
``observed_year`` (the year of ``first_seen``). A posted range is base pay only: ``range_low`` and
``range_high`` are the range, ``base`` = ``total_comp`` = its midpoint, and ``equity`` and
``bonus`` stay empty (they are not posted, and at AI labs equity is most of the pay), so these
records understate total compensation. One posting is one job opening, not one person's pay.

Every row is loaded or quarantined with the first reason that applies: an empty company or
title; a pay bound missing, not a number, below ``MIN_ANNUAL_PAY`` or above ``MAX_ANNUAL_PAY``
(an hourly rate or a placeholder such as 1-2); ``pay_min`` above ``pay_max``; a missing, unknown
or non-USD currency (naming it: careerbench holds no exchange rates, so nothing is converted); an
unparseable ``first_seen`` or ``last_seen`` (ISO 8601 dates; years 2000-2100) or a ``last_seen``
before ``first_seen``; a URL that gives no posting id; a second row of the same posting.

- ``source_id`` is the posting's id from its URL: ``greenhouse:<job id>``, ``ashby:<uuid>`` or
  ``lever:<uuid>`` for those boards, else the URL without scheme, "www.", tracking parameters and
  trailing slash ("openai.com/careers/research-scientist-san-francisco"). Where one URL is given
  to rows of different titles (a collection error), each of those rows gets the URL's id plus
  ``#`` and its title's slug, so both postings are kept; a later row with the same id and title
  is the same posting seen twice and is quarantined as a duplicate.
- Titles (``titles.yaml``, ``posting_titles``): ``role_family`` from ``classify_posting_title``
  ("Software Engineer, Inference" is mlops-engineer, "Research Engineer / Research Scientist" a
  research engineer, sales, legal, recruiting, policy, ... ``other``); ``level`` from the words of
  the title (``posting_title_level``: Senior, Staff, Principal, Head of/Director, an engineering or
  research manager is staff; "Senior/Staff" gives the lowest, senior) with ``level_basis`` =
  "title". A title with no level word ("Research Engineer", "Lead", "[Expression of Interest]")
  gets ``level`` = ``level_basis`` = None: the boards state no level, and although most research
  and engineering postings at frontier labs are senior and above, the same range spans titles
  with and without "Staff" (350k-850k for "Research Engineer, Discovery" and "Staff Research
  Engineer, Discovery Team"), so no rule could put a level on them that the data supports.
  ``employment_type`` is full-time unless the title says intern, contract, part-time or
  freelance; ``raw_level`` is empty.
- Locations: the text is split into places at "|", ";", " / " and line breaks (a Python list
  literal "['San Francisco']" is read as its items; notes in brackets such as "(HQ)" are
  dropped). A place is "City, ST", "City, Country", "City, ST, Country" or a name alone ("San
  Francisco", "New York City", "UK"), read by ``parse_location`` and ``parse_place_name``; a
  state code or a country split off by "|" is joined back ("Washington | DC", "London | UK"), and
  a comma-separated run of places ("San Francisco, CA, New York City, NY") is cut into its
  places. A name that cannot be read ("Zürich" without its country, a suburb without its state)
  is kept as ``city`` as written, with no country: it is never guessed.
- Remote work: "Remote-Friendly", "Hybrid" or "Travel Required" -> ``hybrid`` (remote work is
  allowed but presence at an office is required); "Remote" alone ("Remote - US") -> ``remote``
  (its country, if named, is a place of the posting); places only -> ``onsite``; no location ->
  None. The value is the posting's and is the same on each of its records.
- One record per distinct place: a posting naming several places ("San Francisco, CA | New York
  City, NY") becomes one record for each, all with the same ``source_id`` and ``weight`` 1, and a
  posting naming none becomes one record without a place. A statistic over postings must count
  each ``source_id`` once (``distinct_postings``); ``rows_loaded`` counts input rows, not records.
- ``company`` and ``tier`` from ``companies.normalize_company``; ``tag`` is the team.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from careerbench.errors import SourceError
from careerbench.schema import MAX_ANNUAL_PAY, MIN_ANNUAL_PAY, Remote, Source
from careerbench.sources.aijobs import currency_codes
from careerbench.sources.base import (
    ROW_PROBLEM,
    Adapted,
    first_problem,
    quarantine_table,
    read_csv_strings,
    records_table,
    row_problem,
)
from careerbench.sources.spec import SourceSpec
from careerbench.taxonomy.companies import normalize_company
from careerbench.taxonomy.places import Place, parse_location, parse_place_name
from careerbench.taxonomy.titles import (
    classify_posting_title,
    posting_employment_type,
    posting_title_level,
)

SOURCE = Source.POSTINGS.value
REQUIRED = (
    "company",
    "title",
    "locations",
    "pay_min",
    "pay_max",
    "currency",
    "first_seen",
    "url",
)
OPTIONAL = ("team", "last_seen")
COLUMNS = (*REQUIRED, *OPTIONAL)

#: Posting ids of the job boards that number their postings, from their URLs.
BOARD_IDS = (
    ("greenhouse", re.compile(r"greenhouse\.io/.*?\bjobs/(\d+)|[?&]gh_jid=(\d+)", re.I)),
    (
        "ashby",
        re.compile(r"ashbyhq\.com/[^/?#]+/([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})", re.I),
    ),
    ("lever", re.compile(r"lever\.co/[^/?#]+/([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})", re.I)),
)
#: Query parameters that track a visit rather than name a posting.
TRACKING = re.compile(r"^(utm_\w+|gh_src|ref|source|src|lever-source.*|ashby_\w+)$", re.I)

#: Location words: remote work allowed with presence at an office (hybrid), or fully remote.
HYBRID_WORDS = re.compile(r"remote[\s-]*friendly|\bhybrid\b|travel[\s-]*required", re.I)
REMOTE_WORDS = re.compile(r"\bremote\b", re.I)
MODE_WORDS = re.compile(
    r"\(\s*travel[\s-]*required\s*\)|travel[\s-]*required|remote[\s-]*friendly|\bhybrid\b|\bremote\b",
    re.I,
)
PLACE_SEPARATORS = re.compile(r"[|;\n]|\s/\s")
NOTE = re.compile(r"\([^)]*\)")  # "San Francisco (HQ)"

#: A place's canonical fields: country, state, city, metro_code, metro_name.
PlaceFields = tuple[str | None, str | None, str | None, str | None, str | None]
NO_PLACE: PlaceFields = (None, None, None, None, None)


@dataclass(frozen=True)
class Locations:
    """What a posting's location text says: its distinct places and its remote mode."""

    places: tuple[PlaceFields, ...]
    remote: str | None


def read(path: Path) -> pd.DataFrame:
    """The raw rows as stripped strings, with ``source_row`` (1-based row number in the file)."""
    return shape(read_csv_strings(path, SOURCE), str(path))


def shape(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    """A read file's rows (strings) as ``adapt_frame`` reads them; rows keep the ``source_row``
    they come with (else they are numbered from 1)."""
    numbers = (
        frame["source_row"].to_numpy()
        if "source_row" in frame.columns
        else np.arange(1, len(frame) + 1)
    )
    frame = frame.copy()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise SourceError(
            f"{SOURCE}: {origin} lacks the column(s) {', '.join(missing)}; a postings file has: "
            f"{', '.join(COLUMNS)} ({' and '.join(OPTIONAL)} may be absent)"
        )
    for column in OPTIONAL:
        if column not in frame.columns:
            frame[column] = ""
    out = pd.DataFrame({c: frame[c].astype(str).str.strip() for c in COLUMNS})
    out.insert(0, "source_row", numbers)
    out[ROW_PROBLEM] = frame[ROW_PROBLEM]
    return out


def posting_id(url: str) -> str | None:
    """The stable id of a posting from its URL; None when the URL names no posting."""
    text = url.strip()
    if not text:
        return None
    for board, pattern in BOARD_IDS:
        match = pattern.search(text)
        if match is not None:
            return f"{board}:{next(g for g in match.groups() if g).lower()}"
    try:
        parts = urlsplit(text if "//" in text else f"//{text}")
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return None
    if "." not in host:
        return None
    path = re.sub(r"/+$", "", parts.path)
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not TRACKING.match(k)))
    return f"{host}{path}" + (f"?{query}" if query else "")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _fields(place: Place) -> PlaceFields:
    return (place.country, place.state, place.city, place.metro_code, place.metro_name)


def _list_items(text: str) -> list[str]:
    """The items of a Python list literal ("['San Francisco', 'London, UK']"), else the text."""
    if not (text.startswith("[") and text.endswith("]")):
        return [text]
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return [text.strip("[]")]
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [text.strip("[]")]


def _run_of_places(token: str) -> list[PlaceFields]:
    """A comma-separated token: one place, or a run of them ("SF, CA, Seattle, WA")."""
    whole = parse_location(token)
    if whole is not None:
        return [_fields(whole)]
    parts = [p.strip() for p in token.split(",") if p.strip()]
    found: list[PlaceFields] = []
    i = 0
    while i < len(parts):
        for size in (3, 2):
            place = (
                parse_location(", ".join(parts[i : i + size])) if i + size <= len(parts) else None
            )
            if place is not None:
                found.append(_fields(place))
                i += size
                break
        else:
            single = parse_place_name(parts[i])
            found.append(_fields(single) if single else (None, None, parts[i], None, None))
            i += 1
    return found


def _resolve(token: str) -> list[PlaceFields]:
    if "," in token:
        return _run_of_places(token)
    place = parse_place_name(token)
    return [_fields(place) if place else (None, None, token, None, None)]


def _joins_previous(previous: str, token: str) -> bool:
    """Whether ``token`` completes the place before it ("Washington" | "DC", "London" | "UK")."""
    if "," in previous:
        return False
    if re.fullmatch(r"[A-Z]{2}", token):
        place = parse_location(f"{previous}, {token}")
        if place is not None and place.country == "US" and place.city:
            return True
    alone = parse_place_name(token)
    return (
        alone is not None
        and alone.state is None
        and parse_place_name(previous) is None
        and parse_location(f"{previous}, {token}") is not None
    )


@lru_cache(maxsize=8192)
def parse_locations(text: str) -> Locations:
    """The distinct places a posting's location text names, in order, and its remote mode."""
    tokens: list[tuple[str, bool]] = []  # (text, whether it carried a remote word)
    for item in _list_items(text.strip()):
        for raw in PLACE_SEPARATORS.split(item):
            token = raw.strip().strip("'\"").strip()
            if token:
                tokens.append((token, bool(MODE_WORDS.search(token))))
    hybrid = any(HYBRID_WORDS.search(t) for t, _ in tokens)
    remote = any(REMOTE_WORDS.search(HYBRID_WORDS.sub(" ", t)) for t, _ in tokens)
    names: list[str] = []
    for token, moded in tokens:
        name = token
        if moded:
            name = MODE_WORDS.sub(" ", token).strip(" -\u2013\u2014,:;()/")
            name = " ".join(name.split())
            if name:
                names.append(name)
            continue
        name = " ".join(NOTE.sub(" ", name).split())
        if not name:
            continue
        if names and _joins_previous(names[-1], name):
            names[-1] = f"{names[-1]}, {name}"
        else:
            names.append(name)
    places: list[PlaceFields] = []
    for name in names:
        for place in _resolve(name):
            if place not in places:
                places.append(place)
    if remote:
        mode: str | None = Remote.REMOTE.value
    elif hybrid:
        mode = Remote.HYBRID.value
    else:
        mode = Remote.ONSITE.value if places else None
    return Locations(tuple(places), mode)


def _pay(series: pd.Series[str]) -> pd.Series[float]:
    """Amounts as numbers: "$350,000" -> 350000.0; anything else -> NaN."""
    cleaned = series.str.replace(r"^\$\s*|,|\s", "", regex=True)
    return pd.to_numeric(cleaned.where(cleaned != ""), errors="coerce")


def _dates(series: pd.Series[str]) -> pd.Series[Any]:
    stamps = pd.to_datetime(series.where(series != ""), format="ISO8601", errors="coerce", utc=True)
    return stamps.where((stamps.dt.year >= 2000) & (stamps.dt.year <= 2100))


def validate(frame: pd.DataFrame) -> pd.Series[Any]:
    """The reason each row cannot be loaded (None where it can), duplicates aside."""
    low, high = _pay(frame["pay_min"]), _pay(frame["pay_max"])
    first, last = _dates(frame["first_seen"]), _dates(frame["last_seen"])
    currency = frame["currency"].str.upper()
    pay_checks: list[tuple[pd.Series[bool], str | pd.Series[str]]] = []
    for column, value in (("pay_min", low), ("pay_max", high)):
        pay_checks += [
            (frame[column] == "", f"missing {column}"),
            (value.isna(), f"{column} is not a number: " + frame[column]),
        ]
    return first_problem(
        [
            row_problem(frame),
            (frame["company"] == "", "empty company"),
            (frame["title"] == "", "empty title"),
            *pay_checks,
            (low > high, "pay_min above pay_max: " + frame["pay_min"] + " > " + frame["pay_max"]),
            (
                low < MIN_ANNUAL_PAY,
                f"pay_min below ${MIN_ANNUAL_PAY:,.0f} a year: " + frame["pay_min"],
            ),
            (
                high > MAX_ANNUAL_PAY,
                f"pay_max above ${MAX_ANNUAL_PAY:,.0f} a year: " + frame["pay_max"],
            ),
            (currency == "", "missing currency"),
            (~currency.isin(currency_codes()), "unknown currency: " + frame["currency"]),
            (
                currency != "USD",
                "currency "
                + currency
                + ": not USD, and careerbench has no exchange rate to convert it",
            ),
            (frame["first_seen"] == "", "missing first_seen"),
            (
                first.isna(),
                "unparseable first_seen: "
                + frame["first_seen"]
                + " (expected a date YYYY-MM-DD, 2000-2100)",
            ),
            (
                (frame["last_seen"] != "") & last.isna(),
                "unparseable last_seen: "
                + frame["last_seen"]
                + " (expected a date YYYY-MM-DD, 2000-2100)",
            ),
            (last < first, "last_seen before first_seen"),
            (frame["url"] == "", "missing url: no posting id"),
            (
                pd.Series([posting_id(u) is None for u in frame["url"]], index=frame.index),
                "url names no posting: " + frame["url"],
            ),
        ],
        frame.index,
    )


def assign_ids(frame: pd.DataFrame) -> tuple[pd.Series[str], pd.Series[Any], list[str]]:
    """Posting ids of loadable rows, the duplicate reason of each (None if first), and notes."""
    ids = pd.Series([posting_id(u) or "" for u in frame["url"]], index=frame.index, dtype=str)
    titles = pd.Series([" ".join(t.lower().split()) for t in frame["title"]], index=frame.index)
    shared = titles.groupby(ids).transform("nunique") > 1
    slugs = pd.Series([_slug(t) for t in frame["title"]], index=frame.index, dtype=str)
    ids = ids.where(~shared, ids + "#" + slugs)
    first_row = frame["source_row"].groupby(ids).transform("min")
    again = frame["source_row"] != first_row
    reasons = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    reasons[again] = "duplicate of row " + first_row[again].astype(str) + " (same posting id)"
    notes = []
    if shared.any():
        notes.append(
            f"{ids[shared].str.split('#').str[0].nunique()} URL(s) given to rows of different "
            f"titles: the {int(shared.sum())} rows' ids carry their title"
        )
    return ids, reasons, notes


def normalize(frame: pd.DataFrame, ids: pd.Series[str]) -> pd.DataFrame:
    """Canonical records of loadable rows: one per distinct place of each posting."""
    titles = frame["title"].tolist()
    companies = [normalize_company(c) for c in frame["company"]]
    levels = [posting_title_level(t) for t in titles]
    located = [parse_locations(text) for text in frame["locations"]]
    low, high = _pay(frame["pay_min"]) * 1.0, _pay(frame["pay_max"]) * 1.0
    mid = (low + high) / 2
    posting = pd.DataFrame(
        {
            "source": SOURCE,
            "source_id": ids,
            "observed_year": _dates(frame["first_seen"]).dt.year.astype(int),
            "raw_title": titles,
            "role_family": [classify_posting_title(t).value for t in titles],
            "level": [lv.value if lv else None for lv in levels],
            "level_basis": ["title" if lv else None for lv in levels],
            "raw_company": frame["company"],
            "company": [c.name if c else None for c in companies],
            "tier": [c.tier.value if c else "unknown" for c in companies],
            "employment_type": [posting_employment_type(t).value for t in titles],
            "remote": [loc.remote for loc in located],
            "base": mid,
            "total_comp": mid,
            "range_low": low,
            "range_high": high,
            "currency": frame["currency"].str.upper(),
            "tag": frame["team"].where(frame["team"] != ""),
            "weight": 1,
            "places": [list(loc.places) or [NO_PLACE] for loc in located],
        },
        index=frame.index,
    )
    records = posting.explode("places", ignore_index=True)
    fields = pd.DataFrame(
        records["places"].tolist(),
        columns=["country", "state", "city", "metro_code", "metro_name"],
    )
    return pd.concat([records.drop(columns=["places"]), fields], axis=1)


def together(frame: pd.DataFrame) -> pd.Series[int]:
    """Which rows ``adapt_frame`` must see together: rows of one posting (its id from the URL)
    are numbered apart and counted once, so a hash of the id is the group."""
    ids = pd.Series([posting_id(u) or "" for u in frame["url"]], index=frame.index, dtype=str)
    return pd.util.hash_pandas_object(ids, index=False).astype("int64")


def adapt(path: Path) -> Adapted:
    """Read, validate and normalize one postings CSV."""
    return adapt_frame(read(path))


def adapt_frame(frame: pd.DataFrame) -> Adapted:
    """Validate and normalize rows as ``read`` gives them, in file order (a whole file, or any
    set of ``together``'s groups)."""
    reasons = validate(frame)
    good = reasons.isna()
    ids, duplicates, notes = assign_ids(frame[good])
    reasons.loc[duplicates.index] = duplicates
    good = reasons.isna()
    bad = ~good
    records = normalize(frame[good], ids.loc[frame.index[good]])
    if len(records):
        notes.append(
            f"{int(good.sum())} postings -> {len(records)} records (one per distinct place)"
        )
    return Adapted(
        source=SOURCE,
        records=records_table(records),
        quarantine=quarantine_table(SOURCE, frame[bad], reasons[bad]),
        rows_read=len(frame),
        rows_loaded=int(good.sum()),
        notes=notes,
    )


def distinct_postings(records: pa.Table) -> int:
    """How many postings a records table holds: its distinct ``source_id`` values."""
    return int(pc.count_distinct(records.column("source_id")).as_py())


SPEC = SourceSpec(
    name=SOURCE,
    title="employers' posted ranges",
    licence="unverified; imported from the user's own copy, never redistributed",
    measures=frozenset({"base"}),
    pay_note="posted annual base salary ranges (their midpoints): base salary, no equity or bonus",
    one_record_per_place=True,
)
