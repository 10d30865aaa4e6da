"""Knowledge files: the reviewable YAML and CSV files careerbench reads its rules and facts from.

Every knowledge file is read through ``load_yaml`` or ``load_csv``, once per process (the files
ship with the package and do not change while it runs). Callers name a file by its path, usually
``Path(__file__).with_name("x.yaml")``.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

import yaml


@cache
def load_yaml(path: Path) -> Any:
    """The parsed content of a YAML knowledge file (cached: treat it as read-only)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def load_csv(path: Path) -> tuple[dict[str, str], ...]:
    """The rows of a CSV knowledge file as dicts keyed by its header (cached, read-only)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))
