"""The faces (command line, REST API, web pages) accept the same input and give the same answer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from careerbench import services
from careerbench.api.app import create_app
from careerbench.benchmark import DEFAULT_K, PRIVACY_FLOOR
from careerbench.cohort import parse_cohort
from careerbench.formatting import signed_usd, usd
from careerbench.money.vesting import preset_names
from careerbench.paths.skills import checklist_ids
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def client(store: Path) -> TestClient:
    return TestClient(create_app(store))


@pytest.mark.parametrize("tier", ["Big Tech", "big_tech", "BIG-TECH"])
def test_every_face_accepts_a_tier_as_people_write_it(
    client: TestClient, store: Path, tier: str
) -> None:
    assert parse_cohort(tier=tier).tier == "big-tech"
    api = client.get("/api/benchmark", params={"role": "ml-engineer", "tier": tier})
    assert api.status_code == 200 and api.json()["answer"]["profile"]["tier"] == "big-tech"
    page = client.get("/", params={"role": "ml-engineer", "tier": tier})
    assert page.status_code == 200
    done = run_cli("benchmark", "--role", "ml-engineer", "--tier", tier, "--json", store=store)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == api.json()


def test_a_listed_company_without_data_points_is_answered_by_its_tier(
    client: TestClient, store: Path
) -> None:
    """OpenAI and Anthropic are known companies; the data has no reports from them."""
    for company in ("OpenAI", "Anthropic"):
        result = services.where_i_stand(
            parse_cohort(role="ml-engineer", level="senior", company=company), store=store
        ).answer.relaxed
        step = next(r for r in result.relaxed if r.step == "company->tier")
        assert step.n_before == 0 and "tier frontier-lab" in step.detail
        api = client.get("/api/benchmark", params={"role": "ml-engineer", "company": company})
        assert api.status_code == 200
    unknown = client.get("/api/benchmark", params={"role": "ml-engineer", "company": "Gogle"})
    assert unknown.status_code == 422 and "Google" in unknown.json()["detail"][0]["msg"]


def test_one_dollar_format_everywhere(client: TestClient) -> None:
    assert usd(-51_542.4) == "-$51,542" and signed_usd(-51_542.4) == "-$51,542"
    assert usd(51_542.4) == "$51,542" and signed_usd(51_542.4) == "+$51,542"
    assert usd(-0.4) == "$0" and usd(None) == "-"
    # A move to a lower offer makes the switch page's difference negative.
    html = client.get(
        "/switch?c_employer=Now&c_place=Austin,+TX&c_base=300000&c_bonus=10"
        "&o_employer=Next&o_place=Austin,+TX&o_base=150000&o_bonus=0&years=2"
    ).text
    assert "-$" in html and "$-" not in html


def test_the_offers_page_shows_city_tax_and_its_rows_add_up(client: TestClient) -> None:
    html = client.get(
        "/offers?o1_employer=A&o1_place=New+York,+NY&o1_base=250000&o1_bonus=0"
        "&o2_employer=B&o2_place=Austin,+TX&o2_base=200000&years=1"
    ).text
    offers = [t for t in html.split("<table")[1:] if 'data-testid="offer"' in t]
    new_york = next(t for t in offers if "City income tax" in t)
    rows = dict(re.findall(r"<tr><td>([^<]+)</td><td>\$([\d,]+)</td>", new_york))
    assert "City income tax" in rows, "the New York offer pays New York City tax"
    money = {k: int(v.replace(",", "")) for k, v in rows.items()}
    taxes = ("Federal income tax", "State income tax", "City income tax", "Payroll taxes")
    after = money["Pre-tax total"] - sum(money[t] for t in taxes)
    assert abs(after - money["After tax"]) <= 2  # whole-dollar rounding of five figures


def test_forms_offer_every_vesting_schedule_and_count_signals_from_the_checklist(
    client: TestClient,
) -> None:
    offers = client.get("/offers").text
    for preset in preset_names():
        assert f'<option value="{preset}"' in offers
    premium, _ = checklist_ids()
    skills = client.get("/skills?have=deployed-model").text
    assert f"1 of {len(premium)} premium signals" in skills


def test_the_api_documents_the_cohort_floors(client: TestClient) -> None:
    parameters = client.get("/openapi.json").json()["paths"]["/api/benchmark"]["get"]["parameters"]
    k = next(p for p in parameters if p["name"] == "k")["schema"]
    assert k["default"] == DEFAULT_K and k["minimum"] == PRIVACY_FLOOR


def test_skills_reference_reads_the_same_on_every_face(client: TestClient, store: Path) -> None:
    query = {"have": "deployed-model", "role": "ml-engineer", "level": "senior"}
    api = client.get("/api/skills/assess", params=query).json()
    done = run_cli("skills", "assess", "--have", "deployed-model", "--role", "ml-engineer",
                   "--level", "senior", "--no-measure", "--json", store=store)  # fmt: skip
    cli = json.loads(done.stdout)
    assert cli["reference_label"] == api["reference_label"]
    assert cli["reference_pay"] == api["reference_pay"]
    page = client.get("/skills", params=query).text
    assert f"effect on {api['reference_label']}" in page


def test_simulation_labels_read_the_same_on_every_face(client: TestClient, store: Path) -> None:
    query = {"track": "research-scientist", "vs": "ml-engineer", "paths": "500", "years": "3"}
    api = client.get("/api/simulate", params=query).json()
    done = run_cli("simulate", "--track", "research-scientist", "--vs", "ml-engineer",
                   "--paths", "500", "--years", "3", "--json", store=store)  # fmt: skip
    assert json.loads(done.stdout) == api
    page = client.get("/simulate", params=query).text
    assert "research-scientist from mid" in page and "ml-engineer from mid" in page
