"""What every command shares: error handling, JSON output, the store option, command modules.

Commands are loaded when they run: ``careerbench --help`` lists them from ``COMMANDS`` (name,
module, one line of help) and imports none, so that it, and commands that need neither the store
nor the pay model (``tax``, ``vest``), start without pandas, ibis, DuckDB or LightGBM.
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.main
from rich.console import Console
from rich.markup import escape as rich_escape
from typer import _click as click  # the click that typer is built on (its own copy)
from typer.core import TyperCommand, TyperGroup

from careerbench.errors import CareerbenchError

#: Every command: its name, the module whose ``register(app)`` adds it, and its first line of
#: help (the command's own; a test holds them equal). The order is the order of ``--help``.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("ingest", "careerbench.cli.data",
     "Build or refresh the store from the bundled data and the sources you name."),
    ("sources", "careerbench.cli.data",
     "What the store holds: each load with its origin, counts, hash and time."),
    ("quarantine", "careerbench.cli.data",
     "Rows that were not loaded, counted by reason, with examples."),
    ("titles", "careerbench.cli.data",
     "Raw titles and the role family each maps to, with counts."),
    ("export", "careerbench.cli.lake",
     "Write the store's records as a partitioned Parquet lake (for Spark), replacing it whole."),
    ("index", "careerbench.cli.lake",
     "Build the cohort index the server loads, on DuckDB or on Spark from a lake."),
    ("benchmark", "careerbench.cli.benchmark",
     "Where your pay stands: the market's answer for your profile, with its evidence."),
    ("points", "careerbench.cli.points",
     "Your own data points: what was understood per row, P25/P50/P75 with intervals, where "
     "your pay stands, and careerbench's data for the same cohort."),
    ("estimate", "careerbench.cli.estimate",
     "What to expect for a profile: total comp and base with their evidence, or every row of "
     "a file."),
    ("train", "careerbench.cli.estimate",
     "Train the pay model on the store's records and save it beside the store (skipped when "
     "the model of this data and seed is already saved, unless --force; a source whose records "
     "did not change since the last training keeps its model, unless --force)."),
    ("evaluate", "careerbench.cli.estimate",
     "Random and time splits: the pay model against three baselines; writes a report."),
    ("tax", "careerbench.cli.money", "Federal, state, city and payroll tax on a year's wages."),
    ("vest", "careerbench.cli.money", "What a grant vests, year by year."),
    ("switch", "careerbench.cli.money",
     "Switch or stay: what you walk away from, break-even, ranges, promotion scenarios."),
    ("negotiate", "careerbench.cli.money",
     "A negotiation plan: the offer in its market, a target, a walk-away, talking points."),
    ("offers", "careerbench.cli.money",
     "Compare job offers year by year, after tax and cost of living."),
    ("places", "careerbench.cli.money",
     "The same pay in different places, after tax and cost of living."),
    ("simulate", "careerbench.cli.paths",
     "Career earnings as a distribution: P10/P50/P90 by year, and the odds against another "
     "path."),
    ("tracks", "careerbench.cli.paths", "Compare career tracks and find the one that fits."),
    ("skills", "careerbench.cli.paths", "Which skills raise your pay."),
    ("trends", "careerbench.cli.trends",
     "How pay and the AI premium moved year by year, and whether published trends hold."),
    ("claims", "careerbench.cli.claims",
     "Published claims about tracks, market trends and posted ranges, tested on the data."),
    ("serve", "careerbench.cli.serve",
     "Serve the web app and the API (no access log: submitted pay is never logged)."),
)  # fmt: skip

console = Console()
err_console = Console(stderr=True)

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="DuckDB store file (default: $CAREERBENCH_STORE or the user data dir).",
        show_default=False,
    ),
]
EngineOption = Annotated[
    str | None,
    typer.Option(
        "--engine",
        help="duckdb (the default) or spark (also: $CAREERBENCH_ENGINE).",
        show_default=False,
    ),
]
SparkMasterOption = Annotated[
    str | None,
    typer.Option(
        "--spark-master",
        help="Where Spark runs: local[*] (default), spark://host:7077, yarn, ... (also: "
        "$CAREERBENCH_SPARK_MASTER).",
        show_default=False,
    ),
]
SparkConfOption = Annotated[
    list[str] | None,
    typer.Option(
        "--spark-conf",
        help='A Spark setting key=value; may repeat (also: $CAREERBENCH_SPARK_CONF="k=v,k=v").',
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print a JSON document instead.")]


def say(message: str) -> None:
    """Progress for people (on stderr, dimmed): not part of a command's output."""
    err_console.print(f"[dim]{message}[/]")


def with_cohort(*names: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """A command with an option for each named cohort field (``--role``, ``--level``, ...).

    The options are made from the fields' one declaration (``cohort.FIELDS``); the decorated
    function receives them parsed as its ``cohort`` argument, besides its own options.
    """

    from careerbench import cohort  # the cohort fields: only for commands that take them

    def wrap(impl: Callable[..., None]) -> Callable[..., None]:
        hints = typing.get_type_hints(impl, include_extras=True)
        own = [
            p.replace(annotation=hints[p.name], kind=inspect.Parameter.KEYWORD_ONLY)
            for p in inspect.signature(impl).parameters.values()
            if p.name != "cohort"
        ]
        options = [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[
                    str | None, typer.Option(help=cohort.field(name).help, show_default=False)
                ],
            )
            for name in names
        ]

        def command(**values: Any) -> None:
            texts = {name: values.pop(name) for name in names}
            impl(cohort=cohort.parse_cohort(texts), **values)

        parameters = [*options, *own]
        command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in parameters}
        command.__name__ = impl.__name__
        command.__doc__ = impl.__doc__
        return command

    return wrap


def load_command(name: str) -> click.Command | None:
    """The command ``name``, its module imported and registered now (``None``: no such one)."""
    module = next((m for n, m, _ in COMMANDS if n == name), None)
    if module is None:
        return None
    commands = typer.Typer()
    importlib.import_module(module).register(commands)
    group = typer.main.get_group(commands)
    return group.get_command(click.Context(group), name)


class LazyCommands(TyperGroup):
    """The command group: lists ``COMMANDS`` without importing them; loads the one that runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, _, _ in COMMANDS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        # What --help lists: the name and its line of help, nothing imported.
        line = next((h for n, _, h in COMMANDS if n == cmd_name), None)
        if line is None:
            return None
        return TyperCommand(cmd_name, help=line, short_help=line)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if name is not None:
            command = load_command(name)
        return name, command, rest


def run(app: typer.Typer) -> int:
    """Run the CLI; library errors become a message and exit code 2."""
    try:
        app(standalone_mode=False)
    except CareerbenchError as exc:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}")
        return 2
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        err_console.print("aborted")
        return 1
    except (KeyboardInterrupt, EOFError):
        err_console.print("interrupted")
        return 130
    except typer.TyperException as exc:
        # Usage errors (unknown option, missing value, bad number): typer's own message.
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err_console.print(f"error: {escape(exc.format_message())}")
        return int(exc.exit_code)
    return 0


def escape(text: str) -> str:
    return rich_escape(text)


def print_json(document: Any) -> None:
    """Print a JSON document (stable key order as given) to stdout."""
    sys.stdout.write(json.dumps(document, indent=2, default=_json_default) + "\n")


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")
