"""A negotiation plan: where an offer sits in its cohort, a target, a walk-away, and why.

Pay is annual USD in the store's currency-year dollars (CPI-U) for cohort figures, and nominal
for the offer's own figures (its first years). The offer's yearly total comp is base + target
bonus + average yearly vested equity over the first ``years`` years (sign-on apart).

- **Position**: the offer's percentile in its cohort (role, level, place; relaxed as the benchmark
  relaxes) for total comp, base, equity and bonus.
- **Target and walk-away**: target = the cohort's P75 total comp, raised to the best competing
  offer's total when that is higher; walk-away = the cohort's P50, raised to your current total
  comp when you give it. Both are the cohort's own quantiles, not a formula of ours.
- **Room**: for each component, the cohort's P75 minus the offer's value; the component furthest
  below its P75 has the most room.
- **Competing offers** are valued after tax and cost of living with risk ranges (``compare``);
  with a current job, the sign-on that covers the unvested stock comes from ``switch``.
- **Talking points** carry their numbers and sources: ``evidence`` gives each point with the
  data behind it (``n``, ``source``, ``year``: the data years, or the year of a reference);
  published advice is shown as advice, cited.
- ``cohort_total_comp`` holds the cohort's P10..P90 total comp (to place the offer among them);
  competing offers are valued over ``horizon_years`` years in ``reference_place`` prices.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from careerbench.benchmark import PRIVACY_FLOOR, PROBABILITIES, benchmark_on, load_index
from careerbench.claims import claim
from careerbench.cohort import Cohort, parse_cohort
from careerbench.errors import CareerbenchError, InputError, InvalidValue
from careerbench.estimate import estimate, position
from careerbench.formatting import ordinal
from careerbench.money.compare import compare_offers
from careerbench.money.geo import locate
from careerbench.money.offer import Offer
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
    name: str
    offer: float
    percentile: float | None
    cohort_p50: float | None
    cohort_p75: float | None
    room_to_p75: float | None
    n: int


@dataclass
class Plan:
    offer: str
    cohort: dict[str, Any]
    n: int
    relaxed: list[str]
    currency_year: int
    sources: dict[str, int]
    years: dict[str, int]
    components: list[Component]
    cohort_total_comp: dict[str, float]
    target: float
    target_basis: str
    walk_away: float
    walk_away_basis: str
    most_room: str | None
    competing: list[dict[str, Any]]
    reference_place: dict[str, Any] | None
    horizon_years: int
    unvested_cover: float | None
    estimate: str
    exact_estimate: dict[str, Any] | None
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


def _exact_estimate(
    cohort: Cohort, total_comp: float, store: Path | str | None
) -> tuple[dict[str, Any] | None, str]:
    """The pay model's estimate for the offer's exact profile, and a sentence about it."""
    try:
        exact = estimate(cohort, store=store)
    except CareerbenchError as exc:
        return None, f"estimate for the exact profile: not available ({exc})"
    q = exact.total_comp
    return exact.to_dict(), (
        f"The pay model expects P50 ${q.p50:,.0f} for this exact profile in {exact.year} "
        f"(80% interval ${q.p10:,.0f}-${q.p90:,.0f}; nearest cohort n={exact.cohort_n:,}); "
        f"this offer's ${total_comp:,.0f} is {position(q, total_comp)} of that estimate."
    )


def _offer_cohort(offer: Offer) -> Cohort:
    """The offer's cohort: its role, level and place (errors name the offer's field)."""
    if not offer.role or not offer.level:
        raise InputError(
            "offer: role", "add role and level to the offer file to place it in its cohort"
        )
    location = locate(offer.place)
    try:
        return parse_cohort(
            role=offer.role,
            level=offer.level,
            country=offer.country or "US",
            state=location.state,
            metro=location.metro_code,
        )
    except InvalidValue as exc:
        raise InvalidValue(f"offer: {exc.field}", exc.value, exc.valid) from None
    except InputError as exc:
        raise InputError(f"offer: {exc.field}", exc.problem) from None


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
    cohort = _offer_cohort(offer)
    index = load_index(store)
    pay = yearly_pay(offer, years)
    result = benchmark_on(index, cohort, tc=pay["total_comp"])
    if result.total_comp is None:
        raise InputError(
            "offer: role", f"the cohort has only {result.n} data points; try a wider level"
        )
    cells = index.select(result.applied.index_filters())
    components = []
    for name in ("total_comp", "base", "equity", "bonus"):
        stats = index.stats(cells, name, PROBABILITIES, pay=pay[name] if pay[name] > 0 else None)
        shown = stats.n >= PRIVACY_FLOOR
        p50 = stats.quantiles[0.5] if shown else None
        p75 = stats.quantiles[0.75] if shown else None
        components.append(
            Component(
                name,
                pay[name],
                round(stats.percentile, 1) if shown and stats.percentile is not None else None,
                p50,
                p75,
                None if p75 is None else p75 - pay[name],
                stats.n,
            )
        )
    q = result.total_comp
    valued = []
    reference_place = None
    if competing:
        comparison = compare_offers([offer, *competing], years=years, paths=2_000).to_dict()
        reference_place = comparison["reference_place"]
        for o in comparison["offers"]:
            valued.append({"offer": o["offer"], "after_tax_col_total": o["cumulative"]})
    best_competing = max((yearly_pay(o, years)["total_comp"] for o in competing), default=0.0)
    target, target_basis = q.p75, f"cohort P75 (n={result.n:,})"
    if best_competing > target:
        target, target_basis = best_competing, "the best competing offer's yearly total comp"
    walk_away, walk_basis = q.p50, f"cohort P50 (n={result.n:,})"
    cover = None
    if current is not None:
        current_total = yearly_pay(current, years)["total_comp"]
        if current_total > walk_away:
            walk_away, walk_basis = current_total, "your current yearly total comp"
        cover = switch_or_stay(current, offer, years=years, paths=1_000, store=store).to_dict()[
            "sign_on_to_cover_unvested"
        ]
    roomy = [c for c in components[1:] if c.room_to_p75 is not None and c.room_to_p75 > 0]
    most_room = max(roomy, key=lambda c: c.room_to_p75 or 0.0).name if roomy else None
    sources = ", ".join(f"{k} {v:,}" for k, v in result.sources.items())
    span = f"{min(result.years)}-{max(result.years)}" if result.years else "-"
    cohort_data: dict[str, Any] = {"n": result.n, "source": sources, "year": span}
    points: list[tuple[str, dict[str, Any]]] = [
        (
            f"The cohort ({', '.join(f'{k}={v}' for k, v in result.applied.to_dict().items())}) "
            f"has P50 ${q.p50:,.0f} and P75 ${q.p75:,.0f} total comp in {result.currency_year} "
            f"dollars (n={result.n:,}: {sources}; years {span}).",
            cohort_data,
        )
    ]
    if result.percentile is not None:
        points.append(
            (
                f"This offer's yearly total comp ${pay['total_comp']:,.0f} is at the "
                f"{ordinal(round(result.percentile))} percentile of that cohort.",
                cohort_data,
            )
        )
    for c in components[1:]:
        if c.percentile is not None and c.room_to_p75 is not None and c.room_to_p75 > 0:
            points.append(
                (
                    f"{c.name}: ${c.offer:,.0f} is at the {ordinal(round(c.percentile))} "
                    f"percentile; the cohort's P75 is ${c.cohort_p75:,.0f} (n={c.n:,}).",
                    cohort_data | {"n": c.n},
                )
            )
    if result.bls is not None and result.bls.p50 is not None:
        points.append(
            (
                f"BLS OEWS May 2025 {result.bls.soc} {result.bls.soc_title} ({result.bls.area}): "
                f"median base ${result.bls.p50:,.0f} for the whole occupation.",
                {
                    "n": None,
                    "source": f"BLS OEWS, whole occupation, {result.bls.area}",
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
    exact, estimate_text = _exact_estimate(cohort, pay["total_comp"], store)
    if exact is not None:
        points.append(
            (
                estimate_text,
                {
                    "n": exact["cohort"]["n"],
                    "source": f"careerbench pay model ({exact['model']} data)",
                    "year": "-".join(str(y) for y in exact["data_years"]),
                },
            )
        )
    notes = [r.detail for r in result.relaxed if r.n_after != r.n_before]
    return Plan(
        offer=offer.name,
        cohort=result.applied.to_dict(),
        n=result.n,
        relaxed=notes,
        currency_year=result.currency_year,
        sources=result.sources,
        years=result.years,
        components=components,
        cohort_total_comp={p: getattr(q, p) for p in ("p10", "p25", "p50", "p75", "p90")},
        target=target,
        target_basis=target_basis,
        walk_away=walk_away,
        walk_away_basis=walk_basis,
        most_room=most_room,
        competing=valued,
        reference_place=reference_place,
        horizon_years=years,
        unvested_cover=cover,
        estimate=estimate_text,
        exact_estimate=exact,
        talking_points=[text for text, _ in points],
        evidence=[{"point": text, **data} for text, data in points],
        advice=[claim(a).to_dict() for a in ADVICE],
        notes=result.notes,
    )
