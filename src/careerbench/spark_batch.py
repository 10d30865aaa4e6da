"""Batch estimates on Spark: a file of profiles read by Spark, scored on the executors.

Each executor scores its rows with the pay model broadcast to it, through the same functions
the single-process batch uses: ``sources.base.fit_rows`` (a row with more fields than the
header, or a field too long, keeps its place with its reason), ``batch.profiles_of`` (the
format's adapter) and ``batch.estimate_profiles`` (the model). Every row keeps its number in the
file (``row``, 1-based, counted as the single-process reader counts: blank lines skipped), so
the output is in input order and equal to ``batch.estimate_file``'s for the same file; a row
that cannot be estimated gets its reason.

Rows are read by Spark's CSV reader as text (RFC 4180 quoting, ``""`` inside quotes) one line
per row: a quoted field holding a line break is not supported here (the single-process batch
reads it).
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from careerbench.batch import OUTPUT_COLUMNS, BatchReport, estimate_profiles, profiles_of, write
from careerbench.errors import SourceError
from careerbench.pay_model import PayModel
from careerbench.sources import generic_csv
from careerbench.sources.base import ROW_PROBLEM, fit_rows, header_names

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

#: The columns Spark adds: the raw line of a row it could not fit to the header, the row number.
CORRUPT = "_careerbench_corrupt"
ROW = "_careerbench_row"
OUTPUT_SCHEMA = (
    "row long, p10 double, p25 double, p50 double, p75 double, p90 double, model string, "
    "reason string"
)


def header(spark: SparkSession, location: str, fmt: str) -> list[str]:
    """The file's column names, checked as the single-process reader checks them."""
    from pyspark.errors import AnalysisException  # the Spark engine only

    try:
        lines = spark.read.text(location).limit(50).collect()
    except AnalysisException as exc:
        raise SourceError(f"{fmt}: no file at {location}") from exc
    for line in lines:
        text = str(line[0]).lstrip("\ufeff").replace("\0", "")
        if text.strip():
            return header_names(next(csv.reader([text])), fmt, Path(location))
    raise SourceError(f"{fmt}: {location} holds no header row (it is empty or only blank lines)")


def numbered_rows(spark: SparkSession, location: str, names: list[str]) -> DataFrame:
    """The file's rows as text columns, with their 1-based number (``ROW``) in file order."""
    from pyspark.sql import functions as sf  # the Spark engine only
    from pyspark.sql.types import StringType, StructField, StructType

    schema = StructType(
        [StructField(name, StringType()) for name in names] + [StructField(CORRUPT, StringType())]
    )
    rows = (
        spark.read.schema(schema)
        .options(
            header=True,
            enforceSchema=True,
            mode="PERMISSIVE",
            columnNameOfCorruptRecord=CORRUPT,
            escape='"',
            multiLine=False,
            encoding="UTF-8",
        )
        .csv(location)
        .withColumn("_part", sf.spark_partition_id())
        .withColumn("_id", sf.monotonically_increasing_id())
    )
    # Each partition's rows are numbered after the rows of the partitions before it.
    sizes = sorted(
        (int(r["_part"]), int(r["count"])) for r in rows.groupBy("_part").count().collect()
    )
    offsets, total = {}, 0
    for part, size in sizes:
        offsets[part] = total
        total += size
    offset = sf.lit(0)
    for part, start in offsets.items():
        offset = sf.when(sf.col("_part") == part, sf.lit(start)).otherwise(offset)
    in_part = sf.col("_id") - sf.shiftleft(sf.col("_part").cast("long"), 33)
    return rows.withColumn(ROW, offset + in_part + 1).drop("_part", "_id")


def estimate_on_spark(
    spark: SparkSession,
    model: PayModel,
    location: str,
    fmt: str,
    output: Path | None,
    *,
    mapping: Path | None = None,
) -> tuple[pd.DataFrame, BatchReport]:
    """Estimate every row of the file at ``location`` on Spark; write ``output`` (CSV) when
    given. The same table and report as ``batch.estimate_file``."""
    started = time.perf_counter()
    names = header(spark, location, fmt)
    columns = generic_csv.read_mapping(mapping) if fmt == "csv" else None
    shared = spark.sparkContext.broadcast(model)

    def score(batches: Iterable[pd.DataFrame]) -> Iterable[pd.DataFrame]:
        for batch in batches:
            yield score_rows(shared.value, batch, names, fmt, columns, location)

    scored = numbered_rows(spark, location, names).mapInPandas(score, OUTPUT_SCHEMA)
    table = scored.orderBy("row").toPandas()
    shared.unpersist()
    table["model"] = table["model"].fillna("")
    table["reason"] = table["reason"].fillna("")
    if output is not None:
        write(table, output)
    counts = table.loc[table["reason"] != "", "reason"].value_counts()
    return table, BatchReport(
        rows=len(table),
        estimated=int((table["reason"] == "").sum()),
        not_estimated={str(k): int(v) for k, v in counts.items()},
        seconds=time.perf_counter() - started,
        output=output,
    )


def score_rows(
    model: PayModel,
    batch: pd.DataFrame,
    names: list[str],
    fmt: str,
    mapping: dict[str, str] | None,
    origin: str,
) -> pd.DataFrame:
    """One batch of numbered rows scored as the single-process batch scores a file's rows."""
    lines: list[list[str]] = []
    corrupt = batch[CORRUPT].tolist()
    cells = batch[names].astype(object).where(batch[names].notna(), "").to_numpy().tolist()
    for raw, row in zip(corrupt, cells, strict=True):
        lines.append(next(csv.reader([raw])) if isinstance(raw, str) else [str(c) for c in row])
    fields, problems = fit_rows(iter(lines), names)
    frame = pd.DataFrame(fields, columns=names, dtype=object).astype(str)
    frame[ROW_PROBLEM] = problems
    records, reasons = profiles_of(frame, fmt, mapping, origin=origin)
    table = estimate_profiles(model, records, reasons)
    table["row"] = batch[ROW].to_numpy()
    return table[list(OUTPUT_COLUMNS)]
