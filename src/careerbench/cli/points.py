"""``careerbench points``: your own data points, read, answered for and set beside careerbench's
data; ``--add`` adds them to your store."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from careerbench.cli.benchmark import ModelOption, render_answer
from careerbench.cli.common import JsonOption, StoreOption, console, escape, print_json
from careerbench.errors import InputError
from careerbench.formatting import count
from careerbench.points import Added, PointsAnswer, add_points, answer_points
from careerbench.points_table import MAX_BYTES, decode


def register(app: typer.Typer) -> None:
    app.command("points")(points_command)


def points_command(
    file: Annotated[
        str | None,
        typer.Argument(
            help="A CSV or TSV file, or a table copied from a web page or a spreadsheet, with a "
            "header row; '-' (or nothing, when piped) reads standard input.",
            show_default=False,
        ),
    ] = None,
    tc: Annotated[
        float | None, typer.Option(help="Your annual total comp: where it stands.")
    ] = None,
    base: Annotated[
        float | None, typer.Option(help="Your annual base salary: where it stands.")
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            help="The year of points without one, and of the answer's dollars (default: this year)."
        ),
    ] = None,
    model: ModelOption = "if-trained",
    add: Annotated[
        bool,
        typer.Option("--add", help="Also add the understood points to your store (as a load)."),
    ] = False,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Your own data points: what was understood per row, P25/P50/P75 with intervals, where
    your pay stands, and careerbench's data for the same cohort. Nothing is stored unless
    --add."""  # fmt: skip
    text = read_text(file)
    answer = answer_points(text, tc=tc, base=base, year=year, model=model, store=store)
    added = add_points(answer.reading, store) if add else None
    if json:
        print_json(answer.to_dict() | {"added": None if added is None else added.to_dict()})
        return
    render(answer)
    if added is not None:
        render_added(added)


def read_text(file: str | None) -> str:
    """The table's text: from the file, or from standard input for '-' or a pipe."""
    if file is None and sys.stdin.isatty():
        raise InputError(
            "file", "give a file of data points, or '-' and paste the table (then Ctrl-D)"
        )
    if file is None or file == "-":
        return decode(sys.stdin.buffer.read(MAX_BYTES + 1))
    path = Path(file).expanduser()
    if not path.is_file():
        raise InputError("file", f"no file at {file}")
    with path.open("rb") as handle:
        return decode(handle.read(MAX_BYTES + 1))


def render(answer: PointsAnswer) -> None:
    reading = answer.reading
    console.print(f"[bold]{escape(answer.headline)}[/]")
    console.print(
        f"read {count(reading.rows)} rows: {count(len(reading.points))} understood, "
        f"{count(len(reading.rejected))} rejected"
    )
    console.print(
        "columns: " + "; ".join(f"{c.header or '(no name)'}: {c.note}" for c in reading.columns),
        markup=False,
    )
    console.print("[bold]understood, row by row[/] (pay as given: annual USD of its year):")
    for point in reading.points:
        console.print(f"  {escape(point.summary())}")
    for rejected in reading.rejected:
        console.print(f"[red]rejected[/] line {rejected.line}: {escape(rejected.reason)}")
    for skipped in reading.skipped:
        console.print(f"skipped line {skipped.line} (not a row): {escape(skipped.text[:80])}")
    for remark in reading.remarks:
        console.print(f"[yellow]note[/]: {escape(remark)}")
    stats = Table(title=f"your points and careerbench's data ({answer.basis})")
    for column in answer.STATISTICS:
        stats.add_column(column, justify="left" if not column else "right")
    for row in answer.statistics_rows():
        stats.add_row(*(escape(cell) for cell in row))
    console.print(stats)
    for measure in answer.measures.values():
        console.print(escape(measure.sentence))
    console.print(f"careerbench's cohort: {escape('; '.join(answer.choice.why))}")
    console.print(f"basis: {escape(answer.basis_note)}")
    for measure in answer.measures.values():
        if measure.market is not None:
            console.print()
            render_answer(measure.market)
    console.print(f"method: {escape(answer.method.claim)} {escape(answer.method.citation)}")


def render_added(added: Added) -> None:
    load = added.load
    console.print(
        f"added to your store as load {escape(load.load_key)} ({load.status}): "
        f"{count(load.rows_read)} read, {count(load.rows_loaded)} loaded, "
        f"{count(load.rows_quarantined)} quarantined"
    )
    for note in added.notes:
        console.print(f"[yellow]note[/]: {escape(note)}")
