"""Switch or stay: your current job against an offer, over the next N years.

Both are projected from today (``projection.py``): the current job's grants keep vesting on their
schedules, the offer's start at month 0. Everything is US dollars, nominal, after tax (2025 rules)
and priced in the current job's place (BEA RPP) unless another reference is given.

The answer has:
- the unvested equity you walk away from (today's price), and what of it would vest within N years
  (a sign-on of that size, taxed the same way, covers it);
- any sign-on of the current job you would repay (clawback not yet over);
- the extra year-1 sign-on (pre-tax) that makes switching break even over N years;
- the break-even year (first year the switch's cumulative total catches up) and the difference
  over N years with risk ranges (Monte Carlo) and P(switch beats stay);
- promotion scenarios if you stay (10% and 15% base raise in year 2, the range of the published
  rule of thumb) and the market gap from the benchmark engine when it is available;
- the published rules of thumb, cited, beside these computed figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from careerbench.claims import Claim, claim
from careerbench.errors import CareerbenchError, InputError
from careerbench.market import market_answer
from careerbench.money.equity import DEFAULT_PATHS, Band, simulate
from careerbench.money.geo import Location, locate
from careerbench.money.offer import Offer, offer_cohort, unvested_value, vest_events
from careerbench.money.projection import Projection, project
from careerbench.money.tax import compute_tax

PROMOTION_RAISES: tuple[float, ...] = (10.0, 15.0)
PROMOTION_YEAR = 2


@dataclass(frozen=True)
class MarketGap:
    """Your pay against the market's answer for your profile, of the same measure (total comp,
    or base where the data have no total comp), with the evidence in ``text``."""

    available: bool
    text: str
    market_p50: float | None = None
    gap: float | None = None
    n: int | None = None
    measure: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "available": self.available,
            "text": self.text,
            "measure": self.measure,
            "market_p50": self.market_p50,
            "gap": self.gap,
            "n": self.n,
        }


def market_gap(offer: Offer, pay: dict[str, float], store: str | Path | None = None) -> MarketGap:
    """Your pay against the market's answer for your profile (``market.market_answer``): total
    comp against total comp, else base against base. ``pay`` holds both of your figures.

    Needs ``role`` and ``level`` in the offer file and an ingested store; otherwise says it is
    not available.
    """
    missing = "market gap: not available (run careerbench ingest)"
    if not offer.role or not offer.level:
        return MarketGap(False, missing + "; add role and level to the current job's file")
    try:
        cohort = offer_cohort(offer)
        for measure in ("total_comp", "base"):
            answer = market_answer(cohort, measure=measure, pay=pay[measure], store=store)
            if answer.quantiles is not None:
                break
    except (CareerbenchError, OSError):
        return MarketGap(False, missing)
    if answer.quantiles is None:
        return MarketGap(False, f"market gap: not available ({answer.evidence_text()})")
    p50 = answer.quantiles.p50
    gap = pay[measure] / p50 - 1.0
    text = (
        f"your {answer.words} is {gap:+.0%} against the market P50 (${p50:,.0f}: "
        f"{answer.evidence_text()})"
    )
    if gap < -0.20 and measure == "total_comp":
        text += "; more than 20% below market: the switching rule of thumb applies"
    return MarketGap(True, text, p50, gap, answer.n_behind(), measure)


@dataclass(frozen=True)
class SwitchResult:
    stay: Projection
    switch: Projection
    promotions: list[Projection]
    years: int
    unvested_walked_away: float
    unvested_within_horizon: float
    clawback_owed: float
    break_even_sign_on: float
    break_even_year: int | None
    difference: float
    difference_range: Band | None
    p_switch_beats_stay: float | None
    market: MarketGap
    rules: list[Claim] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        stay_total = self.stay.total("after_tax_col")
        return {
            "years": self.years,
            "reference_place": self.stay.reference.to_dict(),
            "stay": self.stay.to_dict(),
            "switch": self.switch.to_dict(),
            "stay_total_after_tax_col": round(stay_total, 2),
            "switch_total_after_tax_col": round(self.switch.total("after_tax_col"), 2),
            "difference_after_tax_col": round(self.difference, 2),
            "difference_range": None
            if self.difference_range is None
            else self.difference_range.to_dict(),
            "p_switch_beats_stay": self.p_switch_beats_stay,
            "unvested_walked_away": round(self.unvested_walked_away, 2),
            "unvested_within_horizon": round(self.unvested_within_horizon, 2),
            "sign_on_to_cover_unvested": round(self.unvested_within_horizon, 2),
            "clawback_owed": round(self.clawback_owed, 2),
            "break_even_sign_on": round(self.break_even_sign_on, 2),
            "break_even_year": self.break_even_year,
            "promotion_scenarios": [
                {
                    "scenario": p.notes[-1],
                    "total_after_tax_col": round(p.total("after_tax_col"), 2),
                    "switch_minus_this": round(
                        self.switch.total("after_tax_col") - p.total("after_tax_col"), 2
                    ),
                }
                for p in self.promotions
            ],
            "market_gap": self.market.to_dict(),
            "rules_of_thumb": [r.to_dict() for r in self.rules],
            "units": "USD, nominal, after tax (2025 rules), in reference-place purchasing power",
        }


def _break_even_sign_on(stay: Projection, switch: Projection) -> float:
    """Extra pre-tax sign-on in year 1 that makes the switch's total equal staying's."""
    gap = stay.total("after_tax_col") - switch.total("after_tax_col")
    if gap <= 0:
        return 0.0
    row = switch.rows[0]
    location = switch.location
    assert location.state is not None
    locality = switch.offer.locality or location.locality

    def after_tax_gain(extra: float) -> float:
        tax = compute_tax(
            row.wages + extra,
            location.state or "",
            switch.offer.filing_status,
            locality=locality,
            itemized=switch.offer.itemized,
        )
        base_tax = row.total_tax
        return (extra - (tax.total_tax - base_tax)) * row.col_factor

    low, high = 0.0, gap / max(row.col_factor, 1e-9)
    while after_tax_gain(high) < gap:
        high *= 2
    for _ in range(40):
        mid = (low + high) / 2
        if after_tax_gain(mid) < gap:
            low = mid
        else:
            high = mid
    return high


def _clawback(current: Offer) -> float:
    owed = 0.0
    for s in current.sign_on:
        paid_month = 12 * (s.year - 1)
        if (
            current.tenure_months < paid_month + s.clawback_months
            and current.tenure_months >= paid_month
        ):
            owed += s.amount
    return owed


def switch_or_stay(
    current: Offer,
    offer: Offer,
    *,
    years: int = 4,
    reference: str | Location | None = None,
    paths: int = DEFAULT_PATHS,
    seed: int = 0,
    store: str | Path | None = None,
) -> SwitchResult:
    """Compare staying in ``current`` with taking ``offer`` over ``years`` years."""
    if not 1 <= years <= 10:
        raise InputError("years", f"{years} is not between 1 and 10")
    ref = locate(current.place) if reference is None else reference
    if isinstance(ref, str):
        ref = locate(ref)
    stay = project(current, years, ref)
    switch = project(offer, years, ref)
    promotions = [
        project(current, years, ref, promotion=(PROMOTION_YEAR, pct))
        for pct in PROMOTION_RAISES
        if years >= PROMOTION_YEAR
    ]
    walked = unvested_value(current)
    within = sum(e.dollars for e in vest_events(current, years) if e.grant_month == 0)
    clawback = _clawback(current)
    stay_cum = stay.cumulative("after_tax_col")
    switch_cum = switch.cumulative("after_tax_col")
    clawback_col = clawback * stay.rows[0].col_factor
    break_even_year = next(
        (i + 1 for i, (a, b) in enumerate(zip(stay_cum, switch_cum, strict=True))
         if b - clawback_col >= a),
        None,
    )  # fmt: skip
    difference = switch.total("after_tax_col") - stay.total("after_tax_col") - clawback_col
    risk = simulate([stay, switch], paths=paths, seed=seed)
    diff_paths = risk.offers[1].after_tax_col - risk.offers[0].after_tax_col - clawback_col
    row1 = stay.rows[0]
    pay = {"total_comp": row1.base + row1.bonus + row1.equity_total, "base": row1.base}
    rules = [claim("switch-20-below"), claim("promotion-raise"), claim("lateral-move")]
    if walked > current.base:
        rules.append(claim("unvested-rsus"))
    return SwitchResult(
        stay=stay,
        switch=switch,
        promotions=promotions,
        years=years,
        unvested_walked_away=walked,
        unvested_within_horizon=within,
        clawback_owed=clawback,
        break_even_sign_on=_break_even_sign_on(stay, switch) + clawback,
        break_even_year=break_even_year,
        difference=difference,
        difference_range=Band.of(diff_paths),
        p_switch_beats_stay=float(np.mean(diff_paths > 0)),
        market=market_gap(current, pay, store),
        rules=rules,
    )
