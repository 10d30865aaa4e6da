"""Commands about the data: ingest, sources, quarantine, titles."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from careerbench import datasets
from careerbench import engine as engine_module
from careerbench.cli.common import (
    EngineOption,
    JsonOption,
    SparkConfOption,
    SparkMasterOption,
    StoreOption,
    console,
    print_json,
)
from careerbench.errors import InputError
from careerbench.ingest import LoadResult, ingest, remove


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("sources")(sources_command)
    app.command("quarantine")(quarantine_command)
    app.command("titles")(titles_command)


def ingest_command(
    store: StoreOption = None,
    levelsfyi: Annotated[
        str | None,
        typer.Option(help="A Levels.fyi CSV to load (also: $CAREERBENCH_LEVELSFYI)."),
    ] = None,
    aijobs: Annotated[
        str | None,
        typer.Option(help="A newer aijobs.net salaries.csv instead of the bundled one."),
    ] = None,
    csv: Annotated[
        list[str] | None, typer.Option(help="Your own data points (CSV); may repeat.")
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option(help="YAML mapping of your CSV's columns to ours.")
    ] = None,
    postings: Annotated[
        list[str] | None,
        typer.Option(help="An export of employers' posted pay ranges (CSV); may repeat."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Reload even unchanged sources.")] = False,
    remove_load: Annotated[
        str | None, typer.Option("--remove", help="Remove one load (see `careerbench sources`).")
    ] = None,
    lake: Annotated[
        str | None,
        typer.Option(
            help="With --engine spark: ingest into this lake (any Hadoop path) instead of the "
            "store; the inputs may be Hadoop paths too."
        ),
    ] = None,
    engine: EngineOption = None,
    spark_master: SparkMasterOption = None,
    spark_conf: SparkConfOption = None,
    json: JsonOption = False,
) -> None:
    """Build or refresh the store from the bundled data and the sources you name.

    With --engine spark and --lake PATH the sources are ingested on Spark into that lake."""
    if remove_load:
        if lake:
            raise InputError("remove", "a lake is ingested whole; run the ingest without --remove")
        remove(remove_load, store)
        console.print(f"{remove_load}: removed")
        return
    chosen = engine_module.choose(engine, spark_master, spark_conf or [])
    if chosen.spark or lake:
        ingest_lake_command(chosen, lake, aijobs, levelsfyi, csv, mapping, postings, json)
        return
    with progress_line("ingesting", quiet=json) as say:
        report = ingest(
            store,
            aijobs_path=Path(aijobs) if aijobs else None,
            levelsfyi_path=Path(levelsfyi) if levelsfyi else None,
            csv_paths=[Path(item) for item in csv or []],
            csv_mapping=mapping,
            postings_paths=[Path(item) for item in postings or []],
            force=force,
            progress=say,
        )
    if json:
        print_json({"store": str(report.store), "loads": loads_document(report.loads)})
        return
    print_loads(f"ingest into {report.store}", report.loads)


@contextmanager
def progress_line(first: str, *, quiet: bool) -> Iterator[Callable[[str], None]]:
    """A transient spinner line showing the latest step an ingest reports (none when
    ``quiet``, e.g. with --json)."""
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
        console=console, transient=True, disable=quiet,
    ) as bar:  # fmt: skip
        task = bar.add_task(first, total=None)
        yield lambda message: bar.update(task, description=message)


def ingest_lake_command(
    chosen: engine_module.Engine,
    lake: str | None,
    aijobs: str | None,
    levelsfyi: str | None,
    csv: list[str] | None,
    mapping: Path | None,
    postings: list[str] | None,
    json: bool,
) -> None:
    """``ingest --engine spark --lake PATH``: the sources normalized on Spark into a lake."""
    from careerbench.lake_ingest import ingest_lake  # the Spark engine only

    if not chosen.spark:
        raise InputError("lake", "a lake is ingested on Spark; add --engine spark")
    if not lake:
        raise InputError("lake", "the Spark ingest writes a lake; give --lake PATH")
    with progress_line("ingesting on Spark", quiet=json) as say:
        report = ingest_lake(
            chosen,
            lake,
            aijobs_path=aijobs,
            levelsfyi_path=levelsfyi,
            csv_paths=csv or [],
            csv_mapping=mapping,
            postings_paths=postings or [],
            progress=say,
        )
    if json:
        print_json(
            {"lake": report.lake, "loads": loads_document(report.loads)} | report.schema.to_dict()
        )
        return
    print_loads(f"ingest on Spark into {report.lake}", report.loads)
    console.print(
        f"wrote {report.lake}: {report.schema.records:,} records in "
        f"{len(report.schema.partitions)} partitions (source, observed_year), "
        f"{report.schema.quarantined:,} quarantined rows in _quarantine/, in "
        f"{report.seconds:.1f} s; contents fingerprint {report.schema.store_fingerprint}"
    )


def loads_document(loads: list[LoadResult]) -> list[dict[str, object]]:
    return [load.__dict__ | {"reconciles": load.reconciles} for load in loads]


def print_loads(title: str, loads: list[LoadResult]) -> None:
    """Each load's counts and whether they reconcile, as a table."""
    table = Table(title=title)
    for column in ("load", "status", "read", "loaded", "quarantined", "records", "reconciles"):
        table.add_column(column, justify="left" if column in ("load", "status") else "right")
    for load in loads:
        table.add_row(
            load.load_key, load.status, f"{load.rows_read:,}", f"{load.rows_loaded:,}",
            f"{load.rows_quarantined:,}", f"{load.records:,}", "yes" if load.reconciles else "NO",
        )  # fmt: skip
    console.print(table)
    console.print(
        "read = loaded + quarantined; records < loaded because range pairs and exact duplicates "
        "are collapsed (see `careerbench quarantine` for what was not loaded)."
    )


def sources_command(store: StoreOption = None, json: JsonOption = False) -> None:
    """What the store holds: each load with its origin, counts, hash and time."""
    loads = datasets.loads(store)
    if json:
        print_json([load.__dict__ for load in loads])
        return
    table = Table(title="sources in the store")
    for column in ("load", "origin", "read", "loaded", "quarantined", "records", "loaded at"):
        table.add_column(column)
    for load in loads:
        table.add_row(
            load.load_key, load.origin, f"{load.rows_read:,}", f"{load.rows_loaded:,}",
            f"{load.rows_quarantined:,}", f"{load.records:,}", f"{load.loaded_at:%Y-%m-%d %H:%M}",
        )  # fmt: skip
    console.print(table)


def quarantine_command(
    store: StoreOption = None,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    limit: Annotated[int, typer.Option(help="Rows to show per reason.")] = 3,
    json: JsonOption = False,
) -> None:
    """Rows that were not loaded, counted by reason, with examples."""
    summary = datasets.quarantine_summary(store, source=source, examples=limit)
    if json:
        print_json([entry.__dict__ for entry in summary])
        return
    if not summary:
        console.print("nothing quarantined")
        return
    table = Table(title="quarantined rows by reason")
    for column in ("source", "reason", "rows", "example rows"):
        table.add_column(column)
    for entry in summary:
        table.add_row(
            entry.source, entry.reason, f"{entry.rows:,}",
            ", ".join(str(r) for r in entry.example_rows),
        )  # fmt: skip
    console.print(table)


def titles_command(
    store: StoreOption = None,
    unmapped: Annotated[
        bool, typer.Option("--unmapped", help="Only titles that fell to 'other'.")
    ] = False,
    limit: Annotated[int, typer.Option(help="How many titles.")] = 40,
    json: JsonOption = False,
) -> None:
    """Raw titles and the role family each maps to, with counts."""
    rows = datasets.title_counts(store, unmapped=unmapped, limit=limit)
    if json:
        print_json([row.__dict__ for row in rows])
        return
    table = Table(title="titles that fell to 'other'" if unmapped else "titles")
    for column in ("title", "role family", "records", "names a domain"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row.title, row.role_family, f"{row.records:,}", "yes" if row.names_domain else "no"
        )
    console.print(table)
