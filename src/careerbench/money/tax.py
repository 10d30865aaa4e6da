"""Income and payroll tax on wages for one tax year: federal, state, local and payroll.

Units: annual US dollars, nominal, for tax year ``year`` (2025 rules). ``wages`` are gross W-2
wages of one earner (salary, bonus, sign-on, vested RSUs), the only income; no dependents; filing
status single or married filing jointly (the spouse assumed to have no income).

Rules, each figure with its source, are data files read by small interpreters:
- federal income tax: ``federal_tax_2025.yaml`` (``federal_tax.py``), the regular tax with the
  Tax Table below $100,000; it matches tenforty (OpenTaxSolver) to the dollar;
- state income tax, every state and DC: ``state_tax_2025.yaml`` (``state_tax.py``);
- itemized deductions: ``itemized.py`` (the 2025 SALT cap and its phase-down);
- city, county and school-district income taxes: ``local_tax_2025.yaml`` (``local_for``);
- Social Security, Medicare, Additional Medicare and state payroll programs: ``payroll.py``.

Deductions (``deduction``): by default ``"larger"``, as a filer (or tax software) would choose:
federal Schedule A when it is larger than the standard deduction, its SALT line holding the state
and local income tax computed here plus any payments given in ``itemized``; each state then
itemizes by its own rules (some must follow the federal choice). ``"standard"`` takes the
standard deduction everywhere. The result says which deduction was used, federal and state
separately.

``tax_curve`` gives a vectorized form (piecewise-linear between exact points) for Monte Carlo
work; ``compute_tax`` is exact for one figure and cached.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from careerbench.errors import CareerbenchError, InputError, InvalidValue
from careerbench.knowledge import load_yaml
from careerbench.money.federal_tax import FederalReturn, bracket_tax, federal_return
from careerbench.money.itemized import Itemized
from careerbench.money.payroll import (
    Filing,
    PayrollTaxes,
    check_year,
    parse_filing,
    payroll_taxes,
    payroll_total_vector,
)
from careerbench.money.state_tax import (
    PayrollForState,
    StateReturn,
    compute_state_return,
    state_rules,
    whole_dollars,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

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
MAX_WAGES = 50_000_000.0
#: Times the state and federal returns are recomputed when itemizing (SALT holds the state tax,
#: and some states start from federal figures); two passes settle within cents.
_ITEMIZING_PASSES = 2


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


def state_engine(state: str, wages: float = 0.0, year: int = 2025) -> str:
    """Which rules computed the state tax, and whether a known difference remains."""
    if state in NO_WAGE_TAX_STATES:
        return "none: no state income tax on wages"
    approximate = state_rules(year)[state].get("approximate_below")
    if approximate and wages < float(approximate["wages"]):
        return f"careerbench state rules (approximate: {approximate['reason']})"
    return f"careerbench state rules (state_tax_{year}.yaml)"


# ---------------------------------------------------------------------------------------------
# Local income taxes


@cache
def _local_document() -> dict[str, Any]:
    document: dict[str, Any] = load_yaml(HERE / "local_tax_2025.yaml")
    return document


def _localities() -> dict[str, dict[str, Any]]:
    localities: dict[str, dict[str, Any]] = _local_document()["localities"]
    return localities


def localities() -> dict[str, dict[str, Any]]:
    """Every locality careerbench computes: key -> its rules (name, state, cities, source)."""
    return dict(_localities())


def _normal_city(city: str) -> str:
    text = city.strip().lower().replace(".", "").replace("’", "'")
    return " ".join(text.split())


def locality_for(state: str | None, city: str | None) -> str | None:
    """The local income tax that applies to a resident of ``city``, ``state`` (or None)."""
    if not state or not city:
        return None
    name = _normal_city(city)
    for key, spec in _localities().items():
        if spec["state"] == state and name in spec["cities"]:
            return key
    return None


@dataclass(frozen=True)
class LocalItem:
    name: str
    amount: float
    source: str


def _local_base(
    base: str, wages: float, state_return: StateReturn | None, state_taxable_income: float
) -> float:
    if base == "wages":
        return wages
    if base == "state_taxable_income":
        return state_taxable_income
    if base == "state_income_tax":
        return state_return.income_tax if state_return is not None else 0.0
    if base == "state_agi":
        return state_return.agi if state_return is not None else wages
    raise InputError("locality", f"unknown local tax base {base!r}")


def local_items(
    locality: str,
    state_taxable_income: float,
    filing: Filing,
    *,
    wages: float | None = None,
    state_return: StateReturn | None = None,
) -> list[LocalItem]:
    """Each local tax and credit of ``locality`` (credits as negative amounts)."""
    spec = _localities().get(locality)
    if spec is None:
        raise InvalidValue("locality", locality, _localities())
    pay = state_taxable_income if wages is None else wages
    items: list[LocalItem] = []
    for tax in spec["taxes"]:
        base = _local_base(tax["base"], pay, state_return, state_taxable_income)
        base -= float(_pick(tax.get("exemption_per_person", 0.0), filing)) * (
            2 if filing is Filing.MARRIED else 1
        )
        if "rate" in tax:
            amount = float(tax["rate"]) * max(0.0, base)
        else:
            amount = bracket_tax(max(0.0, base), _pick(tax["brackets"], filing))
        amount += float(tax.get("flat_amount", 0.0)) if pay > float(tax.get("flat_over", 0)) else 0
        source = tax.get("source", spec.get("source", ""))
        items.append(LocalItem(tax["name"], whole_dollars(amount), source))
    agi = state_return.agi if state_return is not None else pay
    for credit in spec.get("credits", []):
        amount = 0.0
        if "amount" in credit and agi <= float(credit.get("income_limit", math.inf)):
            amount = float(_pick(credit["amount"], filing))
        if "brackets" in credit and state_taxable_income <= float(
            credit.get("taxable_income_limit", math.inf)
        ):
            amount = bracket_tax(state_taxable_income, _pick(credit["brackets"], filing))
        if amount:
            items.append(
                LocalItem(credit["name"], -whole_dollars(amount), credit.get("source", ""))
            )
    return items


def _pick(value: Any, filing: Filing) -> Any:
    if isinstance(value, dict) and filing.value in value:
        return value[filing.value]
    return value


def local_tax(
    locality: str,
    state_taxable_income: float,
    filing: Filing,
    *,
    wages: float | None = None,
    state_return: StateReturn | None = None,
) -> float:
    """Total local income tax (net of its credits) of ``locality``."""
    items = local_items(
        locality, state_taxable_income, filing, wages=wages, state_return=state_return
    )
    return sum(i.amount for i in items)


# ---------------------------------------------------------------------------------------------
# The result


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
    federal_deduction: str = "standard"
    federal_deduction_amount: float = 0.0
    federal_taxable_income: float = 0.0
    salt_deduction: float = 0.0
    salt_cap: float | None = None
    state_deduction: str = "none"
    state_deduction_amount: float = 0.0
    state_taxable_income: float = 0.0
    local_items: list[LocalItem] = field(default_factory=list)
    itemized: Itemized | None = None

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
        deductions = f"federal {self.federal_deduction}, state {self.state_deduction} deduction"
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
            "deductions": {
                "federal": self.federal_deduction,
                "federal_amount": round(self.federal_deduction_amount, 2),
                "federal_taxable_income": round(self.federal_taxable_income, 2),
                "salt_deduction": round(self.salt_deduction, 2),
                "salt_cap": None if self.salt_cap is None else round(self.salt_cap, 2),
                "state": self.state_deduction,
                "state_amount": round(self.state_deduction_amount, 2),
                "state_taxable_income": round(self.state_taxable_income, 2),
                "itemized_inputs": None if self.itemized is None else self.itemized.to_dict(),
            },
            "local_items": [
                {"name": i.name, "amount": round(i.amount, 2), "source": i.source}
                for i in self.local_items
            ],
            "units": f"USD, tax year {self.year}, annual, wages only, {deductions}",
            "notes": self.notes,
        }


def _check_wages(wages: float) -> None:
    if not isinstance(wages, int | float) or not math.isfinite(wages) or wages < 0:
        raise InputError("wages", f"{wages!r} must be zero or a positive dollar amount")
    if wages > MAX_WAGES:
        raise InputError("wages", f"{wages:,.0f} is above {MAX_WAGES:,.0f}; check the figure")


@dataclass(frozen=True)
class _Income:
    """The income-tax part of one computation (cached)."""

    federal: FederalReturn
    state: StateReturn
    local: tuple[LocalItem, ...]

    @property
    def local_tax(self) -> float:
        return sum(i.amount for i in self.local)

    @property
    def total(self) -> float:
        return self.federal.income_tax + self.state.income_tax + self.local_tax


def _one_pass(
    wages: float,
    state: str,
    filing: Filing,
    year: int,
    locality: str | None,
    items: Itemized | None,
    payroll: PayrollForState,
    income_taxes: float,
    may_itemize: bool = True,
) -> _Income:
    federal = federal_return(
        wages,
        filing,
        year,
        items=items,
        state_local_income_tax=max(0.0, income_taxes),
        may_itemize=may_itemize,
    )
    state_return = compute_state_return(state, filing, federal, payroll, items, year)
    local: tuple[LocalItem, ...] = ()
    if locality:
        local = tuple(
            local_items(
                locality,
                state_return.taxable_income,
                filing,
                wages=wages,
                state_return=state_return,
            )
        )
    return _Income(federal, state_return, local)


@lru_cache(maxsize=16384)
def _income_taxes(
    wages: float,
    state: str,
    filing: Filing,
    year: int,
    locality: str | None,
    items: Itemized | None,
) -> _Income:
    payroll = payroll_taxes(wages, state, filing, year)
    for_state = PayrollForState(
        payroll.social_security, payroll.medicare, payroll.additional_medicare
    )
    standard = _one_pass(wages, state, filing, year, locality, None, for_state, 0.0)
    if items is None:
        return standard
    result = standard
    for _ in range(_ITEMIZING_PASSES):
        income_taxes = result.state.income_tax + max(0.0, result.local_tax)
        result = _one_pass(wages, state, filing, year, locality, items, for_state, income_taxes)
    if not result.federal.itemizes:
        return result
    # Itemizing federally can cost more on a state return that must follow the federal choice
    # (or starts from federal figures) than it saves: keep the cheaper of the two returns.
    income_taxes = standard.state.income_tax + max(0.0, standard.local_tax)
    federal_standard = _one_pass(
        wages, state, filing, year, locality, items, for_state, income_taxes, may_itemize=False
    )
    return federal_standard if federal_standard.total < result.total else result


#: How deductions are chosen: itemize where that is larger (the default), or standard only.
DEDUCTIONS = ("larger", "standard")


def _parse_itemized(
    itemized: Itemized | Mapping[str, Any] | None, deduction: str = "larger"
) -> Itemized | None:
    """The Schedule A inputs to use, or None for the standard deduction."""
    if deduction not in DEDUCTIONS:
        raise InvalidValue("deduction", deduction, DEDUCTIONS)
    if deduction == "standard":
        if itemized is not None and not (isinstance(itemized, Itemized) and itemized.is_empty):
            raise InputError(
                "deduction", "itemized payments were given: use deduction 'larger' to count them"
            )
        return None
    if itemized is None:
        return Itemized()
    if isinstance(itemized, Itemized):
        return itemized
    if isinstance(itemized, Mapping):
        return Itemized.from_dict(dict(itemized)) or Itemized()
    raise InputError("itemized", "give an Itemized or a mapping of its fields")


def compute_tax(
    wages: float,
    state: str,
    filing: Filing | str = Filing.SINGLE,
    year: int = 2025,
    *,
    locality: str | None = None,
    itemized: Itemized | Mapping[str, Any] | None = None,
    deduction: str = "larger",
) -> TaxResult:
    """Federal, state, local and payroll tax on ``wages`` for a resident of ``state``.

    ``locality``: a key of ``local_tax_2025.yaml`` (``locality_for(state, city)`` finds it).
    ``itemized``: payments Schedule A can deduct (an ``Itemized`` or a mapping of its fields).
    ``deduction``: ``"larger"`` to itemize where that is larger, federal and state each by its
    rules, or ``"standard"``.
    """
    _check_wages(wages)
    code = resolve_state_code(state)
    status = parse_filing(filing)
    check_year(year)
    items = _parse_itemized(itemized, deduction)
    if locality is not None:
        spec = _localities().get(locality)
        if spec is None:
            raise InvalidValue("locality", locality, _localities())
        if spec["state"] != code:
            raise InputError("locality", f"{locality} is not in {code}")
    income = _income_taxes(float(wages), code, status, year, locality, items)
    payroll = payroll_taxes(wages, code, status, year)
    notes = list(payroll.notes)
    notes.extend(n for n in income.state.notes if n not in notes)
    if locality:
        notes.extend(_localities()[locality].get("notes", []))
    elif code in _local_document().get("states_with_local_taxes", {}):
        notes.append(_local_document()["states_with_local_taxes"][code])
    federal = income.federal
    return TaxResult(
        wages=float(wages),
        state=code,
        filing=status,
        year=year,
        federal_income_tax=federal.income_tax,
        state_income_tax=income.state.income_tax,
        local_income_tax=income.local_tax,
        payroll=payroll,
        state_engine=state_engine(code, wages, year),
        locality=locality,
        notes=notes,
        federal_deduction="itemized" if federal.itemizes else "standard",
        federal_deduction_amount=federal.deduction,
        federal_taxable_income=federal.taxable_income,
        salt_deduction=(
            federal.itemized.salt_allowed if federal.itemizes and federal.itemized else 0.0
        ),
        salt_cap=federal.itemized.salt_cap if federal.itemized is not None else None,
        state_deduction=income.state.deduction_kind,
        state_deduction_amount=income.state.deduction,
        state_taxable_income=income.state.taxable_income,
        local_items=list(income.local),
        itemized=items,
    )


# ---------------------------------------------------------------------------------------------
# Vectorized curve

#: Wages at which ``tax_curve`` evaluates the tax exactly; linear in between. Dense where pay
#: is (bracket edges of every state fall within a few thousand dollars of a grid point).
_GRID: tuple[float, ...] = tuple(
    sorted(
        {float(x) for x in range(0, 300_001, 1_000)}
        | {float(x) for x in range(300_000, 800_001, 2_500)}
        | {float(x) for x in range(800_000, 2_000_001, 5_000)}
        # 40 points spaced evenly on a log scale from $2M to MAX_WAGES
        | {float(round(2_000_000 * (MAX_WAGES / 2_000_000) ** (i / 39), -3)) for i in range(40)}
    )
)


@dataclass(frozen=True)
class TaxCurve:
    """Income tax (federal + state + local) as a function of wages, for arrays of wages.

    The curve holds ``compute_tax``'s income taxes on a dense grid of wages and interpolates
    linearly between them; payroll taxes are computed exactly for each element.
    ``tests/test_money_tax.py`` checks it against ``compute_tax``.
    """

    state: str
    filing: Filing
    year: int
    locality: str | None
    grid: npt.NDArray[np.float64]
    income_tax: npt.NDArray[np.float64]

    def total_tax(self, wages: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Income + payroll tax on each element of ``wages`` (clipped to the grid's range)."""
        import numpy as np  # only for arrays of wages: ``careerbench tax`` starts without it

        w = np.clip(np.asarray(wages, dtype=np.float64), 0.0, MAX_WAGES)
        income: npt.NDArray[np.float64] = np.interp(w, self.grid, self.income_tax)
        payroll = payroll_total_vector(w, self.state, self.filing, self.year)
        result: npt.NDArray[np.float64] = income + payroll
        return result


@lru_cache(maxsize=256)
def tax_curve(
    state: str,
    filing: Filing | str = Filing.SINGLE,
    year: int = 2025,
    locality: str | None = None,
    deduction: str = "larger",
) -> TaxCurve:
    """The vectorized tax curve of one state, filing status, year and locality (cached), with
    deductions chosen as ``compute_tax`` chooses them (no itemized payments given)."""
    import numpy as np  # only for arrays of wages: ``careerbench tax`` starts without it

    code = resolve_state_code(state)
    status = parse_filing(filing)
    check_year(year)
    if locality is not None and _localities().get(locality, {}).get("state") != code:
        raise InputError("locality", f"{locality} is not a locality of {code}")
    grid = np.array(_GRID)
    items = _parse_itemized(None, deduction)
    income = np.array([_income_taxes(w, code, status, year, locality, items).total for w in _GRID])
    return TaxCurve(code, status, year, locality, grid, income)


def clear_caches() -> None:
    """Forget cached tax results (used by the speed benchmark to time uncached calls)."""
    _income_taxes.cache_clear()
    tax_curve.cache_clear()
