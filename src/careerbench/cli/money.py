"""``careerbench tax | vest | offers compare | switch | places compare``: offers, equity, taxes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from careerbench.cli.common import JsonOption, StoreOption, console, escape, print_json
from careerbench.formatting import usd
from careerbench.money.itemized import Itemized
from careerbench.money.tax import compute_tax
from careerbench.money.vesting import parse_schedule, vest

if TYPE_CHECKING:
    from careerbench.money.projection import Projection

# Offers, switch, places and negotiate import the offer model, the market and the store (pandas,
# ibis, DuckDB) in their commands, so that ``tax`` and ``vest`` start without them.

offers_app = typer.Typer(help="Compare job offers year by year, after tax and cost of living.")
places_app = typer.Typer(help="The same pay in different places, after tax and cost of living.")

ReferenceOption = Annotated[
    str | None,
    typer.Option(
        "--reference-place",
        help="Price everything in this place's dollars (BEA RPP), e.g. 'Austin, TX'.",
        show_default=False,
    ),
]
PathsOption = Annotated[int, typer.Option(help="Monte Carlo paths for the risk ranges.")]
SeedOption = Annotated[int, typer.Option(help="Random seed (same seed, same ranges).")]


def register(app: typer.Typer) -> None:
    app.command("tax")(tax_command)
    app.command("vest")(vest_command)
    app.add_typer(offers_app, name="offers")
    app.command("switch")(switch_command)
    app.command("negotiate")(negotiate_command)
    app.add_typer(places_app, name="places")
    offers_app.command("compare")(offers_compare_command)
    places_app.command("compare")(places_compare_command)


def tax_command(
    state: Annotated[str, typer.Option(help="US state where you live (code or name).")],
    wages: Annotated[float, typer.Option(help="Gross W-2 wages for the year, USD.")],
    year: Annotated[int, typer.Option(help="Tax year (rules built in: 2025).")] = 2025,
    filing: Annotated[str, typer.Option(help="single or married (filing jointly).")] = "single",
    locality: Annotated[
        str | None, typer.Option(help="City income tax, e.g. nyc.", show_default=False)
    ] = None,
    deduction: Annotated[
        str,
        typer.Option(help="larger (itemize where that is larger) or standard."),
    ] = "larger",
    property_tax: Annotated[float, typer.Option(help="Property taxes paid, USD.")] = 0.0,
    mortgage_interest: Annotated[float, typer.Option(help="Mortgage interest paid, USD.")] = 0.0,
    charity: Annotated[float, typer.Option(help="Cash gifts to charities, USD.")] = 0.0,
    json: JsonOption = False,
) -> None:
    """Federal, state, city and payroll tax on a year's wages.

    Deductions are chosen as a filer would: itemized (the state and city income tax computed
    here, plus the payments given) where that is larger than the standard deduction.
    """
    paid = Itemized(
        property_tax=property_tax, mortgage_interest=mortgage_interest, charitable_cash=charity
    )
    result = compute_tax(
        wages, state, filing, year, locality=locality, itemized=paid, deduction=deduction
    )
    if json:
        print_json(result.to_dict())
        return
    table = Table(title=f"Taxes on {usd(wages)} of wages, {result.state} {year}, {filing}")
    table.add_column("item")
    table.add_column("USD", justify="right")
    for label, value in (
        ("federal income tax", result.federal_income_tax),
        ("state income tax", result.state_income_tax),
        ("city income tax", result.local_income_tax),
        ("Social Security", result.payroll.social_security),
        ("Medicare", result.payroll.medicare),
        ("Additional Medicare", result.payroll.additional_medicare),
        *((i.name, i.amount) for i in result.payroll.state_items),
        ("total tax", result.total_tax),
        ("after tax", result.after_tax),
    ):
        table.add_row(label, usd(value))
    console.print(table)
    console.print(
        f"effective rate {result.effective_rate:.1%}; deductions: federal "
        f"{result.federal_deduction} {usd(result.federal_deduction_amount)}, state "
        f"{result.state_deduction} {usd(result.state_deduction_amount)}; "
        f"state engine: {result.state_engine}"
    )
    for note in result.notes:
        console.print(f"note: {note}")


def vest_command(
    grant: Annotated[float, typer.Option(help="Grant value in USD at the grant price.")],
    schedule: Annotated[
        str,
        typer.Option(
            help="even-4y-monthly, even-4y-quarterly, even-4y-annual, 5-15-40-40, 33-33-22-12, "
            "or yearly percentages like 25,25,25,25."
        ),
    ] = "even-4y-quarterly",
    years: Annotated[
        int | None, typer.Option(help="Years to show (default: the schedule's length).")
    ] = None,
    cliff_months: Annotated[
        int | None, typer.Option(help="Override the cliff (0 = none).", show_default=False)
    ] = None,
    frequency: Annotated[
        str | None,
        typer.Option(help="monthly, quarterly, semiannual or annual.", show_default=False),
    ] = None,
    growth: Annotated[float, typer.Option(help="Yearly share-price growth, e.g. 0.05.")] = 0.0,
    json: JsonOption = False,
) -> None:
    """What a grant vests, year by year."""
    parsed = parse_schedule(schedule, cliff_months=cliff_months, frequency=frequency)
    result = vest(grant, parsed, years, growth=growth)
    if json:
        print_json(result.to_dict())
        return
    table = Table(title=f"{usd(grant)} grant, {parsed.description}")
    table.add_column("year", justify="right")
    table.add_column("vested", justify="right")
    table.add_column("cumulative", justify="right")
    running = 0.0
    for i, value in enumerate(result.yearly, start=1):
        running += value
        table.add_row(str(i), usd(value), usd(running))
    console.print(table)
    if result.unvested_after:
        console.print(f"unvested after year {len(result.yearly)}: {usd(result.unvested_after)}")


def _years_table(projection: Projection) -> Table:
    from careerbench.money.compare import OFFER_MEASURES

    table = Table(title=f"{projection.name} — {projection.location.label}")
    table.add_column("")
    for row in projection.rows:
        table.add_column(f"year {row.year}", justify="right")
    table.add_column("total", justify="right")
    for measure in OFFER_MEASURES:
        if not measure.shown(projection):
            continue
        cells = [usd(float(getattr(r, measure.key))) for r in projection.rows]
        style = "bold" if measure.key in ("pre_tax", "after_tax_col") else None
        table.add_row(measure.label, *cells, usd(projection.total(measure.key)), style=style)
    return table


def offers_compare_command(
    files: Annotated[list[Path], typer.Argument(help="Offer files (YAML or JSON).")],
    years: Annotated[int, typer.Option(help="Years to compare.")] = 4,
    reference_place: ReferenceOption = None,
    report: Annotated[
        Path | None, typer.Option(help="Write a self-contained HTML report here.")
    ] = None,
    chart: Annotated[
        Path | None, typer.Option(help="Write the cumulative chart here (.svg or .png).")
    ] = None,
    paths: PathsOption = 10_000,
    seed: SeedOption = 0,
    json: JsonOption = False,
) -> None:
    """Year-by-year comparison of offers, the differences, charts and risk ranges."""
    from careerbench.charts import cumulative_spec, save_chart
    from careerbench.money.compare import compare_offers
    from careerbench.money.offer import load_offer
    from careerbench.money.report import write_report

    offers = [load_offer(f) for f in files]
    comparison = compare_offers(
        offers, years=years, reference=reference_place, paths=paths, seed=seed
    )
    if chart is not None:
        save_chart(cumulative_spec(comparison), chart)
    if report is not None:
        write_report(comparison, report)
    if json:
        print_json(comparison.to_dict())
        return
    console.print(f"[bold]{escape(comparison.verdict()[1])}[/]")
    console.print(f"[bold]{years} years[/], in {comparison.reference.label} dollars")
    for note in comparison.place_notes():
        console.print(f"place: {escape(note)}", highlight=False)
    for projection in comparison.projections:
        console.print(_years_table(projection))
    for diff in comparison.differences():
        by_year = ", ".join(usd(v) for v in diff["by_year"])
        console.print(
            f"{diff['offer']} minus {diff['versus']}: {by_year}; total {usd(diff['cumulative'])}"
        )
    if comparison.risk is not None:
        risk = comparison.risk
        for o in risk.offers:
            band = o.after_tax_col_total
            console.print(
                f"{o.name}: after-tax total P10 {usd(band.p10)}, P50 {usd(band.p50)}, "
                f"P90 {usd(band.p90)} (volatility {o.volatility:.0%})"
            )
        for i, a in enumerate(risk.offers):
            for j, b in enumerate(risk.offers):
                if i < j:
                    console.print(f"P({a.name} beats {b.name}) = {risk.beats(i, j):.0%}")
    for path in (chart, report):
        if path is not None:
            console.print(f"wrote {path}")


def switch_command(
    current: Annotated[Path, typer.Argument(help="Your current job (YAML or JSON).")],
    offer: Annotated[Path, typer.Argument(help="The offer (YAML or JSON).")],
    years: Annotated[int, typer.Option(help="Years to compare.")] = 4,
    reference_place: ReferenceOption = None,
    paths: PathsOption = 10_000,
    seed: SeedOption = 0,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Switch or stay: what you walk away from, break-even, ranges, promotion scenarios."""
    from careerbench.money.offer import load_offer
    from careerbench.money.switch import switch_or_stay

    result = switch_or_stay(
        load_offer(current), load_offer(offer), years=years, reference=reference_place,
        paths=paths, seed=seed, store=store,
    )  # fmt: skip
    if json:
        print_json(result.to_dict())
        return
    console.print(_years_table(result.stay))
    console.print(_years_table(result.switch))
    d = result.to_dict()
    band = result.difference_range
    console.print(
        f"[bold]switch minus stay over {years} years[/] (after tax, "
        f"{result.stay.reference.label} dollars): {usd(result.difference)}"
        + (f" (P10 {usd(band.p10)}, P90 {usd(band.p90)})" if band else "")
        + (f"; P(switch beats stay) {result.p_switch_beats_stay:.0%}" if band else "")
    )
    console.print(
        f"unvested equity walked away from: {usd(result.unvested_walked_away)} "
        f"({usd(result.unvested_within_horizon)} of it would vest within {years} years)"
    )
    if result.clawback_owed:
        console.print(f"sign-on to repay (clawback): {usd(result.clawback_owed)}")
    console.print(f"extra sign-on needed to break even: {usd(result.break_even_sign_on)}")
    console.print(f"break-even year: {result.break_even_year or f'not within {years} years'}")
    for scenario in d["promotion_scenarios"]:
        console.print(
            f"{scenario['scenario']}: stay total {usd(scenario['total_after_tax_col'])}; "
            f"switch minus this {usd(scenario['switch_minus_this'])}"
        )
    console.print(result.market.text)
    console.print("[bold]rules of thumb[/] (published, shown beside the computed answer):")
    for r in result.rules:
        console.print(f"- {r.claim} — {r.citation}")


def places_compare_command(
    places: Annotated[
        list[str], typer.Argument(help="Places, e.g. 'San Francisco, CA' 'remote:Austin, TX'.")
    ],
    pay: Annotated[
        list[float] | None,
        typer.Option(help="Annual pay in each place, in the order of the places (repeat)."),
    ] = None,
    role: Annotated[str | None, typer.Option(help="Role family (market pay).")] = None,
    level: Annotated[str | None, typer.Option(help="Level (market pay).")] = None,
    reference_place: ReferenceOption = None,
    filing: Annotated[str, typer.Option(help="single or married.")] = "single",
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """After-tax, cost-of-living adjusted pay in each place."""
    from careerbench import services

    answer = services.compare_places_pay(
        places, pay=pay, role=role, level=level, reference=reference_place, filing=filing,
        store=store,
    )  # fmt: skip
    if json:
        print_json(answer.to_dict())
        return
    result, check = answer.comparison, answer.claim_check
    for note in result.place_notes():
        console.print(f"place: {escape(note)}", highlight=False)
    table = Table(title=f"In {result.reference.label} dollars ({filing})")
    for column in ("place", "pay", "total tax", "after tax", "RPP", "after tax, COL-adjusted"):
        table.add_column(column, justify="left" if column == "place" else "right")
    for p in result.places:
        table.add_row(
            p.location.label, usd(p.pay), usd(p.tax.total_tax), usd(p.after_tax),
            f"{p.rpp_all_items:.1f}",
            usd(p.after_tax_col),
        )  # fmt: skip
    console.print(table)
    for note in result.pay_notes():
        console.print(note, highlight=False)
    console.print(f"highest after cost of living: [bold]{result.best().location.label}[/]")
    console.print(f"published claim: {check.claim.claim} — {check.claim.citation}")
    console.print(f"our numbers: {check.evidence}")


def negotiate_command(
    offer: Annotated[Path, typer.Option(help="The offer (YAML or JSON) with role and level.")],
    competing: Annotated[
        list[Path] | None, typer.Option(help="A competing offer file; may repeat.")
    ] = None,
    current: Annotated[Path | None, typer.Option(help="Your current job's file.")] = None,
    years: Annotated[int, typer.Option(help="Years to average equity over.")] = 4,
    report: Annotated[
        Path | None, typer.Option(help="Write the plan as a self-contained HTML report here.")
    ] = None,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """A negotiation plan: the offer in its market, a target, a walk-away, talking points."""
    from careerbench.money.negotiate import negotiate
    from careerbench.money.offer import load_offer
    from careerbench.money.report import write_negotiation_report

    plan = negotiate(
        load_offer(offer),
        competing=[load_offer(p) for p in competing or []],
        current=load_offer(current) if current else None,
        years=years,
        store=store,
    )
    if report is not None:
        write_negotiation_report(plan, report)
    if json:
        print_json(plan.to_dict())
        return
    console.print(f"[bold]market {plan.measure.replace('_', ' ')}[/]: {plan.evidence_text}")
    table = Table(title=f"{plan.offer} in its market (market figures in {plan.basis})")
    for column in ("component", "offer", "percentile", "market P50", "market P75", "room to P75"):
        table.add_column(column, justify="left" if column == "component" else "right")
    for c in plan.components:
        table.add_row(
            c.name.replace("_", " "), usd(c.offer),
            "-" if c.percentile is None else f"{c.percentile:.0f}",
            usd(c.market_p50), usd(c.market_p75), usd(c.room_to_p75),
        )  # fmt: skip
    console.print(table)
    console.print(
        f"[bold]target[/]: {usd(plan.target)} ({plan.target_basis}); "
        f"[bold]walk away below[/]: {usd(plan.walk_away)} ({plan.walk_away_basis})"
    )
    if plan.most_room:
        console.print(f"most room: [bold]{plan.most_room}[/] (furthest below its market P75)")
    for relaxed in plan.relaxed:
        console.print(f"cohort relaxed: {relaxed}")
    console.print("[bold]talking points[/] (each with its data):")
    for point in plan.talking_points:
        console.print(f"- {point}")
    for note in plan.notes:
        console.print(f"[yellow]note[/]: {note}")
    console.print("[bold]published advice[/] (shown as advice, with its source):")
    for advice in plan.advice:
        console.print(f"- {advice['claim']} — {advice['source']}")
    if report is not None:
        console.print(f"wrote {report}")
