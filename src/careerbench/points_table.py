"""A table of pay data points as people paste it: its columns, its amounts, its rows.

The input is text: a CSV or TSV file, or a table copied from a web page or a spreadsheet, with
cells separated by tabs, "|", commas, semicolons or two or more spaces (the header row's
separator is the table's), and a header row naming the columns. Header names are matched loosely
(``points.yaml``: "TC", "Total Compensation", "Base Salary ($K)", "Location", "yr", ...); a
column careerbench does not read is named in the report and ignored, and a header may name the
currency and the unit of its amounts ("Base (EUR)", "TC ($K)"). Lines of one cell before or after
the table (a title, a note, a source) are skipped and listed; blank lines are skipped.

**Every row is understood or rejected with a reason** (``rows`` = understood + rejected). A row
is rejected for its pay: no figure; not an amount; a currency other than US dollars (named by a
currency column, a symbol such as € or £, a code, or the header: careerbench holds no exchange
rates, so nothing is converted); an hourly or monthly figure (saying what it would come to a
year); a figure outside ``schema.MIN_ANNUAL_PAY`` .. ``MAX_ANNUAL_PAY``; a figure that looks
monthly beside the set's others (``looks_monthly`` in ``points.yaml``); total comp below base.
Or for its year (none readable, before 2000, after this year) or its shape (more cells than the
header; fewer, in a table separated by spaces, where a blank cell cannot be told).

What describes a data point is read with the knowledge the sources use:
``companies.normalize_company`` and the company's tier, ``titles.classify_title`` (or a role
family written as such), ``levels.resolve_level`` for a common level and ``levels.map_level``
for a company's own ("L5" at Google: its ladder; else the title's level words or the years of
experience), ``places.resolve_place`` for a place typed by a person, else ``parse_location`` /
``parse_place_name`` as sources write them. A field that cannot be read is said so beside the
row, which still counts.

Amounts are annual US dollars: "$250,000", "250k", "$250K", "1.2M", "250000 USD"; a range
("$180K-$220K", "180-220k") counts as its midpoint, said beside the row. Total comp is as given,
or base + equity + bonus where those are given instead. A point without a year is of the year
asked for.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from careerbench.benchmark import PRIVACY_FLOOR
from careerbench.cohort import slug
from careerbench.errors import InputError, InvalidValue
from careerbench.formatting import count, usd
from careerbench.knowledge import load_yaml
from careerbench.schema import MAX_ANNUAL_PAY, MIN_ANNUAL_PAY, Remote, RoleFamily
from careerbench.sources.aijobs import currency_codes
from careerbench.taxonomy import places
from careerbench.taxonomy.companies import normalize_company
from careerbench.taxonomy.levels import map_level, resolve_level
from careerbench.taxonomy.titles import classify_title

MEASURES = ("total_comp", "base")
#: The most text and rows read at once: a table of data points, not a data set.
MAX_BYTES = 64 * 1024
MAX_ROWS = 500
FIELDS = (
    "company", "title", "level", "location", "city", "state", "country", "metro", "remote",
    "total_comp", "base", "equity", "bonus", "currency", "year", "years_experience",
)  # fmt: skip
PAY_FIELDS = ("total_comp", "base", "equity", "bonus")
LABELS = {
    "total_comp": "total comp",
    "base": "base salary",
    "equity": "equity a year",
    "bonus": "bonus",
    "years_experience": "years of experience",
}
KNOWLEDGE = Path(__file__).with_name("points.yaml")
#: How a point's level was found, in words.
LEVEL_HOW = {
    "given": "as given",
    "ladder": "company ladder",
    "pattern": "level name",
    "title": "from the title",
    "experience": "from experience",
}


# ---- knowledge ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Knowledge:
    columns: dict[str, str]
    thousands: frozenset[str]
    millions: frozenset[str]
    units: dict[str, list[re.Pattern[str]]]
    hours_a_year: float
    monthly_share: float
    monthly_within: tuple[float, float]
    symbols: list[tuple[str, str]]
    missing: frozenset[str]
    remote: re.Pattern[str]


def _key(text: str) -> str:
    """A header as matched: lower case, punctuation as spaces, single spaces."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


@cache
def _knowledge() -> _Knowledge:
    doc: dict[str, Any] = load_yaml(KNOWLEDGE)
    columns: dict[str, str] = {}
    for name, synonyms in doc["columns"].items():
        if name not in FIELDS:
            raise ValueError(f"points.yaml: unknown field {name!r}")
        for synonym in [name, *synonyms]:
            columns.setdefault(_key(str(synonym)), name)
    within = doc["looks_monthly"]["twelve_times_within"]
    return _Knowledge(
        columns=columns,
        thousands=frozenset(str(w).lower() for w in doc["thousands_words"]),
        millions=frozenset(str(w).lower() for w in doc["millions_words"]),
        units={
            unit: [re.compile(p, re.I) for p in patterns] for unit, patterns in doc["units"].items()
        },
        hours_a_year=float(doc["hours_a_year"]),
        monthly_share=float(doc["looks_monthly"]["at_most_share_of_median"]),
        monthly_within=(float(within[0]), float(within[1])),
        symbols=sorted(
            ((str(s), str(c)) for s, c in doc["currency_symbols"].items()),
            key=lambda pair: -len(pair[0]),
        ),
        missing=frozenset(str(m).lower() for m in doc["missing"]),
        remote=re.compile(doc["remote_words"], re.I),
    )


def column_names() -> dict[str, list[str]]:
    """Each field careerbench reads and the header names it accepts for it (``points.yaml``)."""
    out: dict[str, list[str]] = {name: [] for name in FIELDS}
    for key, name in _knowledge().columns.items():
        out[name].append(key)
    return out


def _blank(text: str) -> bool:
    return text.strip().lower() in _knowledge().missing


# ---- amounts -----------------------------------------------------------------------------
class _Problem(Exception):
    """Why a cell cannot be read (becomes the row's reason)."""


_ONE = re.compile(
    r"^(?:(?P<code1>[A-Za-z]{3})\s*)?"
    r"(?P<num>\d[\d,'\u00a0\u202f ]*(?:\.\d+)?|\.\d+)\s*"
    r"(?P<word>[A-Za-z]+)?\.?\s*(?P<code2>[A-Za-z]{3})?$"
)
_RANGE = re.compile(r"^(?P<low>.*?\d.*?)\s*(?:-|–|—|\bto\b)\s*(?P<high>\D*\d.*)$", re.I)


@dataclass(frozen=True)
class Amount:
    """An amount as written: annual dollars (times ``scale``) unless ``unit`` says otherwise."""

    value: float
    currency: str | None
    unit: str | None
    note: str | None = None


def _currency_of(text: str) -> tuple[str | None, str]:
    """(the currency a symbol names, the text without it)."""
    for symbol, code in _knowledge().symbols:
        if symbol in text:
            return code, text.replace(symbol, " ", 1)
    return None, text


def _single(text: str) -> tuple[float, float | None, str | None]:
    """(number, its own multiplier: k or M, its currency) of one amount."""
    knowledge = _knowledge()
    currency, rest = _currency_of(text.strip())
    match = _ONE.match(rest.strip())
    if match is None:
        raise _Problem("is not an amount")
    codes = [c.upper() for c in (match["code1"], match["code2"]) if c]
    multiplier = None
    word = (match["word"] or "").lower()
    if word in knowledge.thousands:
        multiplier = 1_000.0
    elif word in knowledge.millions:
        multiplier = 1_000_000.0
    elif word:
        codes.append(word.upper())
    for code in codes:
        if code not in currency_codes():
            raise _Problem("is not an amount")
        if currency is not None and currency != code:
            raise _Problem(f"names two currencies ({currency} and {code})")
        currency = code
    digits = match["num"]
    if multiplier is None and re.fullmatch(r"\d{1,3}(\.\d{3})+", digits):
        raise _Problem("is ambiguous (a decimal point or a thousands separator?)")
    number = float(re.sub(r"[,'\u00a0\u202f ]", "", digits))
    if not math.isfinite(number):
        raise _Problem("is not an amount")
    return number, multiplier, currency


def parse_amount(text: str, *, scale: float = 1.0) -> Amount:
    """An amount as people write it ("$250,000", "250k", "1.2M", "$180K-$220K", "EUR 90,000",
    "$85/hr"); ``scale`` multiplies a bare number (a column in thousands). Raises ``_Problem``
    saying why a text is not an amount."""
    knowledge = _knowledge()
    rest = text.strip()
    unit = None
    for name, patterns in knowledge.units.items():
        found = next((m for p in patterns if (m := p.search(rest)) is not None), None)
        if found is not None:
            unit, rest = name, f"{rest[: found.start()]} {rest[found.end() :]}".strip()
            break
    rest = re.sub(r"^(~|≈|about\s|approx\.?\s*|around\s|ca\.\s*)", "", rest, flags=re.I).strip()
    if rest.startswith("-") or (rest.startswith("(") and rest.endswith(")")):
        raise _Problem("is negative")
    ranged = _RANGE.match(rest)
    if ranged is None:
        number, multiplier, currency = _single(rest)
        return Amount(number * (multiplier or scale), currency, unit)
    low, low_multiplier, low_currency = _single(ranged["low"])
    high, high_multiplier, high_currency = _single(ranged["high"])
    if low_multiplier is None and high_multiplier is not None and low <= high:
        low_multiplier = high_multiplier  # "180-220k": the unit written once is the range's
    low *= low_multiplier or scale
    high *= high_multiplier or scale
    if low_currency and high_currency and low_currency != high_currency:
        raise _Problem(f"names two currencies ({low_currency} and {high_currency})")
    if low > high:
        raise _Problem("is a range from high to low")
    note = f"the range {usd(low)}-{usd(high)}: its midpoint"
    return Amount((low + high) / 2, low_currency or high_currency, unit, note)


# ---- the table ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """A column of the input: its header, the field it gives (``None``: ignored), the currency
    and multiplier its header names, and how it was read, in words."""

    header: str
    field: str | None
    currency: str | None = None
    scale: float = 1.0
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"header": self.header, "field": self.field, "note": self.note}


def read_header(header: str) -> tuple[str | None, str | None, float]:
    """(field, currency, multiplier) a column's header names: "Base Salary (USD, $K)" is
    (``base``, USD, 1000); (None, None, 1) for a column careerbench does not read."""
    knowledge = _knowledge()
    currency, rest = _currency_of(header)
    key = _key(rest)
    if key in knowledge.columns:
        return knowledge.columns[key], currency, 1.0
    kept, scale = [], 1.0
    for word in key.split():
        if word in knowledge.thousands:
            scale = 1_000.0
        elif word in knowledge.millions:
            scale = 1_000_000.0
        elif len(word) == 3 and word.upper() in currency_codes():
            currency = word.upper()
        else:
            kept.append(word)
    found = knowledge.columns.get(" ".join(kept))
    return (found, currency, scale) if found else (None, None, 1.0)


def _columns(headers: Sequence[str]) -> list[Column]:
    out: list[Column] = []
    taken: dict[str, str] = {}
    for header in headers:
        found, currency, scale = read_header(header)
        if not header.strip():
            out.append(Column(header, None, note="no name: ignored"))
        elif found is None:
            out.append(Column(header, None, note="not a column careerbench reads: ignored"))
        elif found in taken:
            note = f"ignored: '{taken[found]}' already gives {LABELS.get(found, found)}"
            out.append(Column(header, None, note=note))
        else:
            taken[found] = header
            words = [LABELS.get(found, found)]
            if scale != 1.0:
                words.append("in thousands" if scale == 1_000.0 else "in millions")
            if currency:
                words.append(f"in {currency}")
            out.append(Column(header, found, currency, scale, ", ".join(words)))
    return out


SEPARATORS = {"\t": "tabs", "|": "bars", ",": "commas", ";": "semicolons", "  ": "spaces"}


def _separator(line: str) -> str:
    if "\t" in line:
        return "\t"
    if line.lstrip().startswith("|") or line.count("|") >= 2:
        return "|"
    if "," in line:
        return ","
    if ";" in line:
        return ";"
    return "  "


def _split(line: str, separator: str) -> list[str]:
    if separator in (",", ";"):
        cells = next(csv.reader([line], delimiter=separator, skipinitialspace=True), [])
    elif separator == "|":
        text = line.strip()
        text = text[1:] if text.startswith("|") else text
        text = text[:-1] if text.endswith("|") else text
        cells = text.split("|")
    elif separator == "\t":
        cells = line.split("\t")
    else:
        cells = re.split(r"\s{2,}", line.strip())
    out = []
    for cell in cells:
        text = cell.strip()
        if len(text) >= 2 and text[0] == text[-1] == '"':
            text = text[1:-1].strip()
        out.append(text)
    return out


_RULE = re.compile(r"^\s*\|?[\s:|+=-]*-[\s:|+=-]*\|?\s*$")


# ---- one row -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Point:
    """One data point as understood: what describes it (``None``: not given or not
    understood, said in ``notes``) and its pay in nominal annual US dollars of ``year``."""

    line: int
    company: str | None
    tier: str | None
    title: str | None
    role: str | None
    level: str | None
    level_how: str | None
    place: places.Place | None
    remote: str | None
    years_experience: float | None
    year: int
    year_given: bool
    total_comp: float | None
    base: float | None
    raw_company: str | None = None
    notes: tuple[str, ...] = ()

    def pay(self, measure: str) -> float | None:
        return self.total_comp if measure == "total_comp" else self.base

    @property
    def level_text(self) -> str:
        """ "staff (company ladder)": the level and how it was found."""
        if self.level is None:
            return "-"
        return f"{self.level} ({LEVEL_HOW.get(self.level_how or '', self.level_how)})"

    @property
    def place_text(self) -> str:
        """ "Redmond, WA", "remote", "Seattle, WA, remote"."""
        text = "-" if self.place is None else self.place.label
        if self.remote:
            text = self.remote if self.place is None else f"{text}, {self.remote}"
        return text

    @property
    def year_text(self) -> str:
        return str(self.year) if self.year_given else f"{self.year} (assumed)"

    def summary(self) -> str:
        """The point in one line: what was understood, and what was not."""
        company = "-" if self.company is None else f"{self.company} ({self.tier})"
        pay = ", ".join(f"{LABELS[m]} {usd(v)}" for m in MEASURES if (v := self.pay(m)) is not None)
        parts = [company, self.role or "-", self.level_text, self.place_text, self.year_text, pay]
        text = f"line {self.line}: " + "; ".join(parts)
        return text + (f" [{'; '.join(self.notes)}]" if self.notes else "")

    def to_dict(self) -> dict[str, Any]:
        place = self.place
        return {
            "line": self.line,
            "company": self.company,
            "tier": self.tier,
            "title": self.title,
            "role": self.role,
            "level": self.level,
            "level_from": self.level_how,
            "place": None if place is None else place.label,
            "country": None if place is None else place.country,
            "state": None if place is None else place.state,
            "metro": None if place is None else place.metro_code,
            "metro_name": None if place is None else place.metro_name,
            "remote": self.remote,
            "years_experience": self.years_experience,
            "year": self.year,
            "year_given": self.year_given,
            "total_comp": self.total_comp,
            "base": self.base,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Rejected:
    """A row that is not a data point, with the reason (what to fix)."""

    line: int
    text: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "text": self.text, "reason": self.reason}


@dataclass(frozen=True)
class Skipped:
    """A line that is not a row of the table (a title, a note, a source)."""

    line: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "text": self.text}


def _pay(name: str, text: str, column: Column, currency: str | None) -> tuple[float, str | None]:
    """One pay cell in annual US dollars (and a note on how it was read), or a ``_Problem``
    naming the field and the fix."""
    label = LABELS[name]
    try:
        amount = parse_amount(text, scale=column.scale)
    except _Problem as problem:
        raise _Problem(
            f"{label}: '{text}' {problem}; write an annual amount such as 250000, $250,000, "
            "250k or 1.2M"
        ) from None
    named = amount.currency or column.currency
    if amount.currency and currency and amount.currency != currency:
        raise _Problem(
            f"{label}: '{text}' is in {amount.currency} but the currency column says {currency}"
        )
    named = named or currency or "USD"
    if named != "USD":
        raise _Problem(
            f"{label}: '{text}' is in {named}; careerbench holds no exchange rates and converts "
            "nothing: give US dollars, or leave the row out"
        )
    value = amount.value
    hours = _knowledge().hours_a_year
    if amount.unit == "hourly":
        raise _Problem(
            f"{label}: '{text}' is an hourly rate; give annual pay (full time: {usd(value)} x "
            f"{hours:,.0f} hours = {usd(value * hours)} a year)"
        )
    if amount.unit == "monthly":
        raise _Problem(
            f"{label}: '{text}' is a monthly figure; give annual pay (x 12 = {usd(value * 12)})"
        )
    if value < MIN_ANNUAL_PAY:
        raise _Problem(
            f"{label}: {usd(value)} is below {usd(MIN_ANNUAL_PAY)} a year: an hourly rate, or "
            "thousands without their 'k'? give annual dollars (250000 or 250k)"
        )
    if value > MAX_ANNUAL_PAY:
        raise _Problem(
            f"{label}: {usd(value)} is above {usd(MAX_ANNUAL_PAY)} a year, not one person's "
            "annual pay: check the digits"
        )
    return value, None if amount.note is None else f"{label}: {amount.note}"


def _currency_column(text: str | None) -> str | None:
    if text is None:
        return None
    code, rest = _currency_of(text)
    if code is not None and not rest.strip():
        return code
    value = text.strip().upper()
    if value not in currency_codes():
        raise _Problem(f"currency: '{text}' is not a currency code (USD, EUR, GBP, ...)")
    return value


def _year(text: str | None, default: int, today: int) -> int:
    if text is None:
        return default
    found = re.search(r"(?<!\d)(\d{4})(?!\d)", text)
    if found is None:
        raise _Problem(f"year: '{text}' names no year; write it as 2024 (or a date)")
    value = int(found.group(1))
    if value < 2000:
        raise _Problem(f"year: {value} is before 2000; careerbench's data start in 2017")
    if value > today:
        raise _Problem(f"year: {value} is after this year ({today})")
    return value


def _role(title: str) -> RoleFamily:
    try:
        return RoleFamily(slug(title))
    except ValueError:
        return classify_title(title)


def _level(
    text: str | None, company: str | None, title: str | None, years: float | None
) -> tuple[str | None, str | None, str | None]:
    """(level, how it was found, a note when the level given was not understood)."""
    note = None
    if text is not None:
        try:
            return resolve_level(text).value, "given", None
        except InvalidValue:
            pass
    level, how = map_level(company, text, title, years)
    if text is not None and how not in ("ladder", "pattern"):
        note = f"level: '{text}' is no common level and on no known ladder"
        if level is not None:
            note += f"; {level.value} {LEVEL_HOW.get(how, how)}"
    return (None if level is None else level.value), (None if level is None else how), note


def _place(given: dict[str, str]) -> tuple[places.Place | None, str | None, str | None]:
    """(place, remote, a note when a place was given but not understood)."""
    location = given.get("location")
    remote = None
    if location is not None:
        found = _knowledge().remote.match(location)
        if found is not None:
            remote, location = Remote.REMOTE.value, location[found.end() :].strip(" -()") or None
    city, state, country = given.get("city"), given.get("state"), given.get("country")
    try:
        if location is not None:
            text = location
        elif city is not None:
            text = ", ".join(t for t in (city, state or country) if t)
        elif given.get("metro") is not None:
            code, _ = places.resolve_metro(given["metro"])
            return places.resolve_place(code), remote, None
        elif state is not None:
            return places.Place("US", places.resolve_state(state)), remote, None
        elif country is not None:
            return places.Place(places.resolve_country(country)), remote, None
        else:
            return None, remote, None
        return _read_place(text), remote, None
    except InvalidValue as error:
        return None, remote, str(error)


def _read_place(text: str) -> places.Place:
    """A place as people type it, else as sources write it; ``InvalidValue`` otherwise."""
    try:
        return places.resolve_place(text)
    except InvalidValue:
        found = places.parse_location(text) or places.parse_place_name(text)
        if found is None:
            raise
        return found


def _number(text: str | None, name: str) -> tuple[float | None, str | None]:
    if text is None:
        return None, None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None, f"{LABELS.get(name, name)}: '{text}' is not a number"
    if not 0 <= value <= 60:
        return None, f"{LABELS.get(name, name)}: {value:g} is not from 0 to 60"
    return value, None


def understand_row(
    line: int, given: dict[str, str], columns: dict[str, Column], default_year: int, today: int
) -> Point:
    """One row's cells (field -> text, blanks left out) as a data point; ``_Problem`` when
    the row cannot be one."""
    currency = _currency_column(given.get("currency"))
    read = {n: _pay(n, given[n], columns[n], currency) for n in PAY_FIELDS if n in given}
    pay = {name: value for name, (value, _) in read.items()}
    notes = [note for _, note in read.values() if note]
    total, base = pay.get("total_comp"), pay.get("base")
    if total is None and base is not None and ("equity" in pay or "bonus" in pay):
        total = base + pay.get("equity", 0.0) + pay.get("bonus", 0.0)
        notes.append("total comp = base + equity + bonus")
    if total is None and base is None:
        raise _Problem("no pay: total comp and base are both empty")
    if total is not None and base is not None and total < base:
        raise _Problem(f"total comp {usd(total)} is below base {usd(base)}: check the columns")
    year = _year(given.get("year"), default_year, today)
    company = normalize_company(given.get("company"))
    title = given.get("title")
    role = None if title is None else _role(title).value
    if role == RoleFamily.OTHER.value:
        notes.append(f"title: '{title}' names no role family careerbench knows (other)")
    if title is None and "title" in columns:
        notes.append("title: empty")
    years, years_note = _number(given.get("years_experience"), "years_experience")
    level, how, level_note = _level(
        given.get("level"), None if company is None else company.name, title, years
    )
    place, remote, place_note = _place(given)
    if given.get("remote") is not None:
        value = slug(given["remote"])
        if value in {r.value for r in Remote}:
            remote = value
        else:
            notes.append(f"remote: '{given['remote']}' is not onsite, hybrid or remote")
    notes += [n for n in (years_note, level_note, place_note) if n]
    return Point(
        line=line,
        company=None if company is None else company.name,
        tier=None if company is None else company.tier.value,
        title=title,
        role=role,
        level=level,
        level_how=how,
        place=place,
        remote=remote,
        years_experience=years,
        year=year,
        year_given="year" in given,
        total_comp=total,
        base=base,
        raw_company=given.get("company"),
        notes=tuple(notes),
    )


# ---- the whole table ---------------------------------------------------------------------
@dataclass(frozen=True)
class Reading:
    """What was read from the text: the columns, the data points, the rows rejected with their
    reasons and the lines that are not rows. ``rows`` = understood + rejected."""

    separator: str
    columns: list[Column]
    points: list[Point]
    rejected: list[Rejected]
    skipped: list[Skipped]
    year: int
    remarks: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.points) + len(self.rejected)

    def n(self, measure: str) -> int:
        return sum(1 for p in self.points if p.pay(measure) is not None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "separator": SEPARATORS[self.separator],
            "rows": self.rows,
            "understood": len(self.points),
            "rejected": len(self.rejected),
            "columns": [c.to_dict() for c in self.columns],
            "points": [p.to_dict() for p in self.points],
            "rejected_rows": [r.to_dict() for r in self.rejected],
            "skipped_lines": [s.to_dict() for s in self.skipped],
            "default_year": self.year,
            "remarks": self.remarks,
        }


def decode(data: bytes) -> str:
    """A file's text: UTF-8 (with or without a byte-order mark), else Windows-1252, as
    spreadsheets on Windows save CSV files. ``InputError`` for a file over ``MAX_BYTES``."""
    if len(data) > MAX_BYTES:
        raise InputError(
            "points", f"a file over {MAX_BYTES // 1024} KiB: give at most {MAX_ROWS} data points"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


EXAMPLE_HEADER = "company, title, level, location, total comp or base, year"


def read_points(text: str, *, year: int | None = None, today: int | None = None) -> Reading:
    """Read a table of data points (module docstring); points without a year are of ``year``
    (default: ``today``, this year). ``InputError`` (field ``points``) when the text holds no
    table careerbench can read: empty, no header row, no pay column, too long."""
    today = today or date.today().year
    default_year = year or today
    if not 2000 <= default_year <= today:
        raise InputError(
            "year", f"{default_year}: give the year of your data points, from 2000 to {today}"
        )
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise InputError(
            "points", f"over {MAX_BYTES // 1024} KiB of text: give at most {MAX_ROWS} data points"
        )
    lines = text.lstrip("\ufeff").replace("\x00", "").splitlines()
    if not any(line.strip() for line in lines):
        raise InputError(
            "points",
            f"nothing to read: paste a table with a header row ({EXAMPLE_HEADER}) and one "
            "data point per row, or give a file",
        )
    skipped: list[Skipped] = []
    header_at, separator, columns = -1, "  ", []
    for at, line in enumerate(lines):
        if not line.strip():
            continue
        separator = _separator(line)
        cells = _split(line, separator)
        if len(cells) >= 2 and any(read_header(c)[0] for c in cells):
            header_at, columns = at, _columns(cells)
            break
        skipped.append(Skipped(at + 1, line.strip()))
    if header_at < 0:
        raise InputError(
            "points",
            f"no header row: the table's first row must name its columns ({EXAMPLE_HEADER}), "
            "separated by tabs, commas or two or more spaces",
        )
    fields = [c.field for c in columns]
    if "total_comp" not in fields and "base" not in fields:
        headers = ", ".join(f"'{c.header}'" for c in columns)
        raise InputError(
            "points",
            f"no pay column among {headers}: name one 'total comp' (or TC, total compensation) "
            "or 'base' (base salary)",
        )
    by_field = {c.field: c for c in columns if c.field}
    points: list[Point] = []
    rejected: list[Rejected] = []
    texts: dict[int, str] = {}
    for at in range(header_at + 1, len(lines)):
        line = lines[at]
        if not line.strip() or (separator == "|" and _RULE.match(line)):
            continue
        cells = _split(line, separator)
        if len(cells) == 1 and len(columns) > 1:
            skipped.append(Skipped(at + 1, line.strip()))
            continue
        if len(points) + len(rejected) >= MAX_ROWS:
            raise InputError("points", f"more than {MAX_ROWS} rows: give at most {MAX_ROWS}")
        texts[at + 1] = line.strip()[:200]
        try:
            given = _cells(cells, columns, separator)
            points.append(understand_row(at + 1, given, by_field, default_year, today))
        except _Problem as problem:
            rejected.append(Rejected(at + 1, texts[at + 1], str(problem)))
    points, monthly = _looks_monthly(points)
    rejected += [Rejected(line, texts[line], reason) for line, reason in monthly.items()]
    rejected.sort(key=lambda r: r.line)
    return Reading(
        separator, columns, points, rejected, skipped, default_year,
        _remarks(columns, points, default_year),
    )  # fmt: skip


def _cells(cells: list[str], columns: list[Column], separator: str) -> dict[str, str]:
    """A row's cells by field (blank cells left out); ``_Problem`` for a row of another shape."""
    extra = cells[len(columns) :]
    if any(c.strip() for c in extra):
        hint = (
            ': a comma inside an amount? quote the cell ("$250,000") or write 250000'
            if separator == ","
            else ""
        )
        raise _Problem(f"{len(cells)} cells where the header has {len(columns)}{hint}")
    if len(cells) < len(columns) and separator == "  ":
        raise _Problem(
            f"{len(cells)} cells where the header has {len(columns)}: in a table separated by "
            "spaces write '-' in an empty cell, or paste the table with tabs"
        )
    return {
        column.field: cell
        for column, cell in zip(columns, cells, strict=False)
        if column.field and not _blank(cell)
    }


def _looks_monthly(points: list[Point]) -> tuple[list[Point], dict[int, str]]:
    """Points whose pay looks monthly beside the set's other figures, rejected."""
    knowledge = _knowledge()
    low, high = knowledge.monthly_within
    reasons: dict[int, str] = {}
    for measure in MEASURES:
        values = [v for p in points if (v := p.pay(measure)) is not None]
        if len(values) < PRIVACY_FLOOR:
            continue
        median = float(np.median(values))
        for point in points:
            value = point.pay(measure)
            if value is None or point.line in reasons:
                continue
            if value <= knowledge.monthly_share * median and low * median <= 12 * value <= (
                high * median
            ):
                reasons[point.line] = (
                    f"{LABELS[measure]}: {usd(value)} looks monthly beside the other points "
                    f"(their median {usd(median)}; x 12 = {usd(12 * value)}): give annual pay"
                )
    return [p for p in points if p.line not in reasons], reasons


def _remarks(columns: list[Column], points: list[Point], year: int) -> list[str]:
    out = []
    fields = {c.field for c in columns}
    if "title" not in fields:
        out.append("no title or role column: the points have no role family")
    defaulted = sum(1 for p in points if not p.year_given)
    if defaulted:
        out.append(f"{count(defaulted)} point(s) name no year: taken as {year}")
    return out
