"""The ``careerbench`` command's entry point: ``careerbench --help`` in about the time Python
itself starts.

Rendering the help needs the command-line toolkit (typer, click, rich: several times Python's
own start-up). The first ``--help`` renders it as usual and keeps a copy of the text; later
ones print the copy without importing anything beyond this module. The copy is keyed by
everything the text depends on: careerbench's version, the command-line modules' files (size
and modification time), the terminal's width, whether the output is a terminal, and the
environment variables that change colours or width. Any other command runs the command line
as usual. The copy lives in ``$CAREERBENCH_HOME`` (else ``$XDG_CACHE_HOME/careerbench`` or
``~/.cache/careerbench``); nothing is kept where it cannot be written.
"""

# This module reads a few files on the way to the first line of output with ``os``: importing
# ``pathlib`` and ``typing`` would take twice Python's own start-up.

from __future__ import annotations

import os
import sys

from careerbench import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

HELP = ["--help"]
#: Environment variables that change how the help is drawn.
DRAWING = (
    "COLUMNS", "LINES", "TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "PY_COLORS",
    "TTY_COMPATIBLE", "TTY_INTERACTIVE", "TERMINAL_WIDTH", "GITHUB_ACTIONS", "TYPER_USE_RICH",
    "_TYPER_FORCE_DISABLE_TERMINAL", "JUPYTER_COLUMNS", "JUPYTER_LINES",
    "DATABRICKS_RUNTIME_VERSION",
)  # fmt: skip
#: The file of the kept copy: its first line is the key it was drawn for, the text follows.
SAVED = "help.txt"


def main() -> None:
    """Console entry point."""
    if sys.argv[1:] != HELP:
        from careerbench.cli import main as run_command_line

        run_command_line()
        return
    key = _key()
    path = os.path.join(_folder(), SAVED)
    if key is not None:
        try:
            with open(path, encoding="utf-8") as saved:
                if saved.readline() == key + "\n":
                    sys.stdout.write(saved.read())
                    return
        except OSError:
            pass  # none kept yet, or not readable
    _run_and_keep_help(path, key)


def _key() -> str | None:
    """What the help's text depends on, as one line (``None``: nothing is kept)."""
    if not sys.platform.startswith("linux"):
        return None  # the cache folder's place elsewhere needs platformdirs: not worth it here
    cli = os.path.join(os.path.dirname(__file__), "cli")
    parts = [f"careerbench {__version__}"]
    try:
        for name in sorted(os.listdir(cli)):
            if name.endswith(".py"):
                info = os.stat(os.path.join(cli, name))
                parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    except OSError:
        return None
    terminal = sys.stdout.isatty()
    try:
        width = os.get_terminal_size(sys.stdout.fileno()).columns if terminal else 0
    except (OSError, ValueError):
        width = 0
    parts.append(f"tty={terminal} width={width}")
    parts += [f"{name}={os.environ.get(name, '')!r}" for name in DRAWING]
    return " ".join(parts).replace("\n", " ")


def _folder() -> str:
    home = os.environ.get("CAREERBENCH_HOME")
    if home:
        return os.path.expanduser(home)
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "careerbench")


class _Copying:
    """Standard output that also keeps what is written to it."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.parts: list[str] = []

    def write(self, text: str | bytes) -> int:
        if isinstance(text, bytes):
            text = text.decode(self.out.encoding or "utf-8", errors="replace")
        self.parts.append(text)
        return self.out.write(text)

    def __getattr__(self, name: str) -> object:  # isatty, fileno, flush, encoding, ...
        if name == "buffer":  # writers that look for the bytes below the text write text
            raise AttributeError(name)
        return getattr(self.out, name)


def _run_and_keep_help(path: str, key: str | None) -> None:
    from careerbench.cli import app, common

    real = sys.stdout
    copying = _Copying(real)
    sys.stdout = copying
    try:
        code = common.run(app)
    finally:
        sys.stdout = real
    if code != 0 or key is None:
        sys.exit(code)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as saved:
            saved.write(key + "\n" + "".join(copying.parts))
        os.replace(temporary, path)
    except OSError:
        pass  # not writable: the next --help draws it again
