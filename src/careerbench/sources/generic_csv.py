"""Your own data points: a CSV with careerbench's column names (or a mapping to them).

Columns (names are case-insensitive; a mapping file renames yours, see ``read_mapping``):

=================  ========  ===================================================================
column             required  meaning
=================  ========  ===================================================================
year               yes       the year the pay was earned or offered (2000-2100)
title              yes       job title as written ("Senior ML Engineer")
total_comp         one of    annual total compensation, USD
base               these     annual base salary, USD (total_comp = base + equity + bonus if
                             total_comp is empty)
equity, bonus      no        annual equity (vest value per year) and bonus, USD
currency           no        must be USD when given (convert other currencies first)
company            no        employer; normalized and tiered like the bundled data
tier               no        one of the company tiers, overrides the company's tier
role_family        no        overrides the family derived from the title
level              no        common level (entry, mid, senior, staff, ...); else from the title
location           no        "City, ST" or a country; or the columns country, state, metro
remote             no        onsite, hybrid or remote
years_experience   no        years of experience
years_at_company   no        years at the company
education          no        free text
employment_type    no        full-time (default), part-time, contract, freelance, intern
id                 no        your identifier for the row (default: its row number)
=================  ========  ===================================================================

A mapping file is YAML: ``columns: {"Your Column": year, "Annual TC": total_comp, ...}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from careerbench.errors import InputError, SourceError
from careerbench.schema import (
    MAX_ANNUAL_PAY,
    MIN_ANNUAL_PAY,
    EmploymentType,
    Level,
    Remote,
    RoleFamily,
    Source,
    Tier,
)
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
from careerbench.sources.spec import BatchSpec, SourceSpec
from careerbench.taxonomy.companies import normalize_company
from careerbench.taxonomy.places import parse_location, resolve_place
from careerbench.taxonomy.titles import classify_title, title_level_hint

CANONICAL = (
    "year", "title", "total_comp", "base", "equity", "bonus", "currency", "company", "tier",
    "role_family", "level", "location", "country", "state", "metro", "remote",
    "years_experience", "years_at_company", "education", "employment_type", "id",
)  # fmt: skip


def read_mapping(path: Path | None) -> dict[str, str]:
    """The user's column names -> canonical names, from a YAML mapping file."""
    if path is None:
        return {}
    try:
        document = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise InputError("mapping", f"cannot read {path}: {exc}") from exc
    columns = document.get("columns") if isinstance(document, dict) else None
    if not isinstance(columns, dict):
        raise InputError("mapping", f"{path} needs a 'columns:' map of your name -> our name")
    unknown = sorted(str(v) for v in columns.values() if str(v) not in CANONICAL)
    if unknown:
        raise InputError(
            "mapping", f"unknown target column(s) {unknown}; valid: {', '.join(CANONICAL)}"
        )
    return {str(k).strip().lower(): str(v) for k, v in columns.items()}


def read(path: Path, mapping: dict[str, str], *, pay: bool = True) -> pd.DataFrame:
    """The rows of a CSV under canonical column names; ``pay``: a pay column is required."""
    return canonical(read_csv_strings(path, "csv"), mapping, pay=pay, origin=str(path))


def canonical(
    frame: pd.DataFrame, mapping: dict[str, str], *, pay: bool = True, origin: str = "the input"
) -> pd.DataFrame:
    """Rows as strings (a read CSV) under canonical column names; ``origin`` names them."""
    frame = frame.copy()
    problems = frame.pop(ROW_PROBLEM) if ROW_PROBLEM in frame.columns else ""
    numbers = (
        frame.pop("source_row").to_numpy()
        if "source_row" in frame.columns
        else np.arange(1, len(frame) + 1)
    )
    frame.columns = [mapping.get(c.strip().lower(), c.strip().lower()) for c in frame.columns]
    twice = sorted({c for c in frame.columns if list(frame.columns).count(c) > 1})
    if twice:
        raise SourceError(
            f"csv: {origin} has more than one column for {', '.join(twice)} (column names are "
            "case-insensitive and a mapping may rename two columns to one); keep one of each"
        )
    required = [c for c in ("year", "title") if c not in frame.columns]
    if pay and "total_comp" not in frame.columns and "base" not in frame.columns:
        required.append("total_comp (or base)")
    if required:
        raise SourceError(
            f"csv: {origin} lacks the column(s) {', '.join(required)}; rename yours with a "
            "mapping file (columns: {'Your Column': year, ...})"
        )
    for column in CANONICAL:
        if column not in frame.columns:
            frame[column] = ""
    out = pd.DataFrame({column: frame[column].str.strip() for column in CANONICAL})
    out.insert(0, "source_row", numbers)
    out[ROW_PROBLEM] = problems
    return out


def _number(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.replace("", np.nan).str.replace(",", ""), errors="coerce")


def _out_of_range(text: pd.Series) -> pd.Series:
    """Given (not blank) but not a number of years from 0 to 60."""
    years = _number(text)
    return (text != "") & ~((years >= 0) & (years <= 60))


def _place_of(row: pd.Series[str]) -> object:
    if row["location"]:
        return parse_location(row["location"])
    text = row["metro"] or (f"{row['state']}" if row["state"] else row["country"])
    if not text:
        return None
    try:
        return resolve_place(text)
    except ValueError:
        return None


def profile_problems(frame: pd.DataFrame) -> list[tuple[pd.Series, str | pd.Series]]:
    """Checks of the fields that describe a data point (everything but its pay)."""
    year = _number(frame["year"])
    families = {f.value for f in RoleFamily}
    levels = {lv.value for lv in Level}
    tiers = {t.value for t in Tier}
    remotes = {r.value for r in Remote}
    employment = {e.value for e in EmploymentType}

    def unknown(column: str, valid: set[str]) -> tuple[pd.Series, pd.Series]:
        listed = ", ".join(sorted(valid))
        message = f"{column}: unknown value " + frame[column] + f" (valid: {listed})"
        return ~frame[column].isin(valid | {""}), message

    fractional = (frame["year"] != "") & ~frame["year"].str.fullmatch(r"\d+(\.0*)?")
    return [
        row_problem(frame),
        (fractional & year.notna(), "year: not a whole year"),
        (year.isna() | (year < 2000) | (year > 2100), "year: not a year from 2000 to 2100"),
        (frame["title"] == "", "title: empty"),
        (_out_of_range(frame["years_experience"]), "years_experience: not a number from 0 to 60"),
        (_out_of_range(frame["years_at_company"]), "years_at_company: not a number from 0 to 60"),
        unknown("role_family", families),
        unknown("level", levels),
        unknown("tier", tiers),
        unknown("remote", remotes),
        unknown("employment_type", employment),
    ]


def together(frame: pd.DataFrame) -> pd.Series[int]:
    """Which rows ``adapt_frame`` must see together: none (each row is a record or not on its
    own), so each row is its own group."""
    return frame["source_row"].astype("int64")


def adapt(path: Path, mapping_path: Path | None = None) -> Adapted:
    """Read, validate and normalize a user's CSV of data points."""
    return adapt_frame(read(path, read_mapping(mapping_path)))


def adapt_frame(frame: pd.DataFrame) -> Adapted:
    """Validate and normalize rows as ``read`` gives them (any subset of a file's rows)."""
    base, equity, bonus = (_number(frame[c]) for c in ("base", "equity", "bonus"))
    total = _number(frame["total_comp"]).fillna(base + equity.fillna(0) + bonus.fillna(0))
    currency = frame["currency"].str.upper().replace("", "USD")
    checks = profile_problems(frame)
    reasons = first_problem(
        [
            *checks[:4],
            (total.isna(), "total_comp: not a number (and no base to add up)"),
            (total < MIN_ANNUAL_PAY, f"total_comp: below ${MIN_ANNUAL_PAY:,.0f} a year"),
            (total > MAX_ANNUAL_PAY, f"total_comp: above ${MAX_ANNUAL_PAY:,.0f} a year"),
            ((base < 0) | (equity < 0) | (bonus < 0), "base/equity/bonus: negative amount"),
            (~currency.isin(currency_codes()), "currency: unknown code " + currency),
            (currency != "USD", "currency: amounts in " + currency + "; convert to USD first"),
            *checks[4:],
        ],
        frame.index,
    )
    bad = reasons.notna()
    records = describe(frame[~bad])
    records["base"] = base[~bad]
    records["equity"] = equity[~bad]
    records["bonus"] = bonus[~bad]
    records["total_comp"] = total[~bad]
    return Adapted(
        source=Source.CSV.value,
        records=records_table(records),
        quarantine=quarantine_table(Source.CSV.value, frame[bad], reasons[bad]),
        rows_read=len(frame),
        rows_loaded=int((~bad).sum()),
    )


def describe(ok: pd.DataFrame) -> pd.DataFrame:
    """The canonical fields of valid rows that describe a data point (everything but its pay)."""
    year = _number(ok["year"])
    companies = ok["company"].map(lambda c: normalize_company(c) if c else None)
    places = pd.Series([_place_of(row) for _, row in ok.iterrows()], index=ok.index, dtype=object)
    hints = ok["title"].map(lambda t: (hint := title_level_hint(t)) and hint.value)
    return pd.DataFrame(
        {
            "source": Source.CSV.value,
            "source_id": ok["id"].where(ok["id"] != "", "row-" + ok["source_row"].astype(str)),
            "observed_year": year.astype(int),
            "raw_title": ok["title"],
            "role_family": ok["role_family"].where(
                ok["role_family"] != "", ok["title"].map(lambda t: classify_title(t).value)
            ),
            "level": ok["level"].where(ok["level"] != "", hints),
            "level_basis": [
                "source" if given else ("title" if isinstance(hint, str) else None)
                for given, hint in zip(ok["level"] != "", hints, strict=True)
            ],
            "raw_level": ok["level"].replace("", None),
            "raw_company": ok["company"].replace("", None),
            "company": companies.map(lambda c: c.name if c else None),
            "tier": ok["tier"].where(
                ok["tier"] != "", companies.map(lambda c: c.tier.value if c else "unknown")
            ),
            "employment_type": ok["employment_type"].replace("", "full-time"),
            "country": places.map(lambda p: getattr(p, "country", None)),
            "state": places.map(lambda p: getattr(p, "state", None)),
            "city": places.map(lambda p: getattr(p, "city", None)),
            "metro_code": places.map(lambda p: getattr(p, "metro_code", None)),
            "metro_name": places.map(lambda p: getattr(p, "metro_name", None)),
            "remote": ok["remote"].replace("", None),
            "years_experience": _number(ok["years_experience"]),
            "years_at_company": _number(ok["years_at_company"]),
            "education": ok["education"].replace("", None),
            "currency": "USD",
            "weight": 1,
        },
        index=ok.index,
    )


def profiles(
    frame: pd.DataFrame, mapping: Mapping[str, str], origin: str
) -> tuple[pd.DataFrame, pd.Series]:
    """Profile records of rows in careerbench's own columns (pay ignored) and their problems."""
    rows = canonical(frame, dict(mapping), pay=False, origin=origin)
    reasons = first_problem(profile_problems(rows), rows.index)
    return describe(rows[reasons.isna()]), reasons


SPEC = SourceSpec(
    name=Source.CSV.value,
    title="your own data points",
    licence="the user's own data points",
    measures=frozenset({"total_comp", "base", "equity", "bonus"}),
    pay_note="total comp as you gave it (or base + equity + bonus; a base alone is base only)",
    batch=BatchSpec(("year", "title"), profiles),
    total_may_be_base_only=True,
)
