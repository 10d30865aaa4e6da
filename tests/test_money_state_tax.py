"""State income tax, every state with a tax on wages and DC, against the published 2025 forms.

Each expected figure is worked here line by line from the state's 2025 form or instruction
booklet named beside it (rates, deductions, exemptions, phase-outs, credits), not taken from
careerbench's rules file. The filer has W-2 wages only, no dependents, is under 65; "married"
is married filing jointly with a spouse without income; the standard deduction is used unless a
case says otherwise. Tolerance $1 (state tax is rounded to whole dollars).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from careerbench.money.itemized import Itemized
from careerbench.money.tax import ALL_STATES, NO_WAGE_TAX_STATES, compute_tax


def marginal(income: float, rows: list[tuple[float, float]]) -> float:
    """Tax at marginal rates; ``rows`` are (floor, rate)."""
    tax = 0.0
    for i, (floor, rate) in enumerate(rows):
        ceiling = rows[i + 1][0] if i + 1 < len(rows) else math.inf
        if income > floor:
            tax += (min(income, ceiling) - floor) * rate
    return tax


# 2025 Form 1040 (Rev. Proc. 2024-40 brackets; Public Law 119-21 standard deduction), the figure
# Alabama, Missouri and Oregon subtract; Tax Table midpoints below $100,000.
FEDERAL = {
    "single": [(0, 0.10), (11_925, 0.12), (48_475, 0.22), (103_350, 0.24), (197_300, 0.32),
               (250_525, 0.35), (626_350, 0.37)],
    "married": [(0, 0.10), (23_850, 0.12), (96_950, 0.22), (206_700, 0.24), (394_600, 0.32),
                (501_050, 0.35), (751_600, 0.37)],
}  # fmt: skip
FEDERAL_STANDARD = {"single": 15_750, "married": 31_500}


def federal_tax(wages: float, filing: str) -> float:
    taxable = max(0.0, wages - FEDERAL_STANDARD[filing])
    if taxable < 100_000:
        row = 50 * math.floor(taxable / 50)
        return math.floor(marginal(row + 25, FEDERAL[filing]) + 0.5)
    return marginal(taxable, FEDERAL[filing])


def fica(wages: float, filing: str) -> float:
    threshold = 200_000 if filing == "single" else 250_000
    return 0.062 * min(wages, 176_100) + 0.0145 * wages + 0.009 * max(0.0, wages - threshold)


CA_SINGLE = [(0, 0.01), (11_079, 0.02), (26_264, 0.04), (41_452, 0.06), (57_542, 0.08),
             (72_724, 0.093), (371_479, 0.103), (445_771, 0.113), (742_953, 0.123)]  # fmt: skip
CA_MARRIED = [(0, 0.01), (22_158, 0.02), (52_528, 0.04), (82_904, 0.06), (115_084, 0.08),
              (145_448, 0.093), (742_958, 0.103), (891_542, 0.113), (1_485_906, 0.123)]  # fmt: skip
NY_SINGLE = [(0, 0.04), (8_500, 0.045), (11_700, 0.0525), (13_900, 0.055), (80_650, 0.06),
             (215_400, 0.0685), (1_077_550, 0.0965), (5_000_000, 0.103)]  # fmt: skip
NY_MARRIED = [(0, 0.04), (17_150, 0.045), (23_600, 0.0525), (27_900, 0.055), (161_550, 0.06),
              (323_200, 0.0685), (2_155_350, 0.0965), (5_000_000, 0.103)]  # fmt: skip


def al_single_180k() -> float:
    # Form 40: line 12 federal tax deduction; Schedule A line 6 FICA beats the $2,500 standard
    # deduction; line 13 personal exemption $1,500; rate schedule 2% / 4% / 5%.
    taxable = 180_000 - federal_tax(180_000, "single") - fica(180_000, "single") - 1_500
    return marginal(taxable, [(0, 0.02), (500, 0.04), (3_000, 0.05)])


def al_married_100k() -> float:
    # Standard deduction chart: $8,500 less $175 per $500 over $25,500, not below $5,000;
    # Schedule A (FICA $7,650) is larger. Exemption $3,000.
    taxable = 100_000 - federal_tax(100_000, "married") - fica(100_000, "married") - 3_000
    return marginal(taxable, [(0, 0.02), (1_000, 0.04), (6_000, 0.05)])


def ar_single_180k() -> float:
    # AR1000F: standard deduction $2,480; 2025 tax over $100,000: 3.9% less $91.00; personal
    # tax credit $29.
    return 0.039 * (180_000 - 2_480) - 91.00 - 29


def ca_single_260k() -> float:
    # Form 540: standard deduction $5,706; exemption credit $153 less $6 per $2,500 (or part)
    # of AGI over $252,203.
    credit = 153 - 6 * math.ceil((260_000 - 252_203) / 2_500)
    return marginal(260_000 - 5_706, CA_SINGLE) - credit


def ca_married_1_2m() -> float:
    # Exemption credits fully phased out; line 62 Behavioral Health Services Tax 1% over $1M.
    taxable = 1_200_000 - 11_412
    return marginal(taxable, CA_MARRIED) + 0.01 * (taxable - 1_000_000)


def ct_single_450k() -> float:
    # CT-1040 Table A: no exemption; Table B; Table C add-back $250; Table D recapture $250 +
    # min($2,700, $90 per $5,000 over $200,000).
    rows = [(0, 0.02), (10_000, 0.045), (50_000, 0.055), (100_000, 0.06), (200_000, 0.065),
            (250_000, 0.069), (500_000, 0.0699)]  # fmt: skip
    middle = min(2_700, 90 * math.ceil((450_000 - 200_000) / 5_000))
    return marginal(450_000, rows) + 250 + 250 + middle


def ct_married_180k() -> float:
    # Table A: $24,000 less $1,000 per $1,000 over $48,000 -> 0; Table C: $50 per $5,000 over
    # $100,500, at most $500; no recapture below $210,000.
    rows = [(0, 0.02), (20_000, 0.045), (100_000, 0.055), (200_000, 0.06)]
    return marginal(180_000, rows) + min(500, 50 * math.ceil((180_000 - 100_500) / 5_000))


def de_single_100k() -> float:
    rows = [(0, 0.0), (2_000, 0.022), (5_000, 0.039), (10_000, 0.048), (20_000, 0.052),
            (25_000, 0.0555), (60_000, 0.066)]  # fmt: skip
    return marginal(100_000 - 3_250, rows) - 110


def dc_single_180k() -> float:
    rows = [(0, 0.04), (10_000, 0.06), (40_000, 0.065), (60_000, 0.085), (250_000, 0.0925),
            (500_000, 0.0975), (1_000_000, 0.1075)]  # fmt: skip
    return marginal(180_000 - 15_000, rows)


def hi_single_180k() -> float:
    rows = [(0, 0.014), (9_600, 0.032), (14_400, 0.055), (19_200, 0.064), (24_000, 0.068),
            (36_000, 0.072), (48_000, 0.076), (125_000, 0.079), (175_000, 0.0825),
            (225_000, 0.09), (275_000, 0.10), (325_000, 0.11)]  # fmt: skip
    return marginal(180_000 - 4_400 - 1_144, rows)


def ks_married_180k() -> float:
    return marginal(180_000 - 8_240 - 18_320, [(0, 0.052), (46_000, 0.0558)])


def me_single_180k() -> float:
    # Standard deduction fully phased out (AGI $80,000 over $100,000, width $75,000);
    # exemption $5,150.
    return marginal(180_000 - 5_150, [(0, 0.058), (26_800, 0.0675), (63_450, 0.0715)])


def me_married_260k() -> float:
    standard = 30_000 * (1 - (260_000 - 200_050) / 150_000)
    return marginal(260_000 - standard - 10_300, [(0, 0.058), (53_600, 0.0675), (126_900, 0.0715)])


def md_single_180k() -> float:
    # Exemption chart: none above $150,000 single; standard deduction $3,350.
    rows = [(0, 0.02), (1_000, 0.03), (2_000, 0.04), (3_000, 0.0475), (100_000, 0.05),
            (125_000, 0.0525), (150_000, 0.055), (250_000, 0.0575), (500_000, 0.0625),
            (1_000_000, 0.065)]  # fmt: skip
    return marginal(180_000 - 3_350, rows)


def ma_single_1_2m() -> float:
    taxable = 1_200_000 - 4_400 - 2_000
    return 0.05 * taxable + 0.04 * (taxable - 1_083_150)


def mn_married_450k() -> float:
    # Worksheet B for line 4: 3% of AGI over $238,950 up to $330,300, 10% above, at most 80%.
    reduction = min(0.03 * (330_300 - 238_950) + 0.10 * (450_000 - 330_300), 0.8 * 29_900)
    rows = [(0, 0.0535), (47_620, 0.068), (189_180, 0.0785), (330_410, 0.0985)]
    return marginal(450_000 - (29_900 - reduction), rows)


def mo_married_100k() -> float:
    # MO-1040 line 13: 15% of federal tax at AGI $50,001-$100,000; line 14 federal standard.
    subtraction = 0.15 * federal_tax(100_000, "married")
    rows = [(0, 0.0), (1_313, 0.02), (2_626, 0.025), (3_939, 0.03), (5_252, 0.035),
            (6_565, 0.04), (7_878, 0.045), (9_191, 0.047)]  # fmt: skip
    return marginal(100_000 - 31_500 - subtraction, rows)


def ny_single_300k() -> float:
    # IT-201 tax computation worksheet 3: recapture base $568 + $1,831 x phase-in.
    taxable = 300_000 - 8_000
    return marginal(taxable, NY_SINGLE) + 568 + 1_831 * min(1.0, (300_000 - 215_400) / 50_000)


def ny_married_1_2m() -> float:
    # Worksheet for taxable income over $323,200 up to $2,155,350: base $1,140 + $2,747.
    taxable = 1_200_000 - 16_050
    return marginal(taxable, NY_MARRIED) + 1_140 + 2_747


def nd_single_450k() -> float:
    return marginal(450_000 - 15_750, [(0, 0.0), (48_475, 0.0195), (244_825, 0.025)])


def oh_single_180k() -> float:
    # IT 1040: exemption $1,900 (MAGI over $80,000); schedule: $2,394.32 + 3.125% over $100,000.
    return 2_394.32 + 0.03125 * (180_000 - 1_900 - 100_000)


def ok_single_100k() -> float:
    rows = [(0, 0.0025), (1_000, 0.0075), (2_500, 0.0175), (3_750, 0.0275), (4_900, 0.0375),
            (7_200, 0.0475)]  # fmt: skip
    return marginal(100_000 - 6_350 - 1_000, rows)


OR_SINGLE = [(0, 0.0475), (4_400, 0.0675), (11_100, 0.0875), (125_000, 0.099)]


def or_single_100k() -> float:
    # OR-40: federal tax subtraction at most $8,500 (AGI under $125,000); exemption credit $256.
    subtraction = min(8_500, federal_tax(100_000, "single"))
    return marginal(100_000 - subtraction - 2_835, OR_SINGLE) - 256


def or_single_180k() -> float:
    # No federal tax subtraction at AGI $145,000 or more; no exemption credit above $100,000.
    return marginal(180_000 - 2_835, OR_SINGLE)


def ri_single_260k() -> float:
    # Worksheets: 20% less per $7,250 (or part) over $254,250 -> 80% of each.
    taxable = 260_000 - 0.8 * 10_900 - 0.8 * 5_100
    return marginal(taxable, [(0, 0.0375), (79_900, 0.0475), (181_650, 0.0599)])


def sc_single_180k() -> float:
    # SC1040: federal taxable income + line e add-back of $15,750 - $15,000.
    taxable = 180_000 - 15_750 + 750
    return marginal(taxable, [(0, 0.0), (3_560, 0.03), (17_830, 0.06)])


def ut_married_100k() -> float:
    # TC-40: 4.5% of AGI less the taxpayer tax credit 6% x $31,500 - 1.3% x (AGI - $36,426).
    credit = 0.06 * 31_500 - 0.013 * (100_000 - 36_426)
    return 0.045 * 100_000 - credit


def vt_single_180k() -> float:
    rows = [(0, 0.0335), (49_400, 0.066), (119_700, 0.076), (249_700, 0.0875)]
    return max(marginal(180_000 - 7_650 - 5_300, rows), 0.03 * 180_000)


def va_single_180k() -> float:
    return marginal(
        180_000 - 8_750 - 930, [(0, 0.02), (3_000, 0.03), (5_000, 0.05), (17_000, 0.0575)]
    )


def wv_single_100k() -> float:
    rows = [(0, 0.0222), (10_000, 0.0296), (25_000, 0.0333), (40_000, 0.0444), (60_000, 0.0482)]
    return marginal(100_000 - 2_000, rows)


def wi_single_180k() -> float:
    # Sliding-scale standard deduction is 0 at this income; exemption $700.
    rows = [(0, 0.035), (14_680, 0.044), (50_480, 0.053), (323_290, 0.0765)]
    return marginal(180_000 - max(0.0, 13_560 - 0.12 * (180_000 - 19_550)) - 700, rows)


# (state, filing, wages, expected state income tax, source)
CASES: list[tuple[str, str, float, Callable[[], float], str]] = [
    ("AL", "single", 180_000, al_single_180k, "Form 40 lines 10-19, Schedule A line 6"),
    ("AL", "married", 100_000, al_married_100k, "Form 40 booklet standard deduction chart"),
    ("AZ", "single", 100_000, lambda: 0.025 * (100_000 - 15_750), "Form 140 lines 43-46"),
    ("AR", "single", 180_000, ar_single_180k, "AR1000F instructions, 2025 tax table formula"),
    ("CA", "single", 260_000, ca_single_260k, "Form 540 lines 18-32, AGI limitation worksheet"),
    ("CA", "married", 1_200_000, ca_married_1_2m, "Form 540 Schedule Y and line 62"),
    ("CO", "single", 450_000, lambda: 0.044 * (450_000 - 12_000), "104 Book additions line 4"),
    ("CO", "married", 180_000, lambda: 0.044 * (180_000 - 31_500), "Form 104 lines 1-12"),
    ("CT", "single", 450_000, ct_single_450k, "CT-1040 instructions Tables A-D"),
    ("CT", "married", 180_000, ct_married_180k, "CT-1040 instructions Tables A-C"),
    ("DE", "single", 100_000, de_single_100k, "Delaware resident instructions, rate schedule"),
    ("DC", "single", 180_000, dc_single_180k, "D-40 booklet, tax rate schedule"),
    ("GA", "married", 260_000, lambda: 0.0519 * (260_000 - 24_000), "IT-511, Form 500 line 11"),
    ("HI", "single", 180_000, hi_single_180k, "N-11 instructions lines 23-26"),
    ("ID", "single", 260_000, lambda: 0.053 * (260_000 - 15_750 - 4_811) + 10, "Form 40"),
    ("IL", "single", 260_000, lambda: 0.0495 * 260_000, "IL-1040 step 4: no exemption"),
    ("IL", "married", 450_000, lambda: 0.0495 * (450_000 - 5_700), "IL-1040 line 10"),
    ("IN", "single", 100_000, lambda: 0.03 * (100_000 - 1_000), "IT-40 line 8"),
    ("IA", "single", 180_000, lambda: 0.038 * (180_000 - 15_750) - 40, "IA 1040 lines 1-8"),
    ("KS", "married", 180_000, ks_married_180k, "K-40 lines 4-8"),
    ("KY", "married", 180_000, lambda: 0.04 * (180_000 - 3_270), "Form 740 lines 10-12"),
    ("LA", "married", 260_000, lambda: 0.03 * (260_000 - 25_000), "IT-540 lines 8-11"),
    ("ME", "single", 180_000, me_single_180k, "1040ME standard deduction worksheet"),
    ("ME", "married", 260_000, me_married_260k, "1040ME standard deduction worksheet"),
    ("MD", "single", 180_000, md_single_180k, "Maryland exemption chart and rate schedule"),
    ("MA", "single", 180_000, lambda: 0.05 * (180_000 - 4_400 - 2_000), "Form 1 lines 2a, 10"),
    ("MA", "single", 1_200_000, ma_single_1_2m, "Form 1 line 22, 4% surtax"),
    ("MI", "married", 100_000, lambda: 0.0425 * (100_000 - 11_600), "MI-1040 lines 9-17"),
    ("MN", "married", 450_000, mn_married_450k, "M1 Worksheet B for line 4"),
    ("MS", "single", 100_000, lambda: 0.044 * (100_000 - 2_300 - 6_000 - 10_000), "80-100"),
    ("MO", "single", 180_000, lambda: marginal(180_000 - 15_750, [(0, 0.0), (1_313, 0.02),
        (2_626, 0.025), (3_939, 0.03), (5_252, 0.035), (6_565, 0.04), (7_878, 0.045),
        (9_191, 0.047)]), "MO-1040 lines 13-14 (no federal tax deduction over $125,000)"),
    ("MO", "married", 100_000, mo_married_100k, "MO-1040 line 13 percentage table"),
    ("MT", "single", 180_000, lambda: 0.047 * 21_100 + 0.059 * (164_250 - 21_100), "Form 2"),
    ("NE", "single", 180_000, lambda: marginal(180_000 - 8_600, [(0, 0.0246), (4_030, 0.0351),
        (24_120, 0.0501), (38_870, 0.052)]) - 171, "Nebraska booklet lines 6-18"),
    ("NJ", "single", 180_000, lambda: marginal(179_000, [(0, 0.014), (20_000, 0.0175),
        (35_000, 0.035), (40_000, 0.05525), (75_000, 0.0637), (500_000, 0.0897)]), "NJ-1040"),
    ("NM", "married", 180_000, lambda: marginal(148_500, [(0, 0.015), (8_000, 0.032),
        (25_000, 0.043), (50_000, 0.047), (100_000, 0.049), (315_000, 0.059)]), "PIT-1"),
    ("NY", "single", 300_000, ny_single_300k, "IT-201 tax computation worksheet 3"),
    ("NY", "married", 1_200_000, ny_married_1_2m, "IT-201 tax computation worksheet"),
    ("NC", "single", 180_000, lambda: 0.0425 * (180_000 - 12_750), "D-400 lines 11-15"),
    ("ND", "single", 450_000, nd_single_450k, "ND-1 rate schedule"),
    ("OH", "single", 180_000, oh_single_180k, "IT 1040 instructions, 2025 tax schedule"),
    ("OK", "single", 100_000, ok_single_100k, "Form 511 instructions, rate schedule"),
    ("OR", "single", 100_000, or_single_100k, "OR-40 lines 10, 17, 25"),
    ("OR", "single", 180_000, or_single_180k, "OR-40 line 10 table"),
    ("PA", "single", 120_000, lambda: 0.0307 * 120_000, "PA-40 line 12"),
    ("RI", "single", 260_000, ri_single_260k, "RI-1040 worksheets"),
    ("SC", "single", 180_000, sc_single_180k, "SC1040 line e and tax table"),
    ("UT", "single", 100_000, lambda: 0.045 * 100_000, "TC-40: credit fully phased out"),
    ("UT", "married", 100_000, ut_married_100k, "TC-40 lines 12-19"),
    ("VT", "single", 180_000, vt_single_180k, "IN-111 lines 4-8"),
    ("VA", "single", 180_000, va_single_180k, "Form 760 lines 11-16"),
    ("WV", "single", 100_000, wv_single_100k, "IT-140 rate schedule"),
    ("WI", "single", 180_000, wi_single_180k, "Form 1 standard deduction table"),
]  # fmt: skip


@pytest.mark.parametrize(("state", "filing", "wages", "expected", "source"), CASES)
def test_state_tax_follows_the_form(
    state: str, filing: str, wages: float, expected: Callable[[], float], source: str
) -> None:
    """Each form's worksheet, filed with the federal standard deduction."""
    result = compute_tax(wages, state, filing, deduction="standard")
    assert result.state_income_tax == pytest.approx(expected(), abs=1), source


def test_every_state_with_a_wage_tax_has_a_case() -> None:
    covered = {case[0] for case in CASES}
    assert covered == set(ALL_STATES) - NO_WAGE_TAX_STATES


@pytest.mark.parametrize("state", sorted(NO_WAGE_TAX_STATES))
def test_no_wage_tax(state: str) -> None:
    result = compute_tax(750_000, state, "married")
    assert result.state_income_tax == 0
    assert result.state_engine.startswith("none")


def test_alabama_itemizes_fica_and_the_label_is_exact() -> None:
    result = compute_tax(180_000, "AL", "single")
    assert result.state_deduction == "itemized"
    assert result.state_deduction_amount == pytest.approx(fica(180_000, "single"))
    assert "approximate" not in result.state_engine


def test_states_on_federal_taxable_income_follow_the_federal_deduction() -> None:
    # Colorado 104: federal taxable income; above $300,000 of AGI the federal deduction over
    # $16,000 (joint) is added back, so itemizing does not lower Colorado's base below
    # AGI - $16,000; the state income tax deducted federally is added back too (line 2).
    result = compute_tax(450_000, "CO", "married", itemized={"property_tax": 15_000})
    assert (result.federal_deduction, result.state_deduction) == ("itemized", "itemized")
    assert result.state_taxable_income >= 450_000 - 16_000


def test_low_income_credits_not_applied_are_labelled() -> None:
    low = compute_tax(15_000, "KY", "single")
    assert "approximate" in low.state_engine
    assert "approximate" not in compute_tax(150_000, "KY", "single").state_engine


def test_pennsylvania_forgiveness_and_filing_thresholds() -> None:
    # PA Schedule SP: 100% forgiveness to $6,500; 10% less per $250 above.
    assert compute_tax(6_000, "PA").state_income_tax == 0
    assert compute_tax(7_000, "PA").state_income_tax == pytest.approx(0.0307 * 7_000 * 0.2, abs=1)
    # NJ-1040: no tax on gross income of $10,000 or less.
    assert compute_tax(10_000, "NJ").state_income_tax == 0


def test_state_itemizing_reported_separately() -> None:
    # Federal Schedule A: SALT capped at $40,000 (AGI under $500,000). New York IT-196: property
    # tax and mortgage interest without the cap, less the line 46 adjustment (25% of the total
    # once NY AGI is $50,000 over $200,000 joint).
    itemized = Itemized(property_tax=25_000, mortgage_interest=30_000, charitable_cash=5_000)
    result = compute_tax(400_000, "NY", "married", itemized=itemized)
    assert result.federal_deduction == "itemized"
    assert result.salt_cap == 40_000
    assert result.salt_deduction == 40_000
    assert result.federal_deduction_amount == pytest.approx(40_000 + 30_000 + 5_000)
    assert result.state_deduction == "itemized"
    ny_itemized = 0.75 * (25_000 + 30_000 + 5_000)
    assert result.state_deduction_amount == pytest.approx(ny_itemized)
    taxable = 400_000 - ny_itemized
    # Worksheet for taxable income over $323,200: base $1,140 + $2,747 x phase-in (complete).
    phase_in = min(1.0, (400_000 - 323_200) / 50_000)
    expected = marginal(taxable, NY_MARRIED) + 1_140 + 2_747 * phase_in
    assert result.state_income_tax == pytest.approx(expected, abs=1)


def test_massachusetts_charity_and_illinois_property_tax_credit() -> None:
    items = Itemized(property_tax=12_000, charitable_cash=6_000)
    # Massachusetts Form 1: charitable deduction (restored from 2023) off Part B income.
    ma = compute_tax(200_000, "MA", "single", itemized=items)
    assert ma.state_income_tax == pytest.approx(0.05 * (200_000 - 4_400 - 2_000 - 6_000), abs=1)
    # Illinois Schedule ICR: 5% of property tax on the home, AGI up to $500,000 joint.
    il = compute_tax(300_000, "IL", "married", itemized=items)
    assert il.state_income_tax == pytest.approx(0.0495 * (300_000 - 5_700) - 600, abs=1)
    il_high = compute_tax(600_000, "IL", "married", itemized=items)
    assert il_high.state_income_tax == pytest.approx(0.0495 * 600_000, abs=1)


def test_new_york_itemized_limitation_over_340700() -> None:
    # IT-196: 25% adjustment (AGI over $150,000 single) and the line 40 worksheet, 3% of AGI
    # over $340,700 (less than 80% of the deductions).
    items = Itemized(property_tax=15_000, mortgage_interest=25_000, charitable_cash=10_000)
    result = compute_tax(450_000, "NY", "single", itemized=items)
    allowed = 50_000 - 0.25 * 50_000 - 0.03 * (450_000 - 340_700)
    assert result.state_deduction_amount == pytest.approx(allowed, abs=1)


def test_sales_tax_replaces_income_tax_on_schedule_a() -> None:
    # Texas has no income tax: general sales tax on Schedule A line 5a, with property tax.
    items = Itemized(sales_tax=4_000, property_tax=9_000, mortgage_interest=6_000)
    result = compute_tax(300_000, "TX", itemized=items)
    assert result.federal_deduction == "itemized"
    assert result.federal_deduction_amount == pytest.approx(4_000 + 9_000 + 6_000)
