"""Itemized deductions: the optional inputs and the federal Schedule A amount, tax year 2025.

Units: annual US dollars, nominal, tax year 2025. The inputs are what the filer paid in the year;
the state and local income tax itself is not an input: it is the tax computed on the wages
(``tax.py`` passes it in). Rules (SALT cap and its phase-down, the charity limit) live in
``federal_tax_2025.yaml`` with their sources; state rules for itemizing are in
``state_tax_2025.yaml``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from careerbench.errors import InputError
from careerbench.money.payroll import Filing


@dataclass(frozen=True)
class Itemized:
    """What a filer paid that Schedule A can deduct (annual USD, all optional, default 0).

    ``property_tax``: state and local real estate and personal property taxes.
    ``other_state_local_taxes``: other deductible state and local taxes that are not income tax
    on these wages (for example income tax on other income); the wage income tax is computed.
    ``sales_tax``: general sales taxes paid; Schedule A takes them instead of income taxes when
    they are larger (the choice that matters in states without an income tax).
    ``mortgage_interest``: deductible home mortgage interest (Form 1098, within the debt limit).
    ``charitable_cash``: cash gifts to public charities.
    """

    property_tax: float = 0.0
    other_state_local_taxes: float = 0.0
    sales_tax: float = 0.0
    mortgage_interest: float = 0.0
    charitable_cash: float = 0.0

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            _check_amount(name, getattr(self, name))

    @property
    def is_empty(self) -> bool:
        return not (
            self.property_tax
            or self.other_state_local_taxes
            or self.sales_tax
            or self.mortgage_interest
            or self.charitable_cash
        )

    def to_dict(self) -> dict[str, float]:
        return {
            "property_tax": round(self.property_tax, 2),
            "other_state_local_taxes": round(self.other_state_local_taxes, 2),
            "sales_tax": round(self.sales_tax, 2),
            "mortgage_interest": round(self.mortgage_interest, 2),
            "charitable_cash": round(self.charitable_cash, 2),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Itemized | None:
        """An ``Itemized`` from a mapping of the field names (None or empty -> None)."""
        if not data:
            return None
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            names = ", ".join(unknown)
            raise InputError("itemized", f"unknown item(s) {names}; use {sorted(known)}")
        values = {k: float(v) for k, v in data.items() if v is not None}
        return cls(**values)


def _check_amount(name: str, value: float) -> None:
    if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise InputError(f"itemized.{name}", f"{value!r} must be zero or a positive dollar amount")
    if value > 50_000_000:
        raise InputError(f"itemized.{name}", f"{value:,.0f} is implausibly large; check the figure")


@dataclass(frozen=True)
class FederalItemized:
    """Federal Schedule A for one return (annual USD)."""

    total: float
    salt_paid: float
    salt_allowed: float
    salt_cap: float
    income_tax_in_salt: float
    mortgage_interest: float
    charitable: float


def salt_cap(magi: float, filing: Filing, rules: dict[str, Any]) -> float:
    """The 2025 SALT cap: $40,000 less 30% of MAGI over $500,000, not below $10,000."""
    spec = rules["salt"]
    cap = float(spec["cap"])
    threshold = float(spec["phase_down_threshold"])
    floor = float(spec["floor"])
    reduced = cap - float(spec["phase_down_rate"]) * max(0.0, magi - threshold)
    del filing  # single and married filing jointly share the same cap
    return max(floor, min(cap, reduced))


def federal_itemized(
    items: Itemized, income_taxes: float, agi: float, filing: Filing, rules: dict[str, Any]
) -> FederalItemized:
    """Schedule A total given the year's state and local income taxes ``income_taxes``."""
    cap = salt_cap(agi, filing, rules)
    income_taxes = max(income_taxes, items.sales_tax)  # Schedule A line 5a: one or the other
    paid = income_taxes + items.property_tax + items.other_state_local_taxes
    allowed = min(paid, cap)
    # Under the cap, the income-tax share of the allowed amount is pro rata (as the state
    # add-back worksheets compute it).
    income_part = allowed * income_taxes / paid if paid > 0 else 0.0
    limit = float(rules["charity"]["cash_limit_fraction_of_agi"]) * agi
    charity = min(items.charitable_cash, limit)
    total = allowed + items.mortgage_interest + charity
    return FederalItemized(
        total=total,
        salt_paid=paid,
        salt_allowed=allowed,
        salt_cap=cap,
        income_tax_in_salt=income_part,
        mortgage_interest=items.mortgage_interest,
        charitable=charity,
    )
