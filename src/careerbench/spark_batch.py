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

import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from careerbench.batch import OUTPUT_COLUMNS, BatchReport, estimate_profiles, profiles_of, write
from careerbench.pay_model import PayModel
from careerbench.sources import generic_csv
from careerbench.spark_files import ROW, fitted, header, numbered_rows

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

OUTPUT_SCHEMA = (
    "row long, p10 double, p25 double, p50 double, p75 double, p90 double, model string, "
    "reason string"
)


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
    frame = fitted(batch, names)
    records, reasons = profiles_of(frame, fmt, mapping, origin=origin)
    table = estimate_profiles(model, records, reasons)
    table["row"] = batch[ROW].to_numpy()
    return table[list(OUTPUT_COLUMNS)]
