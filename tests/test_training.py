"""Training the pay model: early stopping, the rounds cap of tests, and per-source parts that a
training after an ingest reuses when their source's records did not change."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from careerbench import estimate as estimate_module
from careerbench.config import home
from careerbench.features import cell_keys, with_derived
from careerbench.ingest import ingest
from careerbench.pay_model import PayModel, SourceModel, Training, training_settings
from careerbench.store import Store, cache_folder
from tests.conftest import FIXTURES, TEST_TRAINING_ROUNDS


def records_of(store: Path) -> pd.DataFrame:
    with Store(store) as db:
        return estimate_module.records_frame(db)


def test_early_stopping_keeps_each_boosters_best_round(small_store: Path) -> None:
    records = with_derived(records_of(small_store))
    stopped = SourceModel.fit(
        records, "levelsfyi", "total_comp", seed=0, settings=Training(rounds=300, patience=10)
    )
    every = SourceModel.fit(
        records, "levelsfyi", "total_comp", seed=0, settings=Training(rounds=300, patience=None)
    )
    assert every.rounds == [300] * 5
    assert all(1 <= r < 300 for r in stopped.rounds)
    # What is saved is what was predicted: the boosters cut at their best round.
    again = SourceModel.from_dict(stopped.to_dict())
    part = records[records["source"] == "levelsfyi"]
    assert again.rounds == stopped.rounds
    assert np.array_equal(again.predict(part), stopped.predict(part))


def test_boosters_do_not_depend_on_how_many_threads_train_them(small_store: Path) -> None:
    """The model's key leaves threads and workers out: they must not change a booster."""
    records = with_derived(records_of(small_store))
    one = Training(rounds=60, workers=1, threads=1)
    models = [
        SourceModel.fit(records, "levelsfyi", "total_comp", seed=0, settings=settings)
        for settings in (one, replace(one, workers=2), replace(one, workers=1, threads=2))
    ]
    assert one.key == replace(one, workers=2, threads=2).key

    def trees(model: SourceModel) -> list[str]:  # a saved booster also lists its parameters
        return [b.model_to_string().split("\nparameters:")[0] for b in model.boosters]

    assert len(trees(models[0])) == 5
    part = records[records["source"] == "levelsfyi"]
    for other in models[1:]:
        assert trees(other) == trees(models[0])
        assert np.array_equal(other.predict(part), models[0].predict(part))


def test_cell_keys_join_each_rows_values_with_missing_ones_empty(small_store: Path) -> None:
    records = with_derived(records_of(small_store))
    columns = ["source", "company", "level", "country", "years_experience"]
    assert records[columns].isna().any().any()  # the join must meet missing values
    row_at_a_time = ["|".join("" if pd.isna(v) else str(v) for v in row) for row in
                     records[columns].itertuples(index=False)]  # fmt: skip
    keys = cell_keys(records, columns)
    assert keys.tolist() == row_at_a_time
    assert keys.index.equals(records.index)
    assert cell_keys(records, ["source"]).tolist() == records["source"].astype(str).tolist()


def test_tests_train_with_the_rounds_cap(pay_model: PayModel) -> None:
    assert training_settings().rounds == int(TEST_TRAINING_ROUNDS) < Training().rounds
    assert pay_model.training == training_settings().key
    rounds = [r for by in pay_model.models.values() for m in by.values() for r in m.rounds]
    assert max(rounds) <= int(TEST_TRAINING_ROUNDS)


def model_files(store: Path) -> dict[str, int]:
    """The saved model's files beside the store, with their modification times."""
    folder = cache_folder(store)
    return {
        p.name: p.stat().st_mtime_ns for p in sorted(folder.glob("pay-*")) if "index" not in p.name
    }


def test_training_after_an_ingest_retrains_only_the_changed_source(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    levelsfyi = FIXTURES / "levelsfyi_sample.csv"
    aijobs = tmp_path / "aijobs.csv"
    shutil.copy(FIXTURES / "aijobs_sample.csv", aijobs)
    ingest(store, aijobs_path=aijobs, levelsfyi_path=levelsfyi)
    earlier = home() / "models"  # where the first builds kept a model per store version
    earlier.mkdir(parents=True, exist_ok=True)
    (earlier / "pay-0123456789abcdef.json.gz").write_bytes(b"an earlier model")
    first, first_path = estimate_module.train(store)
    assert set(first.trained) == {"aijobs", "levelsfyi"}
    assert not earlier.exists()
    before = model_files(store)
    assert len(before) == 3  # the model and its two parts

    lines = aijobs.read_text().splitlines(keepends=True)
    aijobs.write_text("".join(lines[:-40]))  # a newer aijobs.net file: 40 rows fewer
    ingest(store, aijobs_path=aijobs, levelsfyi_path=levelsfyi)
    assert estimate_module.trained_model(store) is None  # the store changed
    second, second_path = estimate_module.train(store)

    assert second.trained == ("aijobs",)
    assert second.parts["levelsfyi"].key == first.parts["levelsfyi"].key
    assert second.parts["aijobs"].key != first.parts["aijobs"].key
    after = model_files(store)
    levelsfyi_part = f"pay-part-levelsfyi-{first.parts['levelsfyi'].key}.json.gz"
    assert after[levelsfyi_part] == before[levelsfyi_part]  # not written again
    # Only the current model and its parts remain: the earlier ones are pruned.
    assert set(after) == {
        second_path.name,
        levelsfyi_part,
        f"pay-part-aijobs-{second.parts['aijobs'].key}.json.gz",
    }
    assert first_path.name not in after

    # The reused part answers exactly as it did, from memory and from disk.
    loaded = estimate_module.trained_model(store)
    assert loaded is not None and loaded is not second
    records = records_of(store)
    levels = records[records["source"] == "levelsfyi"]
    for model in (second, loaded):
        for target in ("total_comp", "base"):
            assert np.array_equal(
                model.predict(levels, "levelsfyi", target),
                first.predict(levels, "levelsfyi", target),
            )
    aijobs_records = records[records["source"] == "aijobs"]
    assert np.array_equal(
        loaded.predict(aijobs_records, "aijobs"), second.predict(aijobs_records, "aijobs")
    )

    # Asked to (``careerbench train --force``), every source trains again: the same model.
    forced, _ = estimate_module.train(store, reuse=False)
    assert set(forced.trained) == {"aijobs", "levelsfyi"}
    assert np.array_equal(forced.predict(levels, "levelsfyi"), first.predict(levels, "levelsfyi"))
