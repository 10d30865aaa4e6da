"""Shared fixtures: a real store built once per session from real (small) files.

The session store holds the bundled aijobs.net data and the committed Levels.fyi sample. Tests that
need the full files beside the repository (``../shared/data``) are marked ``fulldata`` and skipped
when those files are absent.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import settings

if TYPE_CHECKING:
    from careerbench.pay_model import PayModel

# Property-based tests draw their examples deterministically: the same run every time.
settings.register_profile("careerbench", derandomize=True, deadline=None)
settings.load_profile("careerbench")

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SHARED_DATA = REPO.parent / "shared" / "data"
SHARED_LEVELSFYI = SHARED_DATA / "levelsfyi_stem_salaries" / "Levels_Fyi_Salary_Data.csv"
SHARED_AIJOBS = SHARED_DATA / "aijobs_salaries" / "salaries.csv"
SHARED_POSTINGS = SHARED_DATA / "frontier_postings" / "frontier_postings_2026-01.csv"
CLI = [sys.executable, "-m", "careerbench.cli"]


def run_cli(*args: str, store: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The command line as a user runs it: a real process, with ``store`` as its store."""
    env = dict(os.environ)
    if store is not None:
        env["CAREERBENCH_STORE"] = str(store)
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=120)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if SHARED_LEVELSFYI.exists() and SHARED_AIJOBS.exists():
        return
    skip = pytest.mark.skip(reason="../shared/data is not beside the repository")
    for item in items:
        if "fulldata" in item.keywords:
            item.add_marker(skip)


#: The pay model's most boosting rounds in tests (``$CAREERBENCH_TRAINING_ROUNDS``, also for the
#: command lines and servers tests start): half the full training's, enough for the Levels.fyi
#: sample's model to learn its level effect (60 rounds are not); early stopping ends most boosters
#: sooner. The model's accuracy is measured with full training (``careerbench evaluate``,
#: ``benchmarks/bench_training.py``).
TEST_TRAINING_ROUNDS = "200"


@pytest.fixture(scope="session", autouse=True)
def careerbench_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test runs with its own user data dir, never the user's, and trains small models."""
    home = tmp_path_factory.mktemp("home")
    previous = {
        k: os.environ.get(k)
        for k in (
            "CAREERBENCH_HOME", "CAREERBENCH_STORE", "CAREERBENCH_LEVELSFYI",
            "CAREERBENCH_TRAINING_ROUNDS",
        )
    }  # fmt: skip
    os.environ["CAREERBENCH_HOME"] = str(home)
    os.environ["CAREERBENCH_TRAINING_ROUNDS"] = TEST_TRAINING_ROUNDS
    os.environ.pop("CAREERBENCH_STORE", None)
    os.environ.pop("CAREERBENCH_LEVELSFYI", None)
    yield home
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the bundled aijobs data and the Levels.fyi sample."""
    from careerbench.ingest import ingest

    path = tmp_path_factory.mktemp("store") / "store.duckdb"
    ingest(path, levelsfyi_path=FIXTURES / "levelsfyi_sample.csv")
    return path


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the two small committed samples only: its pay model trains in seconds."""
    from careerbench.ingest import ingest

    path = tmp_path_factory.mktemp("small") / "store.duckdb"
    ingest(
        path,
        aijobs_path=FIXTURES / "aijobs_sample.csv",
        levelsfyi_path=FIXTURES / "levelsfyi_sample.csv",
    )
    return path


@pytest.fixture(scope="session")
def full_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the full files from ../shared/data (tests using it are marked fulldata)."""
    from careerbench.ingest import ingest

    path = tmp_path_factory.mktemp("full") / "store.duckdb"
    ingest(path, aijobs_path=SHARED_AIJOBS, levelsfyi_path=SHARED_LEVELSFYI)
    return path


@pytest.fixture(scope="session")
def pay_model(store: Path) -> PayModel:
    """The session store's pay model, trained once (small: ``TEST_TRAINING_ROUNDS``) and saved.

    Tests of the estimate API and pages ask for it so that the training happens here, once,
    and never inside a test that measures or fuzzes requests.
    """
    from careerbench.estimate import load_model

    return load_model(store)


# ---- what the library answers, for tests of the faces that show it -------------------------
def negotiate_library_plan(store: Path) -> dict[str, Any]:
    """The plan the library makes for ``NEGOTIATE_QUERY``'s offers."""
    from careerbench.money.negotiate import negotiate
    from careerbench.money.offer import offer_from_dict

    cohort = {"role": "ml-engineer", "level": "senior", "country": "US"}
    offer = {
        "employer": "NewCo",
        "place": "Austin, TX",
        "base": 215000.0,
        "bonus_target_pct": 15.0,
        "rsu": [{"value": 320000.0, "schedule": "even-4y-quarterly"}],
        "sign_on": [{"amount": 40000.0, "year": 1}],
    }
    competing = {
        "employer": "BigCo",
        "place": "San Francisco, CA",
        "base": 260000.0,
        "bonus_target_pct": 15.0,
        "rsu": [{"value": 400000.0, "schedule": "33-33-22-12"}],
    }
    current = {
        "employer": "CurrentCo",
        "place": "Austin, TX",
        "base": 185000.0,
        "bonus_target_pct": 10.0,
        "rsu": [{"value": 240000.0, "schedule": "even-4y-quarterly", "granted_months_ago": 18}],
        "tenure_months": 18,
    }
    plan = negotiate(
        offer_from_dict(offer | cohort),
        competing=[offer_from_dict(competing)],
        current=offer_from_dict(current | cohort),
        store=store,
    )
    document: dict[str, Any] = json.loads(json.dumps(plan.to_dict()))
    return document


QUANTILES = ("p10", "p25", "p50", "p75", "p90")


def library_estimate(store: Path, year: int | None = None) -> dict[str, Any]:
    """The library's estimate (``services.estimate_profile``: the market's answers for total
    comp and base, and the pay model's own estimate) for the estimate page tests' profile."""
    from careerbench import services
    from careerbench.cohort import parse_cohort

    cohort = parse_cohort(
        role="ml-engineer", level="senior", metro="Seattle", country="US", years="6"
    )
    document: dict[str, Any] = json.loads(
        json.dumps(services.estimate_profile(cohort, year=year, store=store).to_dict())
    )
    return document


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(
    store: Path, *options: str, env: dict[str, str] | None = None, stderr: int | None = None
) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    """``careerbench serve`` over ``store`` on a free loopback port, listening, until the block
    ends: its port and its process."""
    port = free_port()
    server = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--store", str(store), *options],
        env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if stderr is None else stderr, text=True,
    )  # fmt: skip
    try:
        for _ in range(600):  # until it listens (at most a minute)
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert server.poll() is None, "the server ended before it listened"
                time.sleep(0.1)
        yield port, server
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
