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

``estimate_file`` reads a file; ``estimate_frame`` takes rows already in memory (the REST API's
``POST /api/estimate/batch``), with any cell values, read as a CSV's strings would be.
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from careerbench.errors import InvalidValue
from careerbench.features import model_source, with_derived
from careerbench.pay_model import QUANTILES, PayModel
from careerbench.sources import generic_csv
from careerbench.sources.base import read_csv_strings
from careerbench.sources.registry import batch_formats, spec
from careerbench.sources.spec import BatchSpec

FORMATS = batch_formats()
OUTPUT_COLUMNS = ("row", "p10", "p25", "p50", "p75", "p90", "model", "reason")


@dataclass(frozen=True)
class BatchReport:
    rows: int
    estimated: int
    not_estimated: dict[str, int]  # reason -> rows
    seconds: float
    output: Path | None

    def reconciles(self) -> bool:
        return self.rows == self.estimated + sum(self.not_estimated.values())


def read_profiles(
    path: Path, fmt: str, mapping: Path | None = None
) -> tuple[pd.DataFrame, pd.Series]:
    """Canonical profile records for every row of the file at ``path`` and their problems.

    See ``profiles_of``; ``mapping`` is a mapping file for ``--format csv``.
    """
    _batch(fmt)
    columns = generic_csv.read_mapping(mapping) if fmt == "csv" else None
    return profiles_of(read_csv_strings(path, fmt), fmt, columns, origin=str(path))


def _batch(fmt: str) -> BatchSpec:
    batch = spec(fmt).batch if fmt in FORMATS else None
    if batch is None:
        raise InvalidValue("format", fmt, FORMATS)
    return batch


def profiles_of(
    frame: pd.DataFrame,
    fmt: str,
    mapping: dict[str, str] | None = None,
    *,
    origin: str = "the input",
) -> tuple[pd.DataFrame, pd.Series]:
    """Canonical profile records for every row of ``frame`` (strings) and their problems.

    The records frame holds a row only where the input row could be described (index = row
    position); ``reasons`` has an entry for every input row (``None`` where it could).
    ``origin`` names the rows in errors.
    """
    return _batch(fmt).profiles(frame, mapping or {}, origin)


def as_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells as a CSV reader gives them: text, ``""`` for missing, ``2024`` for ``2024.0``."""

    def text(value: object) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    out = frame.map(text).astype(str)
    out.columns = [str(c) for c in frame.columns]
    return out


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
    table = estimate_profiles(model, records, reasons)
    if output is not None:
        write(table, output)
    return table, _report(table, started, output)


def estimate_frame(
    model: PayModel,
    frame: pd.DataFrame,
    fmt: str,
    *,
    mapping: dict[str, str] | None = None,
    origin: str = "the input",
) -> tuple[pd.DataFrame, BatchReport]:
    """Estimate every row of ``frame`` (one column per input column, any cell values).

    A missing cell (``None``, NaN: a row without that key) is read like an absent column: the
    format's default where it has one (aijobs.net's ``remote_ratio`` 0, ...), else empty.
    """
    started = time.perf_counter()
    defaults = _batch(fmt).defaults
    frame = frame.copy()
    for column in set(defaults) & set(frame.columns):
        cells = frame[column].astype(object)
        frame[column] = cells.where(cells.notna(), defaults[column])
    records, reasons = profiles_of(as_strings(frame), fmt, mapping, origin=origin)
    table = estimate_profiles(model, records, reasons)
    return table, _report(table, started, None)


def estimate_profiles(model: PayModel, records: pd.DataFrame, reasons: pd.Series) -> pd.DataFrame:
    """The output table (``OUTPUT_COLUMNS``, one row per entry of ``reasons``, in order)."""
    table = pd.DataFrame({"row": np.arange(1, len(reasons) + 1)}, index=reasons.index)
    for name in OUTPUT_COLUMNS[1:6]:
        table[name] = np.nan
    table["model"] = ""
    table["reason"] = reasons.fillna("")
    if len(records):
        values, chosen = estimate_rows(model, records)
        table.loc[records.index, list(OUTPUT_COLUMNS[1:6])] = np.round(values, 0)
        table.loc[records.index, "model"] = chosen.to_numpy()
    return table.reset_index(drop=True)


def _report(table: pd.DataFrame, started: float, output: Path | None) -> BatchReport:
    counts = table.loc[table["reason"] != "", "reason"].value_counts()
    return BatchReport(
        rows=len(table),
        estimated=int((table["reason"] == "").sum()),
        not_estimated={str(k): int(v) for k, v in counts.items()},
        seconds=time.perf_counter() - started,
        output=output,
    )


def results(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The output table as JSON rows: ``null`` where no estimate was made (and no reason)."""
    out: list[dict[str, Any]] = []
    for record in table.to_dict("records"):
        estimated = record["reason"] == ""
        out.append(
            {
                "row": int(record["row"]),
                **{name: _number(record[name]) for name in OUTPUT_COLUMNS[1:6]},
                "model": str(record["model"]) if estimated else None,
                "reason": None if estimated else str(record["reason"]),
            }
        )
    return out


def _number(value: Any) -> float | None:
    number = float(value)
    return None if number != number else number


def write(table: pd.DataFrame, output: Path) -> None:
    """The output CSV: whole dollars, empty cells where no estimate was made."""
    output.parent.mkdir(parents=True, exist_ok=True)
    money = table[list(OUTPUT_COLUMNS[1:6])].astype("Int64").astype("string").fillna("")
    text = pd.concat([table[["row"]], money, table[["model", "reason"]]], axis=1)
    text.to_csv(output, index=False, quoting=csv.QUOTE_MINIMAL)
