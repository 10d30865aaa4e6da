"""Levels.fyi "Data Science and STEM Salaries" extract (2017-2021) -> canonical records.

The extract's licence is unverified, so careerbench never ships it: the user names the CSV
(``careerbench ingest --levelsfyi PATH`` or ``$CAREERBENCH_LEVELSFYI``).

Pay is annual USD of the report's year (from ``timestamp``): ``total_comp`` is
``totalyearlycompensation``; base, equity per year (``stockgrantvalue``) and bonus are kept where
the report gives them (older reports give only the total: components are then left empty).
Companies are normalized and tiered, company levels mapped to the common ladder, titles and the
free-text ``tag`` mapped to role families, and "City, ST" locations to state and metro.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from careerbench.errors import SourceError
from careerbench.schema import MAX_ANNUAL_PAY, MIN_ANNUAL_PAY, Source
from careerbench.sources.base import (
    ROW_PROBLEM,
    Adapted,
    first_problem,
    quarantine_table,
    read_csv_strings,
    records_table,
    require_columns,
    row_problem,
)
from careerbench.sources.spec import BatchSpec, ModelSpec, ProfileFill, SourceSpec
from careerbench.taxonomy.companies import normalize_company
from careerbench.taxonomy.levels import map_level
from careerbench.taxonomy.places import parse_location
from careerbench.taxonomy.titles import classify_title

REQUIRED = (
    "timestamp",
    "company",
    "level",
    "title",
    "totalyearlycompensation",
    "location",
    "yearsofexperience",
    "yearsatcompany",
    "tag",
    "basesalary",
    "stockgrantvalue",
    "bonus",
)
OPTIONAL = ("Education", "rowNumber")
MISSING = {"", "NA", "N/A", "nan", "None"}
EDUCATION = {
    "PhD": "phd",
    "Master's Degree": "masters",
    "Bachelor's Degree": "bachelors",
    "Some College": "some-college",
    "Highschool": "highschool",
}


def read(path: Path) -> pd.DataFrame:
    """The raw rows as strings, with ``source_row`` (1-based record number in the file)."""
    return shape(read_csv_strings(path, "levelsfyi"), str(path))


def shape(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    """A read file's rows (strings) as ``adapt_frame`` reads them; rows keep the ``source_row``
    they come with (else they are numbered from 1)."""
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise SourceError(
            f"levelsfyi: {origin} lacks the column(s) {', '.join(missing)}; "
            f"a Levels.fyi extract has: {', '.join(REQUIRED)}"
        )
    for column in OPTIONAL:
        if column not in frame.columns:
            frame[column] = ""
    numbers = (
        frame["source_row"].to_numpy()
        if "source_row" in frame.columns
        else np.arange(1, len(frame) + 1)
    )
    frame = frame[[*REQUIRED, *OPTIONAL, ROW_PROBLEM]].copy()
    frame.insert(0, "source_row", numbers)
    return frame


def _number(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.where(~series.str.strip().isin(MISSING)), errors="coerce")


def profile_problems(
    frame: pd.DataFrame, year: pd.Series
) -> list[tuple[pd.Series[bool], str | pd.Series[str]]]:
    """Checks of the fields that describe a report (everything but its pay)."""
    return [
        (year.isna(), "unparseable timestamp (expected M/D/YYYY H:MM:SS)"),
        (frame["title"].str.strip().isin(MISSING), "empty title"),
    ]


def report_year(frame: pd.DataFrame) -> pd.Series:
    """The year of each report, from its timestamp (NaN where it does not parse)."""
    stamps = pd.to_datetime(frame["timestamp"], format="%m/%d/%Y %H:%M:%S", errors="coerce")
    return stamps.dt.year


def validate(frame: pd.DataFrame, year: pd.Series, total: pd.Series) -> pd.Series:
    """The reason each row cannot be loaded (None where it can)."""
    when, title = profile_problems(frame, year)
    return first_problem(
        [
            row_problem(frame),
            when,
            (total.isna(), "totalyearlycompensation is not a number"),
            (total < MIN_ANNUAL_PAY, f"total comp below ${MIN_ANNUAL_PAY:,.0f} a year"),
            (total > MAX_ANNUAL_PAY, f"total comp above ${MAX_ANNUAL_PAY:,.0f} a year"),
            title,
        ],
        frame.index,
    )


def _component(value: pd.Series, has_components: pd.Series) -> pd.Series:
    return value.where(has_components & value.notna() & (value >= 0))


def normalize(frame: pd.DataFrame, year: pd.Series, total: pd.Series) -> pd.DataFrame:
    """Canonical columns for loadable rows."""
    companies = frame["company"].map(normalize_company)
    places = frame["location"].map(parse_location)
    years_exp = _number(frame["yearsofexperience"]).where(lambda y: (y >= 0) & (y <= 60))
    years_at = _number(frame["yearsatcompany"]).where(lambda y: (y >= 0) & (y <= 60))
    tags = frame["tag"].where(~frame["tag"].str.strip().isin(MISSING))
    titles = frame["title"].str.strip()
    company_names = companies.map(lambda c: c.name if c else None)
    levels = [
        map_level(
            company,
            raw if raw.strip() not in MISSING else None,
            title,
            None if np.isnan(y) else float(y),
        )
        for company, raw, title, y in zip(
            company_names, frame["level"], titles, years_exp.fillna(np.nan), strict=True
        )
    ]
    base = _number(frame["basesalary"]) * 1.0
    equity = _number(frame["stockgrantvalue"]) * 1.0
    bonus = _number(frame["bonus"]) * 1.0
    # Older reports carry only the total, with every component 0: keep those components empty.
    has_components = (base.fillna(0) + equity.fillna(0) + bonus.fillna(0)) > 0
    row_id = frame["rowNumber"].where(
        frame["rowNumber"].str.strip() != "", frame["source_row"].astype(str)
    )
    return pd.DataFrame(
        {
            "source": Source.LEVELSFYI.value,
            "source_id": "row-" + row_id.astype(str),
            "observed_year": year.astype(int),
            "raw_title": titles,
            "role_family": [
                classify_title(t, g if isinstance(g, str) else None).value
                for t, g in zip(titles, tags, strict=True)
            ],
            "level": [lv.value if lv else None for lv, _ in levels],
            "level_basis": [basis if lv else None for lv, basis in levels],
            "raw_level": frame["level"].where(~frame["level"].str.strip().isin(MISSING)),
            "raw_company": frame["company"],
            "company": company_names,
            "tier": companies.map(lambda c: c.tier.value if c else "unknown"),
            "employment_type": "full-time",
            "country": places.map(lambda p: p.country if p else None),
            "state": places.map(lambda p: p.state if p else None),
            "city": places.map(lambda p: p.city if p else None),
            "metro_code": places.map(lambda p: p.metro_code if p else None),
            "metro_name": places.map(lambda p: p.metro_name if p else None),
            "years_experience": years_exp,
            "years_at_company": years_at,
            "education": frame["Education"].map(EDUCATION),
            "base": _component(base.where(base > 0), has_components),
            "equity": _component(equity, has_components),
            "bonus": _component(bonus, has_components),
            "total_comp": total * 1.0,
            "currency": "USD",
            "tag": tags,
            "weight": 1,
        }
    )


def merge_duplicates(frame: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """Reports identical in every raw field but their row number become one weighted record."""
    hashed = _raw_hash(frame)
    first = ~hashed.duplicated().to_numpy()
    weights = hashed.map(hashed.value_counts()).to_numpy()
    merged = records[first].copy()
    merged["weight"] = weights[first].astype("int32")
    return merged


def _raw_hash(frame: pd.DataFrame) -> pd.Series[int]:
    """A hash of every raw field of each row but its row number."""
    raw = frame.drop(columns=["source_row", "rowNumber"])
    return pd.util.hash_pandas_object(raw, index=False)


def together(frame: pd.DataFrame) -> pd.Series[int]:
    """Which rows ``adapt_frame`` must see together: identical reports (merged into one
    weighted record) share every raw field, so a hash of them is the group."""
    return _raw_hash(frame).astype("int64")


def adapt(path: Path) -> Adapted:
    """Read, validate and normalize one Levels.fyi CSV."""
    return adapt_frame(read(path))


def adapt_frame(frame: pd.DataFrame) -> Adapted:
    """Validate and normalize rows as ``read`` gives them, in file order (a whole file, or any
    set of ``together``'s groups)."""
    year = report_year(frame)
    total = _number(frame["totalyearlycompensation"])
    reasons = validate(frame, year, total)
    bad = reasons.notna()
    good = ~bad
    records = normalize(frame[good], year[good], total[good])
    records = merge_duplicates(frame[good], records)
    return Adapted(
        source=Source.LEVELSFYI.value,
        records=records_table(records),
        quarantine=quarantine_table(Source.LEVELSFYI.value, frame[bad], reasons[bad]),
        rows_read=len(frame),
        rows_loaded=int(good.sum()),
    )


PROFILE_REQUIRED = ("timestamp", "title")


def profiles(
    frame: pd.DataFrame, _mapping: Mapping[str, str], origin: str
) -> tuple[pd.DataFrame, pd.Series]:
    """Profile records of Levels.fyi rows (strings; pay columns ignored) and their problems."""
    require_columns(frame, PROFILE_REQUIRED, Source.LEVELSFYI.value, origin)
    frame = frame.copy()
    for column in (*REQUIRED, *OPTIONAL):
        if column not in frame.columns:
            frame[column] = ""
    frame.insert(0, "source_row", np.arange(1, len(frame) + 1), allow_duplicates=True)
    frame = frame.loc[:, ~frame.columns.duplicated()]
    year = report_year(frame)
    reasons = first_problem(profile_problems(frame, year), frame.index)
    ok = reasons.isna()
    no_pay = pd.Series(np.nan, index=frame.index[ok])
    return normalize(frame[ok], year[ok], no_pay), reasons


SPEC = SourceSpec(
    name=Source.LEVELSFYI.value,
    title="Levels.fyi",
    licence="unverified; imported from the user's own copy, never redistributed",
    measures=frozenset({"total_comp", "base", "equity", "bonus"}),
    pay_note="self-reported total comp (base + equity + bonus)",
    model=ModelSpec(
        categorical=(
            "role_family", "level", "raw_level", "company_level", "raw_title", "company", "tier",
            "country", "state", "metro_code", "tag", "education",
        ),
        numeric=("observed_year", "years_experience", "years_at_company"),
        target_encoded=("company_level", "company"),
        trend_cells=("company", "level", "role_family"),
        last_training_year=2020,
        profile_signals=("company", "tier", "metro_code", "state", "years_experience"),
        separate_base=True,
        needs_us_place=True,
        fills=(
            ProfileFill("raw_title", ("role_family", "level"), least=1),
            ProfileFill("tag", ("role_family",), least=1),
            ProfileFill("country"),
            ProfileFill("raw_level", ("company", "level"), least=2),
            ProfileFill("years_experience", ("level",), least=1, statistic="median"),
        ),
    ),
    batch=BatchSpec(PROFILE_REQUIRED, profiles),
)  # fmt: skip
