"""Ingest on Spark into the lake: the sources read by Spark, normalized by their own adapters.

The same sources and options as ``ingest.ingest`` (the bundled or a newer aijobs.net file, a
Levels.fyi extract, your CSVs with a mapping, postings), written as a lake (``lake.py``'s layout)
instead of a store, for inputs too large for one machine:

1. Spark reads each file (any path Spark reads: local, ``file:``, ``hdfs://``, ``s3a://``): a
   CSV's rows as strings numbered in file order (``spark_files``), the bundled Parquet as it is;
2. each batch of rows is shaped by the adapter's ``shape`` (the columns ``read`` gives) and given
   a group by the adapter's ``together`` (the rows it must see together: one posting's range
   pair, identical reports, one posting's places);
3. each group is normalized on the executors by the adapter's ``adapt_frame``, the function the
   DuckDB ingest calls on a whole file: so every row is a record or quarantined with the same
   reason, and the records are the same;
4. the counts are reconciled per load (rows Spark read = rows the adapter read = rows loaded +
   rows quarantined), else the job fails naming the load;
5. records are written partitioned by ``source`` and ``observed_year``, the quarantine under
   ``_quarantine/`` by ``source``, and ``_schema.json``, to a sibling of the lake, which is then
   renamed into place (Hadoop's file system API for other file systems than the local one): a
   failed job leaves the previous lake whole.

A lake made here has no store: its ``store_fingerprint`` is ``store.contents_fingerprint`` of
the loads it read (each load's key and content hash: input file, mapping, knowledge files,
code, version), and ``made_by`` is ``ingest``. A store ingested from the same inputs has the
same contents fingerprint, so ``careerbench index --engine spark --lake`` files the lake's index
under that store. A file on another file system than the local one is hashed by its path, size
and modification time (reading it whole on the driver to hash it would defeat the point).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from careerbench import __version__
from careerbench.config import configured_levelsfyi, vendored
from careerbench.engine import Engine, spark_session
from careerbench.errors import CareerbenchError, EngineError, InputError, SourceError
from careerbench.ingest import LoadResult, input_file, load_hash, load_key
from careerbench.lake import (
    LAKE_VERSION,
    PARTITIONS,
    QUARANTINE_FOLDER,
    SCHEMA_FILE,
    LakeSchema,
    columns_of_records,
    other_folder,
    refuse_other_folder,
    swap,
)
from careerbench.schema import QUARANTINE_SCHEMA, RECORD_COLUMNS, RECORD_SCHEMA
from careerbench.sources import aijobs, generic_csv, levelsfyi, postings
from careerbench.sources.base import ROW_PROBLEM, Adapted, file_hash, taxonomy_hash
from careerbench.spark_files import ROW, fitted, header, numbered, numbered_rows
from careerbench.store import contents_fingerprint, temporary_beside

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

Frame = Callable[[pd.DataFrame], pd.DataFrame]

#: The columns the normalization adds to a row of its outcome: what the row is, its group.
KIND = "_careerbench_kind"
GROUP = "_careerbench_group"
#: An outcome row is a record, a quarantined row, or a group's counts.
RECORD, QUARANTINED, COUNTS = "record", "quarantined", "counts"


@dataclass(frozen=True)
class LakeInput:
    """One load: a file Spark reads and the adapter that normalizes its rows."""

    load_key: str
    source: str
    option: str  # the option that named it, for messages
    location: str  # a path Spark reads
    content_hash: str
    shape: Frame
    together: Callable[[pd.DataFrame], pd.Series[int]]
    adapt: Callable[[pd.DataFrame], Adapted]
    parquet: bool = False


@dataclass(frozen=True)
class LakeIngest:
    """Where the lake was written, each load's reconciled counts and the lake's schema."""

    lake: str
    loads: list[LoadResult]
    schema: LakeSchema
    seconds: float


def local_path(location: str) -> Path | None:
    """The local file a location names (a plain path or ``file:``), else None."""
    if location.startswith("file:"):
        return Path(re.sub(r"^file:(//)?", "", location)).expanduser().resolve()
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]+://", location):
        return None
    return Path(location).expanduser().resolve()


def plan(
    spark: SparkSession,
    *,
    aijobs_path: str | None = None,
    levelsfyi_path: str | None = None,
    csv_paths: Sequence[str] = (),
    csv_mapping: Path | None = None,
    postings_paths: Sequence[str] = (),
) -> list[LakeInput]:
    """The loads the options name, as ``ingest`` plans them (the same keys and hashes), each
    local input checked to be a readable file before Spark reads anything."""
    mapping: dict[str, str] = {}
    mapping_hash = ""
    if csv_mapping is not None:
        input_file("mapping", csv_mapping)
        mapping = generic_csv.read_mapping(csv_mapping)
        mapping_hash = file_hash(csv_mapping)

    def located(option: str, location: str, *extra: str) -> tuple[str, str, str]:
        """(where Spark reads it, its key's path, its content hash)."""
        path = local_path(location)
        if path is None:
            return location, location, _remote_hash(spark, option, location, *extra)
        input_file(option, path)
        return str(path), str(path), load_hash(path, *extra)

    inputs: list[LakeInput] = []
    if aijobs_path is None:
        bundled = vendored(aijobs.BUNDLED)
        where, origin, digest = str(bundled), aijobs.BUNDLED, load_hash(bundled)
    else:
        where, origin, digest = located("aijobs", aijobs_path)
    inputs.append(
        LakeInput(
            "aijobs", "aijobs", "aijobs", where, digest,
            lambda frame: aijobs.shape(frame, origin), aijobs.together, aijobs.adapt_frame,
            parquet=where.endswith(".parquet"),
        )
    )  # fmt: skip
    configured = configured_levelsfyi()
    levels = levelsfyi_path or (str(configured) if configured else None)
    if levels is not None:
        where, origin, digest = located("levelsfyi", levels)
        inputs.append(
            LakeInput(
                "levelsfyi", "levelsfyi", "levelsfyi", where, digest,
                lambda frame, origin=origin: levelsfyi.shape(frame, origin),  # type: ignore[misc]
                levelsfyi.together, levelsfyi.adapt_frame,
            )
        )  # fmt: skip
    for csv_path in csv_paths:
        where, origin, digest = located("csv", csv_path, mapping_hash)
        inputs.append(
            LakeInput(
                load_key("csv", origin), "csv", "csv", where, digest,
                lambda frame, origin=origin: generic_csv.canonical(  # type: ignore[misc]
                    frame, mapping, origin=origin
                ),
                generic_csv.together, generic_csv.adapt_frame,
            )
        )  # fmt: skip
    for postings_path in postings_paths:
        where, origin, digest = located("postings", postings_path)
        inputs.append(
            LakeInput(
                load_key("postings", origin), "postings", "postings", where, digest,
                lambda frame, origin=origin: postings.shape(frame, origin),  # type: ignore[misc]
                postings.together, postings.adapt_frame,
            )
        )  # fmt: skip
    return inputs


def _remote_hash(spark: SparkSession, option: str, location: str, *extra: str) -> str:
    """A content hash of a file on another file system: its path, size and modification time
    (with the knowledge files, code and version, as a local file's)."""
    status = _files(spark, location)[0].getFileStatus(_hadoop_path(spark, location))
    digest = hashlib.sha256()
    for part in (
        location, str(status.getLen()), str(status.getModificationTime()),
        taxonomy_hash(), __version__, *extra,
    ):  # fmt: skip
        digest.update(part.encode())
    return digest.hexdigest()


def raw_rows(spark: SparkSession, item: LakeInput) -> DataFrame:
    """The file's rows as the single-process reader gives them, with ``source_row``."""
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    if item.parquet:
        frame: DataFrame = spark.read.parquet(item.location)
        if "source_row" in frame.columns:
            return frame
        return numbered(frame).withColumnRenamed(ROW, "source_row")
    names = header(spark, item.location, item.option)
    schema = StructType(
        [StructField(name, StringType()) for name in (*names, ROW_PROBLEM)]
        + [StructField("source_row", LongType())]
    )

    def fit(batches: Iterable[pd.DataFrame]) -> Iterable[pd.DataFrame]:
        for batch in batches:
            frame = fitted(batch, names)
            frame["source_row"] = batch[ROW].to_numpy()
            yield plain(frame)

    return numbered_rows(spark, item.location, names).mapInPandas(fit, schema)


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text columns as Python strings (pandas' Arrow-backed strings reach
    Spark's Arrow writer as chunked arrays, which it does not take)."""
    text = [name for name, kind in frame.dtypes.items() if isinstance(kind, pd.StringDtype)]
    return frame.astype(dict.fromkeys(text, object)) if text else frame


def outcome_schema() -> str:
    """What each group's normalization returns: its records, its quarantined rows and its
    counts, as rows of one table told apart by ``KIND``."""
    from pyspark.sql.pandas.types import from_arrow_schema

    fields = [
        pa.field(KIND, pa.string()),
        *RECORD_SCHEMA,
        pa.field("source_row", pa.int64()),
        pa.field("reason", pa.string()),
        pa.field("raw", pa.string()),
        pa.field("rows_read", pa.int64()),
        pa.field("rows_loaded", pa.int64()),
    ]
    return str(from_arrow_schema(pa.schema(fields)).simpleString())[len("struct<") : -1]


def outcome(adapted: Adapted) -> pd.DataFrame:
    """One group's outcome rows (see ``outcome_schema``)."""
    records = adapted.records.to_pandas()
    records[KIND] = RECORD
    quarantined = adapted.quarantine.to_pandas()
    quarantined[KIND] = QUARANTINED
    counts = pd.DataFrame(
        {
            KIND: [COUNTS],
            "source": [adapted.source],
            "rows_read": [adapted.rows_read],
            "rows_loaded": [adapted.rows_loaded],
        }
    )
    joined: pd.DataFrame = pd.concat([records, quarantined, counts], ignore_index=True)
    return joined


def normalized(spark: SparkSession, item: LakeInput, groups: int) -> tuple[DataFrame, DataFrame]:
    """(the file's rows as Spark read them, their outcome): each group of ``together``'s rows
    normalized by the adapter's ``adapt_frame``, in file order."""
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    rows = raw_rows(spark, item)
    empty = pd.DataFrame({name: pd.Series(dtype=object) for name in rows.columns})
    shaped = item.shape(empty)  # a file lacking a column is refused here, on the driver
    schema = StructType(
        [
            StructField(name, LongType() if name == "source_row" else StringType())
            for name in shaped.columns
        ]
        + [StructField(GROUP, LongType())]
    )
    shape, together, adapt = item.shape, item.together, item.adapt

    def grouped(batches: Iterable[pd.DataFrame]) -> Iterable[pd.DataFrame]:
        for batch in batches:
            frame = shape(batch)
            frame[GROUP] = together(frame).to_numpy() % groups
            yield plain(frame)

    def normalize(group: pd.DataFrame) -> pd.DataFrame:
        frame = group.drop(columns=[GROUP]).sort_values("source_row", kind="stable")
        return plain(outcome(adapt(frame.reset_index(drop=True))))

    result = (
        rows.mapInPandas(grouped, schema).groupBy(GROUP).applyInPandas(normalize, outcome_schema())
    )
    return rows, result


def reconcile(item: LakeInput, read: int, result: DataFrame, seconds: float) -> LoadResult:
    """The load's counts; a ``SourceError`` naming the load when they do not add up."""
    from pyspark.sql import functions as sf

    found = {
        row[KIND]: row
        for row in result.groupBy(KIND)
        .agg(
            sf.count(sf.lit(1)).alias("n"),
            sf.sum("rows_read").alias("read"),
            sf.sum("rows_loaded").alias("loaded"),
        )
        .collect()
    }
    records = int(found[RECORD]["n"]) if RECORD in found else 0
    quarantined = int(found[QUARANTINED]["n"]) if QUARANTINED in found else 0
    counts = found.get(COUNTS)
    adapted_read = int(counts["read"] or 0) if counts else 0
    loaded = int(counts["loaded"] or 0) if counts else 0
    if not read == adapted_read == loaded + quarantined:
        raise SourceError(
            f"{item.load_key}: the counts do not reconcile: Spark read {read:,} rows of "
            f"{item.location}, the adapter read {adapted_read:,}, loaded {loaded:,} and "
            f"quarantined {quarantined:,}; the lake was not written"
        )
    return LoadResult(
        item.load_key, item.source, item.location, "loaded", read, loaded, quarantined, records,
        seconds,
    )  # fmt: skip


def ingest_lake(
    engine: Engine,
    lake: str,
    *,
    aijobs_path: str | None = None,
    levelsfyi_path: str | None = None,
    csv_paths: Sequence[str] = (),
    csv_mapping: Path | None = None,
    postings_paths: Sequence[str] = (),
    progress: Callable[[str], None] | None = None,
) -> LakeIngest:
    """Ingest the named sources on Spark into the lake at ``lake`` (replaced whole; see the
    module)."""
    from pyspark.sql import functions as sf

    say = progress or (lambda _message: None)
    started = time.perf_counter()
    named = [("aijobs", aijobs_path), ("levelsfyi", levelsfyi_path)]
    named += [("csv", p) for p in csv_paths] + [("postings", p) for p in postings_paths]
    for option, location in named:  # a local input is checked before Spark starts
        if location is not None and (path := local_path(location)) is not None:
            input_file(option, path)
    if csv_mapping is not None:
        generic_csv.read_mapping(input_file("mapping", csv_mapping))
    spark = spark_session(engine)
    target = _lake_location(lake)
    _refuse_other_folder(spark, target)
    inputs = plan(
        spark, aijobs_path=aijobs_path, levelsfyi_path=levelsfyi_path, csv_paths=csv_paths,
        csv_mapping=csv_mapping, postings_paths=postings_paths,
    )  # fmt: skip
    groups = max(1, int(spark.conf.get("spark.sql.shuffle.partitions") or 1))
    staged = _staged_location(target)
    held: list[DataFrame] = []
    try:
        loads: list[LoadResult] = []
        outcomes: list[DataFrame] = []
        for item in inputs:
            begun = time.perf_counter()
            say(f"{item.load_key}: reading and normalizing on Spark")
            rows, result = normalized(spark, item, groups)
            result = result.persist()
            held.append(result)
            loads.append(reconcile(item, rows.count(), result, time.perf_counter() - begun))
            outcomes.append(result)
        combined = outcomes[0]
        for other in outcomes[1:]:
            combined = combined.unionByName(other)
        say("writing the lake")
        records = combined.where(sf.col(KIND) == RECORD).select(*RECORD_COLUMNS)
        records.write.mode("errorifexists").partitionBy(*PARTITIONS).parquet(staged)
        quarantine = combined.where(sf.col(KIND) == QUARANTINED).select(*QUARANTINE_SCHEMA.names)
        quarantine.write.partitionBy("source").parquet(f"{staged}/{QUARANTINE_FOLDER}")
        counted = records.groupBy(*PARTITIONS).count().orderBy(*PARTITIONS).collect()
        partitions: list[dict[str, Any]] = [
            {"source": str(r["source"]), "observed_year": int(r["observed_year"]),
             "records": int(r["count"])}
            for r in counted
        ]  # fmt: skip
        schema = LakeSchema(
            LAKE_VERSION,
            columns_of_records(),
            partitions,
            sum(p["records"] for p in partitions),
            contents_fingerprint({item.load_key: item.content_hash for item in inputs}),
            made_by="ingest",
            quarantined=sum(load.rows_quarantined for load in loads),
        )
        _write_text(spark, f"{staged}/{SCHEMA_FILE}", json.dumps(schema.to_dict(), indent=2) + "\n")
        _remove(spark, f"{staged}/_SUCCESS")
        _remove(spark, f"{staged}/{QUARANTINE_FOLDER}/_SUCCESS")
        say("swapping the lake in")
        _swap(spark, staged, target)
    except BaseException as exc:
        _remove(spark, staged)
        if isinstance(exc, CareerbenchError):
            raise
        if isinstance(exc, Exception):
            raise job_error(exc) from exc
        raise
    finally:
        for result in held:
            result.unpersist()
    return LakeIngest(target, loads, schema, time.perf_counter() - started)


#: How a careerbench error raised on an executor reads in Spark's report of it.
_RAISED = re.compile(r"careerbench\.errors\.(\w+): (.+)")


def job_error(exc: Exception) -> CareerbenchError:
    """A failed Spark job as one line: the careerbench error an executor raised, else Spark's
    first line."""
    text = str(exc)
    raised = _RAISED.findall(text)
    if raised:
        name, message = raised[-1]
        if name == "InputError" and ": " in message:
            field, problem = message.split(": ", 1)
            return InputError(field, problem)
        return SourceError(message.strip())
    first = next((line for line in text.splitlines() if line.strip()), type(exc).__name__)
    return EngineError(f"the Spark job of the ingest failed ({first.strip()}); the lake was kept")


# ---- the lake's folder, on any file system Spark writes -------------------------------------
def _lake_location(lake: str) -> str:
    path = local_path(lake)
    return str(path) if path is not None else lake.rstrip("/")


def _staged_location(target: str) -> str:
    path = local_path(target)
    if path is not None:
        return str(temporary_beside(path, ".tmp"))
    return f"{target}.{uuid.uuid4().hex}.tmp"


def _hadoop_path(spark: SparkSession, location: str) -> Any:
    jvm = spark.sparkContext._jvm
    assert jvm is not None
    return jvm.org.apache.hadoop.fs.Path(location)


def _files(spark: SparkSession, location: str) -> tuple[Any, Any]:
    """(the Hadoop file system of ``location``, its Hadoop path)."""
    path = _hadoop_path(spark, location)
    files = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    return files, path


def _refuse_other_folder(spark: SparkSession, target: str) -> None:
    """A folder that exists and is not a lake is refused (never replaced)."""
    path = local_path(target)
    if path is not None:
        refuse_other_folder("lake", path)
        return
    files, hadoop = _files(spark, target)
    if files.exists(hadoop) and not files.exists(_hadoop_path(spark, f"{target}/{SCHEMA_FILE}")):
        raise other_folder("lake", target)


def _write_text(spark: SparkSession, location: str, text: str) -> None:
    files, path = _files(spark, location)
    stream = files.create(path, True)
    try:
        stream.write(bytearray(text.encode()))
    finally:
        stream.close()


def _remove(spark: SparkSession, location: str) -> None:
    files, path = _files(spark, location)
    if files.exists(path):
        files.delete(path, True)


def _swap(spark: SparkSession, staged: str, target: str) -> None:
    """Put ``staged`` at ``target`` by renames (``lake.swap`` on the local file system)."""
    local = local_path(target)
    if local is not None:
        swap(Path(staged), local)
        return
    files, path = _files(spark, target)
    old = _hadoop_path(spark, f"{target}.{uuid.uuid4().hex}.old")
    if files.exists(path) and not files.rename(path, old):
        raise EngineError(f"cannot move the previous lake {target} aside; it was kept")
    if not files.rename(_hadoop_path(spark, staged), path):
        files.rename(old, path)
        raise EngineError(f"cannot rename the new lake into {target}; the previous one was kept")
    files.delete(old, True)
