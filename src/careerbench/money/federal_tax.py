"""Federal income tax on wages (Form 1040, regular tax), tax year 2025.

Units: annual US dollars, nominal. Wages are the only income (AGI = wages); no credits apply to a
filer without dependents at these incomes, so the income tax is the regular tax on taxable income
(the Tax Table below $100,000, the rate schedule above). Additional Medicare tax is a payroll
item (``payroll.py``), not part of this figure. Rules: ``federal_tax_2025.yaml``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from careerbench.knowledge import load_yaml
from careerbench.money.itemized import FederalItemized, Itemized, federal_itemized
from careerbench.money.payroll import Filing, check_year

HERE = Path(__file__).parent


@cache
def federal_rules(year: int = 2025) -> dict[str, Any]:
    check_year(year)
    document: dict[str, Any] = load_yaml(HERE / f"federal_tax_{year}.yaml")
    return document


def bracket_tax(income: float, brackets: list[list[float]]) -> float:
    """Tax on ``income`` at marginal rates; ``brackets`` are [floor, rate] rows in order."""
    tax = 0.0
    for i, (floor, rate) in enumerate(brackets):
        if income <= floor:
            break
        ceiling = brackets[i + 1][0] if i + 1 < len(brackets) else math.inf
        tax += (min(income, ceiling) - floor) * rate
    return tax


def regular_tax(taxable_income: float, filing: Filing, year: int = 2025) -> float:
    """Form 1040 line 16 tax on ``taxable_income`` (Tax Table rows below $100,000)."""
    rules = federal_rules(year)
    brackets = rules["brackets"][filing.value]
    table = rules["tax_table"]
    if taxable_income <= 0:
        return 0.0
    if taxable_income >= float(table["below"]):
        return bracket_tax(taxable_income, brackets)
    start, width = 0.0, 0.0
    for row_start, row_width in table["rows"]:
        if taxable_income >= row_start:
            start, width = float(row_start), float(row_width)
    row = start + math.floor((taxable_income - start) / width) * width
    return float(math.floor(bracket_tax(row + width / 2, brackets) + 0.5))


@dataclass(frozen=True)
class FederalReturn:
    """The federal figures a state return starts from (annual USD)."""

    agi: float
    standard_deduction: float
    itemized: FederalItemized | None
    itemizes: bool
    taxable_income: float
    income_tax: float

    @property
    def deduction(self) -> float:
        if self.itemizes and self.itemized is not None:
            return self.itemized.total
        return self.standard_deduction


def federal_return(
    wages: float,
    filing: Filing,
    year: int = 2025,
    *,
    items: Itemized | None = None,
    state_local_income_tax: float = 0.0,
    may_itemize: bool = True,
) -> FederalReturn:
    """Federal return on ``wages``; with ``items`` (possibly empty) it itemizes when Schedule A
    (``state_local_income_tax`` on its SALT line, plus the items) is larger than the standard
    deduction (and ``may_itemize``; False takes the standard deduction and still reports
    Schedule A)."""
    rules = federal_rules(year)
    standard = float(rules["standard_deduction"][filing.value])
    schedule_a = None
    if items is not None:
        schedule_a = federal_itemized(
            items, state_local_income_tax, wages, filing, rules["itemized"]
        )
    itemizes = may_itemize and schedule_a is not None and schedule_a.total > standard
    deduction = schedule_a.total if itemizes and schedule_a is not None else standard
    taxable = max(0.0, wages - deduction)
    return FederalReturn(
        agi=wages,
        standard_deduction=standard,
        itemized=schedule_a,
        itemizes=itemizes,
        taxable_income=taxable,
        income_tax=regular_tax(taxable, filing, year),
    )
