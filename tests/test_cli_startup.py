"""The command line starts without the heavy libraries when a command does not need them, and
its lazily listed commands are the commands it runs."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
import typer
import typer.main
from typer import _click as click

from careerbench.cli import app
from careerbench.cli.common import COMMANDS, LazyCommands

HEAVY = ("pandas", "ibis", "duckdb", "lightgbm")
#: Runs the command line as the console script does, then names the heavy modules it imported.
PROBE = (
    "import sys, runpy\n"
    "sys.argv = ['careerbench', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('careerbench.cli', run_name='__main__')\n"
    "except SystemExit as exc:\n"
    "    assert not exc.code, exc.code\n"
    f"print('imported:' + ','.join(m for m in {HEAVY!r} + ('numpy',) if m in sys.modules),"
    " file=sys.stderr)\n"
)


@pytest.mark.parametrize(
    "args",
    [["--help"], ["tax", "--state", "CA", "--wages", "200000"], ["vest", "--grant", "400000"],
     ["tax", "--help"]],
)  # fmt: skip
def test_commands_without_the_store_import_no_heavy_library(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-1000:]
    imported = done.stderr.strip().splitlines()[-1].removeprefix("imported:").split(",")
    assert not set(imported) & set(HEAVY), imported
    if args[0] in ("--help", "tax", "vest"):
        assert "numpy" not in imported


def test_the_listed_commands_are_the_registered_ones() -> None:
    listed = [(name, module, line) for name, module, line in COMMANDS]
    registered = []
    for module in dict.fromkeys(m for _, m, _ in COMMANDS):
        commands = typer.Typer()
        importlib.import_module(module).register(commands)
        group = typer.main.get_group(commands)
        context = click.Context(group)
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            assert command is not None
            registered.append((name, module, command.get_short_help_str(limit=1_000)))
    assert listed == registered


def test_help_lists_every_command() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, LazyCommands)
    context = click.Context(group)
    assert group.list_commands(context) == [name for name, _, _ in COMMANDS]
    assert group.get_command(context, "nosuch") is None
