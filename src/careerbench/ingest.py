"""Build or refresh the store from the bundled and configured sources.

Each source is one *load*, keyed by ``load_key`` (``aijobs``, ``levelsfyi``, ``csv:<path>``,
``reference:bls_oews``). A load whose content hash (input file + knowledge files + normalization
code) matches the stored one is skipped, so re-running is cheap and idempotent; a changed load
replaces that load's records in one transaction. A Levels.fyi file loaded earlier is checked again
from its path; other loads not named again stay as they are (remove one with ``remove``).

An ingest is the store's one writer (``store.writing``): it writes a copy and swaps it in with
one rename, so readers (a running server) keep answering from the previous contents meanwhile,
a second ingest at the same time is refused, and a killed ingest leaves the previous store.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from careerbench import __version__
from careerbench.cohort_index import prepare as prepare_index
from careerbench.config import configured_levelsfyi, store_path, vendored
from careerbench.errors import InputError, InvalidValue, SourceError
from careerbench.reference.bls import BLS_FILE, bls_table
from careerbench.schema import QUARANTINE_SCHEMA, RECORD_SCHEMA
from careerbench.sources import aijobs, generic_csv, levelsfyi, postings
from careerbench.sources.base import Adapted, file_hash, taxonomy_hash
from careerbench.store import REFERENCE_PREFIX, Store, writing

Progress = Callable[[str], None]


@dataclass(frozen=True)
class LoadResult:
    load_key: str
    source: str
    origin: str
    status: str  # "loaded" or "unchanged"
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    records: int
    seconds: float

    @property
    def reconciles(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_quarantined


@dataclass(frozen=True)
class IngestReport:
    store: Path
    loads: list[LoadResult]


@dataclass(frozen=True)
class _Plan:
    load_key: str
    source: str
    origin: str
    path: Path
    adapt: Callable[[], Adapted]


def load_key(source: str, origin: str = "") -> str:
    """A load's key, in a store and in a lake: the source, and for the sources that may be
    loaded from several files, which one (your CSVs by path, postings by file name)."""
    if source == "csv":
        return f"csv:{origin}"
    if source == "postings":
        return f"postings:{PurePosixPath(origin).name}"
    return source


def _plans(
    aijobs_path: Path | None,
    levelsfyi_path: Path | None,
    csv_paths: Sequence[Path],
    csv_mapping: Path | None,
    postings_paths: Sequence[Path] = (),
) -> list[_Plan]:
    bundled = vendored(aijobs.BUNDLED)
    plans = [
        _Plan(
            "aijobs",
            "aijobs",
            str(aijobs_path) if aijobs_path else f"bundled {aijobs.BUNDLED}",
            aijobs_path or bundled,
            lambda: aijobs.adapt(aijobs_path),
        )
    ]
    levels = levelsfyi_path or configured_levelsfyi()
    if levels is not None:
        path = levels.expanduser().resolve()
        plans.append(
            _Plan(
                "levelsfyi",
                "levelsfyi",
                str(path),
                path,
                lambda path=path: levelsfyi.adapt(path),  # type: ignore[misc]
            )
        )
    for csv_path in csv_paths:
        path = csv_path.expanduser().resolve()
        plans.append(
            _Plan(
                load_key("csv", str(path)),
                "csv",
                str(path),
                path,
                lambda path=path: generic_csv.adapt(path, csv_mapping),  # type: ignore[misc]
            )
        )
    for postings_path in postings_paths:
        path = postings_path.expanduser().resolve()
        plans.append(
            _Plan(
                load_key("postings", str(path)),
                "postings",
                str(path),
                path,
                lambda path=path: postings.adapt(path),  # type: ignore[misc]
            )
        )
    return plans


#: What each input holds, for the message when it cannot be read.
_INPUT_KINDS = {
    "aijobs": "an aijobs.net salaries CSV",
    "levelsfyi": "a Levels.fyi CSV",
    "csv": "a CSV of your data points",
    "mapping": "a YAML mapping of your columns to ours",
    "postings": "a CSV of posted pay ranges",
}


def input_file(option: str, path: Path) -> Path:
    """``path`` when it is a readable file; else an error naming the option and what it needs."""
    fix = f"give --{option} the path of {_INPUT_KINDS[option]}"
    error = InputError if option == "mapping" else SourceError
    if path.is_dir():
        problem = f"{path} is a directory, not a file; {fix}"
    elif not path.exists():
        problem = f"no file at {path}; {fix}"
    else:
        try:
            with path.open("rb"):
                return path
        except OSError as exc:
            problem = f"cannot read {path} ({exc.strerror or exc}); {fix} that you may read"
    if error is InputError:
        raise InputError(option, problem)
    raise SourceError(f"{option}: {problem}")


def _check_inputs(
    aijobs_path: Path | None,
    csv_paths: Sequence[Path],
    csv_mapping: Path | None,
    postings_paths: Sequence[Path],
) -> None:
    """Every named input is a readable file, before the store is touched."""
    if aijobs_path is not None:
        input_file("aijobs", aijobs_path)
    for csv_path in csv_paths:
        input_file("csv", csv_path)
    if csv_mapping is not None:
        input_file("mapping", csv_mapping)
    for postings_path in postings_paths:
        input_file("postings", postings_path)


def load_hash(path: Path, *extra: str) -> str:
    """A load's content hash: its input file, the knowledge files and code, the version and
    ``extra`` (a mapping's hash)."""
    digest = hashlib.sha256()
    for part in (file_hash(path), taxonomy_hash(), __version__, *extra):
        digest.update(part.encode())
    return digest.hexdigest()


def ingest(
    store: Path | None = None,
    *,
    aijobs_path: Path | None = None,
    levelsfyi_path: Path | None = None,
    csv_paths: Sequence[Path] = (),
    csv_mapping: Path | None = None,
    postings_paths: Sequence[Path] = (),
    force: bool = False,
    progress: Progress | None = None,
    prepare: bool = True,
) -> IngestReport:
    """Load every named source whose content changed (all of them with ``force``).

    ``prepare``: build the new contents' pay index and cohort index before they replace the
    store, so that a server answering meanwhile swaps to them without a pause."""
    say = progress or (lambda _message: None)
    path = store_path(store)
    _check_inputs(aijobs_path, csv_paths, csv_mapping, postings_paths)
    if levelsfyi_path is None and configured_levelsfyi() is None and path.exists():
        # A Levels.fyi file loaded before is refreshed from where it was read, so that a
        # knowledge or code change reaches its records too.
        with Store(path) as db:
            earlier = next((x for x in db.loads() if x.load_key == "levelsfyi"), None)
        if earlier is not None and Path(earlier.origin).is_file():
            levelsfyi_path = Path(earlier.origin)
    plans = _plans(aijobs_path, levelsfyi_path, csv_paths, csv_mapping, postings_paths)
    levels = levelsfyi_path or configured_levelsfyi()
    if levels is not None:
        input_file("levelsfyi", levels.expanduser())
    results: list[LoadResult] = []
    with writing(path) as db:
        changed = False
        for plan in plans:
            started = time.perf_counter()
            mapping_hash = file_hash(csv_mapping) if csv_mapping and plan.source == "csv" else ""
            content_hash = load_hash(plan.path, mapping_hash)
            if not force and db.content_hash(plan.load_key) == content_hash:
                say(f"{plan.load_key}: unchanged")
                previous = next(x for x in db.loads() if x.load_key == plan.load_key)
                results.append(
                    LoadResult(
                        plan.load_key, plan.source, plan.origin, "unchanged",
                        previous.rows_read, previous.rows_loaded, previous.rows_quarantined,
                        previous.records, time.perf_counter() - started,
                    )
                )  # fmt: skip
                continue
            say(f"{plan.load_key}: reading and normalizing")
            adapted = plan.adapt()
            say(f"{plan.load_key}: writing {adapted.records.num_rows:,} records")
            db.replace_load(
                load_key=plan.load_key,
                source=plan.source,
                origin=plan.origin,
                content_hash=content_hash,
                records=adapted.records,
                quarantine=adapted.quarantine,
                rows_read=adapted.rows_read,
                rows_loaded=adapted.rows_loaded,
                version=__version__,
            )
            changed = True
            results.append(
                LoadResult(
                    plan.load_key, plan.source, plan.origin, "loaded", adapted.rows_read,
                    adapted.rows_loaded, adapted.rows_quarantined, adapted.records.num_rows,
                    time.perf_counter() - started,
                )
            )  # fmt: skip
        changed |= _load_reference(db, force, say)
        if changed:
            say("ordering records by cohort")
            db.cluster()
            if prepare:
                say("preparing the cohort index of the new contents")
                prepare_index(db)
    return IngestReport(store=path, loads=results)


def _load_reference(db: Store, force: bool, say: Progress) -> bool:
    """The BLS OEWS population reference, from the vendored extract."""
    key = f"{REFERENCE_PREFIX}bls_oews"
    content_hash = load_hash(vendored(BLS_FILE))
    if not force and db.content_hash(key) == content_hash and db.has_table("bls_oews"):
        return False
    say("loading the BLS OEWS reference")
    table = bls_table()
    db.replace_table("bls_oews", table)
    db.replace_load(
        load_key=key, source="bls_oews", origin=f"bundled {BLS_FILE}", content_hash=content_hash,
        records=RECORD_SCHEMA.empty_table(), quarantine=QUARANTINE_SCHEMA.empty_table(),
        rows_read=table.num_rows, rows_loaded=table.num_rows, version=__version__,
    )  # fmt: skip
    return True


def remove(load_key: str, store: Path | None = None) -> bool:
    """Remove one load (its records and quarantine) from the store.

    A load the store does not hold is an ``InvalidValue`` listing the loads it does hold.
    """
    path = store_path(store)
    with Store(path) as db:
        keys = [load.load_key for load in db.loads()]
    if load_key not in keys:
        raise InvalidValue(
            "remove", load_key, keys, hint="(`careerbench sources` lists the loads in the store)"
        )
    with writing(path) as db:
        removed = db.remove_load(load_key)
        if removed:
            prepare_index(db)
        return removed
