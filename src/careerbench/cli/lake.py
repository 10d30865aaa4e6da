"""``careerbench export`` and ``index``: the store's records as a lake, the cohort index built on
either engine."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from careerbench import engine as engine_module
from careerbench.cli.benchmark import BasisOption
from careerbench.cli.common import (
    EngineOption,
    JsonOption,
    SparkConfOption,
    SparkMasterOption,
    StoreOption,
    console,
    print_json,
)
from careerbench.lake import export_store
from careerbench.lake_index import write_index


def register(app: typer.Typer) -> None:
    app.command("export")(export_command)
    app.command("index")(index_command)


def export_command(
    path: Annotated[Path, typer.Argument(help="The lake's folder (replaced whole).")],
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Write the store's records as a partitioned Parquet lake (for Spark), replacing it whole."""
    schema = export_store(store, path)
    if json:
        print_json({"lake": str(path), **schema.to_dict()})
        return
    console.print(
        f"wrote {path}: {schema.records:,} records in {len(schema.partitions)} partitions "
        f"(source, observed_year); store fingerprint {schema.store_fingerprint}"
    )


def index_command(
    lake: Annotated[
        str | None, typer.Option(help="The lake to build from on Spark (any Hadoop path).")
    ] = None,
    basis: BasisOption = "pay-index",
    engine: EngineOption = None,
    spark_master: SparkMasterOption = None,
    spark_conf: SparkConfOption = None,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Build the cohort index the server loads, on DuckDB or on Spark from a lake."""
    chosen = engine_module.choose(engine, spark_master, spark_conf or [])
    built = write_index(store, chosen, lake, basis)
    if json:
        print_json(built.__dict__ | {"path": str(built.path)})
        return
    console.print(
        f"wrote {built.path}: {built.records:,} records in {built.cells:,} cells, on "
        f"{built.engine} in {built.seconds:.1f} s"
    )
