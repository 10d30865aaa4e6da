"""A negotiation plan: where an offer sits in the market for its profile, a target, a walk-away.

The market figures are the market's answer for the offer's profile (role, level, place:
``market.market_answer``), one answer per measure, in that answer's year's dollars on its basis;
the offer's figures are nominal (its first years). The offer's yearly total comp is base + target
bonus + average yearly vested equity over the first ``years`` years (sign-on apart).

- **Position**: each component of the offer (total comp, base, equity, bonus) is placed in the
  answer of the same measure: total comp among total comps, base among base salaries.
- **Target and walk-away** come from the answer for total comp (for base, with the offer's base,
  when the data have no total comp for the profile, and the plan says so): target = its P75,
  raised to the best competing offer's figure of the same measure when that is higher;
  walk-away = its P50, raised to your current job's figure when you give it.
- **Room**: for each component, the answer's P75 minus the offer's value; the component furthest
  below its P75 has the most room.
- **Competing offers** are valued after tax and cost of living with risk ranges (``compare``);
  with a current job, the sign-on that covers the unvested stock comes from ``switch``.
- **Talking points** carry their numbers and evidence (n, sources, years); published advice is
  shown as advice, cited.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from careerbench.benchmark import MEASURE_WORDS, bls_reference
from careerbench.claims import claim
from careerbench.errors import InputError
from careerbench.formatting import ordinal
from careerbench.market import RELAXED, MarketAnswer, market_answer
from careerbench.money.compare import compare_offers
from careerbench.money.offer import Offer, offer_cohort
from careerbench.money.projection import project
from careerbench.money.switch import switch_or_stay

ADVICE = (
    "negotiate-bls-both",
    "negotiate-quantify-impact",
    "negotiate-competing-offers",
    "negotiate-equity",
    "negotiate-senior-equity",
)


@dataclass(frozen=True)
class Component:
    """One measure of the offer against the market's answer of the same measure."""

    name: str
    offer: float
    percentile: float | None
    market_p50: float | None
    market_p75: float | None
    room_to_p75: float | None
    n: int


@dataclass
class Plan:
    offer: str
    cohort: dict[str, Any]
    measure: str
    n: int
    answered_by: str
    evidence_text: str
    relaxed: list[str]
    currency_year: int
    basis: str
    sources: dict[str, int]
    years: dict[str, int]
    components: list[Component]
    market: dict[str, float]
    target: float
    target_basis: str
    walk_away: float
    walk_away_basis: str
    most_room: str | None
    competing: list[dict[str, Any]]
    reference_place: dict[str, Any] | None
    horizon_years: int
    unvested_cover: float | None
    talking_points: list[str]
    evidence: list[dict[str, Any]]
    advice: list[dict[str, str]]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def yearly_pay(offer: Offer, years: int) -> dict[str, float]:
    """Base and target bonus of year one, equity averaged over ``years`` years, and their sum."""
    rows = project(offer, years).to_dict()["years"]
    base, bonus = float(rows[0]["base"]), float(rows[0]["bonus"])
    equity = sum(float(r["equity_total"]) for r in rows) / len(rows)
    return {"total_comp": base + bonus + equity, "base": base, "equity": equity, "bonus": bonus}


def negotiate(
    offer: Offer,
    *,
    competing: list[Offer] | None = None,
    current: Offer | None = None,
    years: int = 4,
    store: Path | str | None = None,
) -> Plan:
    """The plan for ``offer`` (its file must name ``role`` and ``level``).

    Errors about the offer's cohort name the offer (``offer: role``).
    """
    competing = competing or []
    cohort = offer_cohort(offer)
    pay = yearly_pay(offer, years)
    answers = {
        name: market_answer(cohort, measure=name, pay=pay[name] or None, store=store)
        for name in ("total_comp", "base", "equity", "bonus")
    }
    components = [_component(name, pay[name], answers[name]) for name in answers]
    measure = "total_comp" if answers["total_comp"].quantiles is not None else "base"
    headline = answers[measure]
    if headline.quantiles is None:
        raise InputError(
            "offer: role",
            f"no market figure for this profile ({headline.evidence_text()}); try a wider level",
        )
    q = headline.quantiles
    words = headline.words
    notes = list(headline.notes)
    if measure == "base":
        notes.insert(
            0,
            "the data have no total comp for this profile: the target and walk-away are base "
            "salaries, to compare with the offer's base",
        )
    valued = []
    reference_place = None
    if competing:
        comparison = compare_offers([offer, *competing], years=years, paths=2_000).to_dict()
        reference_place = comparison["reference_place"]
        for o in comparison["offers"]:
            valued.append({"offer": o["offer"], "after_tax_col_total": o["cumulative"]})
    best_competing = max((yearly_pay(o, years)[measure] for o in competing), default=0.0)
    n_text = f"n={headline.n_behind():,}, {headline.answered_by}"
    target, target_basis = q.p75, f"market P75 {words} ({n_text})"
    if best_competing > target:
        target, target_basis = best_competing, f"the best competing offer's yearly {words}"
    walk_away, walk_basis = q.p50, f"market P50 {words} ({n_text})"
    cover = None
    if current is not None:
        current_pay = yearly_pay(current, years)[measure]
        if current_pay > walk_away:
            walk_away, walk_basis = current_pay, f"your current yearly {words}"
        cover = switch_or_stay(current, offer, years=years, paths=1_000, store=store).to_dict()[
            "sign_on_to_cover_unvested"
        ]
    roomy = [c for c in components if c.name != measure and (c.room_to_p75 or 0) > 0]
    most_room = max(roomy, key=lambda c: c.room_to_p75 or 0.0).name if roomy else None
    # The data points the answer counts: the relaxed cohort's when it answered, else the exact
    # cohort's (also behind a model answer, whose n is the exact cohort's).
    shown = headline.relaxed.evidence if headline.answered_by == RELAXED else headline.exact
    span = shown.span
    sources = ", ".join(f"{k} {v:,}" for k, v in shown.sources.items())
    data = {"n": headline.n_behind(), "source": sources or headline.answered_by, "year": span}
    points: list[tuple[str, dict[str, Any]]] = [
        (
            f"The market for this profile has P50 ${q.p50:,.0f} and P75 ${q.p75:,.0f} {words}: "
            f"{headline.evidence_text()}.",
            data,
        )
    ]
    offer_position = headline.position(pay[measure])
    if offer_position is not None:
        points.append(
            (
                f"This offer's yearly {words} ${pay[measure]:,.0f} is at about the "
                f"{ordinal(round(offer_position))} percentile of that market.",
                data,
            )
        )
    for c in components:
        if c.name == measure or c.percentile is None or (c.room_to_p75 or 0) <= 0:
            continue
        answer = answers[c.name]
        points.append(
            (
                f"{MEASURE_WORDS[c.name]}: ${c.offer:,.0f} is at about the "
                f"{ordinal(round(c.percentile))} percentile; the market's P75 is "
                f"${c.market_p75:,.0f} ({answer.evidence_text()}).",
                data | {"n": c.n},
            )
        )
    bls = bls_reference(cohort)
    if bls is not None and bls.p50 is not None:
        points.append(
            (
                f"BLS OEWS May 2025 {bls.soc} {bls.soc_title} ({bls.area}): median base "
                f"${bls.p50:,.0f} for the whole occupation.",
                {
                    "n": None,
                    "source": f"BLS OEWS, whole occupation, {bls.area}",
                    "year": "May 2025",
                },
            )
        )
    if cover:
        points.append(
            (
                f"You would walk away from unvested stock worth ${cover:,.0f}: ask for a "
                "sign-on that covers it.",
                {"n": None, "source": "your current job's grants at today's value", "year": None},
            )
        )
    relaxed = [r.detail for r in headline.relaxed.relaxed if r.n_after != r.n_before]
    return Plan(
        offer=offer.name,
        cohort=cohort.to_dict(),
        measure=measure,
        n=headline.n_behind(),
        answered_by=headline.answered_by,
        evidence_text=headline.evidence_text(),
        relaxed=relaxed if headline.answered_by == RELAXED else [],
        currency_year=headline.year,
        basis=headline.basis,
        sources=shown.sources,
        years=shown.years,
        components=components,
        market={p: getattr(q, p) for p in ("p10", "p25", "p50", "p75", "p90")},
        target=target,
        target_basis=target_basis,
        walk_away=walk_away,
        walk_away_basis=walk_basis,
        most_room=most_room,
        competing=valued,
        reference_place=reference_place,
        horizon_years=years,
        unvested_cover=cover,
        talking_points=[text for text, _ in points],
        evidence=[{"point": text, **point} for text, point in points],
        advice=[claim(a).to_dict() for a in ADVICE],
        notes=notes,
    )


def _component(name: str, value: float, answer: MarketAnswer) -> Component:
    q = answer.quantiles
    percentile = None if q is None or value <= 0 else answer.position(value)
    return Component(
        name,
        value,
        percentile,
        None if q is None else q.p50,
        None if q is None else q.p75,
        None if q is None else q.p75 - value,
        answer.n_behind(),
    )
