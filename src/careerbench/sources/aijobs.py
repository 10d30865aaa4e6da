"""aijobs.net Global AI/ML/Data Salary Index (CC0) -> canonical records.

The bundled copy is ``aijobs_salaries.parquet`` (every row of the final CSV snapshot, in file
order, with its row number); a newer ``salaries.csv`` with the same columns can be given instead.

Since 2022 almost every posting appears as two adjacent rows identical but for the salary: the top
and the bottom of one posted range. Adjacent rows with equal non-salary fields are collapsed
into one record (``range_low``, ``range_high``, ``total_comp`` = midpoint); a row with no twin is a
record of its own without a range. Records identical in every field (the file repeats many) are
collapsed into one with ``weight`` = how many times it appears. Pay is ``salary_in_usd`` (base
salary, converted upstream at a yearly average rate), nominal dollars of ``work_year``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow.parquet as pq

from careerbench.config import vendored
from careerbench.errors import SourceError
from careerbench.schema import MAX_ANNUAL_PAY, MIN_ANNUAL_PAY, Level, Source
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
from careerbench.taxonomy.titles import classify_title, title_level_hint

BUNDLED = "aijobs_salaries.parquet"
COLUMNS = (
    "work_year",
    "experience_level",
    "employment_type",
    "job_title",
    "salary",
    "salary_currency",
    "salary_in_usd",
    "employee_residence",
    "remote_ratio",
    "company_location",
    "company_size",
)
#: The fields that identify one posting: rows equal in all of them (and adjacent) form a range.
POSTING_KEY = [c for c in COLUMNS if c not in ("salary", "salary_in_usd")]

EXPERIENCE = {"EN": Level.ENTRY, "MI": Level.MID, "SE": Level.SENIOR, "EX": Level.DIRECTOR_PLUS}
EMPLOYMENT = {"FT": "full-time", "PT": "part-time", "CT": "contract", "FL": "freelance"}
REMOTE = {"0": "onsite", "50": "hybrid", "100": "remote"}
SIZES = {"S", "M", "L"}


@lru_cache(maxsize=1)
def currency_codes() -> frozenset[str]:
    """ISO 4217 codes in circulation."""
    return frozenset(Path(__file__).with_name("currencies.txt").read_text().split())


def read(path: Path | None = None) -> pd.DataFrame:
    """The raw rows as strings, with ``source_row`` (1-based row number in the file)."""
    if path is None:
        frame = pq.read_table(vendored(BUNDLED)).to_pandas()
    elif path.suffix == ".parquet":
        frame = pq.read_table(path).to_pandas()
    else:
        frame = read_csv_strings(path, "aijobs")
    return shape(frame, str(path or BUNDLED))


def shape(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    """A read file's rows (strings, or the bundled Parquet's columns) as ``adapt_frame`` reads
    them; rows keep the ``source_row`` they come with (else they are numbered from 1)."""
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise SourceError(
            f"aijobs: {origin} lacks the column(s) {', '.join(missing)}; "
            f"an aijobs.net salaries file has: {', '.join(COLUMNS)}"
        )
    if "source_row" not in frame.columns:
        frame.insert(0, "source_row", np.arange(1, len(frame) + 1))
    out: pd.DataFrame = frame[["source_row", *COLUMNS]].copy()
    if ROW_PROBLEM in frame.columns:
        out[ROW_PROBLEM] = frame[ROW_PROBLEM]
    for column in COLUMNS:
        out[column] = out[column].astype(str).str.strip()
    return out


def profile_problems(frame: pd.DataFrame) -> list[tuple[pd.Series, str | pd.Series]]:
    """Checks of the fields that describe a posting (everything but its pay)."""
    year = pd.to_numeric(frame["work_year"], errors="coerce")
    return [
        (
            year.isna() | (year % 1 != 0) | (year < 2000) | (year > 2100),
            "unparseable work_year",
        ),
        (
            ~frame["salary_currency"].isin(currency_codes()),
            "unknown currency: " + frame["salary_currency"],
        ),
        (
            ~frame["experience_level"].isin(list(EXPERIENCE)),
            "unknown experience_level: " + frame["experience_level"] + " (valid: EN, MI, SE, EX)",
        ),
        (
            ~frame["employment_type"].isin(list(EMPLOYMENT)),
            "unknown employment_type: " + frame["employment_type"] + " (valid: FT, PT, CT, FL)",
        ),
        (~frame["remote_ratio"].isin(list(REMOTE)), "remote_ratio is not 0, 50 or 100"),
        (~frame["company_location"].str.fullmatch(r"[A-Z]{2}"), "company_location not ISO-2"),
        (frame["job_title"] == "", "empty job_title"),
    ]


def validate(frame: pd.DataFrame) -> pd.Series:
    """The reason each row cannot be loaded (None where it can)."""
    pay = pd.to_numeric(frame["salary_in_usd"], errors="coerce")
    checks = profile_problems(frame)
    return first_problem(
        [
            row_problem(frame),
            checks[0],
            (pay.isna(), "salary_in_usd is not a number"),
            (pay < MIN_ANNUAL_PAY, f"salary_in_usd below ${MIN_ANNUAL_PAY:,.0f} a year"),
            (pay > MAX_ANNUAL_PAY, f"salary_in_usd above ${MAX_ANNUAL_PAY:,.0f} a year"),
            *checks[1:],
        ],
        frame.index,
    )


def pair_rows(frame: pd.DataFrame, loadable: npt.NDArray[np.bool_]) -> pd.DataFrame:
    """Collapse adjacent loadable rows of one posting into ranges: one row per posting.

    Pairing runs over the file order, so a quarantined row between two rows keeps them apart;
    two rows pair only when their ``source_row`` numbers are consecutive, so ``frame`` may be
    any subset of a file's rows that keeps ``together``'s groups whole, in file order.
    """
    key = frame[POSTING_KEY]
    rows = frame["source_row"].to_numpy()
    same_as_next = (key == key.shift(-1)).all(axis=1).to_numpy() & loadable
    same_as_next[:-1] &= rows[1:] == rows[:-1] + 1  # adjacent in the file, not only here
    same_as_next[:-1] &= loadable[1:]
    same_as_next[-1:] = False
    starts = np.zeros(len(frame), dtype=bool)
    paired = np.zeros(len(frame), dtype=bool)
    i = 0
    # Greedy left-to-right pairing: a run of 2k equal rows is k ranges.
    while i < len(frame):
        if not loadable[i]:
            i += 1
            continue
        starts[i] = True
        if same_as_next[i]:
            paired[i] = True
            i += 2
        else:
            i += 1
    pay = pd.to_numeric(frame["salary_in_usd"], errors="coerce").to_numpy(dtype=float)
    index = np.flatnonzero(starts)
    second = np.where(paired[index], index + 1, index)
    low = np.minimum(pay[index], pay[second])
    high = np.maximum(pay[index], pay[second])
    postings = frame.iloc[index].copy()
    postings["rows"] = np.where(paired[index], 2, 1)
    postings["range_low"] = np.where(paired[index], low, np.nan)
    postings["range_high"] = np.where(paired[index], high, np.nan)
    postings["total_comp"] = (low + high) / 2
    return postings


def to_records(postings: pd.DataFrame) -> pd.DataFrame:
    """Canonical columns for collapsed postings, exact duplicates merged with a weight."""
    group_key = [*POSTING_KEY, "range_low", "range_high", "total_comp"]
    merged = (
        postings.groupby(group_key, dropna=False, sort=False)
        .agg(source_row=("source_row", "min"), weight=("rows", "size"), rows=("rows", "sum"))
        .reset_index()
        .sort_values("source_row")
    )
    out = describe(merged)
    out["source_id"] = "row-" + merged["source_row"].astype(str)
    out["base"] = merged["total_comp"]
    out["total_comp"] = merged["total_comp"]
    out["range_low"] = merged["range_low"]
    out["range_high"] = merged["range_high"]
    out["weight"] = merged["weight"].astype("int32")
    out["rows"] = merged["rows"]
    return out


def describe(rows: pd.DataFrame) -> pd.DataFrame:
    """The canonical fields of valid rows that describe a posting (everything but its pay)."""
    titles = rows["job_title"]
    rank = {level.value: level.rank for level in Level}
    levels = rows["experience_level"].map({k: v.value for k, v in EXPERIENCE.items()})
    hints = titles.map(lambda t: (hint := title_level_hint(t)) and hint.value)
    # A title that names a higher rank than the band (e.g. "Staff ..." in SE) is more precise.
    use_hint = hints.map(lambda h: rank.get(h, -1) if isinstance(h, str) else -1) > levels.map(rank)
    return pd.DataFrame(
        {
            "source": Source.AIJOBS.value,
            "observed_year": pd.to_numeric(rows["work_year"]).astype(int),
            "raw_title": titles,
            "role_family": titles.map(lambda t: classify_title(t).value),
            "level": np.where(use_hint, hints, levels),
            "level_basis": np.where(use_hint, "title", "source"),
            "raw_level": rows["experience_level"],
            "tier": "unknown",
            "employment_type": rows["employment_type"].map(EMPLOYMENT),
            "country": rows["company_location"],
            "remote": rows["remote_ratio"].map(REMOTE),
            "currency": rows["salary_currency"],
            "company_size": rows["company_size"].where(rows["company_size"].isin(SIZES)),
        },
        index=rows.index,
    )


def together(frame: pd.DataFrame) -> pd.Series[int]:
    """Which rows ``adapt_frame`` must see together: one posting's rows (a range pair, exact
    duplicates) share ``POSTING_KEY``, so rows of one key go to one group (a hash of the key)."""
    return pd.util.hash_pandas_object(frame[POSTING_KEY], index=False).astype("int64")


def adapt(path: Path | None = None) -> Adapted:
    """Read, validate, pair and normalize one aijobs.net file (the bundled one by default)."""
    return adapt_frame(read(path))


def adapt_frame(frame: pd.DataFrame) -> Adapted:
    """Validate, pair and normalize rows as ``read`` gives them, in file order (a whole file,
    or any set of ``together``'s groups)."""
    reasons = validate(frame)
    bad = reasons.notna()
    loadable = ~bad.to_numpy()
    records = to_records(pair_rows(frame, loadable)) if loadable.any() else pd.DataFrame()
    rows_loaded = int(records["rows"].sum()) if len(records) else 0
    return Adapted(
        source=Source.AIJOBS.value,
        records=records_table(records.drop(columns=["rows"], errors="ignore")),
        quarantine=quarantine_table(Source.AIJOBS.value, frame[bad], reasons[bad]),
        rows_read=len(frame),
        rows_loaded=rows_loaded,
    )


def profiles(
    frame: pd.DataFrame, _mapping: Mapping[str, str], origin: str
) -> tuple[pd.DataFrame, pd.Series]:
    """Profile records of aijobs.net rows (strings; pay columns ignored) and their problems."""
    require_columns(frame, PROFILE_REQUIRED, Source.AIJOBS.value, origin)
    frame = frame.copy()
    for column, default in PROFILE_DEFAULTS.items():
        if column not in frame.columns:
            frame[column] = default
    frame = frame.apply(lambda c: c.str.strip())
    reasons = first_problem(profile_problems(frame), frame.index)
    return describe(frame[reasons.isna()]), reasons


PROFILE_REQUIRED = ("work_year", "experience_level", "job_title", "company_location")
PROFILE_DEFAULTS = {
    "employment_type": "FT",
    "salary_currency": "USD",
    "remote_ratio": "0",
    "company_size": "",
    "employee_residence": "",
}

SPEC = SourceSpec(
    name=Source.AIJOBS.value,
    title="aijobs.net",
    licence="CC0 1.0 (aijobs.net salary index), bundled",
    measures=frozenset({"base"}),
    pay_note="posted salary ranges (their midpoints): base salary, no equity or bonus",
    model=ModelSpec(
        categorical=(
            "role_family", "level", "raw_level", "raw_title", "country", "remote",
            "employment_type", "currency", "company_size",
        ),
        numeric=("observed_year",),
        trend_cells=("role_family", "level", "raw_title", "country", "currency"),
        last_training_year=2024,
        raw_levels={code: level.value for code, level in EXPERIENCE.items()},
        fills=(
            ProfileFill("raw_title", ("role_family", "level"), least=1),
            ProfileFill("country"),
            ProfileFill("currency", ("country",)),
            ProfileFill("company_size", ("country",)),
            ProfileFill("remote", ("country",)),
            ProfileFill("employment_type", ("country",)),
        ),
    ),
    batch=BatchSpec(PROFILE_REQUIRED, profiles, PROFILE_DEFAULTS),
)  # fmt: skip
