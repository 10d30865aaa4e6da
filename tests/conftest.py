"""Shared fixtures: a real store built once per session from real (small) files.

The session store holds the bundled aijobs.net data and the committed Levels.fyi sample. Tests that
need the full files beside the repository (``../shared/data``) are marked ``fulldata`` and skipped
when those files are absent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if SHARED_LEVELSFYI.exists() and SHARED_AIJOBS.exists():
        return
    skip = pytest.mark.skip(reason="../shared/data is not beside the repository")
    for item in items:
        if "fulldata" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def careerbench_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test runs with its own user data dir, never the user's."""
    home = tmp_path_factory.mktemp("home")
    previous = {
        k: os.environ.get(k)
        for k in ("CAREERBENCH_HOME", "CAREERBENCH_STORE", "CAREERBENCH_LEVELSFYI")
    }
    os.environ["CAREERBENCH_HOME"] = str(home)
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
def full_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the full files from ../shared/data (tests using it are marked fulldata)."""
    from careerbench.ingest import ingest

    path = tmp_path_factory.mktemp("full") / "store.duckdb"
    ingest(path, aijobs_path=SHARED_AIJOBS, levelsfyi_path=SHARED_LEVELSFYI)
    return path


@pytest.fixture(scope="session")
def pay_model(store: Path) -> PayModel:
    """The session store's pay model, trained once (a minute or two) and saved in its data dir.

    Tests of the estimate API and pages ask for it so that the training happens here, once,
    and never inside a test that measures or fuzzes requests.
    """
    from careerbench.estimate import load_model

    return load_model(store)
