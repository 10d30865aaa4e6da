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

#: libyaml's parser when the installed PyYAML has it (several times faster than the pure-Python
#: one, the same safe constructor): the tax tables alone took a fifth of a second to parse.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_yaml(path: Path) -> Any:
    """The parsed content of a YAML knowledge file (cached: treat it as read-only)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)


@cache
def load_csv(path: Path) -> tuple[dict[str, str], ...]:
    """The rows of a CSV knowledge file as dicts keyed by its header (cached, read-only)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))
