"""The same job in different places: pay after tax and after cost of living.

``compare_places`` takes the pay in each place (annual US dollars of taxable wages, e.g. from the
benchmark engine's market P50 for a role and level, or given by hand) and returns, for each place,
the 2025 taxes where you would live, the after-tax pay and that pay in the reference place's
purchasing power: with all-items RPPs (everything a household buys) and with housing RPPs (rents
only, the upper bound of how much housing alone moves the answer). The reference is the first
place unless another is given.

``austin_vs_san_francisco`` recomputes a published claim (a $220K remote salary in Austin against
$260K in San Francisco) with these numbers and says whether they agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from careerbench.benchmark import MEASURE_WORDS, load_index
from careerbench.claims import AGREES, DISAGREES, ClaimCheck, claim
from careerbench.cohort import parse_cohort
from careerbench.errors import CareerbenchError, InputError
from careerbench.estimate import trained_model
from careerbench.limits import PAY
from careerbench.market import Sides, like_for_like
from careerbench.money.geo import Location, col_factor, locate, place_notes, rpp
from careerbench.money.payroll import Filing
from careerbench.money.tax import TaxResult, compute_tax


@dataclass(frozen=True)
class PlacePay:
    text: str
    location: Location
    pay: float
    tax: TaxResult
    col_factor: float
    housing_factor: float

    @property
    def after_tax(self) -> float:
        return self.tax.after_tax

    @property
    def after_tax_col(self) -> float:
        return self.after_tax * self.col_factor

    @property
    def rpp_all_items(self) -> float:
        return rpp(self.location).value

    @property
    def after_tax_housing_adjusted(self) -> float:
        return self.after_tax * self.housing_factor

    def to_dict(self) -> dict[str, Any]:
        return {
            "place": self.text,
            "location": self.location.to_dict(),
            "pay": round(self.pay, 2),
            "federal_income_tax": round(self.tax.federal_income_tax, 2),
            "state_income_tax": round(self.tax.state_income_tax, 2),
            "local_income_tax": round(self.tax.local_income_tax, 2),
            "payroll_tax": round(self.tax.payroll_tax, 2),
            "total_tax": round(self.tax.total_tax, 2),
            "after_tax": round(self.after_tax, 2),
            "rpp_all_items": rpp(self.location).to_dict(),
            "rpp_housing": rpp(self.location, line="housing").to_dict(),
            "after_tax_col": round(self.after_tax_col, 2),
            "after_tax_housing_adjusted": round(self.after_tax_housing_adjusted, 2),
            "state_engine": self.tax.state_engine,
        }


@dataclass(frozen=True)
class PlacesComparison:
    places: list[PlacePay]
    reference: Location
    filing: Filing
    market: Sides | None = None

    def best(self) -> PlacePay:
        return max(self.places, key=lambda p: p.after_tax_col)

    def place_notes(self) -> list[str]:
        """What the typed places were read as, where not their exact names."""
        return place_notes([*(p.location for p in self.places), self.reference])

    def pay_notes(self) -> list[str]:
        """Where each place's pay comes from: the market's answer (its measure, how the places
        were made comparable, and each place's n, sources and years), or the user."""
        if self.market is None:
            return ["pay: as given for each place"]
        words = MEASURE_WORDS[self.market.measure or "total_comp"]
        notes = [f"pay: the market P50 {words} in each place, like for like: {self.market.how}"]
        notes += [
            f"{p.location.label}: {a.evidence_text()}"
            for p, a in zip(self.places, self.market.answers, strict=True)
        ]
        return notes

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference_place": self.reference.to_dict(),
            "filing": self.filing.value,
            "places": [p.to_dict() for p in self.places],
            "best_after_tax_col": self.best().text,
            "place_notes": self.place_notes(),
            "pay_from": None
            if self.market is None
            else {
                "measure": self.market.measure,
                "how": self.market.how,
                "evidence": {
                    p.text: a.evidence_text()
                    for p, a in zip(self.places, self.market.answers, strict=True)
                },
            },
            "units": "USD a year, nominal, 2025 tax rules; *_col in reference-place purchasing "
            "power (BEA RPP 2024 all items); *_housing_adjusted with the housing RPP",
        }


def compare_places(
    pay_by_place: dict[str, float],
    *,
    reference: str | None = None,
    filing: Filing | str = Filing.SINGLE,
    market: Sides | None = None,
) -> PlacesComparison:
    """After-tax and cost-of-living adjusted pay for each place (pay given per place, or the
    market's, whose evidence ``market`` holds)."""
    if not pay_by_place:
        raise InputError("places", "give at least one place with its pay")
    locations = {text: locate(text) for text in pay_by_place}
    ref = locate(reference) if reference else next(iter(locations.values()))
    results = []
    for text, pay in pay_by_place.items():
        if PAY.problem(pay):
            raise InputError("pay", f"{text}: {PAY.problem(pay)}")
        location = locations[text]
        if location.state is None:
            raise InputError("places", f"{text!r} has no US state to tax it in")
        tax = compute_tax(pay, location.state, filing, locality=location.locality)
        results.append(
            PlacePay(
                text,
                location,
                pay,
                tax,
                col_factor(location, ref),
                col_factor(location, ref, line="housing"),
            )
        )
    return PlacesComparison(results, ref, tax.filing, market)


def market_pay(
    places: list[str], role: str, level: str, store: str | Path | None = None
) -> tuple[dict[str, float], Sides]:
    """The market P50 for ``role`` x ``level`` in each place, compared like for like: the same
    measure, sources and kind of evidence in every place (``market.like_for_like``).

    Raises ``InputError`` naming the reason when no like-for-like comparison exists.
    """
    profiles = []
    for place in places:
        location = locate(place)
        profiles.append(
            parse_cohort(
                role=role, level=level, country="US", state=location.state,
                metro=location.metro_code,
            )
        )  # fmt: skip
    sides = like_for_like(load_index(store), profiles, model=trained_model(store))
    if not sides.comparable:
        raise InputError("pay", f"no like-for-like market pay for these places ({sides.withheld})")
    pay = {}
    for place, answer in zip(places, sides.answers, strict=True):
        assert answer.quantiles is not None
        pay[place] = answer.quantiles.p50
    return pay, sides


def pay_for_places(
    places: list[str],
    pay: list[float] | None,
    *,
    role: str | None = None,
    level: str | None = None,
    store: str | Path | None = None,
) -> tuple[dict[str, float], Sides | None]:
    """Pay per place: given explicitly (one per place), else the market P50 by role and level
    (with the market's evidence)."""
    if not places:
        raise InputError("places", "give at least one place, e.g. 'Austin, TX'")
    if len(set(places)) != len(places):
        raise InputError("places", "a place is listed twice")
    if pay:
        if len(pay) not in (1, len(places)):
            raise InputError(
                "pay", f"give one --pay for every place ({len(places)}), or one for all"
            )
        amounts = pay * len(places) if len(pay) == 1 else pay
        return dict(zip(places, amounts, strict=True)), None
    if role and level:
        try:
            return market_pay(places, role, level, store)
        except CareerbenchError as exc:
            raise InputError(
                "pay", f"market pay is not available ({exc}); give --pay for each place"
            ) from None
    raise InputError("pay", "give --pay for each place (or --role and --level for market pay)")


def austin_vs_san_francisco(filing: Filing | str = Filing.SINGLE) -> ClaimCheck:
    """Recompute the published Austin ($220K remote) vs San Francisco ($260K) claim."""
    austin, sf = "remote:Austin, TX", "San Francisco, CA"
    comparison = compare_places(
        {austin: 220_000, sf: 260_000}, reference="Austin, TX", filing=filing
    )
    a, s = comparison.places
    margin = a.after_tax_col - s.after_tax_col
    agrees = margin > 0
    text = (
        f"after tax: Austin ${a.after_tax:,.0f}, San Francisco ${s.after_tax:,.0f}; in Austin "
        f"prices (BEA RPP all items {rpp(a.location).value:.1f} vs {rpp(s.location).value:.1f}): "
        f"${a.after_tax_col:,.0f} vs ${s.after_tax_col:,.0f}, Austin ahead by ${margin:,.0f} "
        f"({margin / s.after_tax_col:.0%}); with housing price levels alone, Austin ahead by "
        f"${a.after_tax_housing_adjusted - s.after_tax_housing_adjusted:,.0f}. "
        + ("Our numbers agree with the claim." if agrees else "Our numbers do not agree.")
    )
    return ClaimCheck(
        claim("austin-vs-sf"),
        AGREES if agrees else DISAGREES,
        text,
        kind="comparison",
        estimate=margin / s.after_tax_col,
        computed=comparison.to_dict(),
    )
