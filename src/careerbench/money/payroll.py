"""Employee payroll taxes on wages: Social Security, Medicare, Additional Medicare, state programs.

Rates live in ``payroll_2025.yaml`` with the source of each. Amounts are annual US dollars for
one tax year, on gross W-2 wages of one earner (the Social Security and state wage bases are per
earner). Additional Medicare is the liability on the return (0.9% of wages over $200,000 single
or $250,000 married filing jointly, the spouse assumed to have no wages), not what an employer
withholds. Employer-side taxes are not the employee's cost and are not included.

Local income taxes (city, county, school district) are in ``local_tax_2025.yaml`` and computed
in ``tax.py``. Programs that exist but are not computed are listed under ``not_modelled`` and
show up in the result's notes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from careerbench.errors import InputError, InvalidValue
from careerbench.knowledge import load_yaml

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

HERE = Path(__file__).parent
SUPPORTED_YEARS: tuple[int, ...] = (2025,)


class Filing(StrEnum):
    SINGLE = "single"
    MARRIED = "married"


_FILING_ALIASES = {
    "mfj": "married",
    "married-joint": "married",
    "married_joint": "married",
    "joint": "married",
    "s": "single",
}


def parse_filing(text: str | Filing) -> Filing:
    value = str(text).strip().lower()
    value = _FILING_ALIASES.get(value, value)
    try:
        return Filing(value)
    except ValueError:
        raise InvalidValue("filing", text, [f.value for f in Filing]) from None


def check_year(year: int) -> int:
    if year not in SUPPORTED_YEARS:
        supported = ", ".join(str(y) for y in SUPPORTED_YEARS)
        raise InputError("year", f"tax rules for {year} are not built in; use --year {supported}")
    return year


@cache
def rates(year: int = 2025) -> dict[str, Any]:
    """The payroll rate document of ``year``."""
    check_year(year)
    document: dict[str, Any] = load_yaml(HERE / f"payroll_{year}.yaml")
    return document


@dataclass(frozen=True)
class PayrollItem:
    name: str
    amount: float
    source: str


@dataclass(frozen=True)
class PayrollTaxes:
    """Employee payroll taxes for one year (annual USD)."""

    wages: float
    social_security: float
    medicare: float
    additional_medicare: float
    state_items: list[PayrollItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def state_payroll(self) -> float:
        return sum(item.amount for item in self.state_items)

    @property
    def fica(self) -> float:
        """Social Security + Medicare, without Additional Medicare."""
        return self.social_security + self.medicare

    @property
    def total(self) -> float:
        return self.fica + self.additional_medicare + self.state_payroll

    def to_dict(self) -> dict[str, Any]:
        return {
            "social_security": round(self.social_security, 2),
            "medicare": round(self.medicare, 2),
            "additional_medicare": round(self.additional_medicare, 2),
            "state_payroll": round(self.state_payroll, 2),
            "state_items": [
                {"name": i.name, "amount": round(i.amount, 2), "source": i.source}
                for i in self.state_items
            ],
            "total": round(self.total, 2),
            "notes": self.notes,
        }


def _item_amount(spec: dict[str, Any], wages: float) -> float:
    base = spec.get("wage_base")
    taxed = wages if base is None else min(wages, float(base))
    amount = float(spec["rate"]) * taxed
    cap = spec.get("max_annual")
    return amount if cap is None else min(amount, float(cap))


def payroll_taxes(
    wages: float, state: str | None, filing: Filing | str = Filing.SINGLE, year: int = 2025
) -> PayrollTaxes:
    """Employee payroll taxes on ``wages`` for a resident of ``state`` (USPS code) in ``year``."""
    if not math.isfinite(wages) or wages < 0:
        raise InputError("wages", f"{wages} must be zero or a positive dollar amount")
    status = parse_filing(filing)
    document = rates(year)
    federal = document["federal"]
    ss = federal["social_security"]
    social_security = float(ss["rate"]) * min(wages, float(ss["wage_base"]))
    medicare = float(federal["medicare"]["rate"]) * wages
    extra = federal["additional_medicare"]
    threshold = float(extra["threshold"][status.value])
    additional = float(extra["rate"]) * max(0.0, wages - threshold)
    items: list[PayrollItem] = []
    notes: list[str] = []
    if state:
        for spec in document["states"].get(state, []):
            items.append(PayrollItem(spec["name"], _item_amount(spec, wages), spec["source"]))
        if state in document.get("not_modelled", {}):
            notes.append(document["not_modelled"][state])
    return PayrollTaxes(wages, social_security, medicare, additional, items, notes)


def payroll_total_vector(
    wages: npt.NDArray[np.float64],
    state: str | None,
    filing: Filing | str = Filing.SINGLE,
    year: int = 2025,
) -> npt.NDArray[np.float64]:
    """Total employee payroll tax for an array of yearly wages (same rules, vectorized)."""
    import numpy as np  # only for arrays of wages: ``careerbench tax`` starts without it

    status = parse_filing(filing)
    document = rates(year)
    federal = document["federal"]
    ss = federal["social_security"]
    w = np.maximum(np.asarray(wages, dtype=np.float64), 0.0)
    total = float(ss["rate"]) * np.minimum(w, float(ss["wage_base"]))
    total = total + float(federal["medicare"]["rate"]) * w
    extra = federal["additional_medicare"]
    total = total + float(extra["rate"]) * np.maximum(
        0.0, w - float(extra["threshold"][status.value])
    )
    for spec in document["states"].get(state or "", []):
        base = spec.get("wage_base")
        taxed = w if base is None else np.minimum(w, float(base))
        amount = float(spec["rate"]) * taxed
        cap = spec.get("max_annual")
        total = total + (amount if cap is None else np.minimum(amount, float(cap)))
    result: npt.NDArray[np.float64] = total
    return result
