"""The pay model and its estimates, on a real store (bundled aijobs.net + Levels.fyi sample)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from careerbench import estimate as estimate_module
from careerbench.batch import estimate_file, read_profiles
from careerbench.cohort import parse_cohort
from careerbench.errors import InputError, InvalidValue
from careerbench.evaluate import metrics, random_split
from careerbench.features import row_weight
from careerbench.pay_model import PayModel, weighted_quantile, yearly_trend
from careerbench.services import estimate_profile
from careerbench.store import Store
from tests.conftest import FIXTURES

CLI = [sys.executable, "-m", "careerbench.cli"]


@pytest.fixture(scope="session")
def model(pay_model: PayModel) -> PayModel:
    """The session store's model (trained once for the session, see conftest)."""
    return pay_model


def records_of(store: Path) -> pd.DataFrame:
    with Store(store) as db:
        return estimate_module.records_frame(db)


# ---- the model -----------------------------------------------------------------------
def test_training_is_deterministic_and_the_seed_matters(small_store: Path) -> None:
    records = records_of(small_store)
    first = PayModel.fit(records, data_hash="a", seed=3)
    again = PayModel.fit(records, data_hash="a", seed=3)
    other = PayModel.fit(records, data_hash="a", seed=4)
    for source in first.models:
        part = records[records["source"] == source]
        assert np.array_equal(first.predict(part, source), again.predict(part, source))
        assert not np.array_equal(first.predict(part, source), other.predict(part, source))


def test_quantiles_are_monotone_for_every_record(model: PayModel, store: Path) -> None:
    records = records_of(store)
    for source in model.models:
        values = model.predict(records[records["source"] == source], source)
        assert values.shape[1] == 5
        assert (np.diff(values, axis=1) >= 0).all()
        assert (values > 1_000).all()


def test_intervals_reach_their_coverage_on_unseen_records(store: Path) -> None:
    records = records_of(store)
    aijobs = records[records["source"] == "aijobs"].reset_index(drop=True)
    train, test = random_split(aijobs, seed=11)
    fitted = PayModel.fit(train, data_hash="coverage", seed=0)
    values = fitted.predict(test, "aijobs")
    truth = test["total_comp"].to_numpy()
    weights = row_weight(test)
    inside80 = np.average((truth >= values[:, 0]) & (truth <= values[:, 4]), weights=weights)
    inside50 = np.average((truth >= values[:, 1]) & (truth <= values[:, 3]), weights=weights)
    assert 0.76 <= inside80 <= 0.84
    assert 0.45 <= inside50 <= 0.55
    median_error = np.average(np.abs(values[:, 2] - truth), weights=weights)
    global_error = np.average(np.abs(np.median(train["total_comp"]) - truth), weights=weights)
    assert median_error < 0.8 * global_error


def test_trend_recovers_a_known_slope() -> None:
    rng = np.random.default_rng(0)
    cells = pd.Series(rng.integers(0, 30, 5_000)).astype(str)
    years = rng.integers(2019, 2026, 5_000).astype(float)
    level = cells.astype(int).to_numpy() * 0.05
    log_pay = 11.5 + level + 0.04 * (years - 2019) + rng.normal(0, 0.1, 5_000)
    slope = yearly_trend(log_pay, years, cells, np.ones(5_000))
    assert slope == pytest.approx(0.04, abs=0.005)


def test_weighted_quantile_counts_weights() -> None:
    values = np.array([1.0, 2.0, 3.0])
    assert weighted_quantile(values, np.array([1.0, 1.0, 1.0]), 0.5) == 2.0
    assert weighted_quantile(values, np.array([10.0, 1.0, 1.0]), 0.5) == 1.0


def test_metrics_on_a_worked_example() -> None:
    truth = np.array([100.0, 200.0])
    pred = np.array([[90.0, 110.0, 130.0], [150.0, 180.0, 190.0]])
    m = metrics(pred, truth, np.array([1.0, 1.0]))
    assert m.mae == pytest.approx(15.0)
    assert m.mape == pytest.approx((0.10 + 0.10) / 2)
    assert m.coverage_80 == pytest.approx(0.5)
    assert m.width_80 == pytest.approx(40.0)
    # pinball at 0.5 is half the absolute error
    assert m.pinball_50 == pytest.approx(7.5)


# ---- one profile ---------------------------------------------------------------------
def test_estimate_for_a_profile(model: PayModel, store: Path) -> None:
    # Without a place, no model reads a US profile's total comp whole (the Levels.fyi model's
    # US rows all name a state), and the note says so; base comes from aijobs.net.
    unplaced = estimate_module.estimate(
        parse_cohort(role="ml-engineer", level="senior", country="US"), store=store
    )
    assert unplaced.model == "aijobs" and set(unplaced.measures) == {"base"}
    assert any(
        n.startswith("total comp: no model answers this profile") and "US state or metro" in n
        for n in unplaced.notes
    )
    cohort = parse_cohort(role="ml-engineer", level="senior", metro="Seattle")
    result = estimate_module.estimate(cohort, store=store)
    # Each measure comes from a model of a source that measures it and reads the profile whole.
    assert result.model == "levelsfyi"
    assert {m: e.source for m, e in result.measures.items()} == {
        "total_comp": "levelsfyi", "base": "levelsfyi",
    }  # fmt: skip
    q = result.quantiles("total_comp")
    assert q is not None
    assert 100_000 < q.p10 <= q.p25 <= q.p50 <= q.p75 <= q.p90 < 800_000
    base = result.quantiles("base")
    assert base is not None and base.p10 <= base.p50 <= base.p90 and base.p50 < q.p50
    assert result.year == dt.date.today().year
    assert all(e.year == result.year for e in result.measures.values())
    assert unplaced.assumed["raw_title"] == "Machine Learning Engineer"
    assert any(d.feature == "level" for d in result.drivers)
    assert any(note.startswith("total comp: the Levels.fyi model") for note in result.notes)
    document = json.loads(json.dumps(result.to_dict()))
    assert document["measures"]["total_comp"]["quantiles"]["p50"] == pytest.approx(q.p50)
    assert document["measures"]["total_comp"]["interval_coverage"] == {
        "p10_p90": 0.8, "p25_p75": 0.5,
    }  # fmt: skip
    assert {"drivers", "measures", "assumed", "notes", "year", "model"} <= set(document)


def test_levels_model_answers_a_company_profile(model: PayModel, store: Path) -> None:
    cohort = parse_cohort(
        role="software-engineer", level="senior", company="Google", metro="Seattle", years="6"
    )
    result = estimate_module.estimate(cohort, year=2021, store=store)
    assert result.model == "levelsfyi"
    total, base = result.quantiles("total_comp"), result.quantiles("base")
    assert total is not None and base is not None and base.p50 < total.p50
    assert result.profile["state"] == "WA"
    later = estimate_module.estimate(cohort, year=2026, store=store)
    assert any("projected 5 year" in note for note in later.notes)


@pytest.mark.parametrize("measure", ["total_comp", "base"])
def test_senior_estimates_above_entry(model: PayModel, store: Path, measure: str) -> None:
    def p50(level: str) -> float:
        cohort = parse_cohort(role="data-scientist", level=level, state="CA")
        q = estimate_module.estimate(cohort, store=store).quantiles(measure)
        assert q is not None
        return q.p50

    assert p50("entry") < p50("mid") < p50("senior")


def test_estimate_errors_name_the_field(model: PayModel, store: Path) -> None:
    with pytest.raises(InputError, match="role/level"):
        estimate_module.estimate(parse_cohort(role="ml-engineer"), store=store)
    with pytest.raises(InputError, match="year"):
        estimate_module.estimate(
            parse_cohort(role="ml-engineer", level="mid"), year=1990, store=store
        )
    with pytest.raises(InvalidValue, match="did you mean 'aijobs'"):
        estimate_module.estimate(
            parse_cohort(role="ml-engineer", level="mid"), source="aijob", store=store
        )


def test_a_relaxed_cohort_gets_the_models_estimate_for_the_exact_profile(
    model: PayModel, store: Path
) -> None:
    from careerbench.market import market_answer

    cohort = parse_cohort(role="ml-engineer", level="staff", metro="Seattle")
    answer = market_answer(cohort, store=store)
    assert answer.relaxed.was_relaxed and answer.exact.n < answer.k
    assert answer.answered_by == "pay model" and answer.model is not None
    # The model answers for the exact profile (its metro kept), in the answer's year.
    exact = estimate_module.estimate(cohort, year=answer.year, store=store)
    assert exact.profile["metro_code"] == cohort.metro
    assert answer.quantiles == exact.quantiles("total_comp")
    assert answer.model.source == exact.measures["total_comp"].source
    plain = market_answer(parse_cohort(role="ml-engineer", level="senior", country="US"),
                          store=store)  # fmt: skip
    assert plain.answered_by == "exact cohort" and plain.model is None
    assert plain.quantiles == plain.exact.quantiles


# ---- files of profiles ----------------------------------------------------------------
PAY = ["salary", "salary_in_usd", "totalyearlycompensation", "basesalary", "stockgrantvalue"]


def without_pay(source: Path, target: Path, rows: int) -> pd.DataFrame:
    frame = pd.read_csv(source, dtype=str, keep_default_na=False).head(rows)
    frame = frame.drop(columns=[c for c in [*PAY, "bonus"] if c in frame.columns])
    frame.to_csv(target, index=False)
    return frame


def test_batch_aijobs_keeps_order_and_explains_failures(model: PayModel, tmp_path: Path) -> None:
    frame = without_pay(FIXTURES / "aijobs_sample.csv", tmp_path / "in.csv", 40)
    frame.loc[3, "experience_level"] = "XX"
    frame.loc[7, "work_year"] = "next year"
    frame.to_csv(tmp_path / "in.csv", index=False)
    _, report = estimate_file(model, tmp_path / "in.csv", "aijobs", tmp_path / "out.csv")
    written = pd.read_csv(tmp_path / "out.csv", keep_default_na=False)
    assert list(written.columns) == ["row", "p10", "p25", "p50", "p75", "p90", "model", "reason"]
    assert written["row"].tolist() == list(range(1, 41))
    assert report.rows == 40 and report.estimated == 38 and report.reconciles()
    assert "experience_level" in written.loc[3, "reason"] and written.loc[3, "p50"] == ""
    assert "work_year" in written.loc[7, "reason"]
    good = written[written["reason"] == ""]
    assert (good["p10"].astype(float) <= good["p50"].astype(float)).all()
    assert set(good["model"]) == {"aijobs"}


def test_batch_row_equals_the_model_on_its_record(model: PayModel, tmp_path: Path) -> None:
    without_pay(FIXTURES / "aijobs_sample.csv", tmp_path / "in.csv", 5)
    records, reasons = read_profiles(tmp_path / "in.csv", "aijobs")
    assert reasons.isna().all()
    table, _ = estimate_file(model, tmp_path / "in.csv", "aijobs", None)
    direct = model.predict(records.assign(source="aijobs"), "aijobs")
    assert table["p50"].tolist() == pytest.approx(np.round(direct[:, 2]).tolist())


def test_batch_levelsfyi_and_csv_formats(model: PayModel, tmp_path: Path) -> None:
    without_pay(FIXTURES / "levelsfyi_sample.csv", tmp_path / "levels.csv", 30)
    table, report = estimate_file(model, tmp_path / "levels.csv", "levelsfyi", None)
    assert report.rows == 30 and report.reconciles()
    assert set(table.loc[table["reason"] == "", "model"]) == {"levelsfyi"}
    (tmp_path / "mine.csv").write_text(
        "year,title,company,location,years_experience\n"
        '2025,Senior Machine Learning Engineer,Google,"Seattle, WA",7\n'
        "2025,Data Scientist,,Germany,\n"
        ",Data Scientist,,,\n"
        "2025,Data Scientist,,Germany,inf\n"
    )
    table, report = estimate_file(model, tmp_path / "mine.csv", "csv", None)
    assert table["model"].tolist()[:2] == ["levelsfyi", "aijobs"]
    assert "year" in table.loc[2, "reason"]
    assert table.loc[3, "reason"].startswith("years_experience")
    assert report.rows == 4 and report.estimated == 2 and report.reconciles()


def test_batch_missing_columns_are_named(model: PayModel, tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("work_year,job_title\n2025,Data Scientist\n")
    from careerbench.errors import SourceError

    with pytest.raises(SourceError, match="experience_level"):
        estimate_file(model, tmp_path / "bad.csv", "aijobs", None)
    with pytest.raises(InvalidValue, match="format"):
        estimate_file(model, tmp_path / "bad.csv", "parquet", None)


# ---- the command line ----------------------------------------------------------------
def run(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ) | {"CAREERBENCH_STORE": str(store)}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=300)


def test_cli_estimate_table_and_json(model: PayModel, store: Path) -> None:
    done = run("estimate", "--role", "ml-engineer", "--level", "senior", "--country", "US",
               store=store)  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert "P50" in text and "main drivers" in text
    assert "answered by the exact cohort" in text and "the pay model" in text
    done = run("estimate", "--role", "ml-engineer", "--level", "senior", "--json", store=store)
    document = json.loads(done.stdout)
    cohort = parse_cohort(role="ml-engineer", level="senior")
    assert document == json.loads(json.dumps(estimate_profile(cohort, store=store).to_dict()))
    for measure in ("total_comp", "base"):
        q = document["answers"][measure]["quantiles"]
        assert q["p10"] < q["p50"] < q["p90"]
    assert document["model"]["year"] == document["answers"]["total_comp"]["year"]


def test_cli_errors_are_one_line(model: PayModel, store: Path) -> None:
    done = run("estimate", "--role", "ml-enginer", "--level", "senior", store=store)
    assert done.returncode == 2
    assert "did you mean 'ml-engineer'" in done.stderr and "Traceback" not in done.stderr
    done = run("estimate", "--input", "/nonexistent.csv", "--format", "aijobs", store=store)
    assert done.returncode == 2 and "no file" in done.stderr


def test_cli_benchmark_answers_a_thin_cohort_with_the_model(model: PayModel, store: Path) -> None:
    done = run("benchmark", "--role", "ml-engineer", "--level", "staff", "--metro", "Seattle",
               "--json", store=store)  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)["answer"]
    assert answer["relaxed"]["relaxed"] and answer["exact"]["n"] < answer["k"]
    assert answer["answered_by"] == "pay model"
    assert answer["quantiles"] == answer["model"]["quantiles"] and answer["quantiles"]["p50"] > 0
    never = run("benchmark", "--role", "ml-engineer", "--level", "staff", "--metro", "Seattle",
                "--model", "never", "--json", store=store)  # fmt: skip
    relaxed = json.loads(never.stdout)["answer"]
    assert relaxed["answered_by"] == "relaxed cohort" and relaxed["model"] is None
    assert relaxed["quantiles"] == relaxed["relaxed"]["quantiles"]


def test_cli_train_and_evaluate_on_a_small_store(small_store: Path, tmp_path: Path) -> None:
    done = run("train", "--seed", "1", "--json", store=small_store)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert Path(summary["path"]).is_file() and summary["seed"] == 1
    report = tmp_path / "evaluation.md"
    done = run("evaluate", "--output", str(report), store=small_store)
    assert done.returncode == 0, done.stderr
    text = report.read_text()
    for heading in ("random split", "time split", "cohort (benchmark engine)",
                    "market answer (rule)", "linear quantile regression",
                    "global quantiles"):  # fmt: skip
        assert heading in text
    document = json.loads(report.with_suffix(".json").read_text())
    assert [s["split"] for s in document["splits"]] == ["random", "time"]


def test_one_record_path_equals_the_frame_path(model: PayModel, store: Path) -> None:
    from careerbench.features import with_derived

    records = with_derived(records_of(store).sample(50, random_state=2))
    for source in model.models:
        part = records[records["source"] == source]
        frame_values = model.model(source).predict(part)
        for position, record in enumerate(part.to_dict(orient="records")):
            clean = {k: (None if v is None or v != v else v) for k, v in record.items()}
            assert model.model(source).predict_record(clean) == pytest.approx(
                frame_values[position], rel=1e-9
            )
