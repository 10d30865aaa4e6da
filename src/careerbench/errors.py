"""Every error careerbench raises on purpose.

Each class also inherits the built-in exception it refines, so callers that know nothing of
careerbench can still catch ``ValueError`` or ``LookupError``. Messages say what was wrong and what
to do about it; the CLI and the API show them as they are, without a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process, utils


class CareerbenchError(Exception):
    """Base class of every error careerbench raises on purpose."""


class InvalidValue(CareerbenchError, ValueError):
    """A value given by the user is not one of the known ones.

    The message lists the closest matches (or all valid values when there are few).
    """

    def __init__(self, field: str, value: object, valid: Iterable[str], hint: str = "") -> None:
        self.field = field
        self.value = value
        self.valid = sorted(set(valid))
        self.hint = hint
        close = closest(str(value), self.valid)
        if close:
            choices = "did you mean " + ", ".join(repr(c) for c in close) + "?"
        else:
            choices = "valid values: " + ", ".join(self.valid[:40])
            if len(self.valid) > 40:
                choices += f", ... ({len(self.valid)} in all)"
        message = f"{field}: unknown value {value!r}; {choices}"
        if hint:
            message += f" {hint}"
        super().__init__(message)


class InputError(CareerbenchError, ValueError):
    """A user input is malformed (a file, a range, a number). The message names the field."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class SourceError(CareerbenchError, OSError):
    """A data source cannot be read at all (missing file, wrong format, missing columns)."""


class StoreError(CareerbenchError, RuntimeError):
    """The store is missing, empty or from an incompatible version."""


def closest(value: str, valid: Iterable[str], limit: int = 3) -> list[str]:
    """The valid values closest to ``value`` by fuzzy matching (empty when none is close)."""
    pool = list(valid)
    if not pool:
        return []
    matches = process.extract(
        value, pool, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit
    )
    return [m[0] for m in matches if m[1] >= 60]


class EngineError(CareerbenchError, RuntimeError):
    """The engine asked for cannot run here (Spark without pyspark or Java, a bad setting)."""
