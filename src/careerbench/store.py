"""The store: one DuckDB file, and every query careerbench runs on it, as ibis expressions.

This is the one module that knows the engine. Writes (loading a source, the reference tables)
use DuckDB directly inside transactions; reads are ibis expressions over the tables, so the same
query code can run on another ibis backend (e.g. Spark) given the same tables.

One writer, any number of readers (``writing``): a writer never changes the store file in
place. It takes the writer's lock (a second writer is refused at once, naming the store), copies
the store to ``<store>.next``, writes there, closes it (DuckDB checkpoints and syncs it) and
renames it over the store in one step. A reader opens whatever file the store's name points to
at that moment, read-only, and keeps that version until it closes; it never waits for a writer
and a writer never waits for it. A writer killed at any point leaves the previous store whole
(the copy it was writing is removed by the next writer).

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
import os
import shutil
import sys
import threading
from collections.abc import Callable, Collection, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa

from careerbench import inflation
from careerbench.errors import StoreError
from careerbench.schema import QUARANTINE_SCHEMA, RECORD_SCHEMA

T = TypeVar("T")

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
#: The file a writer holds locked while it writes, beside the store.
WRITER_LOCK = ".writer-lock"
#: The copy a writer writes, beside the store, renamed over it when the write is done.
STAGED = ".next"


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


#: Loads of reference tables (not records) are keyed ``reference:<name>``.
REFERENCE_PREFIX = "reference:"


def contents_fingerprint(loads: Mapping[str, str]) -> str:
    """A fingerprint of records by what they were made from: each load's key and content hash."""
    digest = hashlib.sha256()
    for key in sorted(loads):
        digest.update(f"{key}={loads[key]};".encode())
    return "contents-" + digest.hexdigest()[:16]


def temporary_beside(path: Path, suffix: str = ".tmp") -> Path:
    """A name beside ``path`` to write before renaming it to ``path``: its own per process and
    thread, so that two writing the same cache at once do not take each other's file."""
    return path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}{suffix}")


def cache_folder(store: Path) -> Path:
    """The folder of the files derived from the store, beside it."""
    return store.with_name(store.name + ".cache")


def prune_caches(db: Store, prefix: str, keep: Collection[str] = ()) -> None:
    """Remove the cache files beside the store named ``<prefix>-<fingerprint>-...`` that were
    derived from earlier contents of the store (another fingerprint), so that a cache is kept for
    the store's current contents only; files named in ``keep`` stay too (a cache keyed by what it
    was derived from, not by the whole store's fingerprint). A file being written (``.tmp``) is
    left alone."""
    current = f"{prefix}-{db.fingerprint()}-"
    for path in cache_folder(db.path).glob(f"{prefix}-*"):
        if ".tmp" in path.suffixes or path.name.startswith(current) or path.name in keep:
            continue
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
    """A careerbench store (a DuckDB file). Use as a context manager or call ``close()``.

    Read-only, it reads the file the store's name points to when it opens (a private DuckDB
    instance that attaches it: DuckDB would otherwise hand a second reader in this process the
    version an earlier, still open reader has). ``file``: write this file (a writer's copy)
    while messages name the store ``path``.
    """

    def __init__(self, path: Path, *, read_only: bool = True, file: Path | None = None) -> None:
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
            if read_only:
                self.con = duckdb.connect()
                quoted = str(file or path).replace("'", "''")
                try:
                    self.con.execute(f"ATTACH '{quoted}' AS store (READ_ONLY)")
                    self.con.execute("USE store")
                except duckdb.Error:
                    self.con.close()
                    raise
            else:
                self.con = duckdb.connect(str(file or path))
        except duckdb.Error as exc:
            raise unusable(exc, path, writing=not read_only) or StoreError(
                f"cannot open the store {path}: {exc}"
            ) from exc
        # DuckDB's own progress bar would interleave with the command's messages.
        self.con.execute("SET enable_progress_bar = false")
        self._ibis: Any = None
        #: Whether this store was written to since it opened.
        self.wrote = False
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
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_catalog = current_database() AND table_name = ?",
            [name],
        ).fetchall()
        return bool(rows[0][0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: a failure (or a crash) leaves the previous contents in place."""
        self.wrote = True
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

    def contents_fingerprint(self) -> str:
        """What the records were made from, whenever they were loaded: the content hash of each
        load of records (input file, mapping, knowledge files, code). A lake ingested on Spark
        from the same inputs carries the same (``lake_ingest``)."""
        rows = self.con.execute(
            "SELECT load_key, content_hash FROM loads WHERE NOT starts_with(load_key, ?) "
            "ORDER BY load_key",
            [REFERENCE_PREFIX],
        ).fetchall()
        return contents_fingerprint({str(key): str(content) for key, content in rows})


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
    if not factors:  # no records, so no years
        return table[column] * ibis.null().cast("float64")
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
        # The inode too: a writer's rename swaps in another file, maybe of the same size.
        stamp += [info.st_ino, info.st_size, info.st_mtime_ns]
    return tuple(stamp)


class ContentsMemo(Generic[T]):
    """Answers that depend on nothing but a store's contents (and a key), kept in memory while
    the store's file is unchanged: reading every record takes seconds, the answer changes only
    with the store. At most ``entries`` answers are kept (the oldest is dropped first)."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._held: dict[tuple[str, Hashable], tuple[tuple[int, ...], T]] = {}

    def get(self, path: Path, key: Hashable, compute: Callable[[], T]) -> T:
        """The answer for ``key`` on the store at ``path``: kept, or ``compute()`` now."""
        slot = (str(path.absolute()), key)
        stamp = file_stamp(path) if path.exists() else ()
        held = self._held.get(slot)
        if held is not None and stamp and held[0] == stamp:
            return held[1]
        # The stamp taken before computing: a store replaced meanwhile is read again next time.
        answer = compute()
        self._held.pop(slot, None)
        while len(self._held) >= self.entries:
            del self._held[next(iter(self._held))]
        self._held[slot] = (stamp, answer)
        return answer

    def clear(self) -> None:
        self._held.clear()


# ---- the one writer ------------------------------------------------------------------
@contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    """Held while one writer writes the store at ``path``; a second writer is refused.

    The operating system releases the lock when its process ends, however it ends.
    """
    lock_path = path.with_name(path.name + WRITER_LOCK)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = lock_path.open("a+b")
    except OSError as exc:
        raise StoreError(
            f"the store {path} cannot be written ({exc.strerror or exc}); {_WRITABLE_FIX}"
        ) from exc
    with handle:
        try:
            if sys.platform == "win32":
                import msvcrt  # Windows only

                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl  # POSIX only

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise StoreError(
                f"another ingest is writing the store {path}; wait for it to finish and run "
                "this again (the server keeps answering from the current contents meanwhile)"
            ) from exc
        yield  # the lock goes with the handle


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; elsewhere the rename is left as it is)."""
    if sys.platform == "win32":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def writing(path: Path) -> Iterator[Store]:
    """The one writer of the store at ``path``: a ``Store`` over a copy of it, which replaces
    the store in one rename when the block ends without an error (see the module docstring).

    An error, or the process ending, inside the block leaves the store as it was.
    """
    target = path.resolve() if path.is_symlink() else path
    with _writer_lock(target):
        staged = target.with_name(target.name + STAGED)
        staged_log = staged.with_name(staged.name + ".wal")
        try:
            staged.unlink(missing_ok=True)  # a copy left by a writer that was killed
            staged_log.unlink(missing_ok=True)
            if target.exists():
                if target.with_name(target.name + ".wal").exists():
                    # A log left by a writer that wrote in place: fold it into the file first.
                    Store(target, read_only=False).close()
                shutil.copyfile(target, staged)
        except OSError as exc:
            raise StoreError(
                f"the store {path} cannot be written: copying it beside itself failed "
                f"({exc.strerror or exc}); free some disk space, or {_WRITABLE_FIX}"
            ) from exc
        try:
            with Store(path, read_only=False, file=staged) as db:
                yield db
            if db.wrote:
                staged.replace(target)
        except BaseException:
            staged.unlink(missing_ok=True)
            staged_log.unlink(missing_ok=True)
            raise
        if db.wrote:
            _sync_folder(target.parent)
        else:  # nothing changed: the store keeps its file (and every cache keyed by it)
            staged.unlink(missing_ok=True)
