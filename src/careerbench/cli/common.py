"""What every command shares: error handling, JSON output, the store option, command modules."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from careerbench.errors import CareerbenchError

#: Command modules, each with ``register(app)``; order is the order of ``--help``.
COMMAND_MODULES: tuple[str, ...] = (
    "careerbench.cli.data",
    "careerbench.cli.benchmark",
    "careerbench.cli.estimate",
    "careerbench.cli.money",
    "careerbench.cli.paths",
    "careerbench.cli.trends",
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
    from rich.markup import escape as rich_escape

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
