"""The bounds of the numbers people give, declared once: the library checks them, the API's query
and body models declare them (``Bound.field``) and the pages' number inputs carry them as
``min``, ``max`` and ``step`` (``Bound.html``), so a browser stops a wrong value before it is sent
and the server says the same thing if it is sent anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field


@dataclass(frozen=True)
class Bound:
    """The values a number may take: from ``low`` (excluded when ``above``: more than ``low``)
    to ``high`` (included; ``None``: no upper bound), whole numbers only when ``whole``;
    ``why`` says where a ceiling comes from (shown to whoever goes over it)."""

    low: float
    high: float | None = None
    whole: bool = False
    above: bool = False
    why: str = ""

    def contains(self, value: float) -> bool:
        if self.whole and not float(value).is_integer():
            return False
        low_ok = value > self.low if self.above else value >= self.low
        return low_ok and (self.high is None or value <= self.high)

    def problem(self, value: float) -> str:
        """What is wrong with ``value`` and how to fix it, in plain words ("" when it is fine)."""
        if self.contains(value):
            return ""
        if self.high is not None and value > self.high:
            why = f" ({self.why})" if self.why else ""
            return f"{_number(value)} is more than {_number(self.high)}{why}; check the figure"
        if self.whole and not float(value).is_integer():
            return f"{_number(value)} is not a whole number"
        least = f"more than {_number(self.low)}" if self.above else f"at least {_number(self.low)}"
        return f"{_number(value)} is too small: give {least}"

    def field(self, **more: Any) -> Any:
        """The pydantic ``Field`` that enforces it (``Annotated[int, BOUND.field()]``); its
        description states the ceiling's reason."""
        if self.why and "description" not in more:
            more["description"] = f"at most {_number(self.high or 0)}: {self.why}"
        if self.above:
            return Field(gt=self.low, le=self.high, **more)
        return Field(ge=self.low, le=self.high, **more)

    def html(self) -> dict[str, str]:
        """The attributes of an ``<input type="number">`` that enforce it."""
        attributes = {"min": _attribute(self.low), "step": "1" if self.whole else "any"}
        if self.high is not None:
            attributes["max"] = _attribute(self.high)
        return attributes


def _attribute(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


#: Pay outside these bounds (annual USD) is absurd for one person's job: a source's record
#: outside them is quarantined, and a figure a person gives outside them is refused.
MIN_ANNUAL_PAY = 1_000.0
MAX_ANNUAL_PAY = 20_000_000.0
#: An annual pay in US dollars (total comp or base): a person's, or a place's. A figure above
#: the ceiling is a typo (a zero too many); placed among real pay it would only read
#: "percentile 100". The largest pay any bundled source reports is about $5M a year.
PAY = Bound(
    0,
    MAX_ANNUAL_PAY,
    above=True,
    why="above it no pay is one person's: the data's records over it are set aside too",
)
#: A year whose dollars or data are asked for.
YEAR = Bound(2000, 2100, whole=True)
#: An offer's base salary (USD a year): within the bounds of any pay.
OFFER_BASE = PAY
#: A bonus target, in percent of base: a target bonus above the base is not a plausible target.
BONUS_PCT = Bound(0, 100, why="a target bonus is a share of the base, at most all of it")
#: An amount of money given once (a stock grant's value, a sign-on bonus).
AMOUNT = Bound(0)
#: Months since a stock grant (and in the job).
GRANT_MONTHS = Bound(0, 120, whole=True)
#: Years over which offers are compared.
OFFER_YEARS = Bound(1, 5, whole=True)
#: Years of a vesting schedule.
VEST_YEARS = Bound(1, 10, whole=True)
#: Years of a simulated career.
CAREER_YEARS = Bound(1, 40, whole=True)
#: Simulated careers (paths) of a simulation asked for through the web.
CAREER_PATHS = Bound(100, 100_000, whole=True)
#: A random seed.
SEED = Bound(0, 2**31, whole=True)
