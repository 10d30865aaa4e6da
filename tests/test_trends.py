"""Market trends: pay by year, AI-title premium by year, published trends checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from careerbench import inflation, pay_index, premiums, services
from careerbench.api.app import create_app
from careerbench.cohort import parse_cohort
from careerbench.trends import trends
from tests.conftest import run_cli as run


@pytest.mark.parametrize("basis", ["pay-index", "cpi"])
def test_pay_by_year_nominal_and_real(store: Path, basis: str) -> None:
    cohort = parse_cohort(role="data-scientist", level="senior", country="US")
    result = trends(cohort, basis=basis, store=store)
    year = result.currency_year
    if basis == "cpi":
        assert (year, result.basis) == (inflation.latest_year(), f"USD of {year} (CPI-U)")
    else:
        held = pay_index.for_store(store)
        assert (year, result.basis) == (held.last_measured, f"USD of {year} (pay index)")
    chosen = pay_index.basis_for(store, basis)
    # One series per measure and source, of the sources that measure it: aijobs.net postings
    # are in the base series only, never in total comp.
    series = {(y.measure, y.source) for y in result.by_year}
    assert series == {("total_comp", "levelsfyi"), ("base", "levelsfyi"), ("base", "aijobs")}
    postings = {y.year for y in result.by_year if (y.measure, y.source) == ("base", "aijobs")}
    assert {2024, 2025} <= postings
    assert len({(y.measure, y.source, y.year) for y in result.by_year}) == len(result.by_year)
    for y in result.by_year:
        if y.p50 is None:
            assert y.n < 5 and y.p50_real is None
            continue
        assert y.p25 is not None and y.p75 is not None and y.p50_real is not None
        assert y.p25 <= y.p50 <= y.p75
        # Every record of a year moves by the same factor: the quantiles move with it.
        assert y.p50_real == pytest.approx(y.p50 * chosen.factor(y.year), rel=1e-9)
        if y.year == year:
            assert y.p50_real == pytest.approx(y.p50)
    assert result.to_dict()["currency"] == f"nominal USD of each year, and {result.basis}"
    assert any("each series is one measure from one source" in n for n in result.notes)


def test_premium_by_year_and_claims_are_seeded(store: Path) -> None:
    first = trends(parse_cohort(country="US"), store=store).to_dict()
    premiums._BY_YEAR.clear()  # measured again, not remembered
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
    assert {row["measure"] for row in doc["by_year"]} == {"total_comp", "base"}
    assert chart.read_text().startswith("<svg")
    client = TestClient(create_app(store))
    api = client.get("/api/trends?role=ml-engineer").json()
    library = services.market_trends(parse_cohort(role="ml-engineer", country="US"), store=store)
    assert api == json.loads(json.dumps(library.to_dict()))
    # The command's document is the API's; its real-dollar figures only to a millionth while
    # the pay index a process learns differs from the one it saves (the strict xfail below).
    assert {k: v for k, v in api.items() if k != "by_year"} == {
        k: v for k, v in doc.items() if k != "by_year"
    }
    for mine, theirs in zip(api["by_year"], doc["by_year"], strict=True):
        assert mine.keys() == theirs.keys()
        for key, value in mine.items():
            exact = not isinstance(value, float)
            assert value == (theirs[key] if exact else pytest.approx(theirs[key], rel=1e-6))
    page = client.get("/trends?role=ml-engineer")
    assert page.status_code == 200 and "Published trends checked" in page.text
    assert client.get("/api/trends?role=astronaut").status_code == 422


def test_a_fresh_pay_index_gives_the_same_figures_in_every_process(tmp_path: Path) -> None:
    from careerbench.ingest import ingest
    from tests.conftest import FIXTURES

    fresh = tmp_path / "store.duckdb"
    ingest(
        fresh,
        aijobs_path=FIXTURES / "aijobs_sample.csv",
        levelsfyi_path=FIXTURES / "levelsfyi_sample.csv",
    )
    cohort = parse_cohort(role="ml-engineer", country="US")
    here = json.loads(json.dumps(services.market_trends(cohort, store=fresh).to_dict()))
    done = run("trends", "--role", "ml-engineer", "--json", store=fresh)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == here
