"""State income tax on wages from each state's own rules, tax year 2025.

Units: annual US dollars, nominal. One earner's W-2 wages are the only income (the spouse of a
married couple filing jointly has none); no dependents; filer under 65.

The rules of every state and DC are data in ``state_tax_2025.yaml``, each figure with the form or
instruction it comes from. This module is a small interpreter for the few shapes those rules take:

- the starting point: federal AGI or federal taxable income (with the state income tax deducted
  on federal Schedule A added back), plus additions (Colorado's deduction add-back, South
  Carolina's standard deduction add-back) and subtractions (federal income tax, payroll taxes);
- a standard deduction (a fixed amount or the federal one) and itemized deductions, each with an
  optional phase-out; the larger is taken unless the state follows the federal choice;
- exemptions as deductions or credits, fixed, by income table, or with a phase-out;
- the tax: marginal brackets, a flat rate, a rate schedule with a base amount per row, or a
  rate-times-income-less-subtraction table; New York's benefit recapture; Connecticut's stepped
  add-backs; surtaxes; Vermont's minimum tax; no tax at or below an income (filing thresholds);
- credits with phase-outs (personal credits, Utah's taxpayer credit, Connecticut's personal tax
  credit as a fraction of the tax by income, Pennsylvania's tax forgiveness).

A phase-out (``_phase_out``) reduces an amount as income passes ``start``: by ``rate`` dollars per
dollar (or piecewise ``rates``), by ``per_step`` dollars or ``fraction_per_step`` of the amount for
each ``step`` dollars or part of one, or linearly to zero over ``width``; ``max_fraction`` bounds
the reduction and ``floor`` the result; ``zero_above`` removes the amount above an income.

State itemized deductions (``itemized``) start from the filer's inputs: ``property_taxes`` is
``federal_cap`` (taxes other than income tax, up to the federal SALT cap), ``uncapped`` or
``none``; mortgage interest and cash gifts count unless switched off; ``payroll_taxes`` adds
Social Security and Medicare withheld (Alabama, Missouri); ``income_taxes`` keeps the state's own
income tax (optionally under an AGI limit). Then ``cap``, ``cap_mortgage_and_property``,
``reduction_ramps`` (a share of the total phased in), ``charity_only_above`` and ``reduction``
(a share of AGI over a threshold, at most ``max_fraction`` of the total) apply;
``follows_federal`` itemizes exactly when the federal return does; ``same_phase_out`` applies
the standard deduction's phase-out to itemized deductions too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from careerbench.errors import InputError
from careerbench.knowledge import load_yaml
from careerbench.money.federal_tax import FederalReturn, bracket_tax
from careerbench.money.itemized import Itemized
from careerbench.money.payroll import Filing, check_year

HERE = Path(__file__).parent


@cache
def state_rules(year: int = 2025) -> dict[str, dict[str, Any]]:
    """The rules document of ``year``: one mapping per state code."""
    check_year(year)
    document: dict[str, Any] = load_yaml(HERE / f"state_tax_{year}.yaml")
    states: dict[str, dict[str, Any]] = document["states"]
    return states


def whole_dollars(amount: float) -> float:
    """``amount`` rounded to whole dollars, halves up, as the forms ask."""
    return float(math.floor(amount + 0.5))


def _by_filing(value: Any, filing: Filing) -> Any:
    """``value[filing]`` for a per-filing mapping, else ``value`` itself."""
    if isinstance(value, dict) and filing.value in value:
        return value[filing.value]
    return value


def _number(value: Any, filing: Filing, default: float = 0.0) -> float:
    chosen = _by_filing(value, filing)
    return default if chosen is None else float(chosen)


def _table_lookup(rows: list[list[float]], income: float) -> float:
    """The value of the last row whose floor is at or below ``income`` (0 below the first)."""
    value = 0.0
    for floor, amount in rows:
        if income >= floor:
            value = float(amount)
        else:
            break
    return value


def _steps(excess: float, step: float, rounding: str) -> float:
    if rounding == "down":
        return float(math.floor(excess / step))
    return float(math.ceil(excess / step - 1e-9))


def _phase_out(amount: float, spec: dict[str, Any] | None, income: float, filing: Filing) -> float:
    """``amount`` after the phase-out ``spec`` at ``income`` (see the module docstring)."""
    if not spec or amount <= 0:
        return amount
    if "zero_above" in spec and income > _number(spec["zero_above"], filing):
        return 0.0
    reduction = 0.0
    if "rates" in spec:
        rows = _by_filing(spec["rates"], filing)
        for i, (start, rate) in enumerate(rows):
            end = rows[i + 1][0] if i + 1 < len(rows) else math.inf
            if income > start:
                reduction += (min(income, end) - start) * rate
    elif "start" in spec:
        excess = income - _number(spec["start"], filing)
        if excess > 0:
            if "rate" in spec:
                reduction = _number(spec["rate"], filing) * excess
            elif "width" in spec:
                reduction = amount * min(1.0, excess / _number(spec["width"], filing))
            elif "step" in spec:
                steps = _steps(excess, _number(spec["step"], filing), spec.get("round", "up"))
                if "fraction_per_step" in spec:
                    reduction = amount * _number(spec["fraction_per_step"], filing) * steps
                else:
                    reduction = _number(spec["per_step"], filing) * steps
    if "max_fraction" in spec:
        reduction = min(reduction, amount * float(spec["max_fraction"]))
    floor = _number(spec.get("floor"), filing, 0.0)
    return max(floor, amount - reduction, 0.0)


def _schedule_tax(spec: dict[str, Any], income: float, filing: Filing) -> float:
    """Tax on ``income`` by the state's brackets, flat rate or rate table."""
    if income <= 0:
        return 0.0
    if "rate" in spec:
        return float(spec["rate"]) * income
    if "brackets" in spec:
        return bracket_tax(income, _by_filing(spec["brackets"], filing))
    if "schedule" in spec:  # rows [floor, tax at floor, rate on the excess]
        rows = _by_filing(spec["schedule"], filing)
        tax = 0.0
        for floor, base, rate in rows:
            if income > floor:
                tax = float(base) + float(rate) * (income - float(floor))
        return tax
    if "rate_less" in spec:  # rows [floor, rate, subtraction]: rate x income - subtraction
        rows = _by_filing(spec["rate_less"], filing)
        tax = 0.0
        for floor, rate, less in rows:
            if income >= floor:
                tax = float(rate) * income - float(less)
        return max(0.0, tax)
    raise InputError("state rules", "a state needs rate, brackets, schedule or rate_less")


def _top_rate(spec: dict[str, Any], filing: Filing) -> float:
    if "rate" in spec:
        return float(spec["rate"])
    rows = _by_filing(spec["brackets"], filing)
    return float(rows[-1][1])


def _bracket_floor(spec: dict[str, Any], income: float, filing: Filing) -> float:
    rows = _by_filing(spec["brackets"], filing)
    return float(max(floor for floor, _ in rows if income >= floor))


@dataclass(frozen=True)
class PayrollForState:
    """Employee payroll taxes some states let a filer deduct (annual USD)."""

    social_security: float = 0.0
    medicare: float = 0.0
    additional_medicare: float = 0.0

    @property
    def fica(self) -> float:
        return self.social_security + self.medicare

    @property
    def total(self) -> float:
        return self.fica + self.additional_medicare


@dataclass(frozen=True)
class StateReturn:
    """One state return on wages (annual USD)."""

    state: str
    agi: float
    taxable_income: float
    deduction: float
    deduction_kind: str  # "standard", "itemized" or "none"
    exemptions: float
    tax_before_credits: float
    credits: float
    income_tax: float
    notes: list[str] = field(default_factory=list)


def _state_itemized_base(
    spec: dict[str, Any],
    items: Itemized | None,
    federal: FederalReturn,
    payroll: PayrollForState,
    filing: Filing,
) -> float:
    """The state's itemized deductions before its caps and reductions."""
    total = 0.0
    if spec.get("payroll_taxes"):
        total += payroll.total
    income_taxes = spec.get("income_taxes")
    if income_taxes and federal.itemized is not None:
        # The state's own income tax is deductible (as on federal Schedule A), under an income
        # limit where the state sets one.
        limit = math.inf
        if isinstance(income_taxes, dict):
            limit = _number(income_taxes.get("agi_limit"), filing, math.inf)
        if federal.agi <= limit:
            total += federal.itemized.income_tax_in_salt
    if items is not None:
        salt = spec.get("property_taxes", "federal_cap")
        taxes = items.property_tax + items.other_state_local_taxes
        if salt == "federal_cap" and federal.itemized is not None:
            # Taxes other than income taxes, within the federal SALT cap.
            total += min(taxes, federal.itemized.salt_cap)
        elif salt == "uncapped":
            total += taxes
        mortgage = items.mortgage_interest if spec.get("mortgage_interest", True) else 0.0
        if "cap_mortgage_and_property" in spec:
            joint = min(taxes + mortgage, _number(spec["cap_mortgage_and_property"], filing))
            total += joint - (taxes if salt == "uncapped" else 0.0)
        else:
            total += mortgage
        if spec.get("charity", True):
            total += min(items.charitable_cash, 0.6 * federal.agi)
    return total


def _state_itemized(
    spec: dict[str, Any],
    items: Itemized | None,
    federal: FederalReturn,
    payroll: PayrollForState,
    filing: Filing,
) -> float:
    """The state's itemized deductions, 0 when the state allows none."""
    base = _state_itemized_base(spec, items, federal, payroll, filing)
    total = base
    if "cap" in spec:
        total = min(total, _number(spec["cap"], filing))
    for ramp in spec.get("reduction_ramps", []):  # a share of the total, phased in over a width
        excess = federal.agi - _number(ramp["start"], filing)
        if excess > 0:
            share = min(1.0, excess / float(ramp["width"])) * float(ramp["fraction"])
            total -= share * base
    charity_only = spec.get("charity_only_above")
    if charity_only and items is not None and federal.agi > float(charity_only["agi"]):
        total = float(charity_only["fraction"]) * min(items.charitable_cash, 0.6 * federal.agi)
    if "reduction" in spec:  # Pease-style: less a share of income over a threshold
        reduction = spec["reduction"]
        excess = federal.agi - _number(reduction["start"], filing)
        if excess > 0:
            cut = min(float(reduction["rate"]) * excess, float(reduction["max_fraction"]) * total)
            total -= cut
    return max(0.0, total)


def _federal_tax_subtraction(spec: dict[str, Any], federal: FederalReturn, filing: Filing) -> float:
    amount = federal.income_tax
    if "fraction_by_agi" in spec:
        amount *= _table_lookup(_by_filing(spec["fraction_by_agi"], filing), federal.agi)
    if "cap" in spec:
        amount = min(amount, _number(spec["cap"], filing))
    if "cap_by_agi" in spec:
        amount = min(amount, _table_lookup(_by_filing(spec["cap_by_agi"], filing), federal.agi))
    return max(0.0, amount)


def _persons(filing: Filing) -> int:
    return 2 if filing is Filing.MARRIED else 1


def _exemption_amount(spec: dict[str, Any], agi: float, filing: Filing) -> float:
    if "per_person_by_agi" in spec:
        amount = _table_lookup(_by_filing(spec["per_person_by_agi"], filing), agi)
        amount *= _persons(filing)
    elif "per_person" in spec:
        amount = _number(spec["per_person"], filing) * _persons(filing)
    else:
        amount = _number(spec["amount"], filing)
    return _phase_out(amount, spec.get("phase_out"), agi, filing)


def _credit_amount(
    spec: dict[str, Any],
    agi: float,
    tax: float,
    federal: FederalReturn,
    filing: Filing,
    items: Itemized | None,
) -> float:
    kind = spec.get("kind", "amount")
    if kind == "amount":
        amount = _number(spec["amount"], filing)
    elif kind == "per_person":
        amount = _number(spec["amount"], filing) * _persons(filing)
    elif kind == "fraction_of_property_tax":
        amount = float(spec["rate"]) * (items.property_tax if items is not None else 0.0)
    elif kind == "fraction_of_tax":
        amount = tax * float(spec.get("fraction", 1.0))
    elif kind == "fraction_of_tax_by_agi":
        amount = tax * _table_lookup(_by_filing(spec["table"], filing), agi)
    elif kind == "fraction_of_federal_deduction":
        base = federal.deduction - (
            federal.itemized.income_tax_in_salt if federal.itemizes and federal.itemized else 0.0
        )
        amount = float(spec["rate"]) * base
    else:
        raise InputError("state rules", f"unknown credit kind {kind!r}")
    return _phase_out(amount, spec.get("phase_out"), agi, filing)


def compute_state_return(
    state: str,
    filing: Filing,
    federal: FederalReturn,
    payroll: PayrollForState,
    items: Itemized | None = None,
    year: int = 2025,
) -> StateReturn:
    """The ``state`` income tax on the wages of ``federal`` (a ``FederalReturn``)."""
    rules = state_rules(year)[state]
    notes = list(rules.get("notes", []))
    agi = federal.agi
    if rules.get("none"):
        return StateReturn(state, agi, 0.0, 0.0, "none", 0.0, 0.0, 0.0, 0.0, notes)

    # Starting point and adjustments.
    if rules.get("start", "agi") == "federal_taxable_income":
        base = federal.taxable_income
        if federal.itemizes and federal.itemized is not None and rules.get("addback", True):
            # State income tax deducted federally, at most the excess of Schedule A over the
            # standard deduction (the part the state tax actually lowered).
            excess = federal.itemized.total - federal.standard_deduction
            base += max(0.0, min(federal.itemized.income_tax_in_salt, excess))
        std_base = federal.deduction
        kind = "itemized" if federal.itemizes else "standard"
    else:
        base = agi
        std_base = 0.0
        kind = "none"
    for addition in rules.get("additions", []):
        shape = addition["kind"]
        if shape == "deduction_excess" and agi > float(addition["agi_over"]):
            base += max(0.0, federal.deduction - _number(addition["keep"], filing))
        elif shape == "standard_deduction_difference" and not federal.itemizes:
            base += max(0.0, federal.standard_deduction - _number(addition["standard"], filing))
    if "federal_tax_deduction" in rules:
        base -= _federal_tax_subtraction(rules["federal_tax_deduction"], federal, filing)
    if "payroll_tax_deduction" in rules:
        spec = rules["payroll_tax_deduction"]
        base -= min(payroll.fica, _number(spec["cap"], filing))
    if "property_tax_deduction" in rules and items is not None:
        base -= min(items.property_tax, _number(rules["property_tax_deduction"]["cap"], filing))
    if rules.get("charitable_deduction") and items is not None:
        base -= min(items.charitable_cash, 0.6 * agi)

    # Standard or itemized deduction.
    deduction = std_base
    standard_spec = rules.get("standard_deduction")
    if standard_spec is not None:
        amount = standard_spec["amount"]
        standard = federal.standard_deduction if amount == "federal" else _number(amount, filing)
        standard = _phase_out(standard, standard_spec.get("phase_out"), agi, filing)
        deduction, kind = standard, "standard"
        itemized_spec = rules.get("itemized")
        if itemized_spec is not None:
            itemized = _state_itemized(itemized_spec, items, federal, payroll, filing)
            if itemized_spec.get("same_phase_out"):  # one phase-out for either deduction
                itemized = _phase_out(itemized, standard_spec.get("phase_out"), agi, filing)
            if itemized_spec.get("follows_federal", False):
                use_itemized = federal.itemizes
            else:
                use_itemized = itemized > standard
            if use_itemized:
                deduction, kind = itemized, "itemized"

    exemptions = 0.0
    exemption_credit = 0.0
    if "exemption" in rules:
        spec = rules["exemption"]
        amount = _exemption_amount(spec, agi, filing)
        if spec.get("credit"):
            exemption_credit = amount
        else:
            exemptions = amount

    if rules.get("start", "agi") == "federal_taxable_income":
        taxable = max(0.0, base - exemptions)
    else:
        taxable = max(0.0, base - deduction - exemptions)
    tax_spec = rules["tax"]
    table = tax_spec.get("tax_table")
    if table is not None and taxable < float(table["below"]):
        width = float(table["width"])
        start = float(table.get("start", 0.0))
        row = start + math.floor(max(0.0, taxable - start) / width) * width
        tax = float(math.floor(_schedule_tax(tax_spec, row + width / 2, filing) + 0.5))
    else:
        tax = _schedule_tax(tax_spec, taxable, filing)

    recapture = rules.get("recapture")
    if recapture is not None and agi > float(recapture["agi_min"]):
        if agi > float(recapture["flat_above_agi"]):
            tax = _top_rate(tax_spec, filing) * taxable
        else:
            base, benefit = 0.0, 0.0
            for over, row_base, row_benefit in _by_filing(recapture["table"], filing):
                if taxable > over:
                    base, benefit = float(row_base), float(row_benefit)
            start = max(_bracket_floor(tax_spec, taxable, filing), float(recapture["agi_min"]))
            fraction = min(1.0, max(0.0, agi - start) / float(recapture["phase_in"]))
            tax += base + fraction * benefit
    for add in rules.get("add_to_tax", []):
        excess = agi - _number(add["start"], filing)
        if excess > 0:
            steps = _steps(excess, _number(add["step"], filing), add.get("round", "up"))
            tax += min(_number(add["max"], filing), steps * _number(add["per_step"], filing))
    if "minimum_tax" in rules:
        minimum = rules["minimum_tax"]
        if agi > float(minimum["agi_over"]):
            tax = max(tax, float(minimum["rate"]) * agi)
    if "no_tax_at_or_below" in rules and agi <= _number(rules["no_tax_at_or_below"], filing):
        tax = 0.0
    tax_before_credits = tax

    credits = exemption_credit
    for credit in rules.get("credits", []):
        credits += _credit_amount(credit, agi, tax_before_credits, federal, filing, items)
    tax = max(0.0, tax - credits)
    for surtax in rules.get("surtaxes", []):
        over = _number(surtax["over"], filing)
        tax += float(surtax["rate"]) * max(0.0, taxable - over)
    for other in rules.get("other_taxes", []):
        tax += float(other["amount"]) if taxable > 0 else 0.0
    tax = whole_dollars(tax)
    return StateReturn(
        state=state,
        agi=agi,
        taxable_income=taxable,
        deduction=deduction,
        deduction_kind=kind,
        exemptions=exemptions,
        tax_before_credits=tax_before_credits,
        credits=min(credits, tax_before_credits),
        income_tax=tax,
        notes=notes,
    )
