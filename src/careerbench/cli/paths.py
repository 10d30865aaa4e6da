"""Commands about career paths: tracks compare/fit, simulate, skills assess."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.prompt import Prompt
from rich.table import Table

from careerbench import services
from careerbench.charts import fan_spec, save_chart
from careerbench.cli.common import JsonOption, StoreOption, console, print_json
from careerbench.cohort import parse_cohort
from careerbench.errors import InputError
from careerbench.formatting import usd
from careerbench.paths.fit import questions, rank_tracks, read_answers
from careerbench.paths.simulate import YEAR_COLUMNS, Simulation, Versus
from careerbench.paths.skills import knowledge
from careerbench.paths.tracks import DIMENSIONS, compare_tracks

tracks_app = typer.Typer(
    help="Compare career tracks and find the one that fits.", no_args_is_help=True
)
skills_app = typer.Typer(help="Which skills raise your pay.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(tracks_app, name="tracks")
    app.command("simulate")(simulate_command)
    app.add_typer(skills_app, name="skills")


@tracks_app.command("compare")
def compare_command(
    tracks: Annotated[
        list[str], typer.Argument(help="Two or more tracks, e.g. ml-engineer research-scientist.")
    ],
    tier: Annotated[str | None, typer.Option(help="Company tier for pay, e.g. big-tech.")] = None,
    level: Annotated[str | None, typer.Option(help="Only this level.")] = None,
    country: Annotated[str, typer.Option(help="Country of the pay data.")] = "US",
    source: Annotated[
        str | None, typer.Option(help="Only one data source (aijobs, levelsfyi).")
    ] = None,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Tracks side by side: pay by level, the dimensions with sources, the claims tested."""
    result = compare_tracks(
        tracks, tier=tier, level=level, country=country, source=source, store=store
    )
    if json:
        print_json(result.to_dict())
        return
    pay = Table(title=f"total comp by level (P25 / P50 / P75, n) - USD of {result.currency_year}")
    pay.add_column("level")
    for track in result.tracks:
        pay.add_column(track.name)
    levels = [c.level for c in result.pay[result.tracks[0].id]]
    for row in sorted(
        {c.level for cells in result.pay.values() for c in cells},
        key=lambda lv: levels.index(lv) if lv in levels else 99,
    ):
        cells = []
        for track in result.tracks:
            cell = next((c for c in result.pay[track.id] if c.level == row), None)
            if cell is None:
                cells.append("-")
            elif cell.quantiles is None:
                cells.append(f"n={cell.n}")
            else:
                q = cell.quantiles
                cells.append(f"{usd(q.p25)} / {usd(q.p50)} / {usd(q.p75)}\nn={cell.n:,}")
        pay.add_row(row, *cells)
    console.print(pay)
    for track in result.tracks:
        for cell in result.pay[track.id]:
            if cell.note:
                console.print(f"{track.name}: {cell.note}")
    dims = Table(title="what the work is like (sources in --json)", show_lines=True)
    dims.add_column("dimension")
    for track in result.tracks:
        dims.add_column(f"{track.name} (as of {track.as_of})")
    for dim in DIMENSIONS:
        dims.add_row(dim.replace("_", " "), *(t.dimensions[dim].text for t in result.tracks))
    console.print(dims)
    if result.claims:
        claims = Table(title="published claims tested on our data")
        for column in ("claim", "our data", "verdict"):
            claims.add_column(column)
        for c in result.claims:
            claims.add_row(f"{c.claim.claim} [{c.claim.citation}]", c.evidence, c.verdict)
        console.print(claims)
    for note in result.notes:
        console.print(f"[yellow]note[/]: {note}")


@tracks_app.command("fit")
def fit_command(
    answers: Annotated[
        Path | None, typer.Option(help="JSON file of question id -> answer.")
    ] = None,
    work: Annotated[
        str | None, typer.Option(help="research, shipping, platform or analysis.")
    ] = None,
    degree: Annotated[str | None, typer.Option(help="phd, masters, bachelors or none.")] = None,
    recognition: Annotated[str | None, typer.Option(help="external, internal or mixed.")] = None,
    optionality: Annotated[str | None, typer.Option(help="academia, industry or both.")] = None,
    publications: Annotated[str | None, typer.Option(help="0, 1-2 or 3+.")] = None,
    shipped: Annotated[
        str | None, typer.Option(help="yes or no: shipped an ML system to users.")
    ] = None,
    json: JsonOption = False,
) -> None:
    """Rank the tracks for you, with the reasons (asks the questions when run in a terminal)."""
    given: dict[str, str] = read_answers(answers) if answers else {}
    flags = {
        "work_content": work,
        "credentials": degree,
        "recognition": recognition,
        "optionality": optionality,
        "publications": publications,
        "shipped": shipped,
    }
    given |= {k: v for k, v in flags.items() if v is not None}
    for question in questions():
        if question.id in given:
            continue
        if not sys.stdin.isatty():
            raise InputError(
                question.id,
                "missing answer; give it as a flag or in --answers "
                f"(choices: {', '.join(question.choices)})",
            )
        console.print(f"[bold]{question.prompt}[/]")
        for key, text in question.choices.items():
            console.print(f"  {key}: {text}")
        given[question.id] = Prompt.ask("answer", choices=list(question.choices), console=console)
    ranked = rank_tracks(given)
    if json:
        print_json({"answers": given, "ranking": [f.to_dict() for f in ranked]})
        return
    table = Table(title="tracks ranked for you", show_lines=True)
    for column in ("rank", "track", "score", "why"):
        table.add_column(column)
    for rank, fit in enumerate(ranked, 1):
        table.add_row(str(rank), fit.name, str(fit.score), "\n".join(fit.reasons))
    console.print(table)


def simulate_command(
    track: Annotated[str, typer.Option(help="Track, e.g. ml-engineer.")],
    start_level: Annotated[
        str, typer.Option(help="entry, mid, senior, staff or principal.")
    ] = "mid",
    tier: Annotated[str | None, typer.Option(help="Company tier.")] = None,
    state: Annotated[str | None, typer.Option(help="US state of the job.")] = None,
    metro: Annotated[str | None, typer.Option(help="Metro area of the job.")] = None,
    years: Annotated[int, typer.Option(help="Years to simulate.")] = 10,
    paths: Annotated[int, typer.Option(help="Monte Carlo paths.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same result).")] = 0,
    scenario: Annotated[
        str | None, typer.Option(help="A transition, e.g. mle-to-research-scientist.")
    ] = None,
    vs: Annotated[str | None, typer.Option(help="Compare with another track.")] = None,
    vs_tier: Annotated[str | None, typer.Option(help="Compare with another tier.")] = None,
    vs_scenario: Annotated[
        str | None, typer.Option(help="Compare with a transition scenario.")
    ] = None,
    chart: Annotated[Path | None, typer.Option(help="Write a fan chart (.svg or .png).")] = None,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Career earnings as a distribution: P10/P50/P90 by year, and the odds against another path."""
    result = services.simulate_career(
        track, start_level=start_level, tier=tier, state=state, metro=metro, years=years,
        paths=paths, seed=seed, scenario=scenario, vs=vs, vs_tier=vs_tier,
        vs_scenario=vs_scenario, store=store,
    )  # fmt: skip
    runs: list[Simulation] = [result.a, result.b] if isinstance(result, Versus) else [result]
    if chart is not None:
        save_chart(fan_spec(runs), chart)
    if json:
        print_json(result.to_dict())
        return
    for run in runs:
        table = Table(
            title=f"{run.career.label()}: {run.paths:,} paths, seed {run.seed}, "
            f"USD of {run.currency_year}",
            box=None,  # no rules: eight columns, six of them dollars, fit 80 characters
            pad_edge=False,
            padding=(0, 0, 0, 1),
        )
        for column in YEAR_COLUMNS:
            wide = {"cumulative": 10, "annual": 8, "mostly": 9}.get(column.split()[0])
            table.add_column(column.replace(" ", "\n"), justify="right", min_width=wide)
        for y in run.by_year:
            table.add_row(*y.row())
        console.print(table)
        if run.promotion_raise_p50 is not None:
            console.print(
                f"median raise at promotion in this run: {run.promotion_raise_p50:+.0%} "
                "(published rule of thumb: 10-15% base)"
            )
        for note in run.notes:
            console.print(f"[yellow]note[/]: {note}")
    if isinstance(result, Versus):
        console.print(f"[bold]{result.headline()}[/]")
    if chart is not None:
        console.print(f"chart: {chart}")


@skills_app.command("assess")
def assess_command(
    have: Annotated[
        str | None, typer.Option(help="Premium signals that hold, comma-separated (see --list).")
    ] = None,
    not_yet: Annotated[
        str | None, typer.Option(help="'Not yet' signals that hold, comma-separated.")
    ] = None,
    clusters: Annotated[
        str | None, typer.Option(help="Skill clusters you have, e.g. rag,llm-fine-tuning.")
    ] = None,
    role: Annotated[
        str | None, typer.Option(help="Your role, to size the effect on your cohort.")
    ] = None,
    level: Annotated[str | None, typer.Option(help="Your level.")] = None,
    country: Annotated[str | None, typer.Option(help="Your country.")] = "US",
    tc: Annotated[
        float | None, typer.Option(help="Your total comp, as the reference instead.")
    ] = None,
    measure: Annotated[bool, typer.Option(help="Also measure the AI premium on our data.")] = True,
    list_items: Annotated[
        bool, typer.Option("--list", help="List the checklist and clusters.")
    ] = False,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Where you stand on the premium-tier checklist, what skills are worth, what to do next."""
    doc = knowledge()
    if list_items:
        for group in ("premium_tier", "not_yet"):
            console.print(f"[bold]{group.replace('_', ' ')}[/]")
            for item in doc[group]["items"]:
                console.print(f"  {item['id']}: {item['text']}")
        console.print("[bold]clusters[/]: " + ", ".join(doc["clusters"]))
        return
    answers: dict[str, bool] = {}
    if have is None and not_yet is None:
        if not sys.stdin.isatty():
            raise InputError(
                "have", "say which signals hold with --have and --not-yet (see --list)"
            )
        for group in ("premium_tier", "not_yet"):
            for item in doc[group]["items"]:
                answers[item["id"]] = typer.confirm(item["text"], default=False)
        if clusters is None:
            clusters = Prompt.ask(
                "skill clusters you have (comma-separated, or empty)", default="", console=console
            )
    else:
        for text in (have, not_yet):
            for item in filter(None, (t.strip() for t in (text or "").split(","))):
                answers[item] = True
    held = [c.strip() for c in (clusters or "").split(",") if c.strip()]
    result_doc = services.assess_skills(
        [k for k, v in answers.items() if v],
        [],
        held,
        cohort=parse_cohort(role=role, level=level, country=country),
        tc=tc,
        measure=measure,
        store=store,
    )
    label = result_doc.reference_label
    if json:
        print_json(result_doc.to_dict())
        return
    console.print(
        f"[bold]{result_doc.verdict}[/]: {len(result_doc.premium_signals)} of "
        f"{result_doc.premium_signals_listed} premium signals, "
        f"{len(result_doc.not_yet_signals)} 'not yet' signals "
        f"(checklist: {doc['premium_tier']['source']})"
    )
    table = Table(
        title="skill clusters: published premium" + (f", applied to {label}" if label else "")
    )
    for column in ("cluster", "you", "published premium", "effect", "source"):
        table.add_column(column)
    for c in result_doc.clusters:
        premium = (
            f"{c.premium[0]:.0%}-{c.premium[1]:.0%}"
            if c.premium
            else f"${c.premium_usd[0]:,.0f}-${c.premium_usd[1]:,.0f} base"
            if c.premium_usd
            else "not published"
        )
        effect = (
            "-" if c.effect_usd is None else f"+{usd(c.effect_usd[0])} to +{usd(c.effect_usd[1])}"
        )
        table.add_row(c.name, "have" if c.held else "-", premium, effect, c.source)
    console.print(table)
    for m in result_doc.measured:
        if m.premium is None or m.interval is None:
            console.print(f"measured: {m.what}: {m.note}")
        else:
            console.print(
                f"measured: {m.what}: [bold]{m.premium:+.1%}[/] (95% {m.interval[0]:+.1%} to "
                f"{m.interval[1]:+.1%}; n {m.n_ai:,} vs {m.n_other:,} in {m.cells} cells)"
            )
    console.print("[bold]next moves[/]")
    for move in result_doc.next_moves:
        console.print(f"  - {move}")
