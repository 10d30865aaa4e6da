"""Answers computed on Spark from a lake, through the same ibis expressions as from the store.

``trends.trends_of`` and ``premiums.by_year_of`` / ``premiums.measure_records`` take a records
table; the store gives its DuckDB table, and here the lake's records are the same table on an
ibis PySpark connection, so the same expressions run on Spark (no second code path for answers).
Counts are equal on both engines; a quantile is DuckDB's ``quantile_cont`` and Spark's exact
``percentile``, both interpolating linearly, so they agree to floating-point rounding.

The basis (pay index or CPI-U) is learned from the store when the lake holds its records
(``LakeSchema.describes``); otherwise the pay index is not learned here and the answer is on
CPI-U, its label saying why.
"""

from __future__ import annotations

from pathlib import Path

import ibis
import ibis.expr.types as ir

from careerbench.cohort import Cohort
from careerbench.config import store_path
from careerbench.engine import Engine, spark_session
from careerbench.lake import LakeSchema
from careerbench.lake_index import RECORDS_VIEW, lake_records, lake_schema
from careerbench.pay_index import Basis, basis_for, basis_with
from careerbench.premiums import SEED, Measured, by_year_of, measure_records
from careerbench.store import Store
from careerbench.trends import Trends, trends_of


def lake_table(engine: Engine, lake: str) -> tuple[ir.Table, LakeSchema]:
    """The lake's records as an ibis table on Spark, and the lake's schema."""
    spark = spark_session(engine)
    schema = lake_schema(spark, lake)
    lake_records(spark, lake).createOrReplaceTempView(RECORDS_VIEW)
    return ibis.pyspark.connect(spark).table(RECORDS_VIEW), schema


def lake_basis(schema: LakeSchema, name: str, year: int | None, store: Path | str | None) -> Basis:
    """The basis ``name``: the store's when the lake holds the store's records, else one
    without a learned pay index (CPI-U, labelled)."""
    path = store_path(store)
    if path.exists():
        with Store(path) as db:
            holds = schema.describes(db)
        if holds:
            return basis_for(path, name, year)
    return basis_with(None, name, year)


def trends_on_lake(
    parsed: Cohort,
    engine: Engine,
    lake: str,
    *,
    year: int | None = None,
    basis: str = "pay-index",
    store: Path | str | None = None,
) -> Trends:
    """``trends.trends`` computed on Spark from the lake."""
    records, schema = lake_table(engine, lake)
    chosen = lake_basis(schema, basis, year, store)
    return trends_of(records, parsed, chosen, by_year_of(records, parsed.country))


def premiums_on_lake(engine: Engine, lake: str, *, seed: int = SEED) -> list[Measured]:
    """``premiums.measured_premiums`` computed on Spark from the lake."""
    records, _ = lake_table(engine, lake)
    return measure_records(records, seed)
