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
    assert doc["n"] > 1500 and doc["relaxed"] == []
    assert set(doc["sources"]) == {"aijobs", "levelsfyi"}
    assert doc["bls"]["p50"] == 135_980  # 15-1252 Software Developers, national, May 2025
    assert 150_000 < doc["total_comp"]["p50"] < 350_000
    assert doc["components"]["equity"]["n"] > 100


def test_company_level_and_metro_cohort(full_store: Path) -> None:
    cohort = parse_cohort(
        role="software-engineer", level="senior", company="Google", metro="San Jose"
    )
    result = bench.benchmark(cohort, store=full_store, tc=300_000)
    assert result.relaxed == [] and result.n >= 20
    assert result.bls is not None and result.bls.area_type == "metro"
    assert result.total_comp is not None and result.total_comp.p50 > 250_000
    assert result.components["equity"].n > 0
