"""``careerbench estimate``, ``train`` and ``evaluate``: the pay model from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from careerbench import engine as engine_module
from careerbench import services
from careerbench.batch import estimate_file
from careerbench.cli.benchmark import BasisOption, YearOption, render_answer
from careerbench.cli.common import (
    EngineOption,
    JsonOption,
    SparkConfOption,
    SparkMasterOption,
    StoreOption,
    console,
    escape,
    print_json,
    say,
    with_cohort,
)
from careerbench.cohort import PROFILE, Cohort
from careerbench.errors import InputError
from careerbench.estimate import load_model, model_path, train, trained_model
from careerbench.evaluate import checks, evaluate
from careerbench.formatting import usd


def register(app: typer.Typer) -> None:
    app.command("estimate")(estimate_command)
    app.command("train")(train_command)
    app.command("evaluate")(evaluate_command)


@with_cohort(*PROFILE)
def estimate_command(
    cohort: Cohort,
    year: YearOption = None,
    basis: BasisOption = "pay-index",
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
    engine: EngineOption = None,
    spark_master: SparkMasterOption = None,
    spark_conf: SparkConfOption = None,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """What to expect for a profile: total comp and base with their evidence, or every row of a
    file."""
    if input_file is not None:
        chosen = engine_module.choose(engine, spark_master, spark_conf or [])
        batch_command(input_file, file_format, output, mapping, store, json, chosen)
        return
    if cohort.role is None or cohort.level is None:
        raise InputError("role/level", "give --role and --level (or --input FILE for a batch)")
    result = services.estimate_profile(
        cohort, year=year, source=source, basis=basis, model="train", store=store, progress=say
    )
    if json:
        print_json(result.to_dict())
        return
    render(result)


def render(result: services.ProfileEstimate) -> None:
    console.print(f"[bold]{escape(result.headline)}[/]")
    for answer in result.answers.values():
        console.print()
        render_answer(answer)
    model = result.model
    if model is None:
        if result.model_note:
            console.print(f"[yellow]note[/]: {result.model_note}")
        return
    console.print()
    console.print(
        f"[bold]the pay model[/] (calibrated: P10-P90 holds 80% of actual pay, nominal USD of "
        f"{model.year})"
    )
    for measure, found in model.measures.items():
        q = found.quantiles
        console.print(
            f"  {measure.replace('_', ' ')} ({found.source}): P10 {usd(q.p10)}, P50 "
            f"{usd(q.p50)}, P90 {usd(q.p90)}"
        )
    if model.drivers:
        console.print("main drivers (vs the average data point of the model):")
        for driver in model.drivers:
            console.print(f"  {driver.text}")
    if model.assumed:
        assumed = ", ".join(f"{k}={v}" for k, v in model.assumed.items())
        console.print(f"assumed for fields not given: {assumed}")
    for note in model.notes:
        console.print(f"[yellow]note[/]: {note}")


def batch_command(
    input_file: Path,
    file_format: str,
    output: Path | None,
    mapping: Path | None,
    store: Path | None,
    json: bool,
    engine: engine_module.Engine,
) -> None:
    model = load_model(store, progress=say)
    if engine.spark:
        from careerbench.spark_batch import estimate_on_spark  # the Spark engine only

        table, report = estimate_on_spark(
            engine_module.spark_session(engine), model, str(input_file), file_format, output,
            mapping=mapping,
        )  # fmt: skip
    else:
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
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Train every source again even if this data's model is saved."
        ),
    ] = False,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Train the pay model on the store's records and save it beside the store (skipped when
    the model of this data and seed is already saved, unless --force; a source whose records did
    not change since the last training keeps its model, unless --force)."""
    saved = None if force else trained_model(store)
    if saved is not None and saved.seed == seed:
        model, path, trained = saved, model_path(store), False
    else:
        model, path = train(store, seed=seed, reuse=not force, progress=None if json else say)
        trained = True
    summary = {
        "trained": trained,
        "sources_trained": list(model.trained) if trained else [],
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
    if trained:
        reused = [s for s in model.parts if s not in model.trained]
        note = f" (reused the unchanged {', '.join(reused)} model)" if reused else ""
        console.print(f"trained in {model.seconds:.1f} s{note}; saved {path}")
    else:
        console.print(f"already trained for this data: {path} (--force to train again)")


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
