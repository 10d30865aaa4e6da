"""Negotiation plans on the session store and the example offers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from careerbench.errors import InputError
from careerbench.money.negotiate import negotiate, yearly_pay
from careerbench.money.offer import load_offer, offer_from_dict
from tests.conftest import FIXTURES
from tests.test_cli import run

OFFERS = FIXTURES / "offers"


def test_plan_places_the_offer_and_derives_target_and_walk_away(store: Path) -> None:
    offer = load_offer(OFFERS / "new_offer_austin.yaml")
    plan = negotiate(offer, store=store)
    total = next(c for c in plan.components if c.name == "total_comp")
    assert total.offer == pytest.approx(yearly_pay(offer, 4)["total_comp"])
    assert total.cohort_p50 is not None and total.cohort_p75 is not None
    assert plan.target == pytest.approx(total.cohort_p75)
    assert plan.walk_away == pytest.approx(total.cohort_p50)
    assert plan.target >= plan.walk_away
    assert total.percentile is not None and 0 <= total.percentile <= 100
    assert all("$" in point for point in plan.talking_points)
    assert {a["id"] for a in plan.advice} >= {"negotiate-competing-offers"}


def test_competing_offer_and_current_job_move_the_numbers(store: Path) -> None:
    offer = load_offer(OFFERS / "new_offer_austin.yaml")
    rival = load_offer(OFFERS / "bigtech_sf.yaml")
    current = load_offer(OFFERS / "current_job.yaml")
    plan = negotiate(offer, competing=[rival], current=current, store=store)
    assert plan.target >= yearly_pay(rival, 4)["total_comp"] - 1e-6
    assert plan.walk_away >= yearly_pay(current, 4)["total_comp"] - 1e-6
    assert plan.unvested_cover is not None and plan.unvested_cover > 0
    assert len(plan.competing) == 2
    assert plan.reference_place is not None and plan.reference_place["label"] == "Austin, TX"


def test_each_talking_point_carries_its_data(store: Path) -> None:
    offer = load_offer(OFFERS / "new_offer_austin.yaml")
    plan = negotiate(offer, current=load_offer(OFFERS / "current_job.yaml"), store=store)
    assert [e["point"] for e in plan.evidence] == plan.talking_points
    cohort = plan.evidence[0]
    assert cohort["n"] == plan.n
    assert cohort["source"] == ", ".join(f"{k} {v:,}" for k, v in plan.sources.items())
    assert cohort["year"] == f"{min(plan.years)}-{max(plan.years)}"
    assert any(e["source"].startswith("BLS OEWS") for e in plan.evidence)
    q = plan.cohort_total_comp
    assert q["p10"] <= q["p25"] <= q["p50"] <= q["p75"] <= q["p90"]
    total = next(c for c in plan.components if c.name == "total_comp")
    assert (q["p50"], q["p75"]) == pytest.approx((total.cohort_p50, total.cohort_p75))
    assert plan.horizon_years == 4 and plan.reference_place is None


def test_an_offer_without_role_is_a_clear_error(store: Path) -> None:
    offer = offer_from_dict({"employer": "X", "place": "Austin, TX", "base": 150000})
    with pytest.raises(InputError, match="role"):
        negotiate(offer, store=store)


def test_cli(store: Path) -> None:
    done = run("negotiate", "--offer", str(OFFERS / "new_offer_austin.yaml"), "--json", store=store)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["target_basis"].startswith("cohort P75")
    done = run("negotiate", "--offer", str(OFFERS / "missing.yaml"), store=store)
    assert done.returncode == 2 and "Traceback" not in done.stderr
