"""Market trends: pay by year, AI-title premium by year, published trends checked."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from careerbench import inflation
from careerbench.api.app import create_app
from careerbench.cohort import parse_cohort
from careerbench.trends import trends
from tests.conftest import run_cli as run


def test_pay_by_year_nominal_and_real(store: Path) -> None:
    result = trends(parse_cohort(role="data-scientist", level="senior", country="US"), store=store)
    years = {y.year: y for y in result.by_year}
    assert {2024, 2025} <= set(years)
    latest = inflation.latest_year()
    for y in result.by_year:
        if y.p50 is not None and y.p50_real is not None:
            assert y.p25 <= y.p50 <= y.p75  # type: ignore[operator]
            assert y.p50_real == __import__("pytest").approx(
                y.p50 * inflation.factor(y.year, latest), rel=0.05
            )
    assert years[latest].p50 == years[latest].p50_real


def test_premium_by_year_and_claims_are_seeded(store: Path) -> None:
    first = trends(parse_cohort(country="US"), store=store).to_dict()
    again = trends(parse_cohort(country="US"), store=store).to_dict()
    assert first["ai_premium_by_year"] == again["ai_premium_by_year"]
    premium_2025 = first["ai_premium_by_year"]["2025"]
    assert premium_2025["premium"] is not None
    low, high = premium_2025["interval"]
    assert low <= premium_2025["premium"] <= high
    verdicts = {c["id"]: c["verdict"] for c in first["claims"]}
    assert set(verdicts) == {"ai-premium-rise", "ai-engineer-demand"}
    assert all(
        v.split(":")[0]
        in ("supports a rise", "contradicts", "cannot tell", "supports strong growth")
        for v in verdicts.values()
    )


def test_cli_api_and_page(store: Path, tmp_path: Path) -> None:
    chart = tmp_path / "trends.svg"
    done = run("trends", "--role", "ml-engineer", "--json", "--chart", str(chart), store=store)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["filters"] == {"role_family": "ml-engineer", "country": "US"}
    assert chart.read_text().startswith("<svg")
    client = TestClient(create_app(store))
    assert client.get("/api/trends?role=ml-engineer").json() == doc
    page = client.get("/trends?role=ml-engineer")
    assert page.status_code == 200 and "Published trends checked" in page.text
    assert client.get("/api/trends?role=astronaut").status_code == 422
