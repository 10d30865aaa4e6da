"""Where careerbench keeps its files.

- The store (a DuckDB file) lives in the user data dir unless ``--store`` or the environment
  variable ``CAREERBENCH_STORE`` names another file.
- ``CAREERBENCH_HOME`` moves the whole user data dir (store, cohort index, trained models).
- The vendored open data ships with the package (``data/`` in a source checkout).
- ``CAREERBENCH_LEVELSFYI`` may name a Levels.fyi CSV to ingest along with the bundled data.
- ``CAREERBENCH_REQUEST_SECONDS`` limits the time a server's request may take before it is
  answered "too slow" (default a minute; ``0``: no limit).
- ``CAREERBENCH_TRAINING_ROUNDS`` caps the pay model's boosting rounds: the test suite sets it
  to train a small model in seconds; the model's accuracy is measured without it.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from careerbench.errors import InputError

APP_NAME = "careerbench"
REQUEST_SECONDS_ENV = "CAREERBENCH_REQUEST_SECONDS"
#: Every question answers in a few seconds on one core (the first after an ingest included; a
#: batch of 10,000 rows takes about two): a minute is far beyond any answer that is working.
DEFAULT_REQUEST_SECONDS = 60.0


def home() -> Path:
    """The user data dir (created on demand)."""
    env = os.environ.get("CAREERBENCH_HOME")
    path = Path(env).expanduser() if env else Path(platformdirs.user_data_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_path(override: str | Path | None = None) -> Path:
    """The DuckDB store: the override, else ``$CAREERBENCH_STORE``, else ``home()/store.duckdb``."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("CAREERBENCH_STORE")
    if env:
        return Path(env).expanduser()
    return home() / "store.duckdb"


def vendored_data_dir() -> Path:
    """The vendored open data: inside the installed package, or ``data/`` of a source checkout."""
    packaged = Path(__file__).with_name("_vendored")
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "data"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        "careerbench's vendored data is missing; reinstall the package (pip install careerbench)"
    )


def vendored(name: str) -> Path:
    """One vendored file by name."""
    return vendored_data_dir() / name


def configured_levelsfyi() -> Path | None:
    """A Levels.fyi CSV named by ``$CAREERBENCH_LEVELSFYI``, if any."""
    env = os.environ.get("CAREERBENCH_LEVELSFYI")
    return Path(env).expanduser() if env else None


def request_seconds() -> float | None:
    """The longest a server's request may take (``None``: no limit), from
    ``$CAREERBENCH_REQUEST_SECONDS`` or the default."""
    text = os.environ.get(REQUEST_SECONDS_ENV, "").strip()
    if not text:
        return DEFAULT_REQUEST_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise InputError(
            REQUEST_SECONDS_ENV, f"{text!r} is not a number of seconds; give e.g. 60, or 0 for none"
        )
    return seconds or None


def training_rounds() -> int | None:
    """The cap on the pay model's boosting rounds from ``$CAREERBENCH_TRAINING_ROUNDS``, if set."""
    env = os.environ.get("CAREERBENCH_TRAINING_ROUNDS", "").strip()
    if not env:
        return None
    if not env.isdigit() or int(env) < 1:
        raise InputError(
            "CAREERBENCH_TRAINING_ROUNDS", f"{env!r} is not a number of rounds; give e.g. 200"
        )
    return int(env)
