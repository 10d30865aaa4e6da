"""Income and payroll tax on wages for one tax year: federal, state, city and payroll.

Units: annual US dollars, nominal, for tax year ``year`` (2025 rules). ``wages`` are gross W-2
wages of one earner (salary, bonus, sign-on, vested RSUs); the standard deduction is used, no
dependents, no other income. Filing status is single or married filing jointly (the spouse
assumed to have no income).

Engines:
- federal and state income tax: ``tenforty`` (OpenTaxSolver). Its default backend covers the
  states in ``OTS_STATES`` and the states without a tax on wages; every other state uses its
  ``graph`` backend, which covers all states with small differences. The result says which engine
  computed the state tax (``state_engine``).
- Social Security, Medicare, Additional Medicare and state payroll programs: ``payroll.py``
  (tenforty computes Additional Medicare too; its figure is not added again).
- New York City resident tax: ``local_tax_2025.yaml`` on New York taxable income.

``tax_curve`` gives a vectorized approximation (piecewise-linear between exact points) for Monte
Carlo work; ``compute_tax`` is exact for one figure and caches tenforty calls on whole dollars.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

from careerbench.errors import CareerbenchError, InputError, InvalidValue
from careerbench.money.payroll import (
    Filing,
    PayrollTaxes,
    check_year,
    parse_filing,
    payroll_taxes,
    payroll_total_vector,
)

HERE = Path(__file__).parent

ALL_STATES: tuple[str, ...] = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY",
)  # fmt: skip
#: States without an income tax on wages (Washington taxes some capital gains, not wages).
NO_WAGE_TAX_STATES: frozenset[str] = frozenset(
    ["AK", "FL", "NV", "NH", "SD", "TN", "TX", "WA", "WY"]
)
#: States tenforty's default (OpenTaxSolver) backend computes for 2025.
OTS_STATES: frozenset[str] = frozenset(
    ["AZ", "CA", "MA", "MI", "NC", "NJ", "NY", "OH", "OR", "PA", "VA"]
)
_TENFORTY_FILING = {Filing.SINGLE: "Single", Filing.MARRIED: "Married/Joint"}
MAX_WAGES = 50_000_000.0
#: Above this, the state tax comes from the graph backend: OpenTaxSolver's New York form ends
#: the process on some incomes of several million dollars.
OTS_MAX_WAGES = 5_000_000


class TaxEngineError(CareerbenchError, RuntimeError):
    """The tax engine could not compute a return."""


def resolve_state_code(state: str) -> str:
    """A USPS state code from a code or a name; unknown states raise ``InvalidValue``."""
    value = state.strip().upper()
    if value in ALL_STATES:
        return value
    try:
        from careerbench.taxonomy.places import resolve_state

        code = resolve_state(state)
    except InvalidValue:
        raise InvalidValue("state", state, ALL_STATES) from None
    if code not in ALL_STATES:
        raise InvalidValue("state", state, ALL_STATES)
    return code


def state_engine(state: str, wages: float = 0.0) -> str:
    if state in NO_WAGE_TAX_STATES:
        return "none: no state income tax on wages"
    if state in OTS_STATES and wages <= OTS_MAX_WAGES:
        return "tenforty (OpenTaxSolver)"
    return "tenforty graph backend (approximate: small differences from the state forms)"


@dataclass(frozen=True)
class _Return:
    federal_income_tax: float
    additional_medicare: float
    state_income_tax: float
    state_taxable_income: float


@lru_cache(maxsize=8192)
def _tenforty(wages: int, state: str, filing: Filing, year: int) -> _Return:
    """One tenforty evaluation on whole-dollar wages (cached)."""
    import tenforty

    exact = state in NO_WAGE_TAX_STATES or (state in OTS_STATES and wages <= OTS_MAX_WAGES)
    backend = "ots" if exact else "graph"
    try:
        result = tenforty.evaluate_return(
            year=year,
            state=None if state in NO_WAGE_TAX_STATES else state,
            filing_status=_TENFORTY_FILING[filing],
            w2_income=float(wages),
            backend=backend,
        )
    except Exception as exc:
        raise TaxEngineError(
            f"the tax engine (tenforty, {backend}) failed for {state} {filing.value} {year}: {exc}"
        ) from exc
    return _Return(
        federal_income_tax=float(result.federal_income_tax),
        additional_medicare=float(result.federal_additional_medicare_tax),
        state_income_tax=max(0.0, float(result.state_total_tax)),
        state_taxable_income=max(0.0, float(result.state_taxable_income)),
    )


@cache
def _localities() -> dict[str, dict[str, Any]]:
    document: dict[str, Any] = yaml.safe_load(
        (HERE / "local_tax_2025.yaml").read_text(encoding="utf-8")
    )
    localities: dict[str, dict[str, Any]] = document["localities"]
    return localities


def locality_for(state: str | None, city: str | None) -> str | None:
    """The city income tax that applies to a resident of ``city``, ``state`` (or None)."""
    if not state or not city:
        return None
    for key, spec in _localities().items():
        if spec["state"] == state and city.strip().lower() in spec["cities"]:
            return key
    return None


def _bracket_tax(income: float, brackets: list[list[float]]) -> float:
    tax = 0.0
    for i, (floor, rate) in enumerate(brackets):
        ceiling = brackets[i + 1][0] if i + 1 < len(brackets) else math.inf
        if income > floor:
            tax += (min(income, ceiling) - floor) * rate
    return tax


def local_tax(locality: str, state_taxable_income: float, filing: Filing) -> float:
    spec = _localities().get(locality)
    if spec is None:
        raise InvalidValue("locality", locality, _localities())
    return _bracket_tax(state_taxable_income, spec["brackets"][filing.value])


@dataclass(frozen=True)
class TaxResult:
    """Taxes on one year's wages (annual USD, nominal, tax year ``year``)."""

    wages: float
    state: str
    filing: Filing
    year: int
    federal_income_tax: float
    state_income_tax: float
    local_income_tax: float
    payroll: PayrollTaxes
    state_engine: str
    locality: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def payroll_tax(self) -> float:
        return self.payroll.total

    @property
    def total_tax(self) -> float:
        return (
            self.federal_income_tax
            + self.state_income_tax
            + self.local_income_tax
            + self.payroll_tax
        )

    @property
    def after_tax(self) -> float:
        return self.wages - self.total_tax

    @property
    def effective_rate(self) -> float:
        return self.total_tax / self.wages if self.wages > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "state": self.state,
            "filing": self.filing.value,
            "locality": self.locality,
            "wages": round(self.wages, 2),
            "federal_income_tax": round(self.federal_income_tax, 2),
            "state_income_tax": round(self.state_income_tax, 2),
            "local_income_tax": round(self.local_income_tax, 2),
            "payroll_tax": round(self.payroll_tax, 2),
            "payroll": self.payroll.to_dict(),
            "total_tax": round(self.total_tax, 2),
            "after_tax": round(self.after_tax, 2),
            "effective_rate": round(self.effective_rate, 6),
            "state_engine": self.state_engine,
            "units": f"USD, tax year {self.year}, annual, standard deduction, wages only",
            "notes": self.notes,
        }


def _check_wages(wages: float) -> None:
    if not isinstance(wages, int | float) or not math.isfinite(wages) or wages < 0:
        raise InputError("wages", f"{wages!r} must be zero or a positive dollar amount")
    if wages > MAX_WAGES:
        raise InputError("wages", f"{wages:,.0f} is above {MAX_WAGES:,.0f}; check the figure")


def compute_tax(
    wages: float,
    state: str,
    filing: Filing | str = Filing.SINGLE,
    year: int = 2025,
    *,
    locality: str | None = None,
) -> TaxResult:
    """Federal, state, city and payroll tax on ``wages`` for a resident of ``state``."""
    _check_wages(wages)
    code = resolve_state_code(state)
    status = parse_filing(filing)
    check_year(year)
    if locality is not None and _localities().get(locality, {}).get("state", code) != code:
        raise InputError("locality", f"{locality} is not in {code}")
    ret = _tenforty(round(wages), code, status, year)
    payroll = payroll_taxes(wages, code, status, year)
    local = local_tax(locality, ret.state_taxable_income, status) if locality else 0.0
    notes = list(payroll.notes)
    if code in ("OH", "PA", "MI", "MD", "IN", "KY") and locality is None:
        notes.append(f"local income taxes in {code} (city or county) are not included")
    if code == "MA":
        notes.append(
            "the Massachusetts deduction for Social Security/Medicare paid (up to $2,000) is "
            "not applied (overstates MA tax by up to $100)"
        )
    if code == "IL":
        notes.append(
            "the Illinois personal exemption ($2,850, none above $250,000 AGI single / "
            "$500,000 joint) is not applied by the engine (overstates IL tax by up to $141)"
        )
    return TaxResult(
        wages=float(wages),
        state=code,
        filing=status,
        year=year,
        federal_income_tax=ret.federal_income_tax,
        state_income_tax=ret.state_income_tax,
        local_income_tax=local,
        payroll=payroll,
        state_engine=state_engine(code, wages),
        locality=locality,
        notes=notes,
    )


#: 2025 federal bracket floors on taxable income (Rev. Proc. 2024-40) and standard deductions
#: (as amended in 2025): the curve's grid includes each kink in wages.
_FEDERAL_KINKS: tuple[float, ...] = tuple(
    floor + deduction
    for floors, deduction in (
        ((11_925, 48_475, 103_350, 197_300, 250_525, 626_350), 15_750),
        ((23_850, 96_950, 206_700, 394_600, 501_050, 751_600), 31_500),
    )
    for floor in (0, *floors)
)
#: Wages at which ``tax_curve`` evaluates the tax; linear in between.
_GRID: tuple[float, ...] = tuple(
    sorted(
        {0.0, 10_000.0, 20_000.0, *_FEDERAL_KINKS}
        | {float(round(x, -2)) for x in np.geomspace(25_000, MAX_WAGES, 60)}
        | {float(x) for x in range(30_000, 1_500_001, 10_000)}
    )
)
#: Where the exact (OpenTaxSolver) state tax corrects the fast graph backend's curve.
_CORRECTION_GRID: tuple[float, ...] = tuple(
    sorted(
        {float(x) for x in range(0, 500_001, 25_000)}
        | {float(x) for x in range(550_000, 1_300_001, 50_000)}
        | {float(x) for x in range(1_400_000, 2_000_001, 100_000)}
        | {3_000_000.0, float(OTS_MAX_WAGES)}
    )
)


@dataclass(frozen=True)
class TaxCurve:
    """Income tax (federal + state + city) as a function of wages, for arrays of wages.

    The curve is tenforty's graph backend on a dense grid (one batch call); for states the
    default backend covers, the difference between the two backends is measured at a few points
    and interpolated in, so the curve follows the exact engine within a few dollars between
    bracket kinks (``tests/test_money_tax.py`` checks it against ``compute_tax``).
    """

    state: str
    filing: Filing
    year: int
    locality: str | None
    grid: npt.NDArray[np.float64]
    income_tax: npt.NDArray[np.float64]

    def total_tax(self, wages: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Income + payroll tax on each element of ``wages`` (clipped to the grid's range)."""
        w = np.clip(np.asarray(wages, dtype=np.float64), 0.0, MAX_WAGES)
        income: npt.NDArray[np.float64] = np.interp(w, self.grid, self.income_tax)
        top = self.grid[-1]
        slope = (self.income_tax[-1] - self.income_tax[-2]) / (top - self.grid[-2])
        income = np.where(w > top, self.income_tax[-1] + slope * (w - top), income)
        payroll = payroll_total_vector(w, self.state, self.filing, self.year)
        result: npt.NDArray[np.float64] = income + payroll
        return result


def _graph_batch(
    wages: tuple[float, ...], state: str, filing: Filing, year: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(federal income tax, state tax, state taxable income) from one graph-backend batch."""
    import tenforty

    try:
        frame = tenforty.evaluate_returns(
            year=year,
            state=None if state in NO_WAGE_TAX_STATES else state,
            filing_status=_TENFORTY_FILING[filing],
            w2_income=list(wages),
            backend="graph",
        )
    except Exception as exc:
        raise TaxEngineError(f"the tax engine (tenforty graph) failed for {state}: {exc}") from exc
    federal = np.asarray(frame["federal_income_tax"].to_numpy(), dtype=np.float64)
    state_tax = np.maximum(np.asarray(frame["state_total_tax"].to_numpy(), dtype=np.float64), 0)
    taxable = np.maximum(np.asarray(frame["state_taxable_income"].to_numpy(), dtype=np.float64), 0)
    return federal, state_tax, taxable


def _ots_correction(
    state: str, filing: Filing, year: int, tolerance: float = 100.0, max_points: int = 120
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Exact minus graph state tax (and taxable income) at points refined where it jumps."""

    def fixes(wages: list[float]) -> dict[float, tuple[float, float]]:
        _, graph_tax, graph_taxable = _graph_batch(tuple(wages), state, filing, year)
        out = {}
        for w, gt, gx in zip(wages, graph_tax, graph_taxable, strict=True):
            ret = _tenforty(round(w), state, filing, year)
            out[w] = (ret.state_income_tax - float(gt), ret.state_taxable_income - float(gx))
        return out

    known = fixes(list(_CORRECTION_GRID))
    while len(known) < max_points:
        ordered = sorted(known)
        split = [
            (a + b) / 2
            for a, b in itertools.pairwise(ordered)
            if abs(known[b][0] - known[a][0]) > tolerance and b - a > 2_000
        ]
        if not split:
            break
        known.update(fixes(split[: max_points - len(known)]))
    ordered = sorted(known)
    return (
        np.array(ordered),
        np.array([known[w][0] for w in ordered]),
        np.array([known[w][1] for w in ordered]),
    )


@lru_cache(maxsize=256)
def tax_curve(
    state: str, filing: Filing | str = Filing.SINGLE, year: int = 2025, locality: str | None = None
) -> TaxCurve:
    """The vectorized tax curve of one state, filing status, year and city (cached)."""
    code = resolve_state_code(state)
    status = parse_filing(filing)
    check_year(year)
    grid = np.array(_GRID)
    federal, state_tax, taxable = _graph_batch(_GRID, code, status, year)
    if code in OTS_STATES:
        points, state_fix, taxable_fix = _ots_correction(code, status, year)
        state_tax = state_tax + np.interp(grid, points, state_fix, right=0.0)
        taxable = taxable + np.interp(grid, points, taxable_fix, right=0.0)
    local = np.zeros_like(grid)
    if locality:
        local = np.array([local_tax(locality, float(t), status) for t in taxable])
    return TaxCurve(code, status, year, locality, grid, federal + state_tax + local)


def clear_caches() -> None:
    """Forget cached tax results (used by the speed benchmark to time uncached calls)."""
    _tenforty.cache_clear()
    tax_curve.cache_clear()
