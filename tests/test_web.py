"""The pages, rendered on the server: the numbers shown are the library's."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from careerbench import benchmark as bench
from careerbench.api.app import create_app


@pytest.fixture(scope="module")
def client(store: Path) -> TestClient:
    return TestClient(create_app(store))


@pytest.mark.parametrize(
    "path", ["/", "/data", "/tracks", "/simulate?paths=500", "/skills", "/places"]
)
def test_every_page_renders_without_scripts(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert "<script" not in response.text
    assert '<nav aria-label="pages">' in response.text
    assert 'name="viewport"' in response.text


def test_where_i_stand_shows_the_library_numbers(client: TestClient, store: Path) -> None:
    html = client.get("/?role=data-scientist&level=senior&country=US&tc=150000").text
    result = bench.benchmark(
        bench.parse_cohort(role="data-scientist", level="senior", country="US"),
        store=store,
        tc=150_000,
    )
    assert result.total_comp is not None
    assert f"${result.total_comp.p50:,.0f}" in html
    assert f"percentile {result.percentile:.0f}" in html
    assert "<svg" in html and "you are here" in html


def test_csv_download_and_shareable_state(client: TestClient, store: Path) -> None:
    query = "role=ml-engineer&level=senior&country=US"
    response = client.get(f"/download/index.csv?{query}")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["measure", "n", "P10", "P25", "P50", "P75", "P90"]
    assert rows[1][0] == "total comp"
    assert f'href="/?{query.replace("&", "&amp;")}"' in client.get(f"/?{query}").text


def test_bad_input_is_shown_on_the_page(client: TestClient) -> None:
    response = client.get("/?role=astronaut")
    assert response.status_code == 422
    assert 'role="alert"' in response.text and "astronaut" in response.text


def test_offers_page_equals_the_library(client: TestClient) -> None:
    from careerbench.money.compare import compare_offers
    from careerbench.money.offer import offer_from_dict

    query = (
        "o1_employer=A&o1_place=Seattle,+WA&o1_base=200000&o1_bonus=10&o1_rsu=100000"
        "&o1_schedule=5-15-40-40&o2_employer=B&o2_place=Austin,+TX&o2_base=190000&years=3"
    )
    html = client.get(f"/offers?{query}").text
    offers = [
        offer_from_dict(
            {
                "employer": "A",
                "place": "Seattle, WA",
                "base": 200000.0,
                "bonus_target_pct": 10.0,
                "rsu": [{"value": 100000.0, "schedule": "5-15-40-40"}],
            }
        ),
        offer_from_dict(
            {"employer": "B", "place": "Austin, TX", "base": 190000.0, "bonus_target_pct": 0.0}
        ),
    ]
    doc = compare_offers(offers, years=3, paths=2_000).to_dict()
    for offer in doc["offers"]:
        assert f"${offer['years'][0]['after_tax']:,.0f}" in html
    assert "<svg" in html


def test_switch_page_shows_the_answer(client: TestClient) -> None:
    html = client.get("/switch").text
    assert "Switch minus stay" in html and "unvested equity walked away from" in html
    assert "Internal promotions" in html
