"""Source files read by Spark: a CSV's header checked as the single-process reader checks it,
its rows numbered in file order, and each batch of rows fitted to the header.

Rows are read by Spark's CSV reader as text (RFC 4180 quoting, ``""`` inside quotes) one line
per row; every row keeps its number in the file (1-based, counted as
``sources.base.read_csv_strings`` counts: blank lines skipped). A row with more fields than the
header, or a field too long, keeps its place with its reason (``sources.base.fit_rows``). A
quoted field holding a line break is not supported here (the single-process readers read it).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from careerbench.errors import SourceError
from careerbench.sources.base import ROW_PROBLEM, fit_rows, header_names

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

#: The columns Spark adds: the raw line of a row it could not fit to the header, the row number.
CORRUPT = "_careerbench_corrupt"
ROW = "_careerbench_row"


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
    )
    return numbered(rows)


def numbered(frame: DataFrame) -> DataFrame:
    """``frame``'s rows with their 1-based number (``ROW``) in the order Spark reads them (a
    file's order)."""
    from pyspark.sql import functions as sf  # the Spark engine only

    rows = frame.withColumn("_part", sf.spark_partition_id()).withColumn(
        "_id", sf.monotonically_increasing_id()
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


def fitted(batch: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """A batch of ``numbered_rows`` as ``read_csv_strings`` gives a file's rows: every field a
    string, cut or padded to the header, with ``ROW_PROBLEM``."""
    lines: list[list[str]] = []
    corrupt = batch[CORRUPT].tolist()
    cells = batch[names].astype(object).where(batch[names].notna(), "").to_numpy().tolist()
    for raw, row in zip(corrupt, cells, strict=True):
        lines.append(next(csv.reader([raw])) if isinstance(raw, str) else [str(c) for c in row])
    fields, problems = fit_rows(iter(lines), names)
    frame = pd.DataFrame(fields, columns=names, dtype=object).astype(str)
    frame[ROW_PROBLEM] = problems
    return frame
