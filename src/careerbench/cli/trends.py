"""``careerbench trends``: pay by year, the AI premium by year, published trends checked."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from careerbench import engine as engine_module
from careerbench import services
from careerbench.benchmark import MEASURE_WORDS
from careerbench.charts import save_chart, trends_spec
from careerbench.cli.common import (
    EngineOption,
    JsonOption,
    SparkConfOption,
    SparkMasterOption,
    StoreOption,
    console,
    print_json,
)
from careerbench.cohort import parse_cohort
from careerbench.formatting import count, pct, usd


def register(app: typer.Typer) -> None:
    app.command("trends")(trends_command)


def trends_command(
    role: Annotated[str | None, typer.Option(help="Role family, e.g. ml-engineer.")] = None,
    level: Annotated[str | None, typer.Option(help="Level.")] = None,
    country: Annotated[str | None, typer.Option(help="Country.")] = "US",
    chart: Annotated[Path | None, typer.Option(help="Write a chart (.svg or .png).")] = None,
    lake: Annotated[
        str | None,
        typer.Option(help="With --engine spark: compute from this lake (any Hadoop path)."),
    ] = None,
    engine: EngineOption = None,
    spark_master: SparkMasterOption = None,
    spark_conf: SparkConfOption = None,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """How pay and the AI premium moved year by year, and whether published trends hold."""
    cohort = parse_cohort(role=role, level=level, country=country)
    chosen = engine_module.choose(engine, spark_master, spark_conf or [])
    result = services.market_trends(cohort, store=store, engine=chosen, lake=lake)
    if chart is not None:
        save_chart(trends_spec(result), chart)
    if json:
        print_json(result.to_dict())
        return
    table = Table(
        title=f"pay by year, one series per measure and source: nominal and {result.basis}"
    )
    for column in ("measure", "source", "year", "n", "P25", "P50", "P75", "P50 on basis"):
        table.add_column(column, justify="left" if column in ("measure", "source") else "right")
    for y in result.by_year:
        table.add_row(
            MEASURE_WORDS[y.measure], y.source, str(y.year), count(y.n), usd(y.p25),
            usd(y.p50), usd(y.p75), usd(y.p50_real),
        )  # fmt: skip
    console.print(table)
    premium = Table(
        title="AI-title premium in aijobs.net postings' base salary (same level, country, remote)"
    )
    for column in ("year", "premium", "95% interval", "n (AI vs other)", "cells"):
        premium.add_column(column, justify="right")
    for year, m in result.premium_by_year.items():
        interval = (
            "-" if m.interval is None else f"{pct(m.interval[0], 1)} to {pct(m.interval[1], 1)}"
        )
        premium.add_row(
            str(year), pct(m.premium, 1), interval, f"{count(m.n_ai)} vs {count(m.n_other)}",
            str(m.cells),
        )  # fmt: skip
    console.print(premium)
    for c in result.claims:
        console.print(
            f"[bold]{c.verdict}[/]: {c.claim.claim} {c.claim.citation}\n  our data: {c.evidence}"
        )
    for note in result.notes:
        console.print(f"[yellow]note[/]: {note}")
