"""Estimates for a file of profiles: one output row per input row, in input order.

Input formats (``--format``):

- ``aijobs``: an aijobs.net salaries file (``work_year``, ``experience_level``,
  ``employment_type``, ``job_title``, ``salary_currency``, ``employee_residence``,
  ``remote_ratio``, ``company_location``, ``company_size``);
- ``levelsfyi``: a Levels.fyi extract (``timestamp``, ``company``, ``level``, ``title``,
  ``location``, ``yearsofexperience``, ``yearsatcompany``, ``tag``, ...);
- ``csv``: careerbench's own columns (see ``sources/generic_csv.py``; a mapping file renames
  yours).

Pay columns (``salary``, ``salary_in_usd``, ``totalyearlycompensation``, ``basesalary``,
``stockgrantvalue``, ``bonus``, ``total_comp``, ...) are ignored and may be absent. Each row is
estimated in nominal US dollars of its own year (``work_year``, the timestamp's year, ``year``).
Every row either gets its estimate or an empty one with the reason it could not be made; the
counts reconcile (rows read = estimated + not estimated).

Output columns: ``row`` (1-based input row), ``p10``, ``p25``, ``p50``, ``p75``, ``p90`` (total
comp), ``model`` (which source's model answered) and ``reason`` (empty where estimated).
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from careerbench.errors import InvalidValue, SourceError
from careerbench.features import model_source, with_derived
from careerbench.pay_model import QUANTILES, PayModel
from careerbench.sources import aijobs, generic_csv, levelsfyi
from careerbench.sources.base import first_problem, read_csv_strings

FORMATS = ("aijobs", "levelsfyi", "csv")
OUTPUT_COLUMNS = ("row", "p10", "p25", "p50", "p75", "p90", "model", "reason")

AIJOBS_REQUIRED = ("work_year", "experience_level", "job_title", "company_location")
AIJOBS_DEFAULTS = {
    "employment_type": "FT",
    "salary_currency": "USD",
    "remote_ratio": "0",
    "company_size": "",
    "employee_residence": "",
}
LEVELSFYI_REQUIRED = ("timestamp", "title")


@dataclass(frozen=True)
class BatchReport:
    rows: int
    estimated: int
    not_estimated: dict[str, int]  # reason -> rows
    seconds: float
    output: Path | None

    def reconciles(self) -> bool:
        return self.rows == self.estimated + sum(self.not_estimated.values())


def _columns(frame: pd.DataFrame, required: tuple[str, ...], fmt: str, path: Path) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SourceError(
            f"{fmt}: {path} lacks the column(s) {', '.join(missing)} needed to estimate; "
            f"a {fmt} file has: {', '.join(required)} (pay columns are not needed)"
        )


def read_profiles(
    path: Path, fmt: str, mapping: Path | None = None
) -> tuple[pd.DataFrame, pd.Series]:
    """Canonical profile records for every input row (index = row position) and their problems.

    The records frame holds a row only where the input row could be described; ``reasons`` has
    an entry for every input row (``None`` where it could).
    """
    if fmt not in FORMATS:
        raise InvalidValue("format", fmt, FORMATS)
    if fmt == "csv":
        frame = generic_csv.read(path, generic_csv.read_mapping(mapping), pay=False)
        reasons = first_problem(generic_csv.profile_problems(frame), frame.index)
        return generic_csv.describe(frame[reasons.isna()]), reasons
    frame = read_csv_strings(path, fmt)
    if fmt == "aijobs":
        _columns(frame, AIJOBS_REQUIRED, fmt, path)
        for column, default in AIJOBS_DEFAULTS.items():
            if column not in frame.columns:
                frame[column] = default
        frame = frame.apply(lambda c: c.str.strip())
        reasons = first_problem(aijobs.profile_problems(frame), frame.index)
        return aijobs.describe(frame[reasons.isna()]), reasons
    _columns(frame, LEVELSFYI_REQUIRED, fmt, path)
    for column in (*levelsfyi.REQUIRED, *levelsfyi.OPTIONAL):
        if column not in frame.columns:
            frame[column] = ""
    frame.insert(0, "source_row", np.arange(1, len(frame) + 1))
    year = levelsfyi.report_year(frame)
    reasons = first_problem(levelsfyi.profile_problems(frame, year), frame.index)
    ok = reasons.isna()
    no_pay = pd.Series(np.nan, index=frame.index[ok])
    return levelsfyi.normalize(frame[ok], year[ok], no_pay), reasons


def estimate_rows(model: PayModel, records: pd.DataFrame) -> tuple[np.ndarray, pd.Series]:
    """Total-comp quantiles for canonical records (one row each) and the model that answered."""
    full = with_derived(records)
    chosen = model_source(full)
    chosen = chosen.where(chosen.isin(list(model.models)), next(iter(model.models)))
    out = np.full((len(full), len(QUANTILES)), np.nan)
    for source in chosen.unique():
        mask = (chosen == source).to_numpy()
        part = full[mask].copy()
        part["source"] = source
        out[mask] = model.model(str(source)).predict(part)
    return out, chosen


def estimate_file(
    model: PayModel,
    path: Path,
    fmt: str,
    output: Path | None,
    *,
    mapping: Path | None = None,
) -> tuple[pd.DataFrame, BatchReport]:
    """Estimate every row of ``path``; write ``output`` (CSV) when given."""
    started = time.perf_counter()
    records, reasons = read_profiles(path, fmt, mapping)
    table = pd.DataFrame({"row": np.arange(1, len(reasons) + 1)}, index=reasons.index)
    for name in OUTPUT_COLUMNS[1:6]:
        table[name] = np.nan
    table["model"] = ""
    table["reason"] = reasons.fillna("")
    if len(records):
        values, chosen = estimate_rows(model, records)
        table.loc[records.index, list(OUTPUT_COLUMNS[1:6])] = np.round(values, 0)
        table.loc[records.index, "model"] = chosen.to_numpy()
    if output is not None:
        write(table, output)
    counts = table.loc[table["reason"] != "", "reason"].value_counts()
    report = BatchReport(
        rows=len(table),
        estimated=int((table["reason"] == "").sum()),
        not_estimated={str(k): int(v) for k, v in counts.items()},
        seconds=time.perf_counter() - started,
        output=output,
    )
    return table.reset_index(drop=True), report


def write(table: pd.DataFrame, output: Path) -> None:
    """The output CSV: whole dollars, empty cells where no estimate was made."""
    output.parent.mkdir(parents=True, exist_ok=True)
    money = table[list(OUTPUT_COLUMNS[1:6])].astype("Int64").astype("string").fillna("")
    text = pd.concat([table[["row"]], money, table[["model", "reason"]]], axis=1)
    text.to_csv(output, index=False, quoting=csv.QUOTE_MINIMAL)
