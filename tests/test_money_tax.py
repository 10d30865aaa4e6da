"""Taxes: pinned references, an independent hand calculation, and properties.

The independent reference below is written from the published rules, not from careerbench:
- federal: 2025 brackets of Rev. Proc. 2024-40 (section 3.01); standard deduction $15,750 single /
  $31,500 joint, the 2025 amounts as amended in July 2025 (Public Law 119-21, section 70102;
  Rev. Proc. 2024-40 had published $15,000 / $30,000 before the amendment);
- payroll: Social Security 6.2% to $176,100, Medicare 1.45%, Additional Medicare 0.9% over
  $200,000 single / $250,000 joint, and the state programs' published rates;
- state: flat-rate states by their statutes (IL 4.95%, CO 4.4% of federal taxable income, PA 3.07%,
  MA 5% + 4% over $1,083,150 after the personal exemption and the deduction for Social Security
  and Medicare paid (up to $2,000), NC 4.25% after its standard deduction) and no tax in TX, WA,
  FL. Every other state is pinned in ``tests/test_money_state_tax.py``;
- itemizing: the 2025 SALT cap of Public Law 119-21, section 70120 ($40,000, less 30% of MAGI over
  $500,000, not below $10,000);
- local taxes: the rates of each city's or county's own published schedule, cited beside them.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careerbench.errors import CareerbenchError, InputError, InvalidValue
from careerbench.money.itemized import Itemized
from careerbench.money.payroll import payroll_taxes
from careerbench.money.tax import compute_tax, locality_for, tax_curve

BRACKETS = {
    "single": [
        (0, 0.10), (11_925, 0.12), (48_475, 0.22), (103_350, 0.24),
        (197_300, 0.32), (250_525, 0.35), (626_350, 0.37),
    ],
    "married": [
        (0, 0.10), (23_850, 0.12), (96_950, 0.22), (206_700, 0.24),
        (394_600, 0.32), (501_050, 0.35), (751_600, 0.37),
    ],
}  # fmt: skip
STANDARD_DEDUCTION = {"single": 15_750, "married": 31_500}


def hand_federal(wages: float, filing: str, deduction: float | None = None) -> float:
    taxable = max(0.0, wages - (STANDARD_DEDUCTION[filing] if deduction is None else deduction))
    tax = 0.0
    brackets = BRACKETS[filing]
    for i, (floor, rate) in enumerate(brackets):
        ceiling = brackets[i + 1][0] if i + 1 < len(brackets) else math.inf
        if taxable > floor:
            tax += (min(taxable, ceiling) - floor) * rate
    return tax


STATE_PAYROLL = {  # (rate, wage base or None)
    "CA": [(0.012, None)],
    "WA": [(0.0092 * 0.7152, 176_100), (0.0058, None)],
    "MA": [(0.0046, 176_100)],
    "CO": [(0.0045, 176_100)],
    "PA": [(0.0007, None)],
    "NJ": [(0.00425, 43_300), (0.0023, 165_400), (0.0033, 165_400)],
}


def hand_payroll(wages: float, filing: str, state: str) -> float:
    threshold = 200_000 if filing == "single" else 250_000
    total = 0.062 * min(wages, 176_100) + 0.0145 * wages + 0.009 * max(0.0, wages - threshold)
    for rate, base in STATE_PAYROLL.get(state, []):
        total += rate * (wages if base is None else min(wages, base))
    if state == "NY":
        total += min(0.005 * wages, 31.20) + min(0.00388 * wages, 354.53)
    return total


def hand_state(wages: float, filing: str, state: str) -> float | None:
    married = filing == "married"
    if state in ("TX", "WA", "FL"):
        return 0.0
    if state == "IL":
        # Personal exemption $2,850 a person, none above $250,000 / $500,000 AGI.
        limit = 500_000 if married else 250_000
        exemption = 0 if wages > limit else 2_850 * (2 if married else 1)
        return 0.0495 * (wages - exemption)
    if state == "CO":
        return 0.044 * max(0.0, wages - STANDARD_DEDUCTION[filing])
    if state == "PA":
        return 0.0307 * wages
    if state == "MA":
        taxable = wages - (8_800 if married else 4_400) - 2_000
        return 0.05 * taxable + 0.04 * max(0.0, taxable - 1_083_150)
    if state == "NC":
        return 0.0425 * (wages - (25_500 if married else 12_750))
    return None


# (state, filing, wages, explained difference in state tax: engine minus hand, and why)
CASES: list[tuple[str, str, float, float, str]] = [
    ("TX", "single", 100_000, 0, ""),
    ("TX", "single", 500_000, 0, ""),
    ("TX", "married", 300_000, 0, ""),
    ("TX", "married", 800_000, 0, ""),
    ("WA", "single", 150_000, 0, ""),
    ("WA", "married", 400_000, 0, ""),
    ("FL", "single", 350_000, 0, ""),
    ("IL", "single", 150_000, 0, ""),
    ("IL", "single", 400_000, 0, ""),
    ("IL", "married", 600_000, 0, ""),
    ("IL", "married", 200_000, 0, ""),
    ("CO", "single", 150_000, 0, ""),
    ("CO", "single", 250_000, 0, ""),
    ("CO", "married", 280_000, 0, ""),
    ("PA", "single", 120_000, 0, ""),
    ("PA", "married", 700_000, 0, ""),
    ("MA", "single", 300_000, 0, ""),
    ("MA", "married", 1_500_000, 0, ""),
    ("MA", "single", 180_000, 0, ""),
    ("NC", "single", 200_000, 0, ""),
    ("NC", "married", 450_000, 0, ""),
    ("CA", "single", 260_000, 0, ""),
    ("CA", "married", 500_000, 0, ""),
    ("NY", "single", 218_000, 0, ""),
    ("NY", "married", 350_000, 0, ""),
    ("NJ", "single", 175_000, 0, ""),
]


@pytest.mark.parametrize(("state", "filing", "wages", "explained", "why"), CASES)
def test_cross_check_against_hand_calculation(
    state: str, filing: str, wages: float, explained: float, why: str
) -> None:
    result = compute_tax(wages, state, filing, deduction="standard")
    # Below $100,000 of taxable income the Tax Table taxes each $50 row's midpoint.
    assert result.federal_income_tax == pytest.approx(hand_federal(wages, filing), abs=15)
    assert result.payroll_tax == pytest.approx(hand_payroll(wages, filing, state), abs=1)
    expected_state = hand_state(wages, filing, state)
    if expected_state is not None:
        difference = result.state_income_tax - expected_state
        assert difference == pytest.approx(explained, abs=1), why
    total = result.federal_income_tax + result.state_income_tax + result.payroll_tax
    assert result.total_tax == pytest.approx(total)
    assert result.after_tax == pytest.approx(wages - result.total_tax)


def hand_salt_cap(wages: float) -> float:
    return max(10_000.0, 40_000.0 - 0.30 * max(0.0, wages - 500_000))


@pytest.mark.parametrize(
    ("state", "filing", "wages"),
    [
        ("IL", "single", 150_000),  # state tax $7,284 < $15,750: standard
        ("IL", "single", 400_000),  # $19,800 of state tax: itemized
        ("IL", "married", 600_000),  # $29,700, cap $10,000 at $600k: standard is larger
        ("PA", "single", 700_000),  # $21,490, cap $10,000: standard
        ("TX", "single", 500_000),  # no income tax: standard
        ("MA", "single", 300_000),
    ],
)
def test_default_itemizes_the_state_income_tax_where_that_is_larger(
    state: str, filing: str, wages: float
) -> None:
    """By default the federal deduction is the larger of the standard deduction and Schedule A,
    whose SALT line holds the state income tax on these wages up to the 2025 cap."""
    result = compute_tax(wages, state, filing)
    state_tax = hand_state(wages, filing, state)
    assert state_tax is not None
    assert result.state_income_tax == pytest.approx(state_tax, abs=1)
    deduction = max(STANDARD_DEDUCTION[filing], min(state_tax, hand_salt_cap(wages)))
    assert result.federal_deduction_amount == pytest.approx(deduction, abs=1)
    itemizes = deduction > STANDARD_DEDUCTION[filing]
    assert result.federal_deduction == ("itemized" if itemizes else "standard")
    assert result.federal_income_tax == pytest.approx(
        hand_federal(wages, filing, deduction), abs=15
    )
    standard = compute_tax(wages, state, filing, deduction="standard")
    assert result.total_tax <= standard.total_tax
    assert (result.total_tax < standard.total_tax) == itemizes


def test_pinned_references_from_tenforty_notes() -> None:
    """tenforty (OpenTaxSolver) takes the standard deduction: compared on the same basis."""
    ca = compute_tax(260_000, "CA", "single", deduction="standard")
    assert ca.federal_income_tax == 55_223
    assert ca.payroll.additional_medicare == pytest.approx(540)
    assert ca.state_income_tax == 19_959
    ny = compute_tax(218_000, "NY", "single", deduction="standard")
    assert (ny.federal_income_tax, ny.state_income_tax) == (41_783, 12_600)
    assert compute_tax(220_000, "Texas", "single").federal_income_tax == 42_423
    # The default itemizes California's $19,959 (over the $15,750 standard deduction).
    assert compute_tax(260_000, "CA", "single").federal_deduction_amount == 19_959


def test_additional_medicare_is_counted_once() -> None:
    import tenforty

    result = compute_tax(400_000, "CA", "single", deduction="standard")
    engine = tenforty.evaluate_return(year=2025, state="CA", w2_income=400_000)
    assert result.payroll.additional_medicare == pytest.approx(
        engine.federal_additional_medicare_tax
    )
    # federal_income_tax excludes it; the total counts it once, inside payroll.
    assert result.federal_income_tax == engine.federal_income_tax
    assert result.total_tax == pytest.approx(
        engine.federal_total_tax + result.state_income_tax + result.payroll.fica
        + result.payroll.state_payroll
    )  # fmt: skip


def test_payroll_components() -> None:
    ca = payroll_taxes(260_000, "CA", "single")
    assert ca.social_security == pytest.approx(10_918.20)
    assert ca.medicare == pytest.approx(3_770)
    assert [i.name for i in ca.state_items] == ["CA SDI"]
    assert ca.state_payroll == pytest.approx(3_120)
    ny = payroll_taxes(300_000, "NY", "single")
    assert ny.state_payroll == pytest.approx(31.20 + 354.53)
    # Rhode Island TDI 1.3% to $89,200 (RI DLT 2025 rates).
    assert payroll_taxes(150_000, "RI").state_payroll == pytest.approx(0.013 * 89_200)
    # Maine PFML 0.5% and Delaware Paid Leave 0.4% to the Social Security wage base (from 2025);
    # Vermont Child Care Contribution 0.11% of all wages; Alaska UI 0.5% to $51,700.
    assert payroll_taxes(250_000, "ME").state_payroll == pytest.approx(0.005 * 176_100)
    assert payroll_taxes(250_000, "DE").state_payroll == pytest.approx(0.004 * 176_100)
    assert payroll_taxes(250_000, "VT").state_payroll == pytest.approx(0.0011 * 250_000)
    assert payroll_taxes(250_000, "AK").state_payroll == pytest.approx(0.005 * 51_700)
    # Hawaii TDI at most $7.49 a week.
    assert payroll_taxes(250_000, "HI").state_payroll == pytest.approx(52 * 7.49)
    assert not payroll_taxes(250_000, "HI").notes
    married = payroll_taxes(300_000, "TX", "married")
    assert married.additional_medicare == pytest.approx(450)


def test_new_york_city_tax() -> None:
    """On the standard deductions (NY $8,000 single), as the IT-201 worksheet below."""
    nyc = compute_tax(218_000, "NY", "single", locality="nyc", deduction="standard")
    # NYC base = NY taxable income 210,000; IT-201 NYC rate schedule, less the school tax
    # credit: fixed $63 (income up to $250,000) and the rate reduction amount (line 69a).
    tax = 12_000 * 0.03078 + 13_000 * 0.03762 + 25_000 * 0.03819 + 160_000 * 0.03876
    credit = 63 + 0.00171 * 12_000 + 0.00228 * (210_000 - 12_000)
    assert nyc.local_income_tax == pytest.approx(tax - credit, abs=1)
    assert nyc.total_tax == pytest.approx(
        compute_tax(218_000, "NY", deduction="standard").total_tax + tax - credit, abs=1
    )
    # Above $500,000 of taxable income no rate reduction, above $250,000 no fixed amount.
    rich = compute_tax(700_000, "NY", "single", locality="nyc", deduction="standard")
    taxable = 700_000 - 8_000
    assert rich.local_income_tax == pytest.approx(
        12_000 * 0.03078 + 13_000 * 0.03762 + 25_000 * 0.03819 + (taxable - 50_000) * 0.03876,
        abs=1,
    )


@pytest.mark.parametrize(
    ("state", "city", "locality", "wages", "expected"),
    [
        # Philadelphia Wage Tax: 3.75% to June 30, 3.74% after (the year's average).
        ("PA", "Philadelphia", "philadelphia", 200_000, 0.03745 * 200_000),
        # Pittsburgh EIT 3% (city 1% + school district 2%) + Local Services Tax $52.
        ("PA", "Pittsburgh", "pittsburgh", 200_000, 0.03 * 200_000 + 52),
        ("OH", "Columbus", "columbus", 150_000, 0.025 * 150_000),
        ("OH", "Cincinnati", "cincinnati", 150_000, 0.018 * 150_000),
        ("OH", "Cleveland", "cleveland", 150_000, 0.025 * 150_000),
        # Maryland county tax on Maryland taxable income (no exemption above $150,000).
        ("MD", "Bethesda", "montgomery_md", 200_000, 0.032 * (200_000 - 3_350)),
        # Metro SHS 1% + Multnomah PFA 1.5% / 3% of Oregon taxable income (no federal tax
        # subtraction above $145,000; standard deduction $2,835).
        ("OR", "Portland", "portland_or", 300_000,
         0.01 * (300_000 - 2_835 - 125_000) + 0.015 * (250_000 - 125_000)
         + 0.03 * (300_000 - 2_835 - 250_000)),
        ("OR", "Hillsboro", "portland_metro_or", 300_000, 0.01 * (300_000 - 2_835 - 125_000)),
        # Detroit 2.4% of income less $600 a person.
        ("MI", "Detroit", "detroit", 100_000, 0.024 * (100_000 - 600)),
        ("CA", "San Francisco", "san_francisco", 300_000, 0.0),
    ],
)  # fmt: skip
def test_local_taxes(state: str, city: str, locality: str, wages: float, expected: float) -> None:
    assert locality_for(state, city) == locality
    result = compute_tax(wages, state, "single", locality=locality, deduction="standard")
    assert result.local_income_tax == pytest.approx(expected, abs=1)
    without = compute_tax(wages, state, deduction="standard")
    assert result.total_tax == pytest.approx(without.total_tax + expected, abs=1)


def test_yonkers_surcharge_is_a_share_of_state_tax() -> None:
    result = compute_tax(250_000, "NY", "married", locality="yonkers")
    assert result.local_income_tax == pytest.approx(0.1675 * result.state_income_tax, abs=1)


def test_locality_must_be_in_the_state() -> None:
    with pytest.raises(InputError):
        compute_tax(100_000, "NJ", locality="nyc")
    with pytest.raises(InvalidValue):
        compute_tax(100_000, "NY", locality="atlantis")
    assert locality_for("NY", "Buffalo") is None
    notes = " ".join(compute_tax(100_000, "OH").notes)
    assert "municipal" in notes


def test_every_state_computes_and_says_which_engine() -> None:
    from careerbench.money.tax import ALL_STATES

    engines = {compute_tax(200_000, s).state_engine.split(" ")[0] for s in ALL_STATES}
    assert engines == {"none:", "careerbench"}
    # "approximate" only where a known difference remains (low-income credits not applied).
    assert not [s for s in ALL_STATES if "approximate" in compute_tax(100_000, s).state_engine]
    assert "approximate" in compute_tax(12_000, "WV").state_engine


def test_federal_tax_matches_tenforty() -> None:
    """The federal rules file against tenforty (OpenTaxSolver), Tax Table rows included."""
    import tenforty

    rng = np.random.default_rng(3)
    for filing, status in (("single", "Single"), ("married", "Married/Joint")):
        for wages in [*rng.uniform(0, 130_000, 20).round(), *rng.uniform(130_000, 3e6, 8).round()]:
            engine = tenforty.evaluate_return(
                year=2025, filing_status=status, w2_income=float(wages)
            )
            ours = compute_tax(float(wages), "TX", filing).federal_income_tax
            assert ours == pytest.approx(engine.federal_income_tax, abs=0.01), (filing, wages)


def test_itemizing_salt_cap_and_its_phase_down() -> None:
    plain = compute_tax(550_000, "CA", "single", deduction="standard")
    assert plain.federal_deduction == "standard"
    assert plain.federal_income_tax == pytest.approx(hand_federal(550_000, "single"), abs=1)
    # MAGI $550,000: cap $40,000 - 30% x $50,000 = $25,000 (the CA tax is larger).
    result = compute_tax(550_000, "CA", "single")
    assert result == compute_tax(550_000, "CA", "single", itemized=Itemized())
    assert result.federal_deduction == "itemized"
    assert result.salt_cap == pytest.approx(25_000)
    assert result.salt_deduction == pytest.approx(25_000)
    taxable = 550_000 - 25_000
    assert result.federal_income_tax == pytest.approx(
        hand_federal(taxable + STANDARD_DEDUCTION["single"], "single"), abs=1
    )
    # MAGI $700,000: the phase-down stops at the $10,000 floor.
    high = compute_tax(700_000, "NJ", "married", itemized={"mortgage_interest": 30_000})
    assert high.salt_cap == pytest.approx(10_000)
    assert high.federal_deduction_amount == pytest.approx(10_000 + 30_000)
    # Texas: no state income tax, property tax alone below the standard deduction.
    texas = compute_tax(300_000, "TX", itemized=Itemized(property_tax=9_000))
    assert texas.federal_deduction == "standard"
    assert texas.to_dict()["deductions"]["itemized_inputs"]["property_tax"] == 9_000


def test_itemized_inputs_are_checked() -> None:
    with pytest.raises(InputError) as info:
        compute_tax(100_000, "CA", itemized={"property_tax": -5})
    assert str(info.value).startswith("itemized.property_tax")
    with pytest.raises(InputError):
        compute_tax(100_000, "CA", itemized={"yacht": 5})


def test_tax_curve_follows_exact_engine() -> None:
    rng = np.random.default_rng(7)
    cases = (
        ("CA", "single", None), ("NY", "single", "nyc"), ("IL", "married", None),
        ("AL", "single", None), ("CT", "married", None), ("OR", "single", "portland_or"),
    )  # fmt: skip
    for state, filing, locality in cases:
        curve = tax_curve(state, filing, 2025, locality)
        wages = rng.uniform(20_000, 3_000_000, 40)
        exact = np.array(
            [compute_tax(float(w), state, filing, locality=locality).total_tax for w in wages]
        )
        assert np.max(np.abs(curve.total_tax(wages) - exact) / exact) < 0.001, state


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"wages": -1.0, "state": "CA"}, InputError, "wages"),
        ({"wages": 100_000.0, "state": "ZZ"}, InvalidValue, "state"),
        ({"wages": 100_000.0, "state": "Calfornia"}, InvalidValue, "state"),
        ({"wages": 100_000.0, "state": "CA", "filing": "head"}, InvalidValue, "filing"),
        ({"wages": 100_000.0, "state": "CA", "year": 2019}, InputError, "year"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict[str, object], error: type, field: str) -> None:
    with pytest.raises(error) as info:
        compute_tax(**kwargs)  # type: ignore[arg-type]
    assert isinstance(info.value, CareerbenchError)
    assert str(info.value).startswith(field)


@settings(max_examples=40, deadline=None)
@given(
    st.floats(min_value=0, max_value=2_000_000),
    st.floats(min_value=0, max_value=300_000),
    st.sampled_from(["CA", "NY", "TX", "MA", "WA", "NJ"]),
    st.sampled_from(["single", "married"]),
)
def test_taxes_are_monotone_and_below_pay(
    wages: float, raise_: float, state: str, filing: str
) -> None:
    low = compute_tax(wages, state, filing)
    high = compute_tax(wages + raise_ + 1, state, filing)
    assert high.total_tax >= low.total_tax - 1  # whole-dollar rounding inside the engine
    assert high.after_tax >= low.after_tax - 1
    assert 0 <= low.total_tax <= max(wages, 0) + 1
    assert low.after_tax <= wages
