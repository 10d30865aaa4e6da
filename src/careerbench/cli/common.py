"""What every command shares: error handling, JSON output, the store option, command modules."""

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
from rich.console import Console
from rich.markup import escape as rich_escape

from careerbench import cohort
from careerbench.errors import CareerbenchError

#: Command modules, each with ``register(app)``; order is the order of ``--help``.
COMMAND_MODULES: tuple[str, ...] = (
    "careerbench.cli.data",
    "careerbench.cli.benchmark",
    "careerbench.cli.points",
    "careerbench.cli.estimate",
    "careerbench.cli.money",
    "careerbench.cli.paths",
    "careerbench.cli.trends",
    "careerbench.cli.claims",
    "careerbench.cli.serve",
)

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
JsonOption = Annotated[bool, typer.Option("--json", help="Print a JSON document instead.")]


def say(message: str) -> None:
    """Progress for people (on stderr, dimmed): not part of a command's output."""
    err_console.print(f"[dim]{message}[/]")


def with_cohort(*names: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """A command with an option for each named cohort field (``--role``, ``--level``, ...).

    The options are made from the fields' one declaration (``cohort.FIELDS``); the decorated
    function receives them parsed as its ``cohort`` argument, besides its own options.
    """

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


def register_all(app: typer.Typer) -> None:
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        module.register(app)


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
