"""The REST API over a real store: same documents as the library, clear errors, safe headers."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from careerbench import benchmark as bench
from careerbench.api.app import MAX_BODY, create_app
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def client(store: Path) -> TestClient:
    return TestClient(create_app(store))


def test_benchmark_is_the_library_document(client: TestClient, store: Path) -> None:
    response = client.get("/api/benchmark?role=ml-engineer&level=senior&country=US&tc=200000")
    assert response.status_code == 200
    cohort = bench.parse_cohort(role="ml-engineer", level="senior", country="US")
    expected = bench.benchmark(cohort, store=store, tc=200_000).to_dict()
    assert response.json() == json.loads(json.dumps(expected))


@pytest.mark.parametrize(
    ("url", "field", "needle"),
    [
        ("/api/benchmark?role=ml-enginer", "role", "ml-engineer"),
        ("/api/benchmark?state=Califrnia", "state", "CA"),
        ("/api/benchmark?years=3-1", "years", "minimum"),
        ("/api/tax?state=ZZ&wages=100000", "state", "state"),
        ("/api/simulate?track=astronaut", "track", "ml-engineer"),
    ],
)
def test_user_errors_are_422_with_the_field(
    client: TestClient, url: str, field: str, needle: str
) -> None:
    response = client.get(url)
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"][-1] == field and needle in detail["msg"]


def test_validation_bounds_every_input(client: TestClient) -> None:
    assert client.get("/api/benchmark?tc=-5").status_code == 422
    assert client.get("/api/benchmark?role=" + "x" * 500).status_code == 422
    assert client.get("/api/simulate?track=ml-engineer&paths=10000000").status_code == 422
    assert client.get("/api/benchmark?unknown=1").status_code == 422
    big = client.post(
        "/api/offers/compare",
        content=b"{" + b" " * (MAX_BODY + 1) + b"}",
        headers={"content-type": "application/json"},
    )
    assert big.status_code == 413


def test_security_headers_and_no_cors(client: TestClient) -> None:
    response = client.get("/api/health", headers={"Origin": "https://example.org"})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "access-control-allow-origin" not in response.headers


def test_sources_give_provenance_without_server_paths(client: TestClient) -> None:
    loads = client.get("/api/sources").json()["loads"]
    assert {ld["load_key"] for ld in loads} >= {"aijobs", "levelsfyi"}
    assert all("/" not in ld["origin"] for ld in loads)
    assert all(ld["rows_read"] == ld["rows_loaded"] + ld["rows_quarantined"] for ld in loads)


def test_money_endpoints(client: TestClient) -> None:
    tax = client.get("/api/tax?state=CA&wages=260000").json()
    assert (tax["federal_income_tax"], tax["state_income_tax"]) == (55_223.0, 19_959.0)
    vest = client.get("/api/vest?grant=400000&schedule=5-15-40-40&years=4").json()
    assert [round(y["vested_value"]) for y in vest["years"]] == [20_000, 60_000, 160_000, 160_000]
    offers = [
        yaml.safe_load((FIXTURES / "offers" / name).read_text())
        for name in ("bigtech_sf.yaml", "remote_austin.yaml")
    ]
    compared = client.post("/api/offers/compare", json={"offers": offers, "years": 3})
    assert compared.status_code == 200, compared.text
    bad = client.post("/api/offers/compare", json={"offers": [{"employer": "X"}]})
    assert bad.status_code == 422


def _offer_file(name: str) -> dict[str, object]:
    document: dict[str, object] = yaml.safe_load((FIXTURES / "offers" / name).read_text())
    return document


def test_negotiate_is_the_cli_document(
    client: TestClient, store: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from careerbench.money.negotiate import negotiate
    from careerbench.money.offer import load_offer

    body = {
        "offer": _offer_file("new_offer_austin.yaml"),
        "competing": [_offer_file("bigtech_sf.yaml")],
        "current": _offer_file("current_job.yaml"),
    }
    with caplog.at_level(logging.DEBUG):
        response = client.post("/api/negotiate", json=body)
    assert response.status_code == 200, response.text
    assert "215000" not in caplog.text and "215,000" not in caplog.text
    offers = FIXTURES / "offers"
    plan = negotiate(
        load_offer(offers / "new_offer_austin.yaml"),
        competing=[load_offer(offers / "bigtech_sf.yaml")],
        current=load_offer(offers / "current_job.yaml"),
        store=store,
    )
    assert response.json() == json.loads(json.dumps(plan.to_dict()))
    alone = client.post("/api/negotiate", json={"offer": body["offer"], "years": 3}).json()
    assert alone["horizon_years"] == 3 and alone["competing"] == []


@pytest.mark.parametrize(
    ("change", "field", "needle"),
    [
        ({"competing": [{"employer": "B", "place": "Austin, TX", "base": -5}]}, "competing[0]",
         "base"),
        ({"current": {"employer": "C", "place": "Atlantis", "base": 100}}, "current: place",
         "Atlantis"),
        ({"offer": {"employer": "A", "place": "Austin, TX", "base": 200000}}, "offer: role",
         "role and level"),
        ({"offer": {"employer": "A", "place": "Austin, TX", "base": 200000, "role": "astronaut",
                    "level": "senior"}}, "offer: role", "ml-engineer"),
    ],
)  # fmt: skip
def test_negotiate_errors_name_the_field(
    client: TestClient, change: dict[str, object], field: str, needle: str
) -> None:
    body = {"offer": _offer_file("new_offer_austin.yaml")} | change
    response = client.post("/api/negotiate", json=body)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"][0]
    assert detail["loc"][0] == "body" and detail["loc"][-1].startswith(field)
    assert needle in detail["msg"] and "Traceback" not in response.text


def test_negotiate_bounds_its_inputs(client: TestClient) -> None:
    offer = _offer_file("new_offer_austin.yaml")
    for body in (
        {"offer": offer, "competing": [offer] * 6},
        {"offer": offer, "years": 50},
        {"offer": offer, "unknown": 1},
        {"offer": {f"k{i}": i for i in range(41)}},
        {"offer": "not an offer"},
        {},
    ):
        response = client.post("/api/negotiate", json=body)
        assert response.status_code == 422, (body, response.text)


def test_paths_endpoints(client: TestClient) -> None:
    compared = client.get("/api/tracks/compare?tracks=ml-engineer&tracks=research-scientist").json()
    assert compared["tracks"] == ["ml-engineer", "research-scientist"]
    fit = client.get(
        "/api/tracks/fit?work_content=research&credentials=phd&recognition=external"
        "&optionality=academia&publications=3%2B&shipped=no"
    ).json()
    assert fit["ranking"][0]["track"] in ("research-scientist", "academia-tenure-track")
    simulated = client.get("/api/simulate?track=ml-engineer&years=3&paths=500&seed=1").json()
    again = client.get("/api/simulate?track=ml-engineer&years=3&paths=500&seed=1").json()
    assert simulated == again and len(simulated["by_year"]) == 3
    skills = client.get("/api/skills/assess?have=deployed-model&clusters=rag&tc=200000").json()
    assert skills["reference_pay"] == 200_000


def test_openapi_docs(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/benchmark" in schema["paths"]
    assert client.get("/docs").status_code == 200
