"""The command line starts without the heavy libraries when a command does not need them, and
its lazily listed commands are the commands it runs."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

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


#: Runs the console command's entry point, then says whether the toolkit was imported.
LAUNCH = (
    "import sys\n"
    "sys.argv[0] = 'careerbench'\n"
    "from careerbench.launcher import main\n"
    "main()\n"
    "print('toolkit:' + str('typer' in sys.modules), file=sys.stderr)\n"
)


def test_help_is_drawn_once_then_printed_from_its_copy(tmp_path: Path) -> None:
    env = dict(os.environ, CAREERBENCH_HOME=str(tmp_path), COLUMNS="100")

    def help_text(**more: str) -> tuple[str, str]:
        done = subprocess.run(
            [sys.executable, "-c", LAUNCH, "--help"], env=env | more,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout, done.stderr.strip()

    drawn, first = help_text()
    assert first == "toolkit:True" and "Usage: careerbench" in drawn
    assert all(f" {name} " in drawn for name, _, _ in COMMANDS)
    assert help_text() == (drawn, "toolkit:False")  # the copy, without the toolkit
    assert (tmp_path / "help.txt").is_file()
    narrow, again = help_text(COLUMNS="60")  # another width is drawn again, and kept
    assert again == "toolkit:True" and narrow != drawn
    assert max(len(line) for line in narrow.splitlines()) <= 60
    assert help_text(COLUMNS="60") == (narrow, "toolkit:False")
    # Any other command runs the command line itself.
    done = subprocess.run(
        [sys.executable, "-c", LAUNCH, "vest", "--grant", "400000"], env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0 and "$100,000" in done.stdout, done.stderr
