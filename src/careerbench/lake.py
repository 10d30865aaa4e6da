"""The lake: the store's canonical records as a partitioned Parquet dataset, for Spark.

``export`` writes ``records`` (``schema.RECORD_SCHEMA``) as Hive partitions
``source=<name>/observed_year=<year>/*.parquet`` plus ``_schema.json``: the lake's version, its
columns and types, the records per partition and in all, and the fingerprint of the store it came
from (so an index built from the lake is filed under the store it describes, and a lake from
other contents is refused). The dataset is written to a temporary folder beside the target and
renamed into place: a failed export leaves the previous lake as it was.

Any Hadoop-compatible path (``hdfs://``, ``s3a://``, ``file:``) holding this layout is a lake to
Spark; ``export`` itself writes a local folder (DuckDB's partitioned ``COPY``).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from careerbench.config import store_path
from careerbench.errors import InputError, StoreError
from careerbench.schema import QUARANTINE_SCHEMA, RECORD_COLUMNS, RECORD_SCHEMA
from careerbench.store import Store, temporary_beside

LAKE_VERSION = 1
SCHEMA_FILE = "_schema.json"
PARTITIONS = ("source", "observed_year")
#: The quarantined rows (``schema.QUARANTINE_SCHEMA``), partitioned by ``source``; Spark's
#: readers skip a folder named ``_*``, so reading the lake reads the records only.
QUARANTINE_FOLDER = "_quarantine"


@dataclass(frozen=True)
class LakeSchema:
    """What ``_schema.json`` says about a lake."""

    version: int
    columns: dict[str, str]
    partitions: list[dict[str, Any]]
    records: int
    store_fingerprint: str
    #: ``export`` (from a store: ``store_fingerprint`` is the store's) or ``ingest`` (on Spark
    #: from the sources: it is ``store.contents_fingerprint`` of the loads it read).
    made_by: str = "export"
    quarantined: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.version,
            "made_by": self.made_by,
            "columns": self.columns,
            "partition_by": list(PARTITIONS),
            "partitions": self.partitions,
            "records": self.records,
            "quarantined": self.quarantined,
            "store_fingerprint": self.store_fingerprint,
        }

    def describes(self, db: Store) -> bool:
        """Whether the lake holds the store's records: exported from these contents, or
        ingested from the inputs the store's loads were made from."""
        if self.made_by == "ingest":
            return self.store_fingerprint == db.contents_fingerprint()
        return self.store_fingerprint == db.fingerprint()


def columns_of_records() -> dict[str, str]:
    """The lake's columns and their Arrow types, as ``_schema.json`` lists them."""
    return {field.name: str(field.type) for field in RECORD_SCHEMA}


def other_folder(option: str, where: object) -> InputError:
    """The error for a folder that exists and is not a lake: it is never replaced."""
    return InputError(
        option, f"{where} exists and is not a careerbench lake; give a new or a lake's folder"
    )


def refuse_other_folder(option: str, path: Path) -> None:
    """A local folder that exists and is not a lake is refused (``other_folder``)."""
    if path.exists() and not (path / SCHEMA_FILE).exists():
        raise other_folder(option, path)


def export(db: Store, path: Path) -> LakeSchema:
    """Write the store's records to the lake at ``path`` (replacing it whole; see the module)."""
    refuse_other_folder("path", path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot make the folder of {path} ({exc.strerror or exc})") from exc
    staged = temporary_beside(path, ".tmp")
    shutil.rmtree(staged, ignore_errors=True)
    try:
        columns = ", ".join(RECORD_COLUMNS)
        quoted = str(staged).replace("'", "''")
        db.con.execute(
            f"COPY (SELECT {columns} FROM records) TO '{quoted}' "
            f"(FORMAT parquet, PARTITION_BY ({', '.join(PARTITIONS)}))"
        )
        quarantined = db.con.execute("SELECT count(*) FROM quarantine").fetchone()
        if quarantined and quarantined[0]:
            folder = str(staged / QUARANTINE_FOLDER).replace("'", "''")
            db.con.execute(
                f"COPY (SELECT {', '.join(QUARANTINE_SCHEMA.names)} FROM quarantine) TO "
                f"'{folder}' (FORMAT parquet, PARTITION_BY (source))"
            )
        counts = db.con.execute(
            "SELECT source, observed_year, count(*) FROM records "
            "GROUP BY ALL ORDER BY source, observed_year"
        ).fetchall()
        schema = LakeSchema(
            LAKE_VERSION,
            columns_of_records(),
            [{"source": s, "observed_year": int(y), "records": int(n)} for s, y, n in counts],
            sum(int(n) for _, _, n in counts),
            db.fingerprint(),
            quarantined=int(quarantined[0]) if quarantined else 0,
        )
        staged.mkdir(exist_ok=True)  # an empty store writes no partition
        (staged / SCHEMA_FILE).write_text(json.dumps(schema.to_dict(), indent=2) + "\n")
        swap(staged, path)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return schema


def swap(staged: Path, path: Path) -> None:
    """Put ``staged`` at ``path``: the previous lake moves aside in one rename, the new one in
    with another, then the previous one is removed (a crash between the two leaves it beside
    the target as ``<name>.<pid>-<thread>.old``, whole)."""
    old = temporary_beside(path, ".old")
    if path.exists():
        path.replace(old)
    staged.replace(path)
    shutil.rmtree(old, ignore_errors=True)
    if hasattr(os, "O_DIRECTORY"):
        descriptor = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def read_schema(path: Path) -> LakeSchema:
    """The ``_schema.json`` of the lake in the local folder ``path``."""
    try:
        text = (path / SCHEMA_FILE).read_text()
    except FileNotFoundError as exc:
        raise not_a_lake(str(path)) from exc
    except OSError as exc:
        raise InputError("lake", f"cannot read {path / SCHEMA_FILE} ({exc})") from exc
    return parse_schema(text, str(path))


def not_a_lake(location: str) -> InputError:
    return InputError(
        "lake", f"{location} has no {SCHEMA_FILE}; run `careerbench export {location}` first"
    )


def parse_schema(text: str, location: str) -> LakeSchema:
    """A lake's ``_schema.json`` from its text (read from any file system)."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise InputError("lake", f"{location}/{SCHEMA_FILE} is not JSON ({exc})") from exc
    if not isinstance(document, dict) or document.get("schema_version") != LAKE_VERSION:
        found = document.get("schema_version") if isinstance(document, dict) else None
        raise InputError(
            "lake",
            f"{location} is a lake of version {found}, this careerbench reads version "
            f"{LAKE_VERSION}; run `careerbench export {location}` again",
        )
    return LakeSchema(
        int(document["schema_version"]),
        dict(document["columns"]),
        list(document["partitions"]),
        int(document["records"]),
        str(document["store_fingerprint"]),
        str(document.get("made_by", "export")),
        int(document.get("quarantined", 0)),
    )


def export_store(store: Path | str | None, path: Path) -> LakeSchema:
    """Export the store at ``store`` (default: the configured one) to the lake at ``path``."""
    with Store(store_path(store)) as db:
        return export(db, path)
