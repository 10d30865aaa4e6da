"""The money pages: compare offers, switch or stay, negotiate an offer, the same job in places.

Money is annual US dollars, nominal, after 2025 taxes where said, priced in a reference place
(BEA RPP) where said. Nothing a user enters is stored or logged. The pages call the same library
functions as the API (``money`` and ``careerbench.services``).
"""

from __future__ import annotations

from typing import Any

from careerbench import services
from careerbench.charts import cumulative_spec, position_spec, vesting_spec, vesting_values
from careerbench.cohort import parse_cohort
from careerbench.errors import InputError, InvalidValue
from careerbench.formatting import count, percentile, share, signed_usd, usd
from careerbench.limits import GRANT_MONTHS, OFFER_YEARS, PAY
from careerbench.money.compare import OFFER_MEASURES, Comparison, compare_offers
from careerbench.money.geo import locate
from careerbench.money.negotiate import Plan, negotiate
from careerbench.money.offer import Offer, offer_from_dict
from careerbench.money.projection import Projection
from careerbench.money.switch import switch_or_stay
from careerbench.web.kit import (
    NARROW,
    Field,
    Page,
    PageSpec,
    Query,
    Section,
    StoreRef,
    cohort_input,
    note_fields,
    number_input,
)
from careerbench.web.offer_form import (
    BLANK,
    EXAMPLE_CURRENT_JOB,
    EXAMPLE_NEW_OFFER,
    EXAMPLE_OFFERS,
    offer_document,
    offer_fields,
)

RISK_PATHS = 2_000


def year_rows(projection: Projection) -> list[list[Any]]:
    """An offer's year-by-year table: every measure of ``OFFER_MEASURES`` that applies."""
    return [
        [
            m.label,
            *(usd(float(getattr(row, m.key))) for row in projection.rows),
            usd(projection.total(m.key)),
        ]
        for m in OFFER_MEASURES
        if m.shown(projection)
    ]


def side_by_side(comparison: Comparison) -> Section:
    """The offers side by side: a column per offer, for each measure its year 1 and its total
    over the years compared, and each offer's difference from the first (the library's)."""
    projections = comparison.projections
    first = projections[0]
    columns = ["measure", "period", *(p.name for p in projections)]
    columns += [f"{p.name} − {first.name}" for p in projections[1:]]
    rows: list[list[Any]] = []
    for m in OFFER_MEASURES:
        if not any(m.shown(p) for p in projections):
            continue
        differences = comparison.differences(m.key)
        rows.append(
            [
                m.label,
                "year 1",
                *(usd(float(getattr(p.rows[0], m.key))) for p in projections),
                *(signed_usd(d["by_year"][0]) for d in differences),
            ]
        )
        rows.append(
            [
                m.label,
                f"{comparison.years} years",
                *(usd(p.total(m.key)) for p in projections),
                *(signed_usd(d["cumulative"]) for d in differences),
            ]
        )
    places = ", ".join(f"{p.name}: {p.location.label}" for p in projections)
    return Section(
        "Side by side",
        columns,
        rows,
        notes=[
            f"{places}. Cost-of-living adjusted figures are in the prices of "
            f"{comparison.reference.label}."
        ],
        testid="side-by-side",
    )


def _years_section(title: str, projection: Projection, testid: str) -> Section:
    return Section(
        f"{title} ({projection.location.label})",
        ["measure", *(f"year {row.year}" for row in projection.rows), "total"],
        year_rows(projection),
        notes=projection.notes,
        testid=testid,
    )


# ---- offers ------------------------------------------------------------------------------
def vesting_section(comparison: Comparison) -> Section:
    """The stock vesting each year, per offer: the chart, and the same figures as a table (its
    text for screen readers and for people who read figures rather than bars)."""
    by_offer = vesting_values(comparison)
    described = "; ".join(
        f"{name}: " + ", ".join(f"year {y} {usd(v)}" for y, v in enumerate(values, start=1))
        for name, values in by_offer
    )
    return Section(
        "Stock vesting each year",
        ["offer", *(f"year {y}" for y in range(1, comparison.years + 1)), "total"],
        [[name, *(usd(v) for v in values), usd(sum(values))] for name, values in by_offer],
        chart=vesting_spec(comparison),
        chart_narrow=vesting_spec(comparison, width=NARROW),
        chart_label=f"Value of the stock vesting each year, before tax: {described}",
        notes=["Before tax, at the expected share price of each offer's stock."],
        testid="vesting",
    )


def _group(fields: list[Field], prefix: str) -> list[Field]:
    """One offer's fields (of ``offer_fields``) among a page's fields."""
    return [f for f in fields if f.name.removeprefix(f"{prefix}_") in EXAMPLE_NEW_OFFER]


def _offers_fields(q: Query) -> list[Field]:
    groups = [
        offer_fields(q, f"o{i + 1}", f"Offer {i + 1}", example)
        for i, example in enumerate(EXAMPLE_OFFERS)
    ]
    return [f for group in groups for f in group] + [
        number_input("years", "Years", q.get("years") or "4", OFFER_YEARS),
        Field(
            "reference_place",
            "Compare in the prices of",
            q.get("reference_place"),
            placeholder="e.g. Austin, TX",
            advanced=True,
            suggest="cities",
        ),
    ]


def _offers_inputs(q: Query) -> tuple[list[Field], dict[str, Offer], int, str | None]:
    """The form, the offers given (by their fields' prefix), the years and the reference."""
    years = q.integer("years", 4)
    reference = q.get("reference_place")
    fields = _offers_fields(q)
    prefixes = [f"o{i + 1}" for i in range(len(EXAMPLE_OFFERS))]
    documents = {p: offer_document(_group(fields, p), p) for p in prefixes}
    offers = {p: offer_from_dict(d, p) for p, d in documents.items() if d is not None}
    return fields, offers, years, reference


def offers_document(q: Query, _store: StoreRef) -> dict[str, Any]:
    _, offers, years, reference = _offers_inputs(q)
    return compare_offers(
        list(offers.values()), years=years, reference=reference, paths=RISK_PATHS
    ).to_dict()


def build_offers(q: Query, _store: StoreRef) -> Page:
    fields, offers, years, reference = _offers_inputs(q)
    page = Page(
        "Compare offers",
        "Year by year after vesting, taxes (2025 rules) and cost of living, with the risk "
        "of the equity. Nothing you enter is stored or logged.",
        fields=fields,
    )
    comparison = compare_offers(
        list(offers.values()), years=years, reference=reference, paths=RISK_PATHS
    )
    read_as = {
        f"{p}_place": x.location.note for p, x in zip(offers, comparison.projections, strict=True)
    }
    if reference:
        read_as["reference_place"] = comparison.reference.note
    note_fields(fields, read_as)
    if len(comparison.projections) > 1:
        page.sections.append(side_by_side(comparison))
    page.sections.append(
        Section(
            "Cumulative after tax, cost-of-living adjusted",
            chart=cumulative_spec(comparison),
            chart_narrow=cumulative_spec(comparison, width=NARROW),
            chart_label="Cumulative after-tax pay of each offer by year: "
            + "; ".join(
                f"{p.name} {usd(p.total('after_tax_col'))} over {comparison.years} years"
                for p in comparison.projections
            ),
        )
    )
    page.sections.append(vesting_section(comparison))
    for projection in comparison.projections:
        page.sections.append(_years_section(projection.name, projection, "offer"))
    notes = [
        f"{d['offer']} minus {d['versus']}: {usd(d['cumulative'])} over {years} years"
        for d in comparison.differences()
    ]
    risk = comparison.risk
    if risk is not None:
        notes += [
            f"{o.name}: after-tax total P10 {usd(o.after_tax_col_total.p10)}, "
            f"P50 {usd(o.after_tax_col_total.p50)}, P90 {usd(o.after_tax_col_total.p90)} "
            f"(volatility {share(o.volatility)})"
            for o in risk.offers
        ]
        notes += [
            f"P({a.name} beats {b.name}) = {share(risk.beats(i, j))}"
            for i, a in enumerate(risk.offers)
            for j, b in enumerate(risk.offers)
            if i < j
        ]
    page.sections.append(Section("Difference and risk", notes=notes))
    page.verdict = comparison.verdict()[1]
    return page


# ---- switch or stay ------------------------------------------------------------------------
MARKET_FIELDS = ("role", "level")


def _grant_months(q: Query) -> Field:
    """The current job's months since its stock was granted (switch and negotiate)."""
    return number_input(
        "c_months",
        "Months since the stock was granted",
        q.get("c_months", "18"),
        GRANT_MONTHS,
        group="Current job",
    )


def _switch_fields(q: Query) -> list[Field]:
    texts = q.texts(MARKET_FIELDS, {"role": "ml-engineer", "level": "senior"})
    return [
        *offer_fields(q, "c", "Current job", EXAMPLE_CURRENT_JOB),
        _grant_months(q),
        *offer_fields(q, "o", "Offer", EXAMPLE_NEW_OFFER),
        *(cohort_input(n, texts[n]) for n in MARKET_FIELDS),
        number_input("years", "Years", q.get("years", "4"), OFFER_YEARS),
    ]


def _switch_inputs(q: Query) -> tuple[list[Field], Offer, Offer, int]:
    years = q.integer("years", 4)
    months = q.integer("c_months", 18)
    texts = q.texts(MARKET_FIELDS, {"role": "ml-engineer", "level": "senior"})
    fields = _switch_fields(q)
    current = offer_document(_group(fields, "c"), "c")
    offer = offer_document(_group(fields, "o"), "o")
    if current is None or offer is None:
        raise InputError("base", "give a base salary for the current job and the offer")
    for grant in current.get("rsu", []):
        grant["granted_months_ago"] = months
    market = {k: v for k, v in texts.items() if v} | {"country": "US"}
    current |= market | {"tenure_months": months}
    offer |= market
    return fields, offer_from_dict(current, "current"), offer_from_dict(offer, "offer"), years


def _switch(q: Query, store: StoreRef) -> tuple[list[Field], Any, int]:
    fields, current, offer, years = _switch_inputs(q)
    result = switch_or_stay(current, offer, years=years, paths=RISK_PATHS, store=store)
    return fields, result, years


def switch_document(q: Query, store: StoreRef) -> dict[str, Any]:
    return _switch(q, store)[1].to_dict()  # type: ignore[no-any-return]


def build_switch(q: Query, store: StoreRef) -> Page:
    fields, result, years = _switch(q, store)
    page = Page(
        "Switch or stay",
        "What you walk away from, the sign-on that makes a move whole, the break-even "
        "year, promotion scenarios if you stay, and your market gap. Nothing is stored.",
        fields=fields,
    )
    note_fields(
        fields, {"c_place": result.stay.location.note, "o_place": result.switch.location.note}
    )
    page.sections.append(_years_section(f"Stay: {result.stay.name}", result.stay, "stay"))
    page.sections.append(_years_section(f"Switch: {result.switch.name}", result.switch, "switch"))
    band = result.difference_range
    page.verdict = (
        f"Switch minus stay over {years} years, after tax and cost of living: "
        f"{usd(result.difference)}"
        + (f" (P10 {usd(band.p10)}, P90 {usd(band.p90)})" if band else "")
    )
    document = result.to_dict()
    notes = [
        f"unvested equity walked away from: {usd(result.unvested_walked_away)}",
        f"extra sign-on needed to break even: {usd(result.break_even_sign_on)}",
        f"break-even year: {result.break_even_year or f'not within {years} years'}",
        *[
            f"{s['scenario']}: switch minus this {usd(s['switch_minus_this'])}"
            for s in document["promotion_scenarios"]
        ],
        f"chance that switching beats staying: {share(result.p_switch_beats_stay)}"
        if result.p_switch_beats_stay is not None
        else "",
        f"sign-on that covers the unvested stock: {usd(result.unvested_within_horizon)}",
        result.market.text,
    ]
    page.sections.append(Section("The answer", notes=[n for n in notes if n]))
    page.sections.append(
        Section(
            "Rules of thumb (published, beside the computed answer)",
            notes=[f"{r.claim} — {r.citation}" for r in result.rules],
        )
    )
    return page


# ---- negotiate ---------------------------------------------------------------------------
def _negotiate_fields(q: Query) -> list[Field]:
    texts = q.texts(MARKET_FIELDS, {"role": "ml-engineer", "level": "senior"})
    return [
        *offer_fields(q, "o", "Offer", EXAMPLE_NEW_OFFER),
        *(cohort_input(n, texts[n], required=True) for n in MARKET_FIELDS),
        number_input("years", "Years to average equity over", q.get("years", "4"), OFFER_YEARS),
        *offer_fields(q, "x", "Competing offer", BLANK),
        *offer_fields(q, "c", "Current job", BLANK),
        _grant_months(q),
    ]


def _negotiate_inputs(q: Query) -> tuple[list[Field], Offer, list[Offer], Offer | None, int]:
    texts = q.texts(MARKET_FIELDS, {"role": "ml-engineer", "level": "senior"})
    months, years = q.integer("c_months", 18), q.integer("years", 4)
    fields = _negotiate_fields(q)
    market = {k: v for k, v in texts.items() if v} | {"country": "US"}
    offer = offer_document(_group(fields, "o"), "o")
    if offer is None:
        raise InputError("o_base", "give the offer's base salary")
    competing = offer_document(_group(fields, "x"), "x")
    current = offer_document(_group(fields, "c"), "c")
    if current is not None:
        for grant in current.get("rsu", []):
            grant["granted_months_ago"] = months
        current |= market | {"tenure_months": months}
    return (
        fields,
        offer_from_dict(offer | market, "offer"),
        [] if competing is None else [offer_from_dict(competing, "competing[0]")],
        None if current is None else offer_from_dict(current, "current"),
        years,
    )


def _plan(q: Query, store: StoreRef) -> tuple[list[Field], Plan]:
    fields, offer, competing, current, years = _negotiate_inputs(q)
    plan = negotiate(offer, competing=competing, current=current, years=years, store=store)
    return fields, plan


def plan_document(q: Query, store: StoreRef) -> dict[str, Any]:
    return _plan(q, store)[1].to_dict()


def _cohort_section(plan: Plan) -> Section:
    q = plan.market
    return Section(
        f"The offer in its market ({plan.basis})",
        ["component", "offer", "percentile", "market P50", "market P75", "room to P75", "n"],
        [
            [
                c.name.replace("_", " "),
                usd(c.offer),
                percentile(c.percentile),
                usd(c.market_p50),
                usd(c.market_p75),
                usd(c.room_to_p75),
                count(c.n),
            ]
            for c in plan.components
        ],
        chart=position_spec(plan),
        chart_label="The offer, the target and the walk-away among the market's P10 to P90",
        testid="cohort",
        notes=[
            "profile: " + (", ".join(f"{k}={v}" for k, v in plan.cohort.items()) or "everyone"),
            f"market {plan.measure.replace('_', ' ')}: {plan.evidence_text}",
            f"market {plan.measure.replace('_', ' ')}: "
            + ", ".join(f"{k.upper()} {usd(v)}" for k, v in q.items()),
            *(f"relaxed {r}" for r in plan.relaxed),
            *plan.notes,
            f"offer: base and target bonus of year one, equity averaged over the first "
            f"{plan.horizon_years} years (sign-on apart)",
        ],
    )


def _targets_section(plan: Plan) -> Section:
    notes = [
        f"target {usd(plan.target)}: {plan.target_basis} (the market's P75, raised to the best "
        "competing offer's when that is higher)",
        f"walk away below {usd(plan.walk_away)}: {plan.walk_away_basis} (the market's P50, "
        "raised to your current job's when that is higher)",
        f"most room: {plan.most_room.replace('_', ' ')} (furthest below its market P75)"
        if plan.most_room
        else "most room: no component is below its market P75 (or the market lacks it)",
    ]
    if plan.unvested_cover is not None:
        notes.append(
            f"sign-on that covers the unvested stock you would leave: {usd(plan.unvested_cover)}"
        )
    return Section("Target and walk-away", notes=notes)


def _competing_section(plan: Plan) -> Section:
    place = (plan.reference_place or {}).get("label", "the offer's place")
    return Section(
        f"Competing offers after tax and cost of living ({plan.horizon_years} years, "
        f"in {place} prices)",
        ["offer", "pre-tax", "total tax", "after tax", "after tax, cost-of-living adjusted"],
        [
            [
                o["offer"] + (" (this offer)" if i == 0 else ""),
                usd(o["after_tax_col_total"]["pre_tax"]),
                usd(o["after_tax_col_total"]["total_tax"]),
                usd(o["after_tax_col_total"]["after_tax"]),
                usd(o["after_tax_col_total"]["after_tax_col"]),
            ]
            for i, o in enumerate(plan.competing)
        ],
        testid="competing",
    )


def build_negotiate(q: Query, store: StoreRef) -> Page:
    fields, plan = _plan(q, store)
    page = Page(
        "Negotiate an offer",
        "Where the offer sits in its cohort, component by component, a target and a walk-away "
        "with how each is derived, and talking points with their data. A competing offer and "
        "your current job are optional. Nothing you enter is stored or logged.",
        fields=fields,
    )
    page.verdict = (
        f"Target {usd(plan.target)} ({plan.target_basis}); walk away below "
        f"{usd(plan.walk_away)} ({plan.walk_away_basis}). Market "
        f"{plan.measure.replace('_', ' ')}: {plan.evidence_text}."
    )
    page.sections.append(_cohort_section(plan))
    page.sections.append(_targets_section(plan))
    if plan.competing:
        page.sections.append(_competing_section(plan))
    page.sections.append(
        Section(
            "Talking points, each with its data",
            ["point", "n", "source", "data years"],
            [[e["point"], count(e["n"]), e["source"], e["year"] or "-"] for e in plan.evidence],
            testid="points",
        )
    )
    page.sections.append(
        Section(
            "Published advice (advice, with its source; not computed from our data)",
            notes=[f"{a['claim']} — {a['source']}" for a in plan.advice],
        )
    )
    return page


# ---- places ------------------------------------------------------------------------------
PLACE_SLOTS = 4
EXAMPLE_PLACES = ["San Francisco, CA", "remote:Austin, TX"]
EXAMPLE_PAY = [260_000.0, 220_000.0]


def _place_texts(q: Query) -> list[str]:
    """The place typed in each slot ("" when empty); links that list ``place`` several times
    fill the slots in order; a first visit shows the example places."""
    typed = [q.get(f"place{i}") or "" for i in range(1, PLACE_SLOTS + 1)]
    if not any(typed):
        listed = q.many("place") or (EXAMPLE_PLACES if q.first_visit else [])
        typed = [*listed[:PLACE_SLOTS], *[""] * PLACE_SLOTS][:PLACE_SLOTS]
    return typed


def _places_fields(q: Query) -> list[Field]:
    """The places form as the user filled it in (read without judging it)."""
    texts = _place_texts(q)
    example = q.first_visit
    pays = [
        q.get(f"pay{i + 1}")
        or (f"{EXAMPLE_PAY[i]:g}" if example and i < len(EXAMPLE_PAY) else None)
        for i in range(PLACE_SLOTS)
    ]
    roles = q.texts(MARKET_FIELDS)
    fields = [
        Field(
            f"place{i + 1}",
            f"Place {i + 1}",
            texts[i],
            placeholder="City, ST or remote:City, ST",
            suggest="cities",
        )
        for i in range(PLACE_SLOTS)
    ]
    fields += [
        number_input(f"pay{i + 1}", f"Pay in place {i + 1}", pays[i], PAY)
        for i in range(PLACE_SLOTS)
    ]
    return fields + [cohort_input(n, roles[n]) for n in MARKET_FIELDS]


def _places_inputs(
    q: Query,
) -> tuple[list[Field], list[int], list[str], list[float], str | None, str | None]:
    """The form, the slots filled (1-based), their places, the pay given for each (none when
    the market's is asked for), the role and the level. A wrong place or pay names its slot."""
    fields = _places_fields(q)
    texts = {i + 1: t for i, t in enumerate(_place_texts(q)) if t}
    for slot, text in texts.items():
        try:
            locate(text)
        except InvalidValue as exc:
            raise InvalidValue(f"place{slot}", text, exc.valid, hint=exc.hint) from None
        except InputError as exc:
            raise InputError(f"place{slot}", exc.problem) from None
    pays: list[float | None] = []
    for slot in texts:
        pay = q.number(f"pay{slot}")
        if pay is None and q.first_visit and slot <= len(EXAMPLE_PAY):
            pay = EXAMPLE_PAY[slot - 1]
        if pay is not None and PAY.problem(pay):
            raise InputError(f"pay{slot}", PAY.problem(pay))
        pays.append(pay)
    roles = q.texts(MARKET_FIELDS)
    role, level = roles["role"], roles["level"]
    given = [p for p in pays if p is not None]
    return (
        fields,
        list(texts),
        list(texts.values()),
        given if given and not role else [],
        role,
        level,
    )


def _places(q: Query, store: StoreRef) -> tuple[list[Field], services.PlacesAnswer]:
    fields, slots, places, pay, role, level = _places_inputs(q)
    if role or level:
        parse_cohort(role=role, level=level)  # the same errors as any other page
    answer = services.compare_places_pay(places, pay=pay, role=role, level=level, store=store)
    notes = {
        f"place{slot}": p.location.note
        for slot, p in zip(slots, answer.comparison.places, strict=True)
    }
    note_fields(fields, notes)
    return fields, answer


def places_document(q: Query, store: StoreRef) -> dict[str, Any]:
    return _places(q, store)[1].to_dict()


def build_places(q: Query, store: StoreRef) -> Page:
    fields, answer = _places(q, store)
    page = Page(
        "The same job in different places",
        "Pay, taxes and cost of living (BEA price parities) for each place; with a role and "
        "level, pay is the market median from our data, else the pay you enter.",
        fields=fields,
    )
    comparison = answer.comparison
    page.sections.append(
        Section(
            f"In {comparison.reference.label} dollars",
            ["place", "pay", "total tax", "after tax", "RPP", "after tax, cost-of-living adjusted"],
            [
                [
                    p.location.label,
                    usd(p.pay),
                    usd(p.tax.total_tax),
                    usd(p.after_tax),
                    f"{p.rpp_all_items:.1f}",
                    usd(p.after_tax_col),
                ]
                for p in comparison.places
            ],
            notes=comparison.pay_notes(),
            testid="places",
        )
    )
    page.sections.append(
        Section("The published Austin vs San Francisco claim", notes=[answer.claim_check.evidence])
    )
    return page


PAGES = (
    PageSpec("offers", "Offers", build_offers, offers_document, fields=_offers_fields),
    PageSpec("switch", "Switch or stay", build_switch, switch_document, fields=_switch_fields),
    PageSpec("negotiate", "Negotiate", build_negotiate, plan_document, fields=_negotiate_fields),
    PageSpec("places", "Places", build_places, places_document, fields=_places_fields),
)
