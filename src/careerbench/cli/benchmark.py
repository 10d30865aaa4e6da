"""``careerbench benchmark``: where a figure stands in its cohort."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from careerbench import services
from careerbench.benchmark import DEFAULT_K, PROBABILITIES, BenchmarkResult, Quantiles
from careerbench.cli.common import JsonOption, StoreOption, console, print_json, say, with_cohort
from careerbench.cohort import COHORT, Cohort
from careerbench.formatting import count, ordinal, usd


def register(app: typer.Typer) -> None:
    app.command("benchmark")(benchmark_command)


@with_cohort(*COHORT)
def benchmark_command(
    cohort: Cohort,
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
    standing = services.where_i_stand(
        cohort,
        tc=tc,
        base=base,
        k=k,
        currency_year=currency_year,
        estimate="train" if with_estimate else "never",
        store=store,
        progress=say,
    )
    if json:
        print_json(standing.to_dict())
        return
    render(standing.benchmark)
    exact = standing.estimate
    if exact is not None:
        q = exact.total_comp
        console.print(
            f"[bold]model estimate for the exact profile[/] ({exact.year} dollars, "
            f"{exact.model} model): P10 {usd(q.p10)}, P25 {usd(q.p25)}, "
            f"[bold]P50 {usd(q.p50)}[/], P75 {usd(q.p75)}, P90 {usd(q.p90)}"
        )
        console.print("  (careerbench estimate gives its drivers and assumptions)")
    elif with_estimate:
        console.print(f"no model estimate: {standing.estimate_note}")


def render(result: BenchmarkResult) -> None:
    filters = ", ".join(f"{k}={v}" for k, v in result.applied.to_dict().items()) or "everyone"
    console.print(f"[bold]cohort[/]: {filters}")
    console.print(
        f"data points: [bold]{count(result.n)}[/] (floor {result.k}); "
        f"dollars of {result.currency_year}, CPI-U adjusted; method: {result.method}"
    )
    for relaxation in result.relaxed:
        console.print(
            f"  relaxed {relaxation.detail}: n {count(relaxation.n_before)} -> "
            f"{count(relaxation.n_after)}"
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
        cells = [usd(v) for v in (q.p10, q.p25, q.p50, q.p75, q.p90)] if q else ["-"] * 5
        table.add_row(name, count(n), *cells)
    if result.bls is not None:
        b = result.bls
        table.add_row(
            f"BLS {b.soc} ({b.area_type})",
            "pop.",
            *(usd(v) for v in (b.p10, b.p25, b.p50, b.p75, b.p90)),
        )
    console.print(table)
    if result.bls is not None:
        console.print(f"BLS row: {result.bls.label}; {result.bls.soc_title}, {result.bls.area}.")
    mix = ", ".join(f"{k} {count(v)}" for k, v in result.sources.items())
    years = ", ".join(f"{k}: {count(v)}" for k, v in sorted(result.years.items()))
    console.print(f"sources: {mix}; years: {years}")
    if result.percentile is not None and result.pay is not None:
        console.print(
            f"your {result.pay_measure.replace('_', ' ') if result.pay_measure else 'pay'} "
            f"{usd(result.pay)} is at the [bold]{ordinal(round(result.percentile))} "
            "percentile[/] of the cohort."
        )
    if result.verdict is not None:
        console.print(f"[bold]{result.verdict.label}[/]: {result.verdict.text}")
        console.print(
            f"  rule of thumb: {result.verdict.rule.claim} {result.verdict.rule.citation}"
        )
