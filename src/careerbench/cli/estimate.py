"""``careerbench estimate``, ``train`` and ``evaluate``: the pay model from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from careerbench.batch import estimate_file
from careerbench.cli.common import JsonOption, StoreOption, console, print_json, say, with_cohort
from careerbench.cohort import PROFILE, Cohort
from careerbench.errors import InputError
from careerbench.estimate import Estimate, estimate, load_model, train
from careerbench.evaluate import checks, evaluate
from careerbench.formatting import usd


def register(app: typer.Typer) -> None:
    app.command("estimate")(estimate_command)
    app.command("train")(train_command)
    app.command("evaluate")(evaluate_command)


@with_cohort(*PROFILE)
def estimate_command(
    cohort: Cohort,
    year: Annotated[
        int | None, typer.Option(help="Estimate for this year, in its dollars (default: now).")
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Force a source's model: aijobs or levelsfyi.")
    ] = None,
    input_file: Annotated[
        Path | None, typer.Option("--input", help="Estimate every row of this file instead.")
    ] = None,
    file_format: Annotated[
        str, typer.Option("--format", help="Input format: aijobs, levelsfyi or csv.")
    ] = "csv",
    output: Annotated[
        Path | None, typer.Option(help="Batch output CSV (default: print a summary only).")
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option(help="Column mapping (YAML) for --format csv.")
    ] = None,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """P10-P90 of total comp and base for a profile, or for every row of a file."""
    if input_file is not None:
        batch_command(input_file, file_format, output, mapping, store, json)
        return
    if cohort.role is None or cohort.level is None:
        raise InputError("role/level", "give --role and --level (or --input FILE for a batch)")
    result = estimate(cohort, year=year, source=source, store=store, progress=say)
    if json:
        print_json(result.to_dict())
        return
    render(result)


def render(result: Estimate) -> None:
    profile = ", ".join(f"{k}={v}" for k, v in result.profile.items()) or "everyone"
    console.print(f"[bold]profile[/]: {profile}")
    console.print(
        f"estimate for {result.year}, nominal USD of {result.year}; P10-P90 is an 80% "
        "interval, calibrated to contain the truth 80% of the time"
    )
    table = Table(title="annual pay (model estimate)")
    table.add_column("measure")
    for name in ("P10", "P25", "P50", "P75", "P90"):
        table.add_column(name, justify="right")
    for label, q in (("total comp", result.total_comp), ("base", result.base)):
        if q is not None:
            table.add_row(label, *(usd(v) for v in (q.p10, q.p25, q.p50, q.p75, q.p90)))
    console.print(table)
    filters = ", ".join(f"{k}={v}" for k, v in result.cohort_filters.items())
    relaxed = f" (relaxed {len(result.cohort_relaxed)} step(s))" if result.cohort_relaxed else ""
    console.print(f"data behind it: nearest cohort {filters}: n={result.cohort_n:,}{relaxed}")
    if result.drivers:
        console.print("main drivers (vs the average data point of the model):")
        for driver in result.drivers:
            console.print(f"  {driver.text}")
    if result.assumed:
        assumed = ", ".join(f"{k}={v}" for k, v in result.assumed.items())
        console.print(f"assumed for fields not given: {assumed}")
    for note in result.notes:
        console.print(f"[yellow]note[/]: {note}")


def batch_command(
    input_file: Path,
    file_format: str,
    output: Path | None,
    mapping: Path | None,
    store: Path | None,
    json: bool,
) -> None:
    model = load_model(store, progress=say)
    table, report = estimate_file(model, input_file, file_format, output, mapping=mapping)
    if json:
        print_json(
            {
                "rows": report.rows,
                "estimated": report.estimated,
                "not_estimated": report.not_estimated,
                "reconciles": report.reconciles(),
                "seconds": round(report.seconds, 3),
                "output": None if output is None else str(output),
            }
        )
        return
    console.print(
        f"{report.rows:,} rows: {report.estimated:,} estimated, "
        f"{sum(report.not_estimated.values()):,} not ({report.seconds:.2f} s)"
    )
    for reason, count in report.not_estimated.items():
        console.print(f"  not estimated, {reason}: {count:,}")
    if output is not None:
        console.print(f"wrote {output} (columns: {', '.join(table.columns)})")
    else:
        console.print("give --output OUT.csv to write the estimates")


def train_command(
    seed: Annotated[int, typer.Option(help="Random seed (training is deterministic).")] = 0,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Train the pay model on the store's records and save it in the user data dir."""
    model, path = train(store, seed=seed, progress=None if json else say)
    summary = {
        "path": str(path),
        "data_hash": model.data_hash,
        "seed": model.seed,
        "seconds": round(model.seconds, 1),
        "records": model.counts,
        "trend_per_year": {s: round(m["total_comp"].trend, 4) for s, m in model.models.items()},
    }
    if json:
        print_json(summary)
        return
    for source, count in model.counts.items():
        trend = summary["trend_per_year"][source]  # type: ignore[index]
        console.print(f"{source}: {count:,} records; learned trend {trend:+.2%} a year")
    console.print(f"trained in {model.seconds:.1f} s; saved {path}")


def evaluate_command(
    seed: Annotated[int, typer.Option(help="Random seed of the split and the models.")] = 0,
    output: Annotated[Path, typer.Option(help="Report file (markdown; JSON beside it).")] = Path(
        "benchmarks/results/evaluation.md"
    ),
    store: StoreOption = None,
) -> None:
    """Random and time splits: the pay model against three baselines; writes a report."""
    results = evaluate(store, seed=seed, output=output, progress=say)
    for what, measured, met in checks(results[0]):
        console.print(f"{'met' if met else 'NOT met'}: {what}: {measured}")
    console.print(f"wrote {output}")
