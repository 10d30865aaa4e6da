"""What every source adapter returns: canonical records, quarantined rows, and the counts.

An adapter reads one source and returns an ``Adapted``: a ``pyarrow`` table of canonical records
(``schema.RECORD_SCHEMA``), a table of quarantined rows (``schema.QUARANTINE_SCHEMA``) with the
reason each was not loaded, and counts that reconcile: every row read is either part of a loaded
record (``rows_loaded``, duplicates and range pairs included) or quarantined.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from careerbench.errors import SourceError
from careerbench.schema import QUARANTINE_SCHEMA, RECORD_COLUMNS, RECORD_SCHEMA

#: Bump when an adapter's output changes for the same input, so ``ingest`` reloads.
ADAPTER_VERSION = "1"


@dataclass
class Adapted:
    source: str
    records: pa.Table
    quarantine: pa.Table
    rows_read: int
    rows_loaded: int
    notes: list[str] = field(default_factory=list)

    @property
    def rows_quarantined(self) -> int:
        return int(self.quarantine.num_rows)

    def reconciles(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_quarantined


def records_table(frame: pd.DataFrame) -> pa.Table:
    """A canonical records table from a frame holding (at least) the canonical columns."""
    missing = [c for c in RECORD_COLUMNS if c not in frame.columns]
    for column in missing:
        frame[column] = None
    frame = frame[list(RECORD_COLUMNS)]
    return pa.Table.from_pandas(frame, schema=RECORD_SCHEMA, preserve_index=False)


def quarantine_table(source: str, rows: pd.DataFrame, reasons: pd.Series) -> pa.Table:
    """Quarantined rows with their reasons; ``rows`` must hold a ``source_row`` column."""
    fields = rows.drop(columns=["source_row", ROW_PROBLEM], errors="ignore")
    payload = fields.astype(str).to_dict(orient="records")
    return pa.table(
        {
            "source": [source] * len(rows),
            "source_row": rows["source_row"].astype("int64").tolist(),
            "reason": reasons.astype(str).tolist(),
            "raw": [json.dumps(r, ensure_ascii=False) for r in payload],
        },
        schema=QUARANTINE_SCHEMA,
    )


#: The longest field a source file may hold, in characters (the longest in the real sources is
#: about 550); a row with a longer one is quarantined, so one huge line never becomes a record.
MAX_FIELD = 1_000
#: The column ``read_csv_strings`` adds: why a row cannot be read as its header says ("" if it
#: can). Adapters quarantine a row with this reason before any other check.
ROW_PROBLEM = "_row_problem"


def read_csv_strings(path: Path, source: str) -> pd.DataFrame:
    """A CSV file as strings ("NA" stays "NA"), or a ``SourceError`` naming the file.

    The header must name each column once. Blank lines are skipped and NUL characters dropped.
    A row with more fields than the header, or a field over ``MAX_FIELD`` characters, keeps
    its place (the fields cut to the header's count and to ``MAX_FIELD``) with the reason in
    ``ROW_PROBLEM``; a row with fewer fields has the missing ones empty.
    """
    if not path.is_file():
        raise SourceError(f"{source}: no file at {path}")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle, _no_field_limit():
            lines = (line.replace("\0", "") for line in handle)
            rows = (row for row in csv.reader(lines) if row and (len(row) > 1 or row[0].strip()))
            header = next(rows, None)
            if header is None:
                raise SourceError(
                    f"{source}: {path} holds no header row (it is empty or only blank lines); "
                    "a CSV needs a first line naming its columns, then one line per row"
                )
            names = header_names(header, source, path)
            fields, problems = fit_rows(rows, names)
    except SourceError:
        raise
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        raise SourceError(f"{source}: cannot read {path} as CSV: {exc}") from exc
    frame = pd.DataFrame(fields, columns=names, dtype=object)
    frame[ROW_PROBLEM] = problems
    return frame.astype(str)


def row_problem(frame: pd.DataFrame) -> tuple[pd.Series[bool], str | pd.Series[str]]:
    """The check of ``read_csv_strings``'s reason for a row, for ``first_problem`` (it never
    fails for a frame read otherwise, e.g. from Parquet)."""
    if ROW_PROBLEM not in frame.columns:
        return pd.Series(False, index=frame.index), ""
    return frame[ROW_PROBLEM] != "", frame[ROW_PROBLEM]


def header_names(header: list[str], source: str, path: Path) -> list[str]:
    """The column names (a blank one is ``Unnamed: <i>``); a name given twice is an error."""
    names = [name if name.strip() else f"Unnamed: {i}" for i, name in enumerate(header)]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise SourceError(
            f"{source}: {path} names the column(s) {', '.join(repr(n) for n in twice)} more than "
            "once in its header; keep one column of each name (or rename the others)"
        )
    too_long = [name for name in names if len(name) > MAX_FIELD]
    if too_long:
        raise SourceError(
            f"{source}: {path} has a column name of {len(too_long[0]):,} characters in its "
            f"header (at most {MAX_FIELD:,}); is the first line a header?"
        )
    return names


def fit_rows(rows: Iterator[list[str]], names: list[str]) -> tuple[list[list[str]], list[str]]:
    """Each row cut or padded to the header's width, and why a row was cut ("" if it was not)."""
    width = len(names)
    fields: list[list[str]] = []
    problems: list[str] = []
    for row in rows:
        problem = ""
        if len(row) > width:
            problem = f"{len(row)} fields, header has {width}"
            row = row[:width]
        elif len(row) < width:
            row = row + [""] * (width - len(row))
        if max(map(len, row), default=0) > MAX_FIELD:
            longest = max(range(width), key=lambda i: len(row[i]))
            problem = problem or (
                f"{names[longest]}: {len(row[longest]):,} characters, at most {MAX_FIELD:,}"
            )
            row = [cell[:MAX_FIELD] for cell in row]
        fields.append(row)
        problems.append(problem)
    return fields, problems


@contextmanager
def _no_field_limit() -> Iterator[None]:
    """Read fields of any length (each is checked against ``MAX_FIELD`` after)."""
    previous = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def require_columns(
    frame: pd.DataFrame, required: tuple[str, ...], source: str, origin: str
) -> None:
    """A ``SourceError`` naming the columns a file of profiles lacks (pay columns not needed)."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SourceError(
            f"{source}: {origin} lacks the column(s) {', '.join(missing)} needed to estimate; "
            f"a {source} file has: {', '.join(required)} (pay columns are not needed)"
        )


def file_hash(path: Path) -> str:
    """sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def taxonomy_hash() -> str:
    """sha256 over the knowledge files and the normalization code that shape the records.

    Part of every load's content hash, so editing a title rule, a ladder or an adapter makes the
    next ``ingest`` reload instead of keeping records normalized the old way.
    """
    digest = hashlib.sha256(ADAPTER_VERSION.encode())
    package = Path(__file__).resolve().parents[1]
    files = [*(package / "taxonomy").glob("*"), *(package / "sources").glob("*.py")]
    for path in sorted(files):
        if path.suffix in {".yaml", ".yml", ".csv", ".py", ".txt"}:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def first_problem(
    checks: list[tuple[pd.Series[bool], str | pd.Series[str]]], index: pd.Index
) -> pd.Series[Any]:
    """For each row, the reason of the first failed check (None where every check passed).

    ``checks`` are (failed mask, reason) pairs; a reason may name the offending value via a
    Series of the same index instead of a plain string.
    """
    reasons = pd.Series([None] * len(index), index=index, dtype=object)
    for failed, reason in checks:
        todo = failed & reasons.isna()
        reasons[todo] = reason
    return reasons
