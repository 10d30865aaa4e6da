"""The store: one DuckDB file, and every query careerbench runs on it, as ibis expressions.

This is the one module that knows the engine. Writes (loading a source, the reference tables)
use DuckDB directly inside transactions; reads are ibis expressions over the tables, so the same
query code can run on another ibis backend (e.g. Spark) given the same tables.

Tables:
- ``records``: canonical records (``schema.RECORD_SCHEMA``) plus ``load_key`` (which load they
  came from), physically ordered by the cohort dimensions so filters skip most row groups;
- ``quarantine``: rows that were not loaded, with the reason (plus ``load_key``);
- ``loads``: one row per loaded source: content hash, counts, time;
- ``bls_oews``: the BLS OEWS population reference.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa

from careerbench import inflation
from careerbench.errors import StoreError
from careerbench.schema import QUARANTINE_SCHEMA, RECORD_SCHEMA

#: The physical order of ``records``: the usual cohort filters, most selective last.
CLUSTER_ORDER = ("role_family", "level", "country", "tier", "state", "metro_code", "company")

LOADS_DDL = """
CREATE TABLE IF NOT EXISTS loads (
    load_key VARCHAR PRIMARY KEY, source VARCHAR, origin VARCHAR, content_hash VARCHAR,
    rows_read BIGINT, rows_loaded BIGINT, rows_quarantined BIGINT, records BIGINT,
    loaded_at TIMESTAMP, careerbench_version VARCHAR
)
"""


_WRITABLE_FIX = (
    "make it writable, or give --store (or $CAREERBENCH_STORE) a path in a folder you may write"
)
_REBUILD_FIX = (
    "move it aside (or delete it) and run `careerbench ingest` to build it again (your own "
    "files: ingest them again with --csv or --postings)"
)
#: DuckDB's words for a file that is not a whole store (cut short, overwritten, bits flipped).
_DAMAGE = ("could not read enough bytes", "not a valid duckdb database", "corrupt", "checksum")
_READ_ONLY = ("read-only file system", "permission denied", "read only")
_LOCKED = ("conflicting lock", "could not set lock")


def unusable(exc: BaseException, path: Path, *, writing: bool) -> StoreError | None:
    """A ``StoreError`` naming ``path`` and what to do, when ``exc`` (from DuckDB) says the
    store is damaged, cannot be written or is held by another process; ``None`` otherwise.

    The messages leave out DuckDB's details (a lock's holder names its interpreter and PID).
    """
    text = str(exc).lower()
    if any(words in text for words in _DAMAGE):
        return StoreError(
            f"the store {path} is damaged (cut short or corrupted) and cannot be read; "
            f"{_REBUILD_FIX}"
        )
    if any(words in text for words in _READ_ONLY):
        doing = "written" if writing else "read"
        return StoreError(
            f"the store {path} cannot be {doing}: the file or its folder is read-only (or "
            f"not yours); {_WRITABLE_FIX}"
        )
    if any(words in text for words in _LOCKED):
        return StoreError(
            f"the store {path} is in use: another careerbench process (an ingest, or a server "
            "that is writing) holds it; wait for it to finish and try again"
        )
    return None


def prune_caches(db: Store, prefix: str) -> None:
    """Remove the cache files beside the store named ``<prefix>-<fingerprint>-...`` that were
    derived from earlier contents of the store (another fingerprint), so that a cache is kept for
    the store's current contents only. A file being written (``.tmp``) is left alone."""
    folder = db.path.with_name(db.path.name + ".cache")
    current = f"{prefix}-{db.fingerprint()}-"
    for path in folder.glob(f"{prefix}-*"):
        if ".tmp" not in path.suffixes and not path.name.startswith(current):
            path.unlink(missing_ok=True)


@dataclass(frozen=True)
class LoadSummary:
    load_key: str
    source: str
    origin: str
    content_hash: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    records: int
    loaded_at: dt.datetime


class Store:
    """A careerbench store (a DuckDB file). Use as a context manager or call ``close()``."""

    def __init__(self, path: Path, *, read_only: bool = True) -> None:
        self.path = path
        if read_only and not path.exists():
            raise StoreError(f"no store at {path}; run `careerbench ingest` first")
        self.read_only = read_only
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot make the folder of the store {path} ({exc.strerror or exc}); "
                f"{_WRITABLE_FIX}"
            ) from exc
        try:
            self.con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            raise unusable(exc, path, writing=not read_only) or StoreError(
                f"cannot open the store {path}: {exc}"
            ) from exc
        self._ibis: Any = None
        try:
            if not read_only:
                self._create()
            elif self.has_table("loads"):
                # Reads the catalog and the loads table: a truncated or overwritten file fails here.
                self.con.execute("SELECT count(*) FROM loads").fetchall()
        except duckdb.Error as exc:
            self.con.close()
            raise unusable(exc, path, writing=not read_only) or exc from exc

    @property
    def ibis(self) -> Any:
        """The ibis backend over this store's connection (made on first use)."""
        if self._ibis is None:
            self._ibis = ibis.duckdb.from_connection(self.con)
        return self._ibis

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: object, exc: BaseException | None, traceback: object) -> None:
        self.close()
        if isinstance(exc, duckdb.Error):
            # A damaged block found by a read inside the ``with`` block names the file too.
            error = unusable(exc, self.path, writing=not self.read_only)
            if error is not None:
                raise error from exc

    def close(self) -> None:
        self.con.close()

    # ---- schema -------------------------------------------------------------------------
    def _create(self) -> None:
        self.con.execute(LOADS_DDL)
        for name, schema in (("records", RECORD_SCHEMA), ("quarantine", QUARANTINE_SCHEMA)):
            if not self.has_table(name):
                empty = schema.empty_table().append_column(
                    "load_key", pa.array([], type=pa.string())
                )
                self.con.register("empty_schema", empty)
                self.con.execute(f"CREATE TABLE {name} AS SELECT * FROM empty_schema")
                self.con.unregister("empty_schema")

    def has_table(self, name: str) -> bool:
        rows = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchall()
        return bool(rows[0][0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: a failure (or a crash) leaves the previous contents in place."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # ---- writes -------------------------------------------------------------------------
    def replace_load(
        self,
        *,
        load_key: str,
        source: str,
        origin: str,
        content_hash: str,
        records: pa.Table,
        quarantine: pa.Table,
        rows_read: int,
        rows_loaded: int,
        version: str,
    ) -> None:
        """Replace everything one load brought, atomically."""
        keyed_records = records.append_column(
            "load_key", pa.array([load_key] * records.num_rows, type=pa.string())
        )
        keyed_quarantine = quarantine.append_column(
            "load_key", pa.array([load_key] * quarantine.num_rows, type=pa.string())
        )
        with self.transaction():
            self.con.execute("DELETE FROM records WHERE load_key = ?", [load_key])
            self.con.execute("DELETE FROM quarantine WHERE load_key = ?", [load_key])
            self.con.register("incoming_records", keyed_records)
            self.con.register("incoming_quarantine", keyed_quarantine)
            self.con.execute("INSERT INTO records BY NAME SELECT * FROM incoming_records")
            self.con.execute("INSERT INTO quarantine BY NAME SELECT * FROM incoming_quarantine")
            self.con.unregister("incoming_records")
            self.con.unregister("incoming_quarantine")
            self.con.execute("DELETE FROM loads WHERE load_key = ?", [load_key])
            self.con.execute(
                "INSERT INTO loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    load_key, source, origin, content_hash, rows_read, rows_loaded,
                    quarantine.num_rows, records.num_rows, dt.datetime.now(dt.UTC), version,
                ],
            )  # fmt: skip

    def remove_load(self, load_key: str) -> bool:
        with self.transaction():
            found = self.con.execute(
                "SELECT count(*) FROM loads WHERE load_key = ?", [load_key]
            ).fetchall()[0][0]
            for table in ("records", "quarantine", "loads"):
                self.con.execute(f"DELETE FROM {table} WHERE load_key = ?", [load_key])
        return bool(found)

    def replace_table(self, name: str, table: pa.Table) -> None:
        """Replace a reference table (e.g. ``bls_oews``) atomically."""
        with self.transaction():
            self.con.register("incoming", table)
            self.con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM incoming")
            self.con.unregister("incoming")

    def cluster(self) -> None:
        """Rewrite ``records`` in cohort order, so filters read few row groups."""
        order = ", ".join(CLUSTER_ORDER)
        with self.transaction():
            self.con.execute(
                f"CREATE OR REPLACE TABLE records AS SELECT * FROM records ORDER BY {order}"
            )

    # ---- reads (ibis) -------------------------------------------------------------------
    def records(self) -> ir.Table:
        return self.ibis.table("records")

    def quarantine(self) -> ir.Table:
        return self.ibis.table("quarantine")

    def loads(self) -> list[LoadSummary]:
        rows = self.ibis.table("loads").order_by("load_key").to_pyarrow().to_pylist()
        return [
            LoadSummary(**{k: v for k, v in row.items() if k != "careerbench_version"})
            for row in rows
        ]

    def content_hash(self, load_key: str) -> str | None:
        for load in self.loads():
            if load.load_key == load_key:
                return load.content_hash
        return None

    def fingerprint(self) -> str:
        """Changes whenever any load changes: keys caches derived from the store."""

        rows = self.con.execute(
            "SELECT load_key, content_hash, loaded_at FROM loads ORDER BY load_key"
        ).fetchall()
        digest = hashlib.sha256()
        for key, content_hash, loaded_at in rows:
            digest.update(f"{key}={content_hash}@{loaded_at};".encode())
        return digest.hexdigest()[:16]


# ---- query expressions ----------------------------------------------------------------
def real_dollars(table: ir.Table, column: str, currency_year: int) -> ir.FloatingValue:
    """``column`` converted from its observed year's dollars to ``currency_year`` dollars by
    CPI-U (years after the last CPI year count as the last)."""
    table_cpi = inflation.cpi_table()
    first, last = min(table_cpi), max(table_cpi)
    year = table.observed_year.clip(lower=first, upper=last)
    factor = year.cases(
        *[(y, table_cpi[currency_year] / v) for y, v in table_cpi.items()], else_=ibis.null()
    )
    return table[column] * factor


def scaled(table: ir.Table, column: str, factors: Mapping[int, float]) -> ir.FloatingValue:
    """``column`` times the factor of each record's observed year (null for a year not given)."""
    factor = table.observed_year.cases(*factors.items(), else_=ibis.null())
    return table[column] * factor


def observed_years(table: ir.Table) -> list[int]:
    """The distinct observed years of ``table``'s records."""
    rows = table.select("observed_year").distinct().to_pyarrow().column(0).to_pylist()
    return sorted(int(y) for y in rows)


def cohort(table: ir.Table, filters: dict[str, Any]) -> ir.Table:
    """Records matching ``filters``: column -> value, a list of values, or a (low, high) range.

    Ranges are inclusive; ``None`` as a bound leaves that side open.
    """
    predicates = []
    for column, wanted in filters.items():
        if wanted is None:
            continue
        col = table[column]
        if isinstance(wanted, tuple):
            low, high = wanted
            if low is not None:
                predicates.append(col >= low)
            if high is not None:
                predicates.append(col <= high)
        elif isinstance(wanted, list | set | frozenset):
            predicates.append(col.isin(list(wanted)))
        else:
            predicates.append(col == wanted)
    return table.filter(*predicates) if predicates else table


def quantiles(
    table: ir.Table, column: str, probabilities: Sequence[float], currency_year: int
) -> ir.Table:
    """n and the exact quantiles of ``column`` in ``currency_year`` dollars (the plain path).

    One column per probability (``q0``, ``q1``, ...): single quantiles translate on every
    backend, where a multi-quantile aggregate does not.
    """
    present = table.filter(table[column].notnull())
    value = real_dollars(present, column, currency_year)
    metrics = {f"q{i}": value.quantile(p) for i, p in enumerate(probabilities)}
    return present.aggregate(n=present.count(), **metrics)


def quantile_values(row: dict[str, Any], probabilities: Sequence[float]) -> list[float | None]:
    """The quantiles of one ``quantiles`` result row, in the order of ``probabilities``."""
    return [row[f"q{i}"] for i in range(len(probabilities))]


def count(table: ir.Table) -> int:
    return int(table.count().to_pyarrow().as_py())


def file_stamp(path: Path) -> tuple[int, ...]:
    """Size and modification time of the store file and its write-ahead log."""
    stamp: list[int] = []
    for file in (path, path.with_name(path.name + ".wal")):
        try:
            info = file.stat()
        except FileNotFoundError:
            continue
        stamp += [info.st_size, info.st_mtime_ns]
    return tuple(stamp)
