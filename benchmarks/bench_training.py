"""Training the pay model: time and accuracy of the earlier settings and the current ones, on the
same data in the same run.

The records are the store's (``--store``, else ``$CAREERBENCH_STORE`` or the user data dir: run
``careerbench ingest --levelsfyi PATH`` first for the bundled data and the Levels.fyi extract),
split as ``careerbench evaluate``'s random split (seeded, 20% held out). On the training side
the model is trained with

- **before**: every booster trains all 400 rounds, one booster at a time on two threads (the
  settings until early stopping and side-by-side boosters);
- **after**: ``pay_model.Training()``, the settings ``careerbench train`` uses (early stopping
  on the calibration records, two one-thread boosters at a time);

alternating which goes first in each repeat, so that both see the same load of the machine.
Each is scored on the held-out side with ``evaluate.metrics`` (pinball loss at 0.1/0.5/0.9,
80% coverage, MAE and MAPE of P50), per source. The time goes per source, target and quantile,
with the rounds each booster kept; for the "before" boosters, the held-out mean pinball loss
after every 50 rounds shows which rounds were useful. The cells the training groups records
by (the trend's cells, the profile defaults' contexts) are also built both ways on the same
records: a row at a time (as before) and a column at a time (``features.cell_keys``).

Run: ``python benchmarks/bench_training.py [--store PATH] [--repeats N]``. Writes
``benchmarks/results/training.json`` and ``training.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from careerbench.config import store_path
from careerbench.estimate import records_frame
from careerbench.evaluate import EVALUATED, metrics, random_split
from careerbench.features import MODELLED, cell_keys, row_weight, with_derived
from careerbench.pay_model import QUANTILES, PayModel, SourceModel, Training
from careerbench.sources.registry import modelled
from careerbench.store import Store

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "training.json"
SEED = 0
#: The settings before early stopping: every booster trains every round, one at a time.
BEFORE = Training(rounds=400, patience=None, workers=1, threads=2)
AFTER = Training()
CONFIGURATIONS = {"before": BEFORE, "after": AFTER}
WANTED = [list(QUANTILES).index(q) for q in EVALUATED]
CHECKPOINTS = range(50, BEFORE.rounds + 1, 50)


def scores(model: PayModel, test: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Held-out metrics of the model's total-comp quantiles, per source."""
    out = {}
    for source in model.models:
        part = test[test["source"] == source]
        predicted = model.predict(part, source)[:, WANTED]
        truth = part["total_comp"].to_numpy(dtype=float)
        out[source] = asdict(metrics(predicted, truth, row_weight(part)))
    return out


def pinball_by_rounds(model: SourceModel, test: pd.DataFrame) -> dict[int, float]:
    """The held-out mean pinball loss (log pay, uncalibrated) of the boosters cut at each
    checkpoint: how much later rounds still help."""
    part = with_derived(test[test["source"] == model.source])
    part = part[part[model.target] > 0]
    matrix, _ = model._matrix(part)
    years = part["observed_year"].to_numpy(dtype=float)
    truth = np.log(part[model.target].to_numpy(dtype=float)) - model.year_shift(years)
    weights = row_weight(part)
    out = {}
    for rounds in CHECKPOINTS:
        losses = []
        for q, booster in zip(QUANTILES, model.boosters, strict=True):
            diff = truth - booster.predict(matrix, num_iteration=rounds)
            losses.append(float(np.average(np.maximum(q * diff, (q - 1) * diff), weights=weights)))
        out[rounds] = float(np.mean(losses))
    return out


def cell_columns() -> list[tuple[str, list[str]]]:
    """Every (source, columns) the training builds cell keys of."""
    found: list[tuple[str, list[str]]] = []
    for source, spec in modelled().items():
        found.append((source, list(spec.trend_cells)))
        for fill in spec.fills:
            for cut in range(len(fill.context), max(fill.least, 1) - 1, -1):
                found.append((source, list(fill.context[:cut])))
    return found


def time_cell_keys(train: pd.DataFrame) -> dict[str, float]:
    """Seconds to build every cell key of a training, a row at a time and a column at a time;
    both must give the same keys."""
    data = with_derived(train)
    seconds = {"row at a time": 0.0, "column at a time": 0.0}
    for source, columns in cell_columns():
        part = data[data["source"] == source]
        started = time.perf_counter()
        rows = part[columns].astype(str).fillna("").agg("|".join, axis=1)
        middle = time.perf_counter()
        keys = cell_keys(part, columns)
        seconds["row at a time"] += middle - started
        seconds["column at a time"] += time.perf_counter() - middle
        if rows.tolist() != keys.tolist():
            raise SystemExit(f"cell keys of {source} {columns} differ")
    return {name: round(value, 3) for name, value in seconds.items()}


def where_time_goes(model: PayModel) -> list[dict[str, Any]]:
    rows = []
    for source, by_target in model.models.items():
        for target, fitted in by_target.items():
            for q, seconds, rounds in zip(QUANTILES, fitted.seconds, fitted.rounds, strict=True):
                rows.append(
                    {"source": source, "target": target, "quantile": q,
                     "seconds": round(seconds, 2), "rounds": rounds}
                )  # fmt: skip
    return rows


def run(store: Path, repeats: int) -> dict[str, Any]:
    with Store(store) as db:
        records = records_frame(db)
        data_hash = db.fingerprint()
    records = records[records["source"].isin(list(MODELLED))].reset_index(drop=True)
    train, test = random_split(records, SEED)
    load = os.getloadavg()[0]
    keys = time_cell_keys(train)
    seconds: dict[str, list[float]] = {name: [] for name in CONFIGURATIONS}
    models: dict[str, PayModel] = {}
    for repeat in range(repeats):
        order = list(CONFIGURATIONS) if repeat % 2 == 0 else list(reversed(CONFIGURATIONS))
        for name in order:
            print(f"repeat {repeat + 1}: training {name}", flush=True)
            started = time.perf_counter()
            models[name] = PayModel.fit(
                train, data_hash=data_hash, seed=SEED, settings=CONFIGURATIONS[name]
            )
            seconds[name].append(time.perf_counter() - started)
            print(f"  {seconds[name][-1]:.1f} s", flush=True)
    same_order = [[s, t] for s, by in models["before"].models.items() for t in by]
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average_at_start": round(load, 2),
        "load_average_at_end": round(os.getloadavg()[0], 2),
        "cell_key_seconds": keys,
        "store": data_hash,
        "seed": SEED,
        "train_records": len(train),
        "test_records": len(test),
        "repeats": repeats,
        "settings": {name: asdict(s) for name, s in CONFIGURATIONS.items()},
        "seconds": {name: [round(s, 1) for s in values] for name, values in seconds.items()},
        "median_seconds": {name: round(statistics.median(v), 1) for name, v in seconds.items()},
        "speedup": round(
            statistics.median(seconds["before"]) / statistics.median(seconds["after"]), 2
        ),
        "scores": {name: scores(model, test) for name, model in models.items()},
        "time_by_booster": {name: where_time_goes(model) for name, model in models.items()},
        "before_pinball_by_rounds": {
            f"{s} {t}": pinball_by_rounds(models["before"].models[s][t], test)
            for s, t in same_order
        },
    }
    return result


def markdown(result: dict[str, Any]) -> str:
    before, after = result["median_seconds"]["before"], result["median_seconds"]["after"]
    lines = [
        "# Training the pay model: before and after early stopping and side-by-side boosters",
        "",
        f"Written by `benchmarks/bench_training.py` (store {result['store']}, seed "
        f"{result['seed']}, {result['machine']['cpus']} cores; load average "
        f"{result['load_average_at_start']} at the start, {result['load_average_at_end']} at "
        "the end). "
        f"Trained on {result['train_records']:,} records (the evaluation's random split), "
        f"scored on the {result['test_records']:,} held out; {result['repeats']} repeat(s), "
        "the order alternating.",
        "",
        f"- before (every booster {BEFORE.rounds} rounds, one at a time on {BEFORE.threads} "
        f"threads): {before} s (runs: {result['seconds']['before']})",
        f"- after (early stopping, patience {AFTER.patience}; {AFTER.workers} boosters at a time "
        f"on {AFTER.threads} thread each): {after} s (runs: {result['seconds']['after']})",
        f"- **{result['speedup']}x faster**",
        f"- the cell keys of one training, built a row at a time: "
        f"{result['cell_key_seconds']['row at a time']} s; a column at a time (now): "
        f"{result['cell_key_seconds']['column at a time']} s (the same keys; both settings "
        "above build them a column at a time)",
        "",
        "## Held-out accuracy (total comp, nominal USD)",
        "",
        "| source | settings | mean pinball | pinball 0.1 | pinball 0.5 | pinball 0.9 | "
        "80% coverage | MAE P50 | MAPE P50 |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for source in result["scores"]["before"]:
        for name in CONFIGURATIONS:
            m = result["scores"][name][source]
            lines.append(
                f"| {source} | {name} | ${m['pinball_mean']:,.0f} | ${m['pinball_10']:,.0f} | "
                f"${m['pinball_50']:,.0f} | ${m['pinball_90']:,.0f} | {m['coverage_80']:.3f} | "
                f"${m['mae']:,.0f} | {m['mape']:.1%} |"
            )
    lines += [
        "",
        "## Where the time goes (last repeat; rounds kept per booster; a booster's seconds are "
        "its own thread's, and after, two train at once)",
        "",
        "| source | target | quantile | before s | before rounds | after s | after rounds |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for b, a in zip(
        result["time_by_booster"]["before"], result["time_by_booster"]["after"], strict=True
    ):
        lines.append(
            f"| {b['source']} | {b['target']} | {b['quantile']} | {b['seconds']} | "
            f"{b['rounds']} | {a['seconds']} | {a['rounds']} |"
        )
    lines += [
        "",
        "## Held-out mean pinball loss (log pay) of the before boosters cut at each round",
        "",
        "| model | " + " | ".join(str(r) for r in CHECKPOINTS) + " |",
        "| --- | " + " | ".join("---:" for _ in CHECKPOINTS) + " |",
    ]
    for label, losses in result["before_pinball_by_rounds"].items():
        lines.append(f"| {label} | " + " | ".join(f"{v:.4f}" for v in losses.values()) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    result = run(store_path(args.store), args.repeats)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    RESULTS.with_suffix(".md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()
