"""How good are the estimates? An honest, reproducible evaluation of the pay model.

Two splits of the store's aijobs.net and Levels.fyi records:

- **random**: a seeded 20% of records held out. A record is already one posting (the two rows
  of a posted range) with its exact duplicates, so pairs and duplicates stay on one side;
- **time**: train on aijobs.net up to 2024 and Levels.fyi up to 2020; test on aijobs.net 2025
  and Levels.fyi 2021 (the model must forecast a year it has not seen).

On each split the pay model is trained on the training side only (its conformal calibration
included) and scored on the test side, beside three baselines trained on the same side: the
**global** quantiles of the source, the **cohort** quantiles of the benchmark engine (role,
level, company or metro or remote, country; relaxed below 20 as ``careerbench benchmark``
does) and **linear quantile regression** on one-hot features (fit on a seeded sample of at
most ``LINEAR_SAMPLE`` records: the exact solver grows quickly with the number of rows).

Metrics, per source, for its ML-role slice and for all ML roles: MAE and MAPE of P50, R-squared
of P50, mean pinball loss at 0.1/0.5/0.9, coverage and mean width of the P10-P90 interval. Every
metric counts a record as many times as the source rows it stands for (duplicates, both rows of
a range), so they are per input row, as a batch estimate of the raw file would be scored. Money
is nominal US dollars of each record's year.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from careerbench import inflation
from careerbench.benchmark import DEFAULT_K, Quantiles, benchmark_on, describe_cohort
from careerbench.cohort import Cohort
from careerbench.cohort_index import DIMENSIONS, MEASURES, CohortIndex
from careerbench.config import store_path
from careerbench.estimate import records_frame
from careerbench.features import MODELLED, is_ml, row_weight
from careerbench.pay_model import QUANTILES, PayModel, weighted_quantile
from careerbench.sources import registry
from careerbench.sources.registry import modelled
from careerbench.store import Store

FloatArray = npt.NDArray[np.float64]
Progress = Callable[[str], None]

TEST_SHARE = 0.2
LINEAR_SAMPLE = 10_000
EVALUATED = (0.10, 0.50, 0.90)
TARGETS = {
    "aijobs": {"mae_max": 30_000, "pinball_vs_cohort_max": 0.90, "coverage": (0.78, 0.82)},
    "levelsfyi": {"mape_max": 0.16, "r2_min": 0.70, "coverage": (0.78, 0.82)},
    "ml": {"coverage": (0.75, 0.85)},
}
LINEAR_FEATURES = (
    "role_family", "level", "tier", "country", "metro_code", "remote", "company_size", "currency",
)  # fmt: skip


@dataclass(frozen=True)
class Metrics:
    records: int
    rows: int
    mae: float
    mape: float
    r2: float
    pinball_10: float
    pinball_50: float
    pinball_90: float
    pinball_mean: float
    coverage_80: float
    width_80: float


def metrics(pred: FloatArray, truth: FloatArray, weights: FloatArray) -> Metrics:
    """Scores of quantile predictions (columns P10, P50, P90) against the truth."""
    p10, p50, p90 = pred[:, 0], pred[:, 1], pred[:, 2]
    w = weights / weights.sum()
    error = p50 - truth
    mean = float((w * truth).sum())
    losses = []
    for q, column in zip(EVALUATED, (p10, p50, p90), strict=True):
        diff = truth - column
        losses.append(float((w * np.maximum(q * diff, (q - 1) * diff)).sum()))
    return Metrics(
        records=len(truth),
        rows=int(weights.sum()),
        mae=float((w * np.abs(error)).sum()),
        mape=float((w * np.abs(error) / truth).sum()),
        r2=1.0 - float((w * error**2).sum()) / float((w * (truth - mean) ** 2).sum()),
        pinball_10=losses[0],
        pinball_50=losses[1],
        pinball_90=losses[2],
        pinball_mean=float(np.mean(losses)),
        coverage_80=float((w * ((truth >= p10) & (truth <= p90))).sum()),
        width_80=float((w * (p90 - p10)).sum()),
    )


# ---- splits --------------------------------------------------------------------------
def random_split(records: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    test = np.random.default_rng(seed).random(len(records)) < TEST_SHARE
    return records[~test], records[test]


def time_split(records: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    last = records["source"].map({s: m.last_training_year for s, m in modelled().items()})
    train = records["observed_year"] <= last
    test = records["observed_year"] == last + 1
    return records[train], records[test]


# ---- baselines -----------------------------------------------------------------------
def global_baseline(train: pd.DataFrame, test: pd.DataFrame) -> FloatArray:
    """Each source's weighted quantiles over its training records."""
    out = np.empty((len(test), len(EVALUATED)))
    for source in test["source"].unique():
        part = train[train["source"] == source]
        values = part["total_comp"].to_numpy(dtype=float)
        row = [weighted_quantile(values, row_weight(part), q) for q in EVALUATED]
        out[(test["source"] == source).to_numpy()] = row
    return out


def index_of(train: pd.DataFrame, currency_year: int) -> CohortIndex:
    """The benchmark engine's cohort index over ``train`` only."""
    frame = pd.DataFrame({dim: train[dim] for dim in DIMENSIONS if dim != "years_bucket"})
    years = np.floor(train["years_experience"].to_numpy(dtype=float)).clip(0, 50)
    frame["years_bucket"] = np.where(np.isnan(years), -1, years).astype(np.int16)
    frame["observed_year"] = frame["observed_year"].astype(np.int16)
    factors = inflation.factors(train["observed_year"].to_numpy(), currency_year)
    for measure in MEASURES:
        measured = train["source"].isin(sorted(registry.measuring(measure))).to_numpy()
        values = train[measure].to_numpy(dtype=float) * factors
        frame[measure] = np.where(measured, values, np.nan)
    frame = frame.sort_values(list(DIMENSIONS), na_position="last", kind="stable")
    return CohortIndex.from_table(pa.Table.from_pandas(frame, preserve_index=False), currency_year)


def measure_of(source: str) -> str:
    """The measure a source's records are scored on: total comp where it measures it, else
    base (an aijobs.net posting's pay)."""
    return "total_comp" if "total_comp" in registry.spec(source).measures else "base"


def cohort_baseline(
    train: pd.DataFrame, test: pd.DataFrame
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.int64]]:
    """For each test record, of its source's measure: the benchmark engine's relaxed cohort
    quantiles (global where withheld), the exact cohort's quantiles (NaN below the privacy
    floor) and the exact cohort's n."""
    year = inflation.latest_year()
    index = index_of(train, year)
    companies = set(index.dictionaries["company"])
    fallback = global_baseline(train, test)
    wanted = [list(QUANTILES).index(q) for q in EVALUATED]
    keys = test[["source", "role_family", "level", "company", "country", "metro_code", "remote"]]
    relaxed = fallback.copy()
    exact = np.full_like(fallback, np.nan)
    exact_n = np.zeros(len(test), dtype=np.int64)
    answers: dict[tuple[Any, ...], tuple[list[float] | None, list[float] | None, int]] = {}
    for position, key in enumerate(keys.itertuples(index=False, name=None)):
        source, role, level, company, country, metro, remote = (
            None if v is None or v != v else v for v in key
        )
        cohort_key = (source, role, level, company, country, metro, remote)
        if cohort_key not in answers:
            cohort = Cohort(
                role=role, level=level, company=company if company in companies else None,
                country=country, metro=metro, remote=remote,
            )  # fmt: skip
            result = benchmark_on(index, cohort, measure=measure_of(str(source)))
            exact_evidence = describe_cohort(index, cohort, result.measure)
            answers[cohort_key] = (
                _pick(result.quantiles, wanted),
                _pick(exact_evidence.quantiles, wanted),
                exact_evidence.n,
            )
        relaxed_answer, exact_answer, n = answers[cohort_key]
        scale = inflation.factor(year, int(test["observed_year"].iloc[position]))
        if relaxed_answer is not None:
            relaxed[position] = np.array(relaxed_answer) * scale
        if exact_answer is not None:
            exact[position] = np.array(exact_answer) * scale
        exact_n[position] = n
    return relaxed, exact, exact_n


def _pick(q: Quantiles | None, wanted: list[int]) -> list[float] | None:
    return None if q is None else [[q.p10, q.p25, q.p50, q.p75, q.p90][i] for i in wanted]


def market_rule(
    model: FloatArray, exact: FloatArray, exact_n: npt.NDArray[np.int64], k: int = DEFAULT_K
) -> FloatArray:
    """``market.RULE``: the exact cohort where it has at least ``k`` data points, else the
    model."""
    use_cohort = (exact_n >= k) & ~np.isnan(exact).any(axis=1)
    return np.where(use_cohort[:, None], exact, model)


def linear_baseline(train: pd.DataFrame, test: pd.DataFrame, seed: int) -> FloatArray:
    """Linear quantile regression of log pay on one-hot features, per source."""
    # The linear baseline's solver: large libraries, loaded only for an evaluation.
    import scipy.sparse as sparse
    from sklearn.linear_model import QuantileRegressor
    from sklearn.preprocessing import OneHotEncoder

    out = np.empty((len(test), len(EVALUATED)))
    for source in test["source"].unique():
        part = train[train["source"] == source]
        if len(part) > LINEAR_SAMPLE:
            part = part.sample(LINEAR_SAMPLE, random_state=seed)
        mask = (test["source"] == source).to_numpy()
        encoder = OneHotEncoder(min_frequency=30, handle_unknown="infrequent_if_exist")
        fit_x = encoder.fit_transform(part[list(LINEAR_FEATURES)].fillna("NA").astype(str))
        apply_x = encoder.transform(test[mask][list(LINEAR_FEATURES)].fillna("NA").astype(str))

        def with_year(x: Any, years: pd.Series) -> Any:
            column = sparse.csr_matrix((years.to_numpy(dtype=float) - 2020)[:, None])
            return sparse.hstack([x, column]).tocsr()

        fit_x = with_year(fit_x, part["observed_year"])
        apply_x = with_year(apply_x, test[mask]["observed_year"])
        y = np.log(part["total_comp"].to_numpy(dtype=float))
        for i, q in enumerate(EVALUATED):
            model = QuantileRegressor(quantile=q, alpha=0.0, solver="highs")
            model.fit(fit_x, y, sample_weight=row_weight(part))
            out[mask, i] = np.exp(model.predict(apply_x))
    return out


# ---- the evaluation ------------------------------------------------------------------
@dataclass
class SplitResult:
    split: str
    train_records: int
    test_records: int
    train_seconds: float
    scores: dict[str, dict[str, Metrics]]  # slice -> method -> metrics


def slices(test: pd.DataFrame) -> dict[str, npt.NDArray[np.bool_]]:
    ml = is_ml(test)
    out: dict[str, npt.NDArray[np.bool_]] = {}
    for source in MODELLED:
        own = (test["source"] == source).to_numpy()
        if own.any():
            out[source] = own
            if (own & ml).sum() >= 20:
                out[f"{source} ML roles"] = own & ml
    if ml.sum() >= 20:
        out["ML roles"] = ml
    return out


def run_split(
    name: str, train: pd.DataFrame, test: pd.DataFrame, seed: int, say: Progress
) -> SplitResult:
    say(f"{name} split: training on {len(train):,} records")
    started = time.perf_counter()
    model = PayModel.fit(train, data_hash=f"evaluation-{name}", seed=seed)
    seconds = time.perf_counter() - started
    test = test[test["source"].isin(list(model.models))]
    wanted = [list(QUANTILES).index(q) for q in EVALUATED]
    pay = np.empty((len(test), len(EVALUATED)))
    for source in model.models:
        mask = (test["source"] == source).to_numpy()
        if mask.any():
            pay[mask] = model.predict(test[mask], source)[:, wanted]
    say(f"{name} split: baselines")
    relaxed, exact, exact_n = cohort_baseline(train, test)
    predictions = {
        "pay model": pay,
        "market answer (rule)": market_rule(pay, exact, exact_n),
        "global quantiles": global_baseline(train, test),
        "cohort (benchmark engine)": relaxed,
        "linear quantile regression": linear_baseline(train, test, seed),
    }
    truth = test["total_comp"].to_numpy(dtype=float)
    weights = row_weight(test)
    scores = {
        label: {
            method: metrics(pred[mask], truth[mask], weights[mask])
            for method, pred in predictions.items()
        }
        for label, mask in slices(test).items()
    }
    return SplitResult(name, len(train), len(test), seconds, scores)


def evaluate(
    store: Path | str | None = None,
    *,
    seed: int = 0,
    output: Path | None = None,
    progress: Progress | None = None,
) -> list[SplitResult]:
    """Run both splits; write the report (markdown, and JSON beside it) when ``output`` is set."""
    say = progress or (lambda _message: None)
    with Store(store_path(store)) as db:
        records = records_frame(db)
        data_hash = db.fingerprint()
    records = records[records["source"].isin(list(MODELLED))].reset_index(drop=True)
    results = [
        run_split("random", *random_split(records, seed), seed, say),
        run_split("time", *time_split(records), seed, say),
    ]
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(report(results, data_hash, seed))
        document = {
            "data_hash": data_hash,
            "seed": seed,
            "splits": [asdict(r) for r in results],
        }
        output.with_suffix(".json").write_text(json.dumps(document, indent=2) + "\n")
    return results


# ---- the report ----------------------------------------------------------------------
def checks(result: SplitResult) -> list[tuple[str, str, bool]]:
    """The targets on the random split: (what, measured, met)."""
    out: list[tuple[str, str, bool]] = []
    scores = result.scores
    if "aijobs" in scores:
        own = scores["aijobs"]
        model, cohort = own["pay model"], own["cohort (benchmark engine)"]
        ratio = model.pinball_mean / cohort.pinball_mean
        out.append(("aijobs MAE of P50 <= $30,000", f"${model.mae:,.0f}", model.mae <= 30_000))
        out.append(
            ("aijobs mean pinball >= 10% below the cohort baseline", f"{1 - ratio:.1%} below",
             ratio <= 0.90)
        )  # fmt: skip
    if "levelsfyi" in scores:
        model = scores["levelsfyi"]["pay model"]
        out.append(("Levels.fyi MAPE of P50 <= 16%", f"{model.mape:.1%}", model.mape <= 0.16))
        out.append(("Levels.fyi R-squared >= 0.70", f"{model.r2:.3f}", model.r2 >= 0.70))
    for label, bounds in (("aijobs", (0.78, 0.82)), ("levelsfyi", (0.78, 0.82))):
        if label in scores:
            cov = scores[label]["pay model"].coverage_80
            out.append(
                (f"{label} 80% coverage in {bounds[0]:.2f}-{bounds[1]:.2f}", f"{cov:.3f}",
                 bounds[0] <= cov <= bounds[1])
            )  # fmt: skip
    for label in [k for k in scores if k.endswith("ML roles")]:
        cov = scores[label]["pay model"].coverage_80
        out.append((f"{label} 80% coverage in 0.75-0.85", f"{cov:.3f}", 0.75 <= cov <= 0.85))
    return out


def report(results: list[SplitResult], data_hash: str, seed: int) -> str:
    lines = [
        "# Pay model evaluation",
        "",
        f"Written by `careerbench evaluate` (seed {seed}, store {data_hash}). Money: nominal USD "
        "of each record's year; every metric weights a record by the source rows it stands for.",
        "See `src/careerbench/evaluate.py` for the splits, baselines and metrics.",
        "",
    ]
    for result in results:
        lines += [
            f"## {result.split} split",
            "",
            f"{result.train_records:,} training records, {result.test_records:,} test records; "
            f"the pay model trained in {result.train_seconds:.0f} s.",
            "",
        ]
        if result.split == "random":
            lines += ["| target | measured | met |", "| --- | --- | --- |"]
            lines += [f"| {a} | {b} | {'yes' if c else 'no'} |" for a, b, c in checks(result)]
            lines.append("")
        for label, methods in result.scores.items():
            first = next(iter(methods.values()))
            lines += [
                f"### {label} ({first.records:,} records, {first.rows:,} rows)",
                "",
                "| method | MAE P50 | MAPE P50 | R² P50 | pinball 0.1 | pinball 0.5 | "
                "pinball 0.9 | mean pinball | 80% coverage | 80% width |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            ]
            for method, m in methods.items():
                lines.append(
                    f"| {method} | ${m.mae:,.0f} | {m.mape:.1%} | {m.r2:.3f} | "
                    f"${m.pinball_10:,.0f} | ${m.pinball_50:,.0f} | ${m.pinball_90:,.0f} | "
                    f"${m.pinball_mean:,.0f} | {m.coverage_80:.3f} | ${m.width_80:,.0f} |"
                )
            lines.append("")
    return "\n".join(lines)
