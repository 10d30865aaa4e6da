"""``careerbench benchmark``: where a figure stands in its cohort."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from careerbench import services
from careerbench.benchmark import DEFAULT_K, PROBABILITIES, Quantiles
from careerbench.cli.common import (
    JsonOption,
    StoreOption,
    console,
    escape,
    print_json,
    say,
    with_cohort,
)
from careerbench.cohort import COHORT, Cohort
from careerbench.estimate import load_model
from careerbench.formatting import count, usd
from careerbench.market import NONE, NOT_TRAINED, MarketAnswer


def register(app: typer.Typer) -> None:
    app.command("benchmark")(benchmark_command)


MeasureOption = Annotated[
    str | None,
    typer.Option(
        help="total_comp, base, equity or bonus (default: your pay's measure, else total_comp).",
        show_default=False,
    ),
]
YearOption = Annotated[
    int | None,
    typer.Option(help="Answer in this year's dollars (default: the basis's last year)."),
]
BasisOption = Annotated[
    str, typer.Option(help="pay-index (pay measured on the data) or cpi (CPI-U).")
]
ModelOption = Annotated[
    str,
    typer.Option(
        help="The pay model for thin cohorts: never, if-trained, or train (about a minute)."
    ),
]


@with_cohort(*COHORT)
def benchmark_command(
    cohort: Cohort,
    tc: Annotated[
        float | None, typer.Option(help="Your annual total comp: its percentile.")
    ] = None,
    base: Annotated[
        float | None, typer.Option(help="Your annual base salary: its percentile.")
    ] = None,
    measure: MeasureOption = None,
    k: Annotated[
        int, typer.Option(help="Cohort floor: relax filters below this many.")
    ] = DEFAULT_K,
    year: YearOption = None,
    basis: BasisOption = "pay-index",
    model: ModelOption = "if-trained",
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Where your pay stands: the market's answer for your profile, with its evidence."""
    if model == "train":
        load_model(store, progress=say)
    standing = services.where_i_stand(
        cohort, tc=tc, base=base, measure=measure, k=k, year=year, basis=basis, model=model,
        store=store,
    )  # fmt: skip
    if json:
        print_json(standing.to_dict())
        return
    render(standing)


def render(standing: services.Standing) -> None:
    for name, note in standing.read_as.items():
        console.print(f"{name}: {escape(note)}", highlight=False)
    console.print(f"[bold]{escape(standing.headline)}[/]")
    if standing.verdict is not None:
        console.print(f"[bold]{standing.verdict.label}[/]: {standing.verdict.text}")
        console.print(
            f"  rule of thumb: {standing.verdict.rule.claim} {standing.verdict.rule.citation}"
        )
    render_answer(standing.answer)
    if standing.context is not None:
        console.print()
        render_answer(standing.context)
    bls = standing.bls
    if bls is not None:
        console.print(
            f"BLS {bls.soc} {bls.soc_title} ({bls.area}): P25 {usd(bls.p25)}, P50 "
            f"{usd(bls.p50)}, P75 {usd(bls.p75)} — {bls.label}."
        )


def render_answer(answer: MarketAnswer) -> None:
    """The answer's table and the evidence behind it."""
    filters = ", ".join(f"{k}={v}" for k, v in answer.profile.to_dict().items()) or "everyone"
    by = (
        "no answer: no data"
        if answer.answered_by == NONE
        else f"answered by the {answer.answered_by}"
    )
    console.print(f"[bold]{answer.words}[/] for {filters}: {by} ({answer.basis})")
    table = Table(title=f"annual {answer.words}")
    for column in ("evidence", "n", *(f"P{round(p * 100)}" for p in PROBABILITIES)):
        table.add_column(column, justify="left" if column == "evidence" else "right")

    def row(label: str, n: str, q: Quantiles | None) -> None:
        cells = [usd(v) for v in (q.p10, q.p25, q.p50, q.p75, q.p90)] if q else ["-"] * 5
        table.add_row(label, n, *cells)

    row("the answer", count(answer.n_behind()), answer.quantiles)
    row("exact cohort", count(answer.exact.n), answer.exact.quantiles)
    if answer.relaxed.was_relaxed:
        row("relaxed cohort", count(answer.relaxed.n), answer.relaxed.quantiles)
    if answer.model is not None:
        row(f"pay model ({answer.model.source})", "-", answer.model.quantiles)
    for neighbor in answer.neighbors:
        row(f"nearby: {neighbor.change}", count(neighbor.evidence.n), neighbor.evidence.quantiles)
    console.print(table)
    console.print(f"evidence: {answer.evidence_text()}")
    for relaxation in answer.relaxed.relaxed:
        console.print(
            f"  relaxed {relaxation.detail}: n {count(relaxation.n_before)} -> "
            f"{count(relaxation.n_after)}"
        )
    if answer.model_note and answer.exact.n < answer.k:
        hint = ": run `careerbench train`" if answer.model_note == NOT_TRAINED else ""
        console.print(f"[yellow]note[/]: {escape(answer.model_note + hint)}")
    for note in answer.notes:
        console.print(f"[yellow]note[/]: {note}")
