"""Where careerbench keeps its files.

- The store (a DuckDB file) lives in the user data dir unless ``--store`` or the environment
  variable ``CAREERBENCH_STORE`` names another file.
- ``CAREERBENCH_HOME`` moves the whole user data dir (store, cohort index, trained models).
- The vendored open data ships with the package (``data/`` in a source checkout).
- ``CAREERBENCH_LEVELSFYI`` may name a Levels.fyi CSV to ingest along with the bundled data.
- ``CAREERBENCH_TRAINING_ROUNDS`` caps the pay model's boosting rounds: the test suite sets it
  to train a small model in seconds; the model's accuracy is measured without it.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "careerbench"


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


def training_rounds() -> int | None:
    """The cap on the pay model's boosting rounds from ``$CAREERBENCH_TRAINING_ROUNDS``, if set."""
    env = os.environ.get("CAREERBENCH_TRAINING_ROUNDS")
    return int(env) if env else None
