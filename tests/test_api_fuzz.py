"""Property-based fuzzing of every API operation from our own OpenAPI document.

schemathesis turns each operation of the schema into a hypothesis strategy of requests (valid
and invalid); every generated request is sent to the app over ASGI against the real store, and
no answer may be a server error (5xx). Examples are derandomized (see conftest) and bounded
per operation so the suite stays fast.

Generated queries rarely name a valid role and level, so the pay model is also probed with
profiles and batch rows drawn from the valid values mixed with unknown ones. The model is
trained once for the session (the ``pay_model`` fixture) and loaded once per process: the fuzz
checks that no request trains or reloads it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careerbench import estimate
from careerbench.api.app import create_app
from careerbench.pay_model import PayModel
from careerbench.schema import Level, Remote, RoleFamily, Tier

EXAMPLES = 12


def _operations(store: Path) -> list[Any]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(store))
    return [result.ok() for result in schema.get_all_operations()]


@pytest.fixture
def model_work(pay_model: PayModel, store: Path) -> Callable[[], list[str]]:
    """Whether a pay model was trained or loaded from disk again since the test began: a
    training rewrites the saved model's file, and a load makes a new model object."""
    path = estimate.model_path(store)
    mtime, model = path.stat().st_mtime_ns, estimate.trained_model(store)

    def work() -> list[str]:
        events = []
        if path.stat().st_mtime_ns != mtime:
            events.append("train")
        if estimate.trained_model(store) is not model:
            events.append("load")
        return events

    return work


def test_every_operation_answers_without_server_errors(
    store: Path, model_work: Callable[[], list[str]]
) -> None:
    operations = _operations(store)
    assert len(operations) >= 14
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def probe(case: Any) -> None:
            response = case.call()
            if response.status_code >= 500:
                failures.append(
                    f"{case.operation.label}: {response.status_code} for {case.as_curl_command()}"
                )

        probe()
    assert not failures, "\n".join(failures[:10])
    assert model_work() == []


def _some(values: list[str], *unknown: str) -> st.SearchStrategy[str]:
    return st.sampled_from([*values, *unknown]) | st.text(max_size=12)


PROFILES = st.fixed_dictionaries(
    {
        "role": st.sampled_from([r.value for r in RoleFamily]),
        "level": st.sampled_from([lv.value for lv in Level]),
    },
    optional={
        "tier": _some([t.value for t in Tier]),
        "company": _some(["Google", "Meta", "OpenAI", "Stripe"], "Acme Widgets"),
        "country": _some(["US", "GB", "DE", "IN", "CA", "Germany"], "Atlantis"),
        "state": _some(["CA", "WA", "NY", "TX"], "ZZ"),
        "metro": _some(["Seattle", "Austin", "New York", "San Francisco"], "Nowhere"),
        "remote": _some([r.value for r in Remote]),
        "years": st.floats(-1, 70) | st.just(math.nan),
        "year": st.integers(1990, 2110),
        "source": _some(["aijobs", "levelsfyi"]),
    },
)


def _finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return True


def test_estimates_of_drawn_profiles(store: Path, model_work: Callable[[], list[str]]) -> None:
    client = TestClient(create_app(store))

    @given(profile=PROFILES)
    @settings(max_examples=60, deadline=None, database=None)
    def probe(profile: dict[str, Any]) -> None:
        response = client.get("/api/estimate", params=profile)
        assert response.status_code in (200, 422), (profile, response.text[:500])
        if response.status_code == 200:
            doc = response.json()
            assert _finite(doc)
            assert set(doc["answers"]) == {"total_comp", "base"}
            for answer in doc["answers"].values():
                q = answer["quantiles"]
                assert (q is None) == (answer["answered_by"] == "no data")
                if q is not None:
                    assert 0 < q["p10"] <= q["p25"] <= q["p50"] <= q["p75"] <= q["p90"]

    probe()
    assert model_work() == []


CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 3000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
ROW_COLUMNS = {
    "aijobs": {
        "work_year": st.sampled_from(["2021", "2024", 2025, 2024.0, "2024.5", ""]) | CELL,
        "experience_level": st.sampled_from(["EN", "MI", "SE", "EX", "XX"]),
        "job_title": st.sampled_from(["Machine Learning Engineer", "Data Scientist", ""]) | CELL,
        "company_location": st.sampled_from(["US", "DE", "us", "USA"]),
        "remote_ratio": st.sampled_from([0, 50, 100, "100", 7]) | st.none(),
        "employment_type": st.sampled_from(["FT", "PT", "CT", "FL", "ZZ"]),
        "company_size": st.sampled_from(["S", "M", "L", ""]),
    },
    "levelsfyi": {
        "timestamp": st.sampled_from(["6/7/2021 9:10:11", "1/1/2019 0:00:00", "2021-06-07"]) | CELL,
        "title": st.sampled_from(["Software Engineer", "Data Scientist", "NA", ""]) | CELL,
        "company": st.sampled_from(["Google", "Facebook", "acme", ""]) | CELL,
        "level": st.sampled_from(["L5", "E6", "Senior", ""]) | CELL,
        "location": st.sampled_from(["Seattle, WA", "London, EN, United Kingdom", ""]) | CELL,
        "yearsofexperience": st.sampled_from(["5", "0", "-3", "100"]) | CELL,
        "tag": st.sampled_from(["ML / AI", "NA", ""]),
    },
    "csv": {
        "year": st.sampled_from([2024, "2020", "1999", ""]) | CELL,
        "title": st.sampled_from(["Senior ML Engineer", "Research Scientist", ""]) | CELL,
        "level": st.sampled_from(["senior", "staff", "wizard", ""]),
        "location": st.sampled_from(["Austin, TX", "Germany", "Atlantis", ""]) | CELL,
        "company": st.sampled_from(["Google", "OpenAI", ""]) | CELL,
        "years_experience": st.sampled_from(["5", "x", ""]) | CELL,
        "remote": st.sampled_from(["remote", "onsite", "sometimes"]),
    },
}


@st.composite
def batches(draw: st.DrawFn) -> dict[str, Any]:
    fmt = draw(st.sampled_from(sorted(ROW_COLUMNS)))
    row = st.fixed_dictionaries({}, optional=ROW_COLUMNS[fmt])
    return {"format": fmt, "rows": draw(st.lists(row, min_size=1, max_size=8))}


def test_batches_of_drawn_rows(store: Path, model_work: Callable[[], list[str]]) -> None:
    client = TestClient(create_app(store))

    @given(body=batches())
    @settings(max_examples=60, deadline=None, database=None)
    def probe(body: dict[str, Any]) -> None:
        response = client.post("/api/estimate/batch", json=body)
        assert response.status_code in (200, 422), (body, response.text[:500])
        if response.status_code == 200:
            doc = response.json()
            assert [r["row"] for r in doc["results"]] == list(range(1, len(body["rows"]) + 1))
            for result in doc["results"]:
                assert (result["reason"] is None) == (result["p50"] is not None)

    probe()
    assert model_work() == []


@pytest.mark.parametrize(
    "path", ["/api/benchmark?k=1", "/api/vest?grant=1e30", "/api/tax?state=CA&wages=-1"]
)
def test_out_of_range_inputs_are_rejected(store: Path, path: str) -> None:
    from fastapi.testclient import TestClient

    assert TestClient(create_app(store)).get(path).status_code == 422
