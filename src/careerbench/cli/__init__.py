"""The ``careerbench`` command line: a thin layer over the library.

Each command parses its options, calls one library function and renders the result (a rich
table, or ``--json``). Library errors (``CareerbenchError``) become a one-line message on stderr
and exit code 2, never a traceback.
"""

from __future__ import annotations

import sys

import typer

from careerbench.cli import common

app = typer.Typer(
    name="careerbench",
    cls=common.LazyCommands,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def careerbench() -> None:
    """Pay and career decisions for AI/ML professionals, from real data points."""


def main() -> None:
    """Console entry point."""
    sys.exit(common.run(app))
