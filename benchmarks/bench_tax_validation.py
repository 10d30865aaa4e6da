"""State income tax validation: careerbench against the forms and an independent model.

Cases: every state and DC, single and married filing jointly, at wages of $100k, $180k, $260k,
$450k and $1.2M (the only income; no dependents; under 65).

(a) Form arithmetic: for a few states, the tax worked line by line from the published form
    (cited by form and line) in ``FORM_CASES`` below, written from the forms, not from
    careerbench's rules file.
(b) An independent microsimulation model, PolicyEngine-US: its state income tax before
    refundable credits (``state_income_tax_before_refundable_credits``). PolicyEngine itemizes
    federal deductions whenever Schedule A is larger, its SALT line holding the state income
    tax; careerbench is run the same way (``itemized=Itemized()``). The "before" column is the
    engine careerbench used before its own state rules (tenforty: OpenTaxSolver for 11 states,
    the approximate graph backend for the others, standard deduction).
(c) Itemizing given payments (property tax, mortgage interest, gifts) at $450,000 in the 20
    states where it matters most, against PolicyEngine-US given the same payments.

PolicyEngine-US is not a careerbench dependency. Install it in a separate, throwaway virtual
environment together with careerbench's runtime needs, and run this script there, e.g.:
``PYTHONPATH=src <venv>/bin/python benchmarks/bench_tax_validation.py``. Without
``policyengine_us`` importable, the script re-prints the committed table
(``benchmarks/results/tax_validation.md``) and says so.

It also times one tax computation (cached, uncached, itemizing) beside tenforty's call, in the
same run (``tax_timing``; ``bench_money.py`` reports the same figures).

Writes ``benchmarks/results/tax_validation.md`` and ``.json``.
"""

from __future__ import annotations

import json
import math
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from careerbench.money.itemized import Itemized
from careerbench.money.tax import (
    ALL_STATES,
    NO_WAGE_TAX_STATES,
    clear_caches,
    compute_tax,
    state_engine,
    tax_curve,
)

ROOT = Path(__file__).resolve().parents[1]
RESULTS_MD = ROOT / "benchmarks" / "results" / "tax_validation.md"
RESULTS_JSON = ROOT / "benchmarks" / "results" / "tax_validation.json"
WAGES = (100_000, 180_000, 260_000, 450_000, 1_200_000)
FILINGS = ("single", "married")
TOLERANCE = 50.0

#: Differences over $50 against PolicyEngine that remain, and why (state, filing, wages): with
#: the standard deduction on both sides, and with itemizing allowed on both sides.
MO_BOUNDARY = (
    "RSMo 143.171.1: at federal AGI of exactly $100,000 the federal tax deduction is 15% (the "
    "$50,001-$100,000 row); PolicyEngine applies the next row's 5%"
)
HI_ITEMIZES = (
    "Hawaii lets filers with AGI up to $200,000 joint ($100,000 single) deduct Hawaii income "
    "tax: PolicyEngine itemizes on the Hawaii return with its estimate of tax withheld; "
    "careerbench, asked for the standard deduction, takes it on the Hawaii return too, and when "
    "itemizing deducts the year's computed Hawaii tax"
)
SALT_ESTIMATE = (
    "PolicyEngine's federal SALT line holds its estimate of state tax withheld; careerbench's "
    "holds the year's computed state tax, so Schedule A (and the state figures built on it) differ"
)
EXPLAINED: dict[tuple[str, str, int], str] = {
    ("HI", "married", 180_000): HI_ITEMIZES,
    ("MO", "single", 100_000): MO_BOUNDARY,
}
EXPLAINED_ITEMIZING: dict[tuple[str, str, int], str] = {
    ("AL", "single", 450_000): SALT_ESTIMATE
    + ": PolicyEngine itemizes federally, careerbench does not (Alabama deducts federal tax)",
    ("DC", "married", 450_000): "careerbench keeps the federal standard deduction because DC "
    "would then require itemizing without DC income tax, which costs more than it saves; "
    "PolicyEngine itemizes whenever Schedule A is larger",
    ("GA", "single", 450_000): SALT_ESTIMATE + " (Georgia itemizes from Schedule A)",
    ("HI", "single", 100_000): "Hawaii's $100,000 AGI limit for deducting Hawaii income tax: "
    "careerbench allows it at exactly $100,000, PolicyEngine does not",
    ("HI", "married", 180_000): HI_ITEMIZES,
    ("MO", "single", 100_000): MO_BOUNDARY,
}


def form_cases() -> list[dict[str, Any]]:
    """State tax worked line by line from the published 2025 forms (single filers)."""
    cases = []

    # Alabama, Form 40, wages $180,000 single. Line 12: federal income tax deduction = federal
    # tax (2025 Form 1040 line 22): taxable 164,250 -> 32,267. Schedule A line 6: FICA withheld
    # 6.2% x 176,100 + 1.45% x 180,000 = 13,528.20 (larger than the $2,500 standard deduction at
    # this AGI, Form 40 booklet chart p. 9). Line 13: personal exemption 1,500.
    al_taxable = 180_000 - 32_267 - (0.062 * 176_100 + 0.0145 * 180_000) - 1_500
    al_tax = 0.02 * 500 + 0.04 * 2_500 + 0.05 * (al_taxable - 3_000)  # Form 40 rate schedule
    cases.append(
        {
            "state": "AL",
            "filing": "single",
            "wages": 180_000,
            "itemized": True,
            "expected": round(al_tax),
            "source": "2025 Alabama Form 40 lines 10-19 and Schedule A line 6 (FICA)",
        }
    )

    # Connecticut, Form CT-1040, wages $450,000 single: Table A exemption 0 (AGI over $44,000);
    # Table B tax on 450,000; Table C add-back 250 (maximum); Table D recapture 250 (lower,
    # maximum) + 90 x ceil(250,000 / 5,000) = 4,500 capped at 2,700.
    ct_tax = (
        0.02 * 10_000
        + 0.045 * 40_000
        + 0.055 * 50_000
        + 0.06 * 100_000
        + 0.065 * 50_000
        + 0.069 * 200_000
    )
    cases.append(
        {
            "state": "CT",
            "filing": "single",
            "wages": 450_000,
            "itemized": False,
            "expected": round(ct_tax + 250 + 250 + 2_700),
            "source": "2025 Form CT-1040 instructions, Tables A-D (lines 10-11)",
        }
    )

    # New York, IT-201, wages $300,000 single: line 33 NY AGI 300,000; line 35 taxable
    # 292,000 (standard deduction $8,000). Tax computation worksheet 3 (AGI over $157,650,
    # taxable over $215,400 up to $1,077,550): rate-schedule tax + recapture base $568 +
    # incremental benefit $1,831 x min(1, (AGI - 215,400) / 50,000).
    ny_schedule = (
        0.04 * 8_500
        + 0.045 * 3_200
        + 0.0525 * 2_200
        + 0.055 * 66_750
        + 0.06 * 134_750
        + 0.0685 * (292_000 - 215_400)
    )
    ny_tax = ny_schedule + 568 + 1_831 * min(1.0, (300_000 - 215_400) / 50_000)
    cases.append(
        {
            "state": "NY",
            "filing": "single",
            "wages": 300_000,
            "itemized": False,
            "expected": round(ny_tax),
            "source": "2025 Form IT-201 instructions, line 39 and Tax computation worksheet 3",
        }
    )

    # Rhode Island, RI-1040, wages $260,000 single: standard deduction and exemption worksheets
    # reduce by 20% for each $7,250 (or part) over $254,250: ceil(5,750 / 7,250) = 1 -> 80%.
    ri_taxable = 260_000 - 0.8 * 10_900 - 0.8 * 5_100
    ri_tax = 0.0375 * 79_900 + 0.0475 * (181_650 - 79_900) + 0.0599 * (ri_taxable - 181_650)
    cases.append(
        {
            "state": "RI",
            "filing": "single",
            "wages": 260_000,
            "itemized": False,
            "expected": round(ri_tax),
            "source": "2025 RI-1040 instructions: standard deduction and exemption worksheets, "
            "tax rate schedule",
        }
    )

    # Utah, TC-40, wages $100,000 single: tax 4.5% x 100,000 = 4,500 (line 10); taxpayer tax
    # credit: 6% x 15,750 (federal standard deduction) = 945, less 1.3% x (100,000 - 18,213) =
    # 1,063.23 -> 0 (lines 12-19).
    cases.append(
        {
            "state": "UT",
            "filing": "single",
            "wages": 100_000,
            "itemized": False,
            "expected": 4_500,
            "source": "2025 Utah TC-40 instructions, lines 10-20 (taxpayer tax credit worksheet)",
        }
    )

    # Minnesota, M1, wages $260,000 single: standard deduction 14,950 less the smaller of
    # 3% x (260,000 - 238,950) = 631.50 and 80% (Worksheet B for line 4) -> 14,318.50.
    mn_taxable = 260_000 - (14_950 - 0.03 * (260_000 - 238_950))
    mn_tax = (
        0.0535 * 32_570
        + 0.068 * (106_990 - 32_570)
        + 0.0785 * (198_630 - 106_990)
        + 0.0985 * (mn_taxable - 198_630)
    )
    cases.append(
        {
            "state": "MN",
            "filing": "single",
            "wages": 260_000,
            "itemized": False,
            "expected": round(mn_tax),
            "source": "2025 Minnesota M1 instructions, Worksheet B for line 4, rate schedule",
        }
    )

    # California, 540, wages $1,200,000 single: taxable 1,194,294; rate schedule X;
    # exemption credit 153 fully phased out (AGI far above $252,203); line 62 Behavioral Health
    # Services Tax 1% x (1,194,294 - 1,000,000).
    ca_taxable = 1_200_000 - 5_706
    rows = [
        (0, 0.01), (11_079, 0.02), (26_264, 0.04), (41_452, 0.06), (57_542, 0.08),
        (72_724, 0.093), (371_479, 0.103), (445_771, 0.113), (742_953, 0.123),
    ]  # fmt: skip
    ca_tax = sum(
        (min(ca_taxable, rows[i + 1][0] if i + 1 < len(rows) else math.inf) - floor) * rate
        for i, (floor, rate) in enumerate(rows)
    )
    cases.append(
        {
            "state": "CA",
            "filing": "single",
            "wages": 1_200_000,
            "itemized": False,
            "expected": round(ca_tax + 0.01 * (ca_taxable - 1_000_000)),
            "source": "2025 Form 540 lines 19-31 (Schedule X) and line 62 (Behavioral Health "
            "Services Tax)",
        }
    )
    return cases


def careerbench_state_tax(state: str, filing: str, wages: float, itemize: bool) -> float:
    deduction = "larger" if itemize else "standard"
    return compute_tax(wages, state, filing, deduction=deduction).state_income_tax


def policyengine_figures(itemize: bool) -> dict[str, dict[str, float]]:
    """State and federal income tax from PolicyEngine-US for every case (one simulation).

    ``itemize=False`` holds every return to the federal standard deduction (an input to the
    model); ``True`` lets it itemize when Schedule A is larger.
    """
    from policyengine_us import Simulation

    people: dict[str, Any] = {}
    units: dict[str, Any] = {}
    households: dict[str, Any] = {}
    marital: dict[str, Any] = {}
    keys = []
    for state in ALL_STATES:
        for filing in FILINGS:
            for wages in WAGES:
                i = len(keys)
                members = [f"p{i}a"]
                people[f"p{i}a"] = {"age": {"2025": 40}, "employment_income": {"2025": wages}}
                if filing == "married":
                    members.append(f"p{i}b")
                    people[f"p{i}b"] = {"age": {"2025": 40}, "employment_income": {"2025": 0}}
                households[f"h{i}"] = {"members": members, "state_code": {"2025": state}}
                units[f"h{i}"] = {"members": members}
                if not itemize:
                    units[f"h{i}"]["tax_unit_itemizes"] = {"2025": False}
                marital[f"m{i}"] = {"members": members}
                keys.append(f"{state}|{filing}|{wages}")
    situation = {
        "people": people,
        "households": households,
        "tax_units": units,
        "families": {k: {"members": v["members"]} for k, v in units.items()},
        "spm_units": {k: {"members": v["members"]} for k, v in units.items()},
        "marital_units": marital,
    }
    simulation = Simulation(situation=situation)
    variables = ("state_income_tax_before_refundable_credits", "income_tax", "state_income_tax")
    values = {v: simulation.calculate(v, 2025) for v in variables}
    return {key: {v: float(values[v][i]) for v in variables} for i, key in enumerate(keys)}


def before_figure(state: str, filing: str, wages: float) -> float | None:
    """The state tax of the engine careerbench used before (tenforty), if installed."""
    try:
        import tenforty
    except ImportError:
        return None
    if state in NO_WAGE_TAX_STATES:
        return 0.0
    ots = {"AZ", "CA", "MA", "MI", "NC", "NJ", "NY", "OH", "OR", "PA", "VA"}
    backend = "ots" if state in ots and wages <= 5_000_000 else "graph"
    result = tenforty.evaluate_return(
        year=2025,
        state=state,
        filing_status="Single" if filing == "single" else "Married/Joint",
        w2_income=float(wages),
        backend=backend,
    )
    return max(0.0, float(result.state_total_tax))


#: (c) Itemizing with inputs: a filer at $450,000 with these deductible payments, in the states
#: where itemizing matters most; PolicyEngine-US is given the same payments.
ITEMS = Itemized(property_tax=15_000, mortgage_interest=25_000, charitable_cash=10_000)
ITEMIZING_STATES = (
    "CA", "NY", "NJ", "MA", "IL", "VA", "MN", "OR", "GA", "MD",
    "CT", "PA", "CO", "AL", "TX", "WA", "NC", "AZ", "MO", "DC",
)  # fmt: skip
EXPLAINED_INPUTS: dict[tuple[str, str], str] = {
    ("GA", "married"): SALT_ESTIMATE + " (Georgia itemizes from Schedule A)",
    ("GA", "single"): SALT_ESTIMATE + " (Georgia itemizes from Schedule A)",
    ("AL", "married"): SALT_ESTIMATE + " (Alabama deducts the federal tax)",
    ("AL", "single"): SALT_ESTIMATE + " (Alabama deducts the federal tax)",
    ("AZ", "married"): "PolicyEngine adds a general sales tax from the IRS tables to Arizona "
    "itemized deductions; careerbench counts sales tax only when given (Itemized.sales_tax)",
    ("AZ", "single"): "PolicyEngine adds a general sales tax from the IRS tables to Arizona "
    "itemized deductions; careerbench counts sales tax only when given (Itemized.sales_tax)",
    ("VA", "single"): SALT_ESTIMATE + " (Virginia starts from Schedule A)",
}


def compare_inputs() -> list[dict[str, Any]]:
    """(c) careerbench and PolicyEngine-US itemizing the same payments at $450,000."""
    from policyengine_us import Simulation

    rows = []
    wages = 450_000
    for state in ITEMIZING_STATES:
        for filing in FILINGS:
            person = {
                "age": {"2025": 40},
                "employment_income": {"2025": wages},
                "real_estate_taxes": {"2025": ITEMS.property_tax},
                "deductible_mortgage_interest": {"2025": ITEMS.mortgage_interest},
                "charitable_cash_donations": {"2025": ITEMS.charitable_cash},
            }
            people: dict[str, Any] = {"a": person}
            if filing == "married":
                people["b"] = {"age": {"2025": 40}, "employment_income": {"2025": 0}}
            members = list(people)
            situation = {
                "people": people,
                "households": {"h": {"members": members, "state_code": {"2025": state}}},
                **{
                    group: {"g": {"members": members}}
                    for group in ("tax_units", "families", "spm_units", "marital_units")
                },
            }
            simulation = Simulation(situation=situation)
            theirs = float(
                simulation.calculate("state_income_tax_before_refundable_credits", 2025)[0]
            )
            federal = float(simulation.calculate("income_tax", 2025)[0])
            result = compute_tax(float(wages), state, filing, itemized=ITEMS)
            rows.append(
                {
                    "state": state,
                    "filing": filing,
                    "wages": wages,
                    "careerbench": round(result.state_income_tax, 2),
                    "policyengine": round(theirs, 2),
                    "difference": round(result.state_income_tax - theirs, 2),
                    "federal_difference": round(result.federal_income_tax - federal, 2),
                    "federal_deduction": result.federal_deduction,
                    "state_deduction": result.state_deduction,
                    "why": EXPLAINED_INPUTS.get((state, filing), ""),
                }
            )
    return rows


def compare(itemize: bool) -> list[dict[str, Any]]:
    """Every case, careerbench beside PolicyEngine-US, both deducting the same way."""
    reference = policyengine_figures(itemize)
    explained = EXPLAINED_ITEMIZING if itemize else EXPLAINED
    rows = []
    for state in ALL_STATES:
        for filing in FILINGS:
            for wages in WAGES:
                pe = reference[f"{state}|{filing}|{wages}"]
                result = compute_tax(
                    float(wages), state, filing, deduction="larger" if itemize else "standard"
                )
                ours = result.state_income_tax
                theirs = pe["state_income_tax_before_refundable_credits"]
                before = None if itemize else before_figure(state, filing, wages)
                rows.append(
                    {
                        "state": state,
                        "filing": filing,
                        "wages": wages,
                        "careerbench": round(ours, 2),
                        "policyengine": round(theirs, 2),
                        "difference": round(ours - theirs, 2),
                        "before": None if before is None else round(before, 2),
                        "before_difference": None if before is None else round(before - theirs, 2),
                        "federal_deduction": result.federal_deduction,
                        "state_deduction": result.state_deduction,
                        "federal_difference": round(
                            result.federal_income_tax - pe["income_tax"], 2
                        ),
                        "why": explained.get((state, filing, wages), ""),
                    }
                )
    return rows


def _median_seconds(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def tax_timing() -> dict[str, Any]:
    """Speed of one tax computation, cached and uncached, beside tenforty's call (same run)."""
    cases = [
        (wages, state)
        for state in ("CA", "NY", "TX", "MA", "IL", "AL", "CT", "OR")
        for wages in (150_000.0, 260_000.0, 450_000.0)
    ]

    def uncached(deduction: str) -> Callable[[], None]:
        def run_all() -> None:
            for wages, state in cases:
                clear_caches()
                compute_tax(wages, state, deduction=deduction)

        return run_all

    def cached() -> None:
        for wages, state in cases:
            compute_tax(wages, state)

    cached()
    per_call = len(cases)
    result: dict[str, Any] = {
        "workload": f"one compute_tax call (federal + state + payroll), {per_call} cases "
        "(8 states x $150k/$260k/$450k), median of repeated runs",
        "cached_ms": round(_median_seconds(cached, 200) / per_call * 1000, 4),
        "uncached_ms": round(_median_seconds(uncached("standard"), 7) / per_call * 1000, 3),
        "uncached_itemizing_ms": round(_median_seconds(uncached("larger"), 7) / per_call * 1000, 3),
    }
    clear_caches()
    result["tax_curve_build_ms"] = round(
        _median_seconds(lambda: (clear_caches(), tax_curve("CA", "single")), 3) * 1000, 1
    )
    try:
        import tenforty
    except ImportError:
        result["tenforty_ms"] = None
        return result
    ots = {"AZ", "CA", "MA", "MI", "NC", "NJ", "NY", "OH", "OR", "PA", "VA"}

    def engine() -> None:
        for wages, state in cases:
            tenforty.evaluate_return(
                year=2025,
                state=None if state in NO_WAGE_TAX_STATES else state,
                w2_income=wages,
                backend="ots" if state in ots else "graph",
            )

    engine()
    result["tenforty_ms"] = round(_median_seconds(engine, 5) / per_call * 1000, 3)
    result["tenforty_call"] = (
        "tenforty.evaluate_return, OpenTaxSolver for its 11 states, graph backend otherwise "
        "(the engine compute_tax called before)"
    )
    return result


def timing_lines(timing: dict[str, Any]) -> list[str]:
    tenforty_ms = timing.get("tenforty_ms")
    versus = "" if tenforty_ms is None else f"; tenforty's call {tenforty_ms} ms"
    return [
        f"- One tax computation: {timing['cached_ms']} ms cached, {timing['uncached_ms']} ms "
        f"uncached ({timing['uncached_itemizing_ms']} ms when itemizing){versus}.",
        f"- Building one vectorized tax curve (`tax_curve`): {timing['tax_curve_build_ms']} ms.",
    ]


def run() -> dict[str, Any]:
    from importlib.metadata import version

    started = time.perf_counter()
    rows = compare(itemize=False)
    itemizing = compare(itemize=True)
    with_inputs = compare_inputs()
    forms = []
    for case in form_cases():
        ours = careerbench_state_tax(case["state"], case["filing"], case["wages"], case["itemized"])
        forms.append(
            {**case, "careerbench": round(ours, 2), "difference": round(ours - case["expected"], 2)}
        )

    def within(table: list[dict[str, Any]], key: str = "difference") -> int:
        return sum(r[key] is not None and abs(r[key]) <= TOLERANCE for r in table)

    return {
        "generated_with": {
            "python": platform.python_version(),
            "policyengine_us": version("policyengine-us"),
            "seconds": round(time.perf_counter() - started, 1),
        },
        "tolerance": TOLERANCE,
        "cases": len(rows),
        "within_tolerance": within(rows),
        "before_within_tolerance": within(rows, "before_difference"),
        "itemizing_within_tolerance": within(itemizing),
        "inputs_cases": len(with_inputs),
        "inputs_within_tolerance": within(with_inputs),
        "engines": {s: state_engine(s) for s in ALL_STATES},
        "rows": rows,
        "itemizing_rows": itemizing,
        "inputs_rows": with_inputs,
        "form_cases": forms,
        "timing": tax_timing(),
    }


def _remaining(rows: list[dict[str, Any]], tolerance: float) -> list[str]:
    lines = [
        "| state | filing | wages | careerbench | PolicyEngine | difference | reason |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    remaining = [r for r in rows if abs(r["difference"]) > tolerance]
    for r in remaining:
        lines.append(
            f"| {r['state']} | {r['filing']} | {r['wages']:,} | {r['careerbench']:,.0f} "
            f"| {r['policyengine']:,.0f} | {r['difference']:+,.0f} | {r['why'] or 'unexplained'} |"
        )
    if not remaining:
        lines.append("| - | - | - | - | - | - | none |")
    return lines


def markdown(results: dict[str, Any]) -> str:
    rows = results["rows"]
    tolerance = results["tolerance"]
    cases = results["cases"]
    lines = [
        "# State income tax validation, tax year 2025",
        "",
        "Generated by `benchmarks/bench_tax_validation.py` "
        f"(PolicyEngine-US {results['generated_with']['policyengine_us']}).",
        "",
        f"- Cases: {cases} (51 jurisdictions x single/married x "
        f"{', '.join(f'${w:,}' for w in WAGES)} of wages).",
        f"- Standard deduction on both sides: careerbench within ${tolerance:.0f} of "
        f"PolicyEngine-US in **{results['within_tolerance']} / {cases}** cases; the engine "
        f"careerbench used before (tenforty) in {results['before_within_tolerance']} / {cases}.",
        f"- Itemizing allowed on both sides (federal Schedule A when larger, SALT holding the "
        f"state income tax): {results['itemizing_within_tolerance']} / {cases}.",
        f"- Itemizing given payments (property tax $15,000, mortgage interest $25,000, gifts "
        f"$10,000) at $450,000 in {len(ITEMIZING_STATES)} states: "
        f"{results['inputs_within_tolerance']} / {results['inputs_cases']}.",
        "",
        "PolicyEngine's figure is its state income tax before refundable credits.",
        "",
        "## Speed (same run)",
        "",
        *timing_lines(results["timing"]),
        "",
        "## (a) Form arithmetic",
        "",
        "| state | filing | wages | form worked by hand | careerbench | difference | source |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for case in results["form_cases"]:
        lines.append(
            f"| {case['state']} | {case['filing']} | {case['wages']:,} | {case['expected']:,.0f} "
            f"| {case['careerbench']:,.0f} | {case['difference']:+,.0f} | {case['source']} |"
        )
    lines += ["", f"## (b) Differences over ${tolerance:.0f}, standard deduction", ""]
    lines += _remaining(rows, tolerance)
    lines += ["", f"## (b) Differences over ${tolerance:.0f}, itemizing allowed", ""]
    lines += _remaining(results["itemizing_rows"], tolerance)
    lines += [
        "",
        f"## (c) Differences over ${tolerance:.0f}, itemizing given payments at $450,000",
        "",
    ]
    lines += _remaining(results["inputs_rows"], tolerance)
    lines += [
        "",
        "## (b) Every case, standard deduction",
        "",
        "| state | filing | wages | careerbench | PolicyEngine | difference | before (tenforty) "
        "| before difference |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        before = "n/a" if r["before"] is None else f"{r['before']:,.0f}"
        before_diff = "n/a" if r["before_difference"] is None else f"{r['before_difference']:+,.0f}"
        lines.append(
            f"| {r['state']} | {r['filing']} | {r['wages']:,} | {r['careerbench']:,.0f} "
            f"| {r['policyengine']:,.0f} | {r['difference']:+,.0f} | {before} | {before_diff} |"
        )
    return "\n".join(lines) + "\n"


def compact_json(results: dict[str, Any]) -> str:
    """The results as JSON with one table row per line (reviewable diffs, small file)."""
    parts = []
    for key, value in results.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            rows = ",\n".join(f"    {json.dumps(row)}" for row in value)
            parts.append(f"  {json.dumps(key)}: [\n{rows}\n  ]")
        else:
            parts.append(f"  {json.dumps(key)}: {json.dumps(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def main() -> None:
    try:
        import policyengine_us  # noqa: F401
    except ImportError:
        print(
            "policyengine_us is not importable here: re-printing the committed table "
            f"({RESULTS_MD.relative_to(ROOT)}); install PolicyEngine-US in a separate virtual "
            "environment and run this script there to recompute it.\n",
            file=sys.stderr,
        )
        print(RESULTS_MD.read_text(encoding="utf-8"))
        print("Speed on this machine now:")
        print("\n".join(timing_lines(tax_timing())))
        return
    results = run()
    RESULTS_MD.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_JSON.write_text(compact_json(results), encoding="utf-8")
    RESULTS_MD.write_text(markdown(results), encoding="utf-8")
    print(
        f"careerbench within ${TOLERANCE:.0f} of PolicyEngine-US in "
        f"{results['within_tolerance']} / {results['cases']} cases with the standard deduction "
        f"(before: {results['before_within_tolerance']}), "
        f"{results['itemizing_within_tolerance']} itemizing, "
        f"{results['inputs_within_tolerance']} / {results['inputs_cases']} itemizing given "
        "payments; form cases: "
        + ", ".join(f"{c['state']} {c['difference']:+.0f}" for c in results["form_cases"])
    )
    print(f"wrote {RESULTS_MD.relative_to(ROOT)} and {RESULTS_JSON.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
