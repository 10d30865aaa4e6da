"""The pages, rendered on the server: the numbers shown are the library's."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode

import pytest
from fastapi.testclient import TestClient

from careerbench import benchmark as bench
from careerbench.api.app import create_app
from careerbench.cohort import parse_cohort
from tests.conftest import QUANTILES, library_estimate, negotiate_library_plan

if TYPE_CHECKING:
    from careerbench.pay_model import PayModel


@pytest.fixture(scope="module")
def client(store: Path) -> TestClient:
    return TestClient(create_app(store))


@pytest.mark.parametrize(
    "path", ["/", "/data", "/tracks", "/simulate?paths=500", "/skills", "/places", "/negotiate"]
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
        parse_cohort(role="data-scientist", level="senior", country="US"),
        store=store,
        tc=150_000,
    )
    assert result.total_comp is not None
    assert f"${result.total_comp.p50:,.0f}" in html
    assert f"percentile {result.percentile:.0f}" in html
    assert "<svg" in html and "you are here" in html


def test_a_submitted_form_with_blank_fields_links_to_a_working_download(
    client: TestClient,
) -> None:
    html = client.get("/?role=ml-engineer&level=senior&tier=&company=&country=US&tc=").text
    assert 'href="/download/index.json?role=ml-engineer&amp;level=senior&amp;country=US"' in html
    response = client.get("/download/index.json?role=ml-engineer&level=senior&country=US")
    assert response.status_code == 200
    api = client.get("/api/benchmark?role=ml-engineer&level=senior&country=US")
    assert response.json() == api.json()


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


NEGOTIATE_QUERY = (
    "o_employer=NewCo&o_place=Austin,+TX&o_base=215000&o_bonus=15&o_rsu=320000"
    "&o_schedule=even-4y-quarterly&o_signon=40000&role=ml-engineer&level=senior&years=4"
    "&x_employer=BigCo&x_place=San+Francisco,+CA&x_base=260000&x_bonus=15&x_rsu=400000"
    "&x_schedule=33-33-22-12&c_employer=CurrentCo&c_place=Austin,+TX&c_base=185000&c_bonus=10"
    "&c_rsu=240000&c_schedule=even-4y-quarterly&c_months=18"
)


def test_negotiate_page_equals_the_library(client: TestClient, store: Path) -> None:
    from markupsafe import escape

    response = client.get(f"/negotiate?{NEGOTIATE_QUERY}")
    assert response.status_code == 200, response.text[:2000]
    html = response.text
    plan = negotiate_library_plan(store)
    for c in plan["components"]:
        assert f"<td>${c['offer']:,.0f}</td>" in html
        if c["percentile"] is not None:
            assert f"<td>{c['percentile']:.1f}</td>" in html
            assert f"<td>${c['cohort_p50']:,.0f}</td>" in html
    assert f"Target ${plan['target']:,.0f} ({escape(plan['target_basis'])})" in html
    assert f"walk away below ${plan['walk_away']:,.0f}" in html
    assert f"${plan['unvested_cover']:,.0f}" in html
    for offer in plan["competing"]:
        assert f"<td>${offer['after_tax_col_total']['after_tax_col']:,.0f}</td>" in html
    for point in plan["evidence"]:
        assert str(escape(point["point"])) in html
    for advice in plan["advice"]:
        assert str(escape(advice["claim"])) in html
    assert "<svg" in html and "this offer" in html and "walk-away" in html


def test_negotiate_downloads_and_shareable_state(client: TestClient, store: Path) -> None:
    document = client.get(f"/download/negotiate.json?{NEGOTIATE_QUERY}")
    assert document.status_code == 200
    assert document.json() == negotiate_library_plan(store)
    table = client.get(f"/download/negotiate.csv?{NEGOTIATE_QUERY}")
    rows = list(csv.reader(io.StringIO(table.text)))
    assert rows[0][:3] == ["component", "offer", "percentile"]
    assert [r[0] for r in rows[1:]] == ["total comp", "base", "equity", "bonus"]
    html = client.get(f"/negotiate?{NEGOTIATE_QUERY}").text
    shared = urlencode(parse_qsl(NEGOTIATE_QUERY)).replace("&", "&amp;")
    assert f'href="/negotiate?{shared}">link to this view' in html
    assert client.get("/download/negotiate.json?o_base=abc").status_code == 422


def test_negotiate_page_without_role_shows_the_error(client: TestClient) -> None:
    response = client.get("/negotiate?o_base=150000&o_place=Austin,+TX&role=astronaut")
    assert response.status_code == 422
    assert 'role="alert"' in response.text and "astronaut" in response.text


ESTIMATE_QUERY = "role=ml-engineer&level=senior&metro=Seattle&country=US&years=6"


def test_estimate_page_equals_the_library(
    client: TestClient, store: Path, pay_model: PayModel
) -> None:
    from markupsafe import escape

    response = client.get(f"/estimate?{ESTIMATE_QUERY}")
    assert response.status_code == 200, response.text[:2000]
    html = response.text
    doc = library_estimate(store)
    for measure in ("total_comp", "base"):
        for name in QUANTILES:
            assert f"<td>${doc[measure][name]:,.0f}</td>" in html
    total = doc["total_comp"]
    assert f"P50 ${total['p50']:,.0f}, 80% interval ${total['p10']:,.0f} to" in html
    assert f"n = {doc['cohort']['n']:,} data points" in html
    assert doc["cohort"]["relaxed"], "the profile was chosen for a relaxed nearest cohort"
    for step in doc["cohort"]["relaxed"]:
        assert f">{escape(step['detail'])}</td>" in html
    for driver in doc["drivers"]:
        dollars = driver["dollars"]
        signed = f"-${-dollars:,.0f}" if dollars < 0 else f"+${dollars:,.0f}"
        assert f">{escape(driver['value'])}</td><td>{signed}</td>" in html
    for field, value in doc["assumed"].items():
        assert f"<td>{field}</td>" in html and f">{escape(str(value))}</td>" in html
    for note in doc["notes"]:
        assert str(escape(note)) in html
    assert "<svg" in html and "<script" not in html
    for name in ("role", "level", "company", "tier", "metro", "state", "country", "years",
                 "remote", "year"):  # fmt: skip
        assert f'<label for="f-{name}">' in html and f'id="f-{name}"' in html
    assert '<a href="/estimate" aria-current="page">Estimate</a>' in html


def test_estimate_downloads_and_shareable_state(
    client: TestClient, store: Path, pay_model: PayModel
) -> None:
    doc = library_estimate(store)
    document = client.get(f"/download/estimate.json?{ESTIMATE_QUERY}")
    assert document.status_code == 200 and document.json() == doc
    assert document.json() == client.get(f"/api/estimate?{ESTIMATE_QUERY}").json()
    table = client.get(f"/download/estimate.csv?{ESTIMATE_QUERY}")
    rows = list(csv.reader(io.StringIO(table.text)))
    assert rows[0] == ["measure", "P10", "P25", "P50", "P75", "P90"]
    assert rows[1] == ["total comp", *(f"${doc['total_comp'][p]:,.0f}" for p in QUANTILES)]
    assert rows[2][0] == "base"
    html = client.get(f"/estimate?{ESTIMATE_QUERY}").text
    shared = ESTIMATE_QUERY.replace("&", "&amp;")
    assert f'href="/estimate?{shared}">link to this view' in html
    assert client.get("/download/estimate.json?years=abc").status_code == 422


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ("role=ml-enginer", "did you mean &#39;ml-engineer&#39;"),
        ("years=61", "years: &#39;61&#39;: years of experience go from 0 to 60"),
        ("year=1999", "year: 1999 is not a year"),
        ("years=many", "years: &#39;many&#39; is not a range"),
    ],
)
def test_estimate_page_shows_bad_input(
    client: TestClient, pay_model: PayModel, query: str, needle: str
) -> None:
    response = client.get(f"/estimate?{query}")
    assert response.status_code == 422
    assert 'role="alert"' in response.text and needle in response.text


def test_where_i_stand_puts_the_model_beside_a_relaxed_cohort(
    client: TestClient, store: Path, pay_model: PayModel
) -> None:
    query = "role=ml-engineer&level=senior&metro=Seattle&country=US&years=6"
    html = client.get(f"/?{query}").text
    cohort = bench.benchmark(
        parse_cohort(role="ml-engineer", level="senior", metro="Seattle", country="US", years="6"),
        store=store,
    )
    assert cohort.relaxed and cohort.total_comp is not None
    doc = library_estimate(store, year=cohort.currency_year)
    assert "Model estimate for your exact profile" in html
    total = doc["total_comp"]
    model_row = "".join(f"<td>${total[p]:,.0f}</td>" for p in ("p10", "p50", "p90"))
    assert f"<td>model estimate, exact profile</td>{model_row}" in html
    q = cohort.total_comp
    assert f"<td>${q.p10:,.0f}</td><td>${q.p50:,.0f}</td><td>${q.p90:,.0f}</td>" in html
    link = urlencode(
        {"role": "ml-engineer", "level": "senior", "country": "US",
         "metro": "Seattle-Tacoma-Bellevue, WA", "years": "6", "year": cohort.currency_year}
    )  # fmt: skip
    assert f'href="/estimate?{link.replace("&", "&amp;")}"' in html
    exact = client.get("/?role=ml-engineer&level=senior&country=US").text
    assert "Model estimate for your exact profile" not in exact


def test_where_i_stand_does_not_wait_for_an_untrained_model(tmp_path: Path) -> None:
    from careerbench import estimate
    from careerbench.ingest import ingest
    from tests.conftest import FIXTURES

    fresh = tmp_path / "store.duckdb"
    ingest(fresh, aijobs_path=FIXTURES / "aijobs_sample.csv")
    html = TestClient(create_app(fresh)).get("/?role=ml-engineer&level=senior&metro=Seattle").text
    assert "not trained for this data yet" in html
    assert 'href="/estimate?role=ml-engineer&amp;level=senior' in html
    assert estimate.trained_model(fresh) is None
