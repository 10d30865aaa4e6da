"""How figures are written for people: one formatter per kind of figure, used by every face.

- ``usd``: whole dollars with a thousands separator, the minus sign before the dollar sign
  (``-$12,345``), ``-`` for a missing value;
- ``signed_usd``: a difference, always with its sign (``+$1,200``, ``-$3,400``);
- ``usd_k``: a rounded difference in thousands (``+$144k``);
- ``pct``: a signed percentage (``+12%``); ``share``: an unsigned one (``43%``);
- ``ordinal``: 1st, 2nd, 3rd, 11th, 21st ...; ``count``: ``1,234``.
"""

from __future__ import annotations

MISSING = "-"


def usd(value: float | None) -> str:
    if value is None:
        return MISSING
    whole = round(value)
    return f"-${-whole:,}" if whole < 0 else f"${whole:,}"


def signed_usd(value: float | None) -> str:
    if value is None:
        return MISSING
    whole = round(value)
    return f"-${-whole:,}" if whole < 0 else f"+${whole:,}"


def usd_k(value: float) -> str:
    sign = "+" if value >= 0 else "-"
    return f"{sign}${abs(value) / 1000:,.0f}k"


def pct(value: float | None, digits: int = 0) -> str:
    return MISSING if value is None else f"{value:+.{digits}%}"


def share(value: float | None, digits: int = 0) -> str:
    return MISSING if value is None else f"{value:.{digits}%}"


def count(value: int | None) -> str:
    return MISSING if value is None else f"{value:,}"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st, ..."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def percentile(value: float | None) -> str:
    """A percentile to one decimal (``63.4``)."""
    return MISSING if value is None else f"{value:.1f}"
