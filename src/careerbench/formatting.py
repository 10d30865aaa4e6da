"""How figures are written for people: one formatter per kind of figure, used by every face.

- ``usd``: whole dollars with a thousands separator, the minus sign before the dollar sign
  (``-$12,345``), ``-`` for a missing value;
- ``signed_usd``: a difference, always with its sign (``+$1,200``, ``-$3,400``);
- ``usd_k``: a rounded difference in thousands (``+$144k``);
- ``pct``: a signed percentage (``+12%``); ``share``: an unsigned one (``43%``);
- ``ordinal``: 1st, 2nd, 3rd, 11th, 21st ...; ``count``: ``1,234``;
- ``spreadsheet_safe`` / ``spreadsheet_safe_csv``: a text cell of a CSV that a spreadsheet would
  run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a
  leading apostrophe; figures (``-$12,345``, ``+12%``, ``-``) stay as they are.
"""

from __future__ import annotations

import csv
import io
import re

MISSING = "-"

#: What a spreadsheet reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A figure as the formatters write it (sign, dollar, digits, decimals, k/M, percent), or ``-``.
_FIGURE = re.compile(r"[+-]?\$?\d[\d,]*(\.\d+)?[kM]?%?|-")


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


def spreadsheet_safe(cell: str) -> str:
    """``cell`` with a leading apostrophe when a spreadsheet would run it as a formula."""
    if cell.startswith(FORMULA_STARTS) and not _FIGURE.fullmatch(cell):
        return "'" + cell
    return cell


def spreadsheet_safe_csv(text: str) -> str:
    """A CSV document with every formula-like text cell neutralized (``spreadsheet_safe``);
    the same text when no cell needed it."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    safe = [[spreadsheet_safe(cell) for cell in row] for row in rows]
    if safe == rows:
        return text
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n" if "\r\n" in text else "\n").writerows(safe)
    return out.getvalue()
