"""Compare offers side by side: year by year, the differences, and the odds one beats another.

Every offer is projected over the same years (``projection.py``) and priced in the same
reference place (default: the first offer's place), so after-tax figures are comparable:
US dollars, nominal, 2025 tax rules, purchasing power of the reference place (BEA RPP 2024).
The differences are each offer minus the first one. Risk ranges come from ``equity.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from careerbench.errors import InputError
from careerbench.money.equity import DEFAULT_PATHS, RiskResult, simulate
from careerbench.money.geo import Location, locate, place_notes
from careerbench.money.offer import Offer
from careerbench.money.projection import Projection, project

#: A winner is declared only with this expected lead over every other offer ...
WIN_GAP = 0.02
#: ... and, where equity risk is simulated, ahead of each in at least this share of the paths.
WIN_PROBABILITY = 0.6


@dataclass(frozen=True)
class OfferMeasure:
    """A row of the year-by-year table of an offer: its key in a year's row, its label, whether
    it is a key figure (shown in bold), and whether it is left out when it is zero throughout."""

    key: str
    label: str
    key_figure: bool = False
    only_when_paid: bool = False

    def shown(self, projection: Projection) -> bool:
        return not self.only_when_paid or bool(projection.total(self.key))


#: The rows of an offer's year-by-year table, in order (every face shows these).
OFFER_MEASURES: tuple[OfferMeasure, ...] = (
    OfferMeasure("base", "Base"),
    OfferMeasure("bonus", "Bonus (target)"),
    OfferMeasure("sign_on", "Sign-on"),
    OfferMeasure("equity_total", "Vested equity"),
    OfferMeasure("pre_tax", "Pre-tax total", key_figure=True),
    OfferMeasure("federal_income_tax", "Federal income tax"),
    OfferMeasure("state_income_tax", "State income tax"),
    OfferMeasure("local_income_tax", "City income tax", only_when_paid=True),
    OfferMeasure("payroll_tax", "Payroll taxes"),
    OfferMeasure("after_tax", "After tax"),
    OfferMeasure("after_tax_col", "After tax, cost-of-living adjusted", key_figure=True),
)


@dataclass(frozen=True)
class Comparison:
    projections: list[Projection]
    reference: Location
    years: int
    risk: RiskResult | None

    def differences(self, measure: str = "after_tax_col") -> list[dict[str, Any]]:
        """Each offer minus the first, per year and cumulative."""
        first = self.projections[0]
        out = []
        for other in self.projections[1:]:
            yearly = [
                float(getattr(b, measure)) - float(getattr(a, measure))
                for a, b in zip(first.rows, other.rows, strict=True)
            ]
            out.append(
                {
                    "offer": other.name,
                    "versus": first.name,
                    "measure": measure,
                    "by_year": [round(v, 2) for v in yearly],
                    "cumulative": round(sum(yearly), 2),
                }
            )
        return out

    def best(self) -> Projection:
        return max(self.projections, key=lambda p: p.total("after_tax_col"))

    def place_notes(self) -> list[str]:
        """What the typed places were read as, where not their exact names."""
        return place_notes([*(p.location for p in self.projections), self.reference])

    def verdict(self) -> tuple[str | None, str]:
        """The winner, when the evidence supports one, and the sentence that says why.

        An offer wins when its expected after-tax, cost-of-living adjusted total is at least
        ``WIN_GAP`` above every other's and, where the equity risk was simulated, it comes out
        ahead of each of them in at least ``WIN_PROBABILITY`` of the paths.
        """
        if len(self.projections) < 2:
            return None, "one offer: nothing to compare"
        ranked = sorted(self.projections, key=lambda p: -p.total("after_tax_col"))
        best, second = ranked[0], ranked[1]
        top, runner = best.total("after_tax_col"), second.total("after_tax_col")
        gap = top / runner - 1 if runner > 0 else float("inf")
        chance = None
        if self.risk is not None:
            at = self.projections.index(best)
            chance = min(self.risk.beats(at, j) for j in range(len(self.projections)) if j != at)
        over = f"over {self.years} years, after tax and cost of living ({self.reference.label})"
        odds = "" if chance is None else f", ahead in {chance:.0%} of simulated paths"
        if gap >= WIN_GAP and (chance is None or chance >= WIN_PROBABILITY):
            return best.name, (
                f"{best.name} is worth more {over}: {gap:.1%} above {second.name} in "
                f"expectation{odds}"
            )
        return None, (
            f"Too close to call {over}: {best.name} leads {second.name} by {gap:.1%} in "
            f"expectation{odds}; a winner needs at least {WIN_GAP:.0%} and "
            f"{WIN_PROBABILITY:.0%} of paths"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "years": self.years,
            "reference_place": self.reference.to_dict(),
            "offers": [p.to_dict() for p in self.projections],
            "differences": self.differences(),
            "best_expected": self.best().name,
            "winner": self.verdict()[0],
            "verdict": self.verdict()[1],
            "risk": None if self.risk is None else self.risk.to_dict(),
            "place_notes": self.place_notes(),
            "units": "USD, nominal; after_tax_col in reference-place purchasing power",
        }


def compare_offers(
    offers: list[Offer],
    *,
    years: int = 4,
    reference: str | Location | None = None,
    paths: int = DEFAULT_PATHS,
    seed: int = 0,
    risk: bool = True,
) -> Comparison:
    """Project every offer, price them in one place and simulate their equity risk."""
    if not offers:
        raise InputError("offers", "give at least one offer file")
    ref = locate(offers[0].place) if reference is None else reference
    if isinstance(ref, str):
        ref = locate(ref)
    projections = [project(offer, years, ref) for offer in offers]
    result = simulate(projections, paths=paths, seed=seed) if risk else None
    return Comparison(projections, ref, years, result)
