"""End to end on the full files in ../shared/data (skipped when they are not there)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from careerbench import benchmark as bench
from careerbench import datasets
from careerbench.cohort import parse_cohort

pytestmark = pytest.mark.fulldata


def test_full_ingest_reconciles_every_source(full_store: Path) -> None:
    loads = {load.load_key: load for load in datasets.loads(full_store)}
    assert loads["aijobs"].rows_read == 136_080
    assert loads["levelsfyi"].rows_read == 56_436
    for load in loads.values():
        assert load.rows_read == load.rows_loaded + load.rows_quarantined


def test_acceptance_document_from_the_command_line(full_store: Path) -> None:
    env = dict(os.environ, CAREERBENCH_STORE=str(full_store))
    done = subprocess.run(
        [sys.executable, "-m", "careerbench.cli", "benchmark", "--role", "ml-engineer",
         "--level", "senior", "--country", "US", "--json"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    answer = doc["answer"]
    assert doc["measure"] == "total_comp" and answer["answered_by"] == "exact cohort"
    assert answer["exact"]["n"] > 500 and answer["relaxed"]["relaxed"] == []
    # Total comp is Levels.fyi's alone (aijobs.net postings are base salaries); the base
    # salaries of the same cohort come from both sources.
    assert set(answer["exact"]["sources"]) == {"levelsfyi"}
    measures = answer["relaxed"]["measures"]
    assert set(measures["base"]["sources"]) == {"aijobs", "levelsfyi"}
    assert measures["base"]["n"] > 1500
    assert doc["bls"]["p50"] == 135_980  # 15-1252 Software Developers, national, May 2025
    assert 200_000 < answer["quantiles"]["p50"] < 450_000
    assert 100_000 < measures["base"]["quantiles"]["p50"] < answer["quantiles"]["p50"]
    assert measures["equity"]["n"] > 100


def test_company_level_and_metro_cohort(full_store: Path) -> None:
    cohort = parse_cohort(
        role="software-engineer", level="senior", company="Google", metro="San Jose"
    )
    result = bench.benchmark(cohort, store=full_store, pay=300_000)
    assert result.relaxed == [] and result.n >= 20
    assert result.bls is not None and result.bls.area_type == "metro"
    assert result.quantiles is not None and result.quantiles.p50 > 250_000
    assert result.percentile is not None and result.percentile < 50
    assert result.measures["equity"].n > 0
