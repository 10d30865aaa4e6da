"""Year-by-year view of an offer: pay components, taxes, after-tax and cost-of-living adjusted.

Units: annual US dollars, nominal; year 1 is the first 12 months from today. Taxes use the 2025
rules for every year (no bracket indexation), the offer's filing status, and the state (and New
York City) where the person lives. Vested RSUs, bonus, sign-on and the ESPP discount are taxed as
wages in the year they vest or are paid; the employer 401(k) match is not taxed now and is counted
at face value in ``after_tax``. Stock grows at the offer's expected rate (``stock.growth``) in
this deterministic view; ``equity.py`` gives the ranges. ``after_tax_col`` is ``after_tax`` in the
purchasing power of the reference place (BEA RPP, all items).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from careerbench.errors import InputError
from careerbench.money.geo import Location, col_factor, locate, rpp
from careerbench.money.offer import MAX_YEARS, Offer, unvested_value, vest_events
from careerbench.money.tax import compute_tax


@dataclass(frozen=True)
class YearRow:
    year: int
    base: float
    bonus: float
    sign_on: float
    equity: dict[str, float]
    espp_gain: float
    retirement_match: float
    federal_income_tax: float
    state_income_tax: float
    local_income_tax: float
    payroll_tax: float
    col_factor: float

    @property
    def equity_total(self) -> float:
        return sum(self.equity.values())

    @property
    def wages(self) -> float:
        """Taxable wages of the year."""
        return self.base + self.bonus + self.sign_on + self.equity_total + self.espp_gain

    @property
    def pre_tax(self) -> float:
        return self.wages + self.retirement_match

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
        return self.pre_tax - self.total_tax

    @property
    def after_tax_col(self) -> float:
        return self.after_tax * self.col_factor

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "base": round(self.base, 2),
            "bonus": round(self.bonus, 2),
            "sign_on": round(self.sign_on, 2),
            "equity": {k: round(v, 2) for k, v in self.equity.items()},
            "equity_total": round(self.equity_total, 2),
            "espp_gain": round(self.espp_gain, 2),
            "retirement_match": round(self.retirement_match, 2),
            "pre_tax": round(self.pre_tax, 2),
            "federal_income_tax": round(self.federal_income_tax, 2),
            "state_income_tax": round(self.state_income_tax, 2),
            "local_income_tax": round(self.local_income_tax, 2),
            "payroll_tax": round(self.payroll_tax, 2),
            "total_tax": round(self.total_tax, 2),
            "after_tax": round(self.after_tax, 2),
            "after_tax_col": round(self.after_tax_col, 2),
        }


_SUMMED = (
    "base", "bonus", "sign_on", "equity_total", "espp_gain", "retirement_match", "pre_tax",
    "federal_income_tax", "state_income_tax", "local_income_tax", "payroll_tax", "total_tax",
    "after_tax", "after_tax_col",
)  # fmt: skip


@dataclass(frozen=True)
class Projection:
    """An offer's years 1..N and their totals."""

    offer: Offer
    location: Location
    reference: Location
    rows: list[YearRow]
    state_engine: str
    unvested_at_horizon: float
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.offer.name

    def total(self, measure: str) -> float:
        return sum(float(getattr(row, measure)) for row in self.rows)

    def cumulative(self, measure: str) -> list[float]:
        out: list[float] = []
        running = 0.0
        for row in self.rows:
            running += float(getattr(row, measure))
            out.append(running)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "offer": self.name,
            "employer": self.offer.employer,
            "place": self.location.to_dict(),
            "reference_place": self.reference.to_dict(),
            "rpp": rpp(self.location).to_dict(),
            "reference_rpp": rpp(self.reference).to_dict(),
            "filing": self.offer.filing,
            "years": [row.to_dict() for row in self.rows],
            "cumulative": {m: round(self.total(m), 2) for m in _SUMMED},
            "unvested_at_horizon": round(self.unvested_at_horizon, 2),
            "state_engine": self.state_engine,
            "notes": self.notes,
            "units": "USD, nominal, annual; 2025 tax rules; after_tax_col in reference-place "
            "purchasing power (BEA RPP 2024, all items)",
        }


def _reference(offer_location: Location, reference: Location | str | None) -> Location:
    if reference is None:
        return offer_location
    return locate(reference) if isinstance(reference, str) else reference


def equity_by_year(offer: Offer, years: int, growth: float | None = None) -> list[dict[str, float]]:
    """Vested RSU value per grant in each year, the stock growing at ``growth`` a year."""
    rate = offer.stock.growth if growth is None else growth
    out: list[dict[str, float]] = [defaultdict(float) for _ in range(years)]
    for event in vest_events(offer, years):
        value = event.dollars * (1.0 + rate) ** ((event.month - event.grant_month) / 12.0)
        out[event.year - 1][event.grant] += value
    return [dict(d) for d in out]


def project(
    offer: Offer,
    years: int = 5,
    reference: Location | str | None = None,
    *,
    promotion: tuple[int, float] | None = None,
) -> Projection:
    """The deterministic year-by-year view of ``offer`` over ``years`` years.

    ``promotion=(year, pct)`` raises the base (and so the target bonus) by ``pct`` percent from
    that year on: a scenario, not part of the offer.
    """
    if not 1 <= years <= MAX_YEARS:
        raise InputError("years", f"{years} is not between 1 and {MAX_YEARS}")
    location = locate(offer.place)
    if location.state is None:
        raise InputError("place", f"{offer.place!r} has no US state to tax it in")
    ref = _reference(location, reference)
    factor = col_factor(location, ref)
    locality = offer.locality or location.locality
    equity = equity_by_year(offer, years)
    rows: list[YearRow] = []
    engine = ""
    notes: list[str] = []
    for y in range(1, years + 1):
        base = offer.base * (1.0 + offer.raise_pct / 100) ** (y - 1)
        if promotion is not None and y >= promotion[0]:
            base *= 1.0 + promotion[1] / 100
        bonus = base * offer.bonus_target_pct / 100
        sign_on = sum(s.amount for s in offer.sign_on if s.year == y)
        espp = offer.espp.annual_gain(base) if offer.espp else 0.0
        match = offer.retirement.annual(base)
        wages = base + bonus + sign_on + espp + sum(equity[y - 1].values())
        tax = compute_tax(
            wages, location.state, offer.filing_status, locality=locality, itemized=offer.itemized
        )
        engine = tax.state_engine
        for note in tax.notes:
            if note not in notes:
                notes.append(note)
        rows.append(
            YearRow(
                year=y,
                base=base,
                bonus=bonus,
                sign_on=sign_on,
                equity=equity[y - 1],
                espp_gain=espp,
                retirement_match=match,
                federal_income_tax=tax.federal_income_tax,
                state_income_tax=tax.state_income_tax,
                local_income_tax=tax.local_income_tax,
                payroll_tax=tax.payroll_tax,
                col_factor=factor,
            )
        )
    vested_by_horizon = sum(e.dollars for e in vest_events(offer, years) if e.grant_month == 0)
    unvested = max(0.0, unvested_value(offer) - vested_by_horizon)
    if offer.options is not None:
        notes.append(
            "stock options are not in the yearly cash: they pay only at an exit; see the "
            "equity risk section for their value distribution"
        )
    if offer.espp is not None:
        notes.append("ESPP discount gain is taxed as wages (a conservative simplification)")
    if location.remote and offer.pay_policy == "location-based":
        notes.append("location-based remote pay: the base may change if you move")
    if promotion is not None:
        notes.append(f"scenario: promotion in year {promotion[0]} raising base {promotion[1]:g}%")
    return Projection(offer, location, ref, rows, engine, unvested, notes)
