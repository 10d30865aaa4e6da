"""Dollars of different years, made comparable with CPI-U.

Records keep nominal pay in dollars of their ``observed_year``. Reports convert to one year's
dollars (``currency_year``; default: the latest year with a CPI-U annual average, vendored from
BLS series CUUR0000SA0) by multiplying with CPI(currency_year) / CPI(observed_year).
"""

from __future__ import annotations

import csv
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from careerbench.config import vendored
from careerbench.errors import InputError


@lru_cache(maxsize=1)
def cpi_table() -> dict[int, float]:
    """CPI-U annual averages by year (1982-84 = 100)."""
    with vendored("cpi_u_annual.csv").open(newline="") as handle:
        return {int(row["year"]): float(row["cpi_u"]) for row in csv.DictReader(handle)}


def latest_year() -> int:
    """The latest year with a CPI-U annual average: the default currency year."""
    return max(cpi_table())


def check_year(year: int, field: str = "currency_year") -> int:
    """``year`` if CPI-U covers it, else an error naming the covered range."""
    table = cpi_table()
    if year not in table:
        raise InputError(
            field,
            f"no CPI-U annual average for {year}; choose a year from {min(table)} to {max(table)}",
        )
    return year


def factor(from_year: int, to_year: int) -> float:
    """Multiply dollars of ``from_year`` by this to get dollars of ``to_year``."""
    table = cpi_table()
    check_year(to_year)
    # Years after the last CPI year (a survey of the current year) count as the last year.
    source = min(max(from_year, min(table)), max(table))
    return table[to_year] / table[source]


def factors(from_years: npt.ArrayLike, to_year: int) -> npt.NDArray[np.float64]:
    """``factor`` for an array of observed years."""
    years = np.asarray(from_years, dtype=np.int64)
    unique = np.unique(years)
    lookup = {int(y): factor(int(y), to_year) for y in unique}
    return np.array([lookup[int(y)] for y in unique])[np.searchsorted(unique, years)]
