"""What every source adapter returns: canonical records, quarantined rows, and the counts.

An adapter reads one source and returns an ``Adapted``: a ``pyarrow`` table of canonical records
(``schema.RECORD_SCHEMA``), a table of quarantined rows (``schema.QUARANTINE_SCHEMA``) with the
reason each was not loaded, and counts that reconcile: every row read is either part of a loaded
record (``rows_loaded``, duplicates and range pairs included) or quarantined.
"""

from __future__ import annotations

import hashlib
import json
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
    payload = rows.drop(columns=["source_row"]).astype(str).to_dict(orient="records")
    return pa.table(
        {
            "source": [source] * len(rows),
            "source_row": rows["source_row"].astype("int64").tolist(),
            "reason": reasons.astype(str).tolist(),
            "raw": [json.dumps(r, ensure_ascii=False) for r in payload],
        },
        schema=QUARANTINE_SCHEMA,
    )


def read_csv_strings(path: Path, source: str) -> pd.DataFrame:
    """A CSV file as strings ("NA" stays "NA"), or a ``SourceError`` naming the file."""
    if not path.is_file():
        raise SourceError(f"{source}: no file at {path}")
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError as exc:
        raise SourceError(
            f"{source}: {path} holds no header row (it is empty or only blank lines); "
            "a CSV needs a first line naming its columns, then one line per row"
        ) from exc
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise SourceError(f"{source}: cannot read {path} as CSV: {exc}") from exc


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
