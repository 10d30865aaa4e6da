"""Negotiation plans on the session store and the example offers."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pytest

from careerbench.cohort import parse_cohort
from careerbench.errors import InputError
from careerbench.money.negotiate import negotiate, yearly_pay
from careerbench.money.offer import load_offer, offer_from_dict
from careerbench.pay_model import PayModel
from tests.conftest import FIXTURES
from tests.conftest import run_cli as run

OFFERS = FIXTURES / "offers"


def test_plan_places_the_offer_and_derives_target_and_walk_away(store: Path) -> None:
    offer = load_offer(OFFERS / "new_offer_austin.yaml")
    plan = negotiate(offer, store=store)
    total = next(c for c in plan.components if c.name == "total_comp")
    assert total.offer == pytest.approx(yearly_pay(offer, 4)["total_comp"])
    assert plan.measure == "total_comp"
    assert total.market_p50 is not None and total.market_p75 is not None
    assert plan.target == pytest.approx(total.market_p75)
    assert plan.walk_away == pytest.approx(total.market_p50)
    assert plan.target >= plan.walk_away
    assert total.percentile is not None and 0 <= total.percentile <= 100
    # Each component is placed among figures of its own measure: base among base salaries.
    base = next(c for c in plan.components if c.name == "base")
    assert base.market_p50 is not None and base.market_p50 < total.market_p50
    assert plan.answered_by in ("exact cohort", "pay model", "relaxed cohort")
    assert plan.target_basis.startswith("market P75 total comp")
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
    market = plan.evidence[0]
    assert market["n"] == plan.n
    counted = ", ".join(f"{k} {v:,}" for k, v in plan.sources.items())
    assert market["source"] == (counted or plan.answered_by)
    if plan.years:  # a pay model's answer over an empty exact cohort counts no data point
        first, last = min(plan.years), max(plan.years)
        assert market["year"] == (first if first == last else f"{first}-{last}")
    assert plan.evidence_text in market["point"]
    assert any(e["source"].startswith("BLS OEWS") for e in plan.evidence)
    q = plan.market
    assert q["p10"] <= q["p25"] <= q["p50"] <= q["p75"] <= q["p90"]
    total = next(c for c in plan.components if c.name == "total_comp")
    assert (q["p50"], q["p75"]) == pytest.approx((total.market_p50, total.market_p75))
    assert plan.horizon_years == 4 and plan.reference_place is None


def test_an_offer_without_role_is_a_clear_error(store: Path) -> None:
    offer = offer_from_dict({"employer": "X", "place": "Austin, TX", "base": 150000})
    with pytest.raises(InputError, match="role"):
        negotiate(offer, store=store)


def test_cli(store: Path) -> None:
    done = run("negotiate", "--offer", str(OFFERS / "new_offer_austin.yaml"), "--json", store=store)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["target_basis"].startswith("market P75 total comp")
    done = run("negotiate", "--offer", str(OFFERS / "missing.yaml"), store=store)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_cli_report_holds_the_json_numbers(store: Path, tmp_path: Path) -> None:
    report = tmp_path / "plan.html"
    done = run(
        "negotiate", "--offer", str(OFFERS / "new_offer_austin.yaml"),
        "--competing", str(OFFERS / "bigtech_sf.yaml"),
        "--current", str(OFFERS / "current_job.yaml"),
        "--report", str(report), "--json", store=store,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "<script" not in html and "<svg" in html
    assert "http://" not in html.replace("http://www.w3.org", "")

    def usd(value: float) -> str:
        return f"-${-value:,.0f}" if value < 0 else f"${value:,.0f}"

    for c in plan["components"]:
        assert f"<td>{usd(c['offer'])}</td>" in html
        if c["percentile"] is not None:
            assert f"<td>{c['percentile']:.1f}</td>" in html
            assert f"<td>{usd(c['market_p50'])}</td>" in html
            assert f"<td>{usd(c['market_p75'])}</td>" in html
            assert f"<td>{usd(c['room_to_p75'])}</td>" in html
    assert escape(plan["evidence_text"]) in html
    for name, value in plan["market"].items():
        assert f"{name.upper()} {usd(value)}" in html
    for source, n in plan["sources"].items():
        assert f"{source} {n:,}" in html
    for year, n in plan["years"].items():
        assert f"{year}: {n:,}" in html
    for relaxed in plan["relaxed"]:
        assert escape(relaxed) in html
    for key in ("target", "walk_away", "unvested_cover"):
        assert f"<b>{usd(plan[key])}</b>" in html
    assert escape(plan["target_basis"]) in html and escape(plan["walk_away_basis"]) in html
    assert f"Most room: <b>{plan['most_room']}</b>" in html
    for offer in plan["competing"]:
        assert escape(offer["offer"]) in html
        assert f"<td>{usd(offer['after_tax_col_total']['after_tax_col'])}</td>" in html
    for point in plan["evidence"]:
        assert escape(point["point"]) in html and escape(point["source"]) in html
    for advice in plan["advice"]:
        assert escape(advice["claim"]) in html and escape(advice["source"]) in html


def test_a_thin_market_is_answered_by_the_model_for_the_exact_profile(
    store: Path, pay_model: PayModel
) -> None:
    """The offer's exact cohort (ml-engineer, senior, Austin) is thin: the plan's market is the
    pay model's estimate for that exact profile, the same answer every face gives it."""
    from careerbench.market import market_answer
    from careerbench.money.geo import locate

    offer = load_offer(OFFERS / "new_offer_austin.yaml")
    plan = negotiate(offer, store=store)
    place = locate(offer.place)
    cohort = parse_cohort(role=offer.role, level=offer.level, country="US", state=place.state,
                          metro=place.metro_code)  # fmt: skip
    assert cohort.to_dict() == plan.cohort
    answer = market_answer(cohort, measure="total_comp", store=store)
    assert answer.exact.n < answer.k and answer.answered_by == "pay model"
    assert answer.quantiles is not None
    assert (plan.answered_by, plan.measure) == ("pay model", "total_comp")
    assert plan.market == pytest.approx(vars(answer.quantiles))
    assert plan.evidence_text == answer.evidence_text()
    assert "the pay model's estimate for this exact profile" in plan.evidence_text
    assert plan.currency_year == answer.year and plan.basis == answer.basis
    assert plan.n == answer.exact.n and plan.relaxed == []


def test_a_model_answer_quotes_the_data_points_it_counts(store: Path, pay_model: PayModel) -> None:
    plan = negotiate(load_offer(OFFERS / "new_offer_austin.yaml"), store=store)
    assert plan.answered_by == "pay model"
    assert sum(plan.sources.values()) == plan.n == sum(plan.years.values())
    assert plan.evidence[0]["n"] == sum(plan.sources.values())
