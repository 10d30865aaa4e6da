"""``careerbench benchmark``: where a figure stands in its cohort."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from careerbench.benchmark import (
    DEFAULT_K,
    PROBABILITIES,
    BenchmarkResult,
    Quantiles,
    benchmark,
    ordinal,
    parse_cohort,
)
from careerbench.cli.common import JsonOption, StoreOption, console, print_json


def register(app: typer.Typer) -> None:
    app.command("benchmark")(benchmark_command)


def money(value: float | None) -> str:
    return "-" if value is None else f"${value:,.0f}"


def benchmark_command(
    role: Annotated[str | None, typer.Option(help="Role family, e.g. ml-engineer.")] = None,
    level: Annotated[
        str | None, typer.Option(help="Common level: entry, mid, senior, staff, ...")
    ] = None,
    tier: Annotated[str | None, typer.Option(help="Company tier, e.g. big-tech.")] = None,
    company: Annotated[str | None, typer.Option(help="Company, e.g. Google.")] = None,
    country: Annotated[str | None, typer.Option(help="Country (ISO-2 or name).")] = None,
    state: Annotated[str | None, typer.Option(help="US state (code or name).")] = None,
    metro: Annotated[str | None, typer.Option(help="Metro area (name or CBSA code).")] = None,
    remote: Annotated[str | None, typer.Option(help="onsite, hybrid or remote.")] = None,
    years: Annotated[
        str | None, typer.Option(help="Years of experience, MIN-MAX (e.g. 3-5).")
    ] = None,
    since: Annotated[int | None, typer.Option(help="Only data points from this year on.")] = None,
    tc: Annotated[
        float | None, typer.Option(help="Your annual total comp: its percentile.")
    ] = None,
    base: Annotated[
        float | None, typer.Option(help="Your annual base salary: its percentile.")
    ] = None,
    k: Annotated[
        int, typer.Option(help="Cohort floor: relax filters below this many.")
    ] = DEFAULT_K,
    currency_year: Annotated[
        int | None, typer.Option(help="Report in this year's dollars (default: latest CPI year).")
    ] = None,
    with_estimate: Annotated[
        bool,
        typer.Option(
            "--estimate", help="When the cohort was relaxed, also the model's exact estimate."
        ),
    ] = False,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Pay percentiles of your cohort, the BLS reference, and where your pay stands."""
    cohort = parse_cohort(
        role=role, level=level, tier=tier, company=company, country=country, state=state,
        metro=metro, remote=remote, years=years, since=since,
    )  # fmt: skip
    result = benchmark(cohort, store=store, tc=tc, base=base, k=k, currency_year=currency_year)
    exact = None
    if with_estimate:
        from careerbench.cli.estimate import say
        from careerbench.estimate import for_relaxed_cohort

        exact = for_relaxed_cohort(result, store=store, progress=say)
    if json:
        document = result.to_dict()
        if with_estimate:
            document["estimate"] = None if exact is None else exact.to_dict()
        print_json(document)
        return
    render(result)
    if exact is not None:
        q = exact.total_comp
        console.print(
            f"[bold]model estimate for the exact profile[/] ({exact.year} dollars, "
            f"{exact.model} model): P10 {money(q.p10)}, P25 {money(q.p25)}, "
            f"[bold]P50 {money(q.p50)}[/], P75 {money(q.p75)}, P90 {money(q.p90)}"
        )
        console.print("  (careerbench estimate gives its drivers and assumptions)")
    elif with_estimate:
        console.print(
            "the exact cohort reached the floor (or has no role and level): no estimate needed"
        )


def render(result: BenchmarkResult) -> None:
    filters = ", ".join(f"{k}={v}" for k, v in result.applied.to_dict().items()) or "everyone"
    console.print(f"[bold]cohort[/]: {filters}")
    console.print(
        f"data points: [bold]{result.n:,}[/] (floor {result.k}); "
        f"dollars of {result.currency_year}, CPI-U adjusted; method: {result.method}"
    )
    for relaxation in result.relaxed:
        console.print(
            f"  relaxed {relaxation.detail}: n {relaxation.n_before:,} -> {relaxation.n_after:,}"
        )
    for note in result.notes:
        console.print(f"[yellow]note[/]: {note}")
    if result.total_comp is None:
        return
    table = Table(title="annual pay")
    table.add_column("measure")
    table.add_column("n", justify="right")
    for p in PROBABILITIES:
        table.add_column(f"P{round(p * 100)}", justify="right")
    rows: list[tuple[str, int, Quantiles | None]] = [("total comp", result.n, result.total_comp)]
    rows += [(name, c.n, c.quantiles) for name, c in result.components.items()]
    for name, n, q in rows:
        cells = [money(v) for v in (q.p10, q.p25, q.p50, q.p75, q.p90)] if q else ["-"] * 5
        table.add_row(name, f"{n:,}", *cells)
    if result.bls is not None:
        b = result.bls
        table.add_row(
            f"BLS {b.soc} ({b.area_type})",
            "pop.",
            *(money(v) for v in (b.p10, b.p25, b.p50, b.p75, b.p90)),
        )
    console.print(table)
    if result.bls is not None:
        console.print(f"BLS row: {result.bls.label}; {result.bls.soc_title}, {result.bls.area}.")
    mix = ", ".join(f"{k} {v:,}" for k, v in result.sources.items())
    years = ", ".join(f"{k}: {v:,}" for k, v in sorted(result.years.items()))
    console.print(f"sources: {mix}; years: {years}")
    if result.percentile is not None and result.pay is not None:
        console.print(
            f"your {result.pay_measure.replace('_', ' ') if result.pay_measure else 'pay'} "
            f"{money(result.pay)} is at the [bold]{ordinal(round(result.percentile))} "
            "percentile[/] of the cohort."
        )
    if result.verdict is not None:
        console.print(f"[bold]{result.verdict.label}[/]: {result.verdict.text}")
        console.print(
            f"  rule of thumb: {result.verdict.rule.claim} {result.verdict.rule.citation}"
        )
