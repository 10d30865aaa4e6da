"""The store's queries are ibis expressions: the same code runs on another engine."""

from __future__ import annotations

from pathlib import Path

import ibis
import pytest

from careerbench import inflation
from careerbench import store as store_module
from careerbench.benchmark import PROBABILITIES
from careerbench.errors import StoreError
from careerbench.store import Store


def test_cohort_quantiles_agree_on_duckdb_and_polars(store: Path) -> None:
    year = inflation.latest_year()
    filters = {"role_family": "data-scientist", "country": "US", "observed_year": (2024, None)}
    with Store(store) as db:
        duck = store_module.quantiles(
            store_module.cohort(db.records(), filters), "total_comp", PROBABILITIES, year
        )
        duck_row = duck.to_pyarrow().to_pylist()[0]
        records = db.records().select("role_family", "country", "observed_year", "total_comp")
        arrow = records.to_pyarrow()
    polars = ibis.polars.connect()
    polars.create_table("records", arrow)
    other = store_module.quantiles(
        store_module.cohort(polars.table("records"), filters), "total_comp", PROBABILITIES, year
    )
    other_row = other.to_pyarrow().to_pylist()[0]
    assert duck_row["n"] == other_row["n"] > 1000
    assert store_module.quantile_values(duck_row, PROBABILITIES) == pytest.approx(
        store_module.quantile_values(other_row, PROBABILITIES), rel=1e-9
    )


def test_a_missing_store_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="careerbench ingest"):
        Store(tmp_path / "missing.duckdb")


def test_real_dollars_follow_cpi(store: Path) -> None:
    with Store(store) as db:
        records = db.records()
        one = records.filter(records.observed_year == 2020).limit(1)
        row = one.select(
            nominal=one.total_comp, real=store_module.real_dollars(one, "total_comp", 2025)
        ).to_pyarrow()
    nominal, real = row.column("nominal")[0].as_py(), row.column("real")[0].as_py()
    assert real == pytest.approx(nominal * inflation.factor(2020, 2025))
