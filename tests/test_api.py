"""The REST API over a real store: same documents as the library, clear errors, safe headers."""

from __future__ import annotations

import csv
import json
import logging
import os
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from fastapi.testclient import TestClient

from careerbench import services
from careerbench.api.app import MAX_BODY, create_app
from careerbench.cohort import parse_cohort
from tests.conftest import FIXTURES

if TYPE_CHECKING:
    from careerbench.pay_model import PayModel


@pytest.fixture(scope="module")
def client(store: Path) -> TestClient:
    return TestClient(create_app(store))


def test_benchmark_is_the_library_document(client: TestClient, store: Path) -> None:
    response = client.get("/api/benchmark?role=ml-engineer&level=senior&country=US&tc=200000")
    assert response.status_code == 200
    cohort = parse_cohort(role="ml-engineer", level="senior", country="US")
    expected = services.where_i_stand(cohort, tc=200_000, store=store).to_dict()
    assert response.json() == json.loads(json.dumps(expected))
    assert response.json()["answer"]["answered_by"] == "exact cohort"


@pytest.mark.parametrize(
    ("query", "args"),
    [
        ("role=ai-engineer&level=senior&country=US&tc=250000",
         {"role": "ai-engineer", "level": "senior", "country": "US", "tc": 250_000}),
        ("role=ml-engineer&level=senior&country=US&measure=base&basis=cpi&year=2020",
         {"role": "ml-engineer", "level": "senior", "country": "US", "measure": "base",
          "basis": "cpi", "year": 2020}),
        ("role=data-scientist&level=senior&metro=San+Francisco&base=150000&k=5",
         {"role": "data-scientist", "level": "senior", "metro": "San Francisco",
          "base": 150_000, "k": 5}),
    ],
)  # fmt: skip
def test_benchmark_options_reach_the_library(
    client: TestClient, store: Path, query: str, args: dict[str, Any]
) -> None:
    """measure, basis, year, k and the pay reach ``where_i_stand`` as given."""
    fields = ("role", "level", "country", "metro")
    cohort = parse_cohort(**{k: v for k, v in args.items() if k in fields})
    options = {k: v for k, v in args.items() if k not in fields}
    expected = services.where_i_stand(cohort, store=store, **options).to_dict()
    response = client.get(f"/api/benchmark?{query}")
    assert response.status_code == 200, response.text
    assert response.json() == json.loads(json.dumps(expected))


def test_benchmark_never_ranks_a_total_comp_among_base_postings(client: TestClient) -> None:
    doc = client.get("/api/benchmark?role=ai-engineer&level=senior&country=US&tc=250000").json()
    assert doc["answer"]["answered_by"] == "no data" and doc["answer"]["measure"] == "total_comp"
    assert doc["percentile"] is None and doc["verdict"] is None
    assert doc["context"]["measure"] == "base" and doc["context"]["quantiles"] is not None
    assert set(doc["context"]["exact"]["sources"]) == {"aijobs"}


@pytest.mark.parametrize(
    "query",
    [
        "",
        "tc=200000",
        "level=senior&base=150000",
        "role=ml-engineer&level=senior&country=US&tc=200000",
        "role=research-scientist&level=staff&metro=Seattle",
        "role=ml-engineer&level=staff&country=Germany",
        "role=ai-engineer&level=senior&tc=250000",
        "role=ml-engineer&level=principal&country=US&measure=equity&basis=cpi&year=2021",
    ],
)
def test_benchmark_answers_are_what_the_schema_documents(client: TestClient, query: str) -> None:
    """The route sends the library's document without re-validating it: it must conform."""
    from careerbench.api.schemas import StandingOut

    operation = client.get("/openapi.json").json()["paths"]["/api/benchmark"]["get"]
    documented = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert documented == {"$ref": "#/components/schemas/StandingOut"}
    response = client.get(f"/api/benchmark?{query}")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    answer = response.json()
    assert set(answer) == set(StandingOut.model_fields)
    assert StandingOut.model_validate(answer).model_dump(mode="json") == answer


def test_benchmark_cache_repeats_answers_and_forgets_them_when_the_store_changes(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    copy = tmp_path / "store.duckdb"
    shutil.copy(store, copy)
    app = create_app(copy)
    cache = app.state.response_cache
    client = TestClient(app)
    url = "/api/benchmark?role=ml-engineer&level=senior&country=US"
    first, again = client.get(url), client.get(url)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again.headers == first.headers
    assert (cache.misses, cache.hits, len(cache)) == (1, 1, 1)
    with_pay = f"{url}&tc=200000"
    assert client.get(with_pay).content == client.get(with_pay).content
    assert (cache.hits, len(cache)) == (1, 1)  # own pay is never kept, nor looked up
    assert client.get("/api/benchmark?role=ml-enginer").status_code == 422
    assert len(cache) == 1  # errors are not kept

    later = copy.stat().st_mtime_ns + 1_000_000_000
    os.utime(copy, ns=(later, later))  # what any write to the store does to its stamp
    assert client.get(url).content == first.content
    assert cache.hits == 1 and len(cache) == 1  # computed anew for the changed store

    monkeypatch.setenv("CAREERBENCH_RESPONSE_CACHE", "0")
    uncached_app = create_app(copy)
    uncached = TestClient(uncached_app)
    assert uncached.get(url).content == uncached.get(url).content == first.content
    assert uncached_app.state.response_cache.hits == 0


def test_response_cache_is_bounded() -> None:
    from careerbench.api.cache import ResponseCache

    cache = ResponseCache(2)
    assert cache.get("stamp", "a") is None
    for key in "abc":
        cache.put("stamp", key, key.encode())
    assert len(cache) == 2 and cache.get("stamp", "a") is None and cache.get("stamp", "c") == b"c"
    assert cache.get("other stamp", "c") is None and len(cache) == 0


@pytest.mark.parametrize(
    ("url", "field", "needle"),
    [
        ("/api/benchmark?role=ml-enginer", "role", "ml-engineer"),
        ("/api/benchmark?state=Califrnia", "state", "CA"),
        ("/api/benchmark?years=3-1", "years", "minimum"),
        ("/api/benchmark?measure=salary", "measure", "total_comp"),
        ("/api/benchmark?basis=gdp", "basis", "pay-index"),
        ("/api/benchmark?year=1990", "year", "2000"),
        ("/api/benchmark?currency_year=2020", "currency_year", "Extra"),
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
    from careerbench.money.tax import compute_tax

    tax = client.get("/api/tax?state=CA&wages=260000").json()
    assert tax == json.loads(json.dumps(compute_tax(260_000, "CA", "single").to_dict()))
    # California's $19,959 is itemized over the $15,750 standard deduction (32% bracket).
    assert tax["state_income_tax"] == 19_959.0 and tax["deductions"]["federal"] == "itemized"
    standard = client.get("/api/tax?state=CA&wages=260000&deduction=standard").json()
    assert standard["federal_income_tax"] == 55_223.0
    assert standard["federal_income_tax"] - tax["federal_income_tax"] == pytest.approx(
        0.32 * (19_959 - 15_750), abs=1
    )
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


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_api_docs_load_only_from_this_server_under_its_policy(
    client: TestClient, path: str
) -> None:
    page = client.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assets = re.findall(r'(?:src|href)="([^"]*)"', page.text)
    assert any(a.endswith(".js") for a in assets)
    for asset in assets:
        if asset.startswith("data:"):
            continue
        assert asset.startswith("/") and not asset.startswith("//"), asset
        assert client.get(asset).status_code == 200, asset
    # No inline script: every script is a file of this server.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page.text) == []
    assert "/openapi.json" in page.text


ESTIMATE_PROFILES = [
    {"role": "ml-engineer", "level": "senior", "country": "US"},
    {"role": "ml-engineer", "level": "senior", "company": "Google", "metro": "Seattle",
     "years": 6.0, "year": 2027},
    {"role": "data-scientist", "level": "mid", "state": "CA"},
    {"role": "research-scientist", "level": "staff", "country": "GB", "remote": "remote",
     "source": "aijobs"},
]  # fmt: skip


@pytest.mark.parametrize("profile", ESTIMATE_PROFILES)
def test_estimate_is_the_library_document(
    client: TestClient, store: Path, pay_model: PayModel, profile: dict[str, Any]
) -> None:
    response = client.get("/api/estimate", params=profile)
    assert response.status_code == 200, response.text
    place = {k: profile.get(k) for k in ("company", "metro", "state", "country", "remote", "years")}
    cohort = parse_cohort(role=profile["role"], level=profile["level"], **place)
    expected = services.estimate_profile(
        cohort,
        year=profile.get("year"),
        source=profile.get("source"),
        store=store,
    ).to_dict()
    assert response.json() == json.loads(json.dumps(expected))
    doc = response.json()
    assert set(doc["answers"]) == {"total_comp", "base"}
    years = {answer["year"] for answer in doc["answers"].values()}
    assert years == {profile.get("year", doc["answers"]["base"]["year"])}
    # The model's own estimate is in the answers' year, whatever the answer year is.
    assert doc["model"] is not None and doc["model"]["year"] in years
    if "source" in profile:
        assert doc["model"]["model"] == profile["source"]


@pytest.mark.parametrize(
    ("query", "field", "needle"),
    [
        ("role=ml-enginer&level=senior", "role", "did you mean 'ml-engineer'"),
        ("role=ml-engineer&level=senoir", "level", "senior"),
        ("role=ml-engineer&level=senior&source=aijob", "source", "aijobs"),
        ("role=ml-engineer&level=senior&company=Gogle", "company", "Google"),
        ("role=ml-engineer", "level", "required"),
        ("role=ml-engineer&level=senior&years=61", "years", "60"),
        ("role=ml-engineer&level=senior&years=nan", "years", "not a range"),
        ("role=ml-engineer&level=senior&year=1999", "year", "2000"),
        ("role=ml-engineer&level=senior&country=" + "x" * 101, "country", "100"),
        ("role=ml-engineer&level=senior&unknown=1", "unknown", "Extra"),
    ],
)
def test_estimate_errors_are_422_with_the_field(
    client: TestClient, pay_model: PayModel, query: str, field: str, needle: str
) -> None:
    response = client.get(f"/api/estimate?{query}")
    assert response.status_code == 422, response.text
    detail = response.json()["detail"][0]
    assert detail["loc"][0] == "query" and detail["loc"][-1] == field
    assert needle in detail["msg"] and "Traceback" not in response.text


def test_estimate_without_a_store_is_503(tmp_path: Path) -> None:
    bare = TestClient(create_app(tmp_path / "absent.duckdb"))
    response = bare.get("/api/estimate?role=ml-engineer&level=senior")
    assert response.status_code == 503
    assert "careerbench ingest" in response.json()["detail"][0]["msg"]
    batch = bare.post("/api/estimate/batch", json={"format": "csv", "rows": [{"year": 2024}]})
    assert batch.status_code == 503


def test_concurrent_first_requests_train_the_model_once(small_store: Path) -> None:
    """Requests that arrive together before the model exists wait for one training: they all
    get the same model object, and its file is written once."""
    from careerbench import estimate as est

    path = est.model_path(small_store)
    path.unlink(missing_ok=True)
    est._LOADED.pop(path, None)
    with ThreadPoolExecutor(max_workers=4) as pool:
        models = list(pool.map(lambda _: est.load_model(small_store), range(4)))
    assert all(m is models[0] for m in models)
    written = path.stat().st_mtime_ns
    assert est.load_model(small_store) is models[0] and path.stat().st_mtime_ns == written


AIJOBS_ROWS = [
    {"work_year": "2024", "experience_level": "SE", "job_title": "Machine Learning Engineer",
     "company_location": "US", "salary_in_usd": "987654"},
    {"work_year": "twenty", "experience_level": "SE", "job_title": "ML Engineer",
     "company_location": "US"},
    {"work_year": 2023, "experience_level": "EN", "job_title": "Data Scientist",
     "company_location": "DE", "remote_ratio": 100},
    {"work_year": 2024, "experience_level": "XX", "job_title": "Data Scientist",
     "company_location": "US"},
]  # fmt: skip


def test_batch_estimates_rows_in_order_with_reasons(
    client: TestClient,
    store: Path,
    pay_model: PayModel,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from careerbench.batch import estimate_file

    with caplog.at_level(logging.DEBUG):
        response = client.post(
            "/api/estimate/batch", json={"format": "aijobs", "rows": AIJOBS_ROWS}
        )
    assert response.status_code == 200, response.text
    assert "987654" not in caplog.text
    doc = response.json()
    assert (doc["rows"], doc["estimated"]) == (4, 2)
    assert [r["row"] for r in doc["results"]] == [1, 2, 3, 4]
    good, bad_year, other, bad_level = doc["results"]
    assert bad_year["reason"] == "unparseable work_year" and bad_year["p50"] is None
    assert "experience_level" in bad_level["reason"] and bad_level["model"] is None
    assert good["reason"] is None and good["model"] == "aijobs"
    assert good["p10"] < good["p50"] < good["p90"] and other["p50"] < good["p50"]
    # The same rows as a file give the same numbers (a key a row lacks is its default there).
    path = tmp_path / "rows.csv"
    columns = sorted({c for row in AIJOBS_ROWS for c in row})
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows({"remote_ratio": 0} | row for row in AIJOBS_ROWS)
    table, _ = estimate_file(pay_model, path, "aijobs", None)
    for result, (_, row) in zip(doc["results"], table.iterrows(), strict=True):
        for name in ("p10", "p25", "p50", "p75", "p90"):
            assert result[name] == (None if row["reason"] else row[name])


def test_batch_of_each_format(client: TestClient, pay_model: PayModel) -> None:
    levelsfyi = [
        {"timestamp": "6/7/2021 9:10:11", "company": "Google", "level": "L5",
         "title": "Software Engineer", "location": "Seattle, WA", "yearsofexperience": 7,
         "tag": "ML / AI"},
        {"timestamp": "not a date", "title": "Software Engineer"},
    ]  # fmt: skip
    response = client.post("/api/estimate/batch", json={"format": "levelsfyi", "rows": levelsfyi})
    assert response.status_code == 200, response.text
    first, second = response.json()["results"]
    assert first["model"] == "levelsfyi" and first["p50"] > 100_000
    assert "timestamp" in second["reason"]
    rows = [{"year": 2024, "title": "Senior ML Engineer", "location": "Austin, TX"},
            {"year": 2024, "title": "ML Engineer", "level": "wizard"}]  # fmt: skip
    csv_doc = client.post("/api/estimate/batch", json={"rows": rows}).json()
    assert csv_doc["format"] == "csv" and csv_doc["estimated"] == 1
    assert "level: unknown value wizard" in csv_doc["results"][1]["reason"]


def test_batch_bounds_its_inputs(client: TestClient, pay_model: PayModel) -> None:
    from careerbench.api.app import BODY_LIMITS

    missing = client.post("/api/estimate/batch", json={"format": "aijobs", "rows": [{"a": 1}]})
    assert missing.status_code == 422
    detail = missing.json()["detail"][0]
    assert detail["loc"] == ["body", "rows"] and "work_year" in detail["msg"]
    row = {"year": 2024, "title": "ML Engineer"}
    for body in (
        {"rows": []},
        {"rows": [row] * 10_001},
        {"format": "xlsx", "rows": [row]},
        {"rows": [{"title": "x" * 1_001}]},
        {"rows": [{f"c{i}": 1 for i in range(61)}]},
        {"rows": [row], "mapping": {}},
    ):
        assert client.post("/api/estimate/batch", json=body).status_code == 422
    # Over 256 KiB, which other routes refuse, is accepted here; over its own limit is not.
    many = client.post("/api/estimate/batch", json={"rows": [row] * 9_000})
    assert many.status_code == 200 and many.json()["estimated"] == 9_000
    limit = BODY_LIMITS["/api/estimate/batch"]
    huge = b'{"rows": [' + b" " * limit + b"]}"
    headers = {"content-type": "application/json"}
    assert client.post("/api/estimate/batch", content=huge, headers=headers).status_code == 413


def test_chunked_bodies_are_limited_too(client: TestClient) -> None:
    def chunks(total: int) -> Iterator[bytes]:
        yield b'{"offers": ['
        for _ in range(total // 1024):
            yield b" " * 1024
        yield b"]}"

    headers = {"content-type": "application/json"}
    small = client.post("/api/offers/compare", content=chunks(2048), headers=headers)
    assert small.status_code == 422  # read whole and validated: no offers
    big = client.post("/api/offers/compare", content=chunks(MAX_BODY + 1024), headers=headers)
    assert big.status_code == 413
