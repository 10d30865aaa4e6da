"""The cohort index built on Spark from the lake (the store's records exported as Parquet).

The same arrays ``CohortIndex.from_table`` makes from the store, for record counts one machine
cannot sort: the rows are the same ibis expression (``cohort_index.index_rows``: the cohort
dimensions, each measure in the basis's dollars where its source measures it, the posting key)
run on Spark, and Spark does the heavy parts:

1. the cells: one group per distinct combination of the dimensions, with its record count, its
   count of each measure and of postings, numbered in the index's order (the dimensions
   ascending, empty values last, as the store's ``ORDER BY``) by a window over the cells only;
2. each record's cell (a broadcast join of the records with the numbered cells);
3. the sketch: records counted by (cell, log bin) for each measure, in one pass;
4. the values: the four measures and the posting key of every record, sorted by cell.

The driver collects the cells, the sketch and the sorted values through Arrow and assembles
the arrays (dictionary codes of the cells' dimensions, cell starts, sketch pointers): work
proportional to the cells, plus a copy of the values, which the server holds in memory anyway.

The exact cells (values, counts) equal the store's build. A log bin is ``floor(log(v / LOW) /
log(BIN_RATIO))`` on either engine; the JVM's and NumPy's logarithms may differ in the last bit,
so a value within one rounding of a bin edge may fall in the neighbouring bin: a sketched
quantile then moves by at most one bin (``BIN_RATIO - 1``, 0.25%), the sketch's own tolerance.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from careerbench import pay_index
from careerbench import store as store_module
from careerbench.cohort_index import (
    BIN_RATIO,
    DIMENSIONS,
    HIGH,
    INDEX_VERSION,
    LOW,
    MEASURES,
    N_BINS,
    POSTING,
    CohortIndex,
    cache_path,
    cohort_index,
    index_rows,
)
from careerbench.config import store_path
from careerbench.engine import Engine, spark_session
from careerbench.errors import InputError
from careerbench.lake import PARTITIONS, SCHEMA_FILE, LakeSchema, not_a_lake, parse_schema
from careerbench.pay_index import Basis
from careerbench.store import Store

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession


@dataclass(frozen=True)
class IndexBuild:
    """Where an index was written, what it holds and how long it took."""

    path: Path
    engine: str
    records: int
    cells: int
    seconds: float


def write_index(
    store: Path | str | None, engine: Engine, lake: str | None = None, basis_name: str = "pay-index"
) -> IndexBuild:
    """Build the store's cohort index on ``engine`` and write it where the server loads it
    (``cohort_index.cache_path``). On Spark it is built from ``lake``, which must hold the
    store's current records (``careerbench export``): the fingerprint in its schema is checked."""
    path = store_path(store)
    basis = pay_index.basis_for(path, basis_name)
    started = time.perf_counter()
    with Store(path) as db:
        target = cache_path(db, basis)
        if not engine.spark:
            index = cohort_index(db, basis)
        else:
            if not lake:
                raise InputError("lake", "give --lake PATH (a lake from `careerbench export`)")
            spark = spark_session(engine)
            schema = lake_schema(spark, lake)
            if not schema.describes(db):
                how = "ingested" if schema.made_by == "ingest" else "exported"
                raise InputError(
                    "lake",
                    f"{lake} was {how} from other contents than the store {path}; run "
                    f"`careerbench export {lake}` again",
                )
            index = build(spark, lake, basis)
            index.save(target)
            store_module.prune_caches(db, "cohort-index")
    return IndexBuild(
        target, engine.name, int(index.cell_count.sum()), index.n_cells,
        time.perf_counter() - started,
    )  # fmt: skip


def lake_schema(spark: SparkSession, location: str) -> LakeSchema:
    """The lake's ``_schema.json``, read through Hadoop's file system API (so from any file
    system Spark reads; Spark's own readers skip files named ``_*``)."""
    jvm = spark.sparkContext._jvm
    assert jvm is not None
    path = jvm.org.apache.hadoop.fs.Path(f"{location.rstrip('/')}/{SCHEMA_FILE}")
    files = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    if not files.exists(path):
        raise not_a_lake(location)
    stream = files.open(path)
    try:
        text = jvm.org.apache.commons.io.IOUtils.toString(stream, "UTF-8")
    finally:
        stream.close()
    return parse_schema(str(text), location)


#: The temporary view the lake's records are read through (ibis names tables).
RECORDS_VIEW = "careerbench_records"


def lake_records(spark: SparkSession, location: str) -> DataFrame:
    """The lake's records as a Spark DataFrame (the partition columns read back as columns)."""
    from pyspark.sql import functions as sf  # the Spark engine only

    frame = spark.read.option("basePath", location).parquet(location)
    return frame.withColumn(PARTITIONS[1], sf.col(PARTITIONS[1]).cast("short"))


def index_frame(spark: SparkSession, location: str, basis: Basis) -> DataFrame:
    """``cohort_index.index_rows`` of the lake's records, as a Spark DataFrame."""
    lake_records(spark, location).createOrReplaceTempView(RECORDS_VIEW)
    con = ibis.pyspark.connect(spark)
    years = sorted({int(p["observed_year"]) for p in lake_schema(spark, location).partitions})
    expression = index_rows(con.table(RECORDS_VIEW), basis, years)
    return spark.sql(str(ibis.to_sql(expression, dialect="pyspark")))


def bin_of(column: Column) -> Column:
    """The sketch's log bin of a value (``cohort_index._bin``) as a Spark expression."""
    from pyspark.sql import functions as sf  # the Spark engine only

    clipped = sf.least(sf.greatest(column, sf.lit(LOW)), sf.lit(HIGH))
    found = sf.floor(sf.log(clipped / sf.lit(LOW)) / sf.lit(math.log(BIN_RATIO))).cast("long")
    # Spark's greatest() skips nulls: a missing value has no bin.
    return sf.when(column.isNotNull(), found)


def build(spark: SparkSession, location: str, basis: Basis) -> CohortIndex:
    """The cohort index of the lake at ``location`` on ``basis`` (see the module docstring)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as sf  # the Spark engine only

    rows = index_frame(spark, location, basis)
    dims = list(DIMENSIONS)
    cells = (
        rows.groupBy(*dims)
        .agg(
            sf.count(sf.lit(1)).alias("n"),
            sf.count(POSTING).alias("postings"),
            *[sf.count(m).alias(f"n_{m}") for m in MEASURES],
        )
        .withColumn(
            "cell",
            sf.row_number().over(Window.orderBy(*[sf.col(d).asc_nulls_last() for d in dims])) - 1,
        )
        .cache()
    )
    keys = cells.select("cell", *[sf.col(d).alias(f"cell_{d}") for d in dims])
    on = [rows[d].eqNullSafe(keys[f"cell_{d}"]) for d in dims]
    keyed = (
        rows.join(sf.broadcast(keys), on=on, how="inner").select("cell", *MEASURES, POSTING).cache()
    )
    # Every (measure, log bin) of a record in one pass; a missing value has no bin.
    bins = sf.inline(
        sf.array(
            *[
                sf.struct(sf.lit(i).alias("measure"), bin_of(sf.col(m)).alias("bin"))
                for i, m in enumerate(MEASURES)
            ]
        )
    )
    sketch = keyed.select("cell", bins).where(sf.col("bin").isNotNull())
    cell_table = cells.orderBy("cell").toArrow()
    sketch_table = sketch.groupBy("measure", "cell", "bin").count().toArrow()
    values = keyed.orderBy("cell").select(*MEASURES, POSTING).toArrow()
    keyed.unpersist()
    cells.unpersist()
    return CohortIndex(assemble(cell_table, sketch_table, values, basis))


def assemble(
    cells: pa.Table, sketch: pa.Table, values: pa.Table, basis: Basis
) -> dict[str, npt.NDArray[Any]]:
    """The index's arrays (as ``CohortIndex.from_table`` names them) from the collected parts:
    the cells in order, the (measure, cell, bin) counts and the values in cell order."""
    arrays: dict[str, npt.NDArray[Any]] = {
        "currency_year": np.array([basis.year]),
        "basis": np.array([basis.name]),
        "version": np.array([INDEX_VERSION]),
    }
    for dim in DIMENSIONS:
        column = cells.column(dim)
        if pa.types.is_integer(column.type):
            numbers = np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.int64)
            unique, inverse = np.unique(numbers, return_inverse=True)
            arrays[f"dict_{dim}"] = unique.astype(str)
            arrays[f"cell_{dim}"] = inverse.astype(np.int32)
        else:  # codes in order of first appearance, as Arrow's dictionary encoding gives them
            codes, dictionary = pd.factorize(column.to_pandas(), use_na_sentinel=True)
            arrays[f"dict_{dim}"] = np.array(list(dictionary), dtype=str)
            arrays[f"cell_{dim}"] = codes.astype(np.int32)
    counts = cells.column("n").to_numpy().astype(np.int64)
    n_cells = len(counts)
    arrays["cell_start"] = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    arrays["cell_count"] = counts
    postings, _ = pd.factorize(values.column(POSTING).to_pandas(), use_na_sentinel=True)
    arrays["posting"] = postings.astype(np.int64)
    arrays["cell_postings"] = cells.column("postings").to_numpy().astype(np.int64)
    measure_of = sketch.column("measure").to_numpy()
    for i, measure in enumerate(MEASURES):
        arrays[f"values_{measure}"] = (
            values.column(measure).to_numpy(zero_copy_only=False).astype(np.float64)
        )
        arrays[f"cell_n_{measure}"] = cells.column(f"n_{measure}").to_numpy().astype(np.int64)
        chosen = measure_of == i
        cell = sketch.column("cell").to_numpy()[chosen].astype(np.int64)
        bins = sketch.column("bin").to_numpy()[chosen].astype(np.int64)
        number = sketch.column("count").to_numpy()[chosen].astype(np.int64)
        order = np.lexsort((bins, cell))
        arrays[f"hist_bin_{measure}"] = np.clip(bins[order], 0, N_BINS - 1).astype(np.int32)
        arrays[f"hist_count_{measure}"] = number[order]
        arrays[f"hist_ptr_{measure}"] = np.searchsorted(cell[order], np.arange(n_cells + 1)).astype(
            np.int64
        )
    return arrays
