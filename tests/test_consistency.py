"""One answer per question: every surface gives the same market P50 for the same profile.

Profiles are drawn (seeded) from the store's own cohorts: roles, levels, tiers, companies and
places that occur in the data, thin and thick alike. For each, the market's P50 of one measure in
the default year is asked of every surface that shows market pay: the library, where I stand
(API, command line, web download), the estimate (API, web download), and, for the profiles they
take, a negotiation plan, a switch's market gap, the skills reference, the track comparison and
a simulated career's pay by level.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from careerbench import services
from careerbench.api.app import create_app
from careerbench.benchmark import load_index
from careerbench.cli import app as cli_app
from careerbench.cohort import Cohort, parse_cohort
from careerbench.market import market_answer
from careerbench.money.negotiate import negotiate
from careerbench.money.offer import offer_cohort, offer_from_dict
from careerbench.money.switch import market_gap
from careerbench.paths.simulate import Versus
from careerbench.paths.tracks import compare_tracks, tracks

if TYPE_CHECKING:
    from careerbench.pay_model import PayModel

SEED = 13
PROFILES = 240
CLI_PROFILES = 40
HEAVY_PROFILES = 12
MEASURES = ("total_comp", "base")


def draw_profiles(
    store: Path, n: int, seed: int = SEED, *, placed: bool = False
) -> list[dict[str, str]]:
    """Query texts of ``n`` profiles: one data point's role and level, with some of its
    employer, place and experience kept (so thin and thick cohorts both occur); ``placed``:
    only data points with a US metro or state, which the profile keeps."""
    index = load_index(store)
    rng = random.Random(seed)
    rows = index.rows(index.select({}))
    names = {d: index.dictionaries[d] for d in index.dictionaries}
    profiles: list[dict[str, str]] = []
    while len(profiles) < n:
        row = int(rows[rng.randrange(len(rows))])
        cell = int((index.cell_start <= row).sum()) - 1
        values = {
            d: names[d][int(index.codes[d][cell])] for d in names if index.codes[d][cell] >= 0
        }
        if values.get("role_family") in (None, "other") or "level" not in values:
            continue
        if placed and not (values.get("metro_code") or values.get("state")):
            continue
        texts = {"role": values["role_family"], "level": values["level"]}
        if values.get("company") and rng.random() < 0.3:
            texts["company"] = values["company"]
        elif values.get("tier") not in (None, "unknown") and rng.random() < 0.4:
            texts["tier"] = values["tier"]
        if values.get("metro_code") and (placed or rng.random() < 0.4):
            texts["metro"] = values["metro_code"]
        elif values.get("state") and (placed or rng.random() < 0.3):
            texts["state"] = values["state"]
        elif values.get("country") and rng.random() < 0.8:
            texts["country"] = values["country"]
        if int(values.get("years_bucket", "-1")) >= 0 and rng.random() < 0.2:
            texts["years"] = values["years_bucket"]
        profiles.append(texts)
    return profiles


@pytest.fixture(scope="module")
def client(store: Path) -> TestClient:
    return TestClient(create_app(store))


def _p50(document: dict[str, Any] | None) -> float | None:
    if document is None or document.get("quantiles") is None:
        return None
    return float(document["quantiles"]["p50"])


def test_where_i_stand_and_the_estimate_agree_on_every_face(
    client: TestClient, store: Path, pay_model: PayModel
) -> None:
    profiles = draw_profiles(store, PROFILES)
    answered = 0
    kinds = set()
    for texts in profiles:
        cohort = parse_cohort(texts)
        estimate = client.get("/api/estimate", params=texts).json()
        estimate_page = client.get("/download/estimate.json", params=texts).json()
        assert estimate == estimate_page, texts
        for measure in MEASURES:
            library = market_answer(cohort, measure=measure, store=store)
            expected = library.p50
            kinds.add(library.answered_by)
            answered += expected is not None
            params = texts | {"measure": measure}
            api = client.get("/api/benchmark", params=params).json()
            assert _p50(api["answer"]) == expected, (texts, measure)
            page = client.get("/download/index.json", params=params).json()
            assert page == api, (texts, measure)
            assert _p50(estimate["answers"][measure]) == expected, (texts, measure)
    assert answered >= PROFILES  # most profiles get an answer for at least one measure
    assert {"exact cohort", "pay model"} <= kinds, kinds


def test_the_command_line_gives_the_api_answer(
    client: TestClient, store: Path, pay_model: PayModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAREERBENCH_STORE", str(store))
    runner = CliRunner()
    for texts in draw_profiles(store, CLI_PROFILES, seed=SEED + 1):
        flags = [part for k, v in texts.items() for part in (f"--{k}", v)]
        api = client.get("/api/benchmark", params=texts).json()
        done = runner.invoke(cli_app, ["benchmark", *flags, "--json"])
        assert done.exit_code == 0, (texts, done.output[-500:])
        assert json.loads(done.stdout) == api, texts
        estimate = client.get("/api/estimate", params=texts).json()
        done = runner.invoke(cli_app, ["estimate", *flags, "--json"])
        assert done.exit_code == 0, (texts, done.output[-500:])
        assert json.loads(done.stdout) == estimate, texts


def _offer(cohort: Cohort, base: float) -> dict[str, Any]:
    place = cohort.metro_name or (f"{cohort.state}" if cohort.state else "US")
    return {
        "employer": "Co",
        "place": place,
        "base": base,
        "role": cohort.role,
        "level": cohort.level,
        "country": "US",
        "rsu": [{"value": 100_000, "schedule": "even-4y-quarterly"}],
    }


def test_negotiation_switch_skills_tracks_and_simulation_use_the_same_answer(
    store: Path, pay_model: PayModel
) -> None:
    drawn = [
        t
        for t in draw_profiles(store, PROFILES, seed=SEED + 2, placed=True)
        if "company" not in t and "years" not in t and "tier" not in t
    ]
    us_profiles = drawn[:HEAVY_PROFILES]
    assert us_profiles
    for texts in us_profiles:
        offer = offer_from_dict(_offer(parse_cohort(texts), 150_000))
        cohort = offer_cohort(offer)
        plan = negotiate(offer, store=store)
        expected = market_answer(cohort, measure=plan.measure, store=store)
        assert plan.market["p50"] == expected.p50, texts
        gap = market_gap(offer, {"total_comp": 175_000.0, "base": 150_000.0}, store)
        if gap.available and gap.measure is not None:
            mine = market_answer(cohort, measure=gap.measure, store=store)
            assert gap.market_p50 == mine.p50, texts
        skills = services.assess_skills([], [], [], cohort=cohort, store=store)
        for measure in MEASURES:
            reference = market_answer(cohort, measure=measure, store=store)
            if reference.p50 is not None:
                assert skills.reference_pay == reference.p50, texts
                break
    roles = {t.role_family for t in tracks().values() if t.role_family}
    for texts in drawn[:HEAVY_PROFILES]:
        if texts["role"] not in roles:
            continue
        track = next(t for t in tracks().values() if t.role_family == texts["role"])
        other = "data-scientist" if track.id != "data-scientist" else "ml-engineer"
        result = compare_tracks([track.id, other], level=texts["level"], store=store)
        cell = result.pay[track.id][0]
        cohort = parse_cohort(role=texts["role"], level=texts["level"], country="US")
        expected = market_answer(cohort, measure=result.measure, store=store)
        assert (None if cell.quantiles is None else cell.quantiles.p50) == expected.p50, texts
        simulated = services.simulate_career(track.id, paths=200, years=1, store=store)
        assert not isinstance(simulated, Versus)
        at = next((p for p in simulated.pay_table if p.level == texts["level"]), None)
        if at is None:  # a level the career ladder does not have (intern, director+)
            continue
        level_cohort = parse_cohort(role=texts["role"], level=texts["level"], country="US")
        level_answer = market_answer(level_cohort, measure=simulated.measure, store=store)
        if level_answer.p50 is not None and at.basis != "assumed":
            assert at.p50 == pytest.approx(level_answer.p50), texts
