"""Offers end to end: files, yearly view, cost of living, comparison, report, switch, places."""

from __future__ import annotations

from html import unescape
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from careerbench.api.app import create_app
from careerbench.errors import CareerbenchError, InputError, InvalidValue
from careerbench.money.compare import compare_offers
from careerbench.money.geo import col_adjust, col_factor, locate, rpp
from careerbench.money.offer import load_offer, offer_from_dict, unvested_value, vest_events
from careerbench.money.places import austin_vs_san_francisco, compare_places, pay_for_places
from careerbench.money.projection import project
from careerbench.money.switch import switch_or_stay
from careerbench.money.tax import compute_tax
from tests.conftest import run_cli

OFFERS = Path(__file__).parent / "fixtures" / "offers"


def offer(name: str):  # type: ignore[no-untyped-def]
    return load_offer(OFFERS / f"{name}.yaml")


# --- places and cost of living ---------------------------------------------------------------


def test_rpp_values_from_bea() -> None:
    assert rpp(locate("San Francisco, CA")).value == pytest.approx(115.613)
    assert rpp(locate("Austin, TX")).value == pytest.approx(98.066)
    assert rpp(locate("CA")).value == pytest.approx(110.720)
    assert rpp(locate("TX"), line="housing").value == pytest.approx(96.503)
    assert rpp(locate("Seattle, WA")).level == "metro"


def test_remote_is_taxed_where_you_live() -> None:
    place = locate("remote:Austin, TX")
    assert (place.state, place.remote, place.metro_code) == ("TX", True, "12420")
    with pytest.raises(InputError, match="remote:Austin, TX"):
        locate("remote")
    with pytest.raises(InvalidValue):
        locate("Atlantis, ZZ")
    with pytest.raises(InputError, match="outside the US"):
        locate("United Kingdom")


PLACES = ["San Francisco, CA", "Austin, TX", "New York, NY", "TX", "CA", "Boise, ID", "WA"]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(PLACES), st.sampled_from(PLACES), st.floats(min_value=0, max_value=1e7))
def test_col_adjustment_is_a_ratio_of_rpps(a: str, b: str, value: float) -> None:
    place, reference = locate(a), locate(b)
    expected = value * rpp(reference).value / rpp(place).value
    assert col_adjust(value, place, reference) == pytest.approx(expected)
    assert col_factor(place, reference) * col_factor(reference, place) == pytest.approx(1.0)


# --- offer files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "field", "message"),
    [
        ("schedule_sum", "rsu.0", "sum to 75%"),
        ("negative_base", "base", "greater than 0"),
        ("unknown_place", "place", "Atlantis"),
        ("missing_place", "place", "required"),
        ("malformed", "malformed.yaml", "not valid YAML at line 3"),
        ("typo_field", "bonus_pct", "did you mean 'bonus_target_pct'"),
    ],
)
def test_bad_offer_files(name: str, field: str, message: str) -> None:
    with pytest.raises(CareerbenchError) as info:
        load_offer(OFFERS / "bad" / f"{name}.yaml")
    assert field in str(info.value)
    assert message in str(info.value)


def test_missing_file_and_wrong_shape() -> None:
    with pytest.raises(InputError, match="no such file"):
        load_offer(OFFERS / "nope.yaml")
    with pytest.raises(InputError, match="mapping"):
        offer_from_dict([1, 2])
    with pytest.raises(InputError, match="shares"):
        offer_from_dict({"employer": "X", "place": "TX", "base": 1, "rsu": [{"shares": 10}]})


def test_vest_events_and_unvested_for_a_current_job() -> None:
    current = offer("current_job")
    # 18 months into a 4-year quarterly grant with a cliff: 37.5% vested, 62.5% left.
    # 6 months into a no-cliff refresher: 12.5% vested.
    assert unvested_value(current) == pytest.approx(240_000 * 0.625 + 60_000 * 0.875)
    events = [e for e in vest_events(current, 5) if e.grant == "new-hire grant"]
    assert events[0].month == 3
    assert sum(e.dollars for e in events) == pytest.approx(240_000 * 0.625)


# --- year by year ----------------------------------------------------------------------------


def test_projection_components_and_taxes() -> None:
    p = project(offer("amazon_seattle"), 5)
    y1, y2, _, _, y5 = p.rows
    assert y1.base == 225_000 and y1.sign_on == 75_000 and y2.sign_on == 60_000
    assert y1.equity_total == pytest.approx(450_000 * 0.05 * 1.05)
    assert y5.equity_total == 0
    assert sum(r.equity_total for r in p.rows) > 450_000  # growth at 5% a year
    for row in p.rows:
        tax = compute_tax(row.wages, "WA", "single")
        assert row.total_tax == pytest.approx(tax.total_tax)
        assert row.after_tax == pytest.approx(row.pre_tax - tax.total_tax)
        assert row.after_tax <= row.pre_tax
        assert row.retirement_match == pytest.approx(225_000 * 0.04 * 0.5)
    assert p.to_dict()["cumulative"]["after_tax"] == pytest.approx(p.total("after_tax"), abs=0.01)


def test_an_offer_with_itemized_payments_is_taxed_with_them() -> None:
    plain = {"employer": "A", "place": "San Francisco, CA", "base": 300_000}
    items = {"property_tax": 12_000, "mortgage_interest": 30_000}
    row = project(offer_from_dict(plain | {"itemized": items}), 1).rows[0]
    expected = compute_tax(row.wages, "CA", "single", itemized=items)
    assert row.total_tax == pytest.approx(expected.total_tax)
    assert row.total_tax < project(offer_from_dict(plain), 1).rows[0].total_tax
    with pytest.raises(InputError, match=r"itemized.*propery_tax.*property_tax"):
        offer_from_dict(plain | {"itemized": {"propery_tax": 1}})


def test_projection_in_a_reference_place_and_new_york_city() -> None:
    startup = project(offer("startup_nyc"), 3, "Austin, TX")
    assert startup.rows[0].local_income_tax > 0  # New York City resident tax
    factor = 98.066 / 112.563
    assert startup.rows[0].after_tax_col == pytest.approx(startup.rows[0].after_tax * factor)


def test_refreshers_are_granted_at_the_price_of_their_month() -> None:
    p = project(offer("bigtech_sf"), 2)
    refresher = p.rows[1].equity["refresher (month 12)"]
    # 4 quarterly events in year 2, each 1/16 of $80k grown from month 12 to its month.
    expected = sum(80_000 / 16 * 1.05 ** (k * 3 / 12) for k in (1, 2, 3, 4))
    assert refresher == pytest.approx(expected)


# --- comparison, charts, report --------------------------------------------------------------


def test_compare_offers_and_report(tmp_path: Path) -> None:
    from careerbench.charts import cumulative_spec, save_chart
    from careerbench.money.report import write_report

    offers = [offer("bigtech_sf"), offer("amazon_seattle"), offer("remote_austin")]
    comparison = compare_offers(offers, years=4, reference="Austin, TX", paths=2_000, seed=1)
    diff = comparison.differences()
    assert len(diff) == 2
    first, second = comparison.projections[:2]
    assert diff[0]["cumulative"] == pytest.approx(
        second.total("after_tax_col") - first.total("after_tax_col"), abs=0.05
    )
    svg = save_chart(cumulative_spec(comparison), tmp_path / "c.svg").read_text()
    assert svg.startswith("<svg")
    html = write_report(comparison, tmp_path / "r.html").read_text()
    assert html.count("<svg") == 2
    assert "<script" not in html and "cdn" not in html.lower()
    assert "Amazon" in html and "Austin, TX" in html
    winner, sentence = comparison.verdict()
    assert comparison.to_dict()["winner"] == winner and comparison.to_dict()["verdict"] == sentence
    assert f"<p><b>{sentence}</b></p>" in html
    with pytest.raises(InputError, match=r"\.svg or \.png"):
        save_chart(cumulative_spec(comparison), tmp_path / "c.gif")


def test_a_winner_needs_a_clear_lead_and_the_odds() -> None:
    from careerbench.money.compare import WIN_GAP

    same = offer("remote_austin")
    tie = compare_offers([same, same.model_copy(update={"employer": "Twin"})], years=3,
                         paths=2_000, seed=1)  # fmt: skip
    winner, sentence = tie.verdict()
    assert winner is None and sentence.startswith("Too close to call over 3 years")
    assert tie.to_dict()["winner"] is None
    richer = same.model_copy(update={"employer": "Richer", "base": same.base * 1.5})
    clear = compare_offers([same, richer], years=3, paths=2_000, seed=1)
    winner, sentence = clear.verdict()
    best, other = clear.projections[1], clear.projections[0]
    assert best.total("after_tax_col") / other.total("after_tax_col") - 1 >= WIN_GAP
    assert winner == best.name and sentence.startswith(f"{best.name} is worth more over 3 years")
    assert compare_offers([same], years=3, paths=500).verdict() == (
        None, "one offer: nothing to compare",
    )  # fmt: skip


# --- equity risk ------------------------------------------------------------------------------


def test_monte_carlo_is_seeded_and_centred_on_the_expected_path() -> None:
    from careerbench.money.equity import simulate

    projections = [project(offer("bigtech_sf"), 4), project(offer("amazon_seattle"), 4)]
    a = simulate(projections, paths=4_000, seed=3)
    b = simulate(projections, paths=4_000, seed=3)
    assert np.array_equal(a.offers[0].after_tax_col, b.offers[0].after_tax_col)
    for risk, projection in zip(a.offers, projections, strict=True):
        band = risk.vested_total
        assert band.p10 <= band.p50 <= band.p90
        expected = sum(r.equity_total for r in projection.rows)
        assert band.mean == pytest.approx(expected, rel=0.03)
    assert 0 <= a.beats(0, 1) <= 1
    assert a.beats(0, 1) + a.beats(1, 0) == pytest.approx(1.0, abs=1e-3)


def test_zero_volatility_matches_the_deterministic_view() -> None:
    from careerbench.money.equity import simulate

    data = offer("remote_austin").model_dump()
    data["stock"]["volatility"] = 0.0
    projection = project(offer_from_dict(data), 4)
    risk = simulate([projection], paths=200, seed=0).offers[0]
    assert risk.vested_total.p10 == pytest.approx(risk.vested_total.p90)
    assert risk.vested_total.p50 == pytest.approx(sum(r.equity_total for r in projection.rows))
    expected = projection.total("after_tax_col")
    assert risk.after_tax_col_total.p50 == pytest.approx(expected, rel=2e-3)


def test_startup_options_distribution_includes_zero() -> None:
    from careerbench.money.equity import simulate

    startup = offer("startup_nyc")
    risk = simulate([project(startup, 5)], paths=20_000, seed=0).offers[0]
    assert risk.options is not None and risk.options_zero_probability is not None
    # No exit in 70% of paths, and some exits below the preference stack: more than 70% zero.
    assert 0.70 < risk.options_zero_probability < 0.85
    assert risk.options.p10 == 0
    assert risk.options_paper is not None
    assert risk.options_paper["paper_value_at_preferred_price"] == pytest.approx(60_000 * 7.5)


def test_liquidation_preferences_and_dilution() -> None:
    from careerbench.money.options import common_price

    options = offer("startup_nyc").options
    assert options is not None
    shares_at_exit = 40_000_000 / 0.85**2
    common = shares_at_exit * 0.55
    values = np.array([100e6, 150e6, 300e6, 2e9])
    prices = common_price(options, values)
    assert prices[0] == 0 and prices[1] == 0  # everything goes to the preference stack
    assert prices[2] == pytest.approx((300e6 - 150e6) / common)
    assert prices[3] == pytest.approx(2e9 * 0.55 / common)  # preferred converts


# --- switch or stay and places -----------------------------------------------------------------


def test_switch_or_stay(tmp_path: Path) -> None:
    result = switch_or_stay(
        offer("current_job"), offer("new_offer_austin"), years=4, paths=2_000,
        store=tmp_path / "no-store.duckdb",
    )  # fmt: skip
    assert result.unvested_walked_away == pytest.approx(202_500)
    assert result.unvested_within_horizon == pytest.approx(202_500)
    assert result.difference == pytest.approx(
        result.switch.total("after_tax_col") - result.stay.total("after_tax_col")
    )
    assert result.difference_range is not None
    assert result.difference_range.p10 < result.difference < result.difference_range.p90
    assert [p.rows[1].base / p.rows[0].base for p in result.promotions] == pytest.approx(
        [1.03 * 1.10, 1.03 * 1.15]
    )
    assert not result.market.available
    assert result.market.text.startswith("market gap: not available (run careerbench ingest)")
    ids = {r.id for r in result.rules}
    assert {"switch-20-below", "promotion-raise", "lateral-move", "unvested-rsus"} <= ids
    # A worse offer needs a sign-on to break even; adding it closes the gap.
    reverse = switch_or_stay(offer("new_offer_austin"), offer("current_job"), years=4, paths=500)
    assert reverse.break_even_sign_on > 0
    assert reverse.break_even_year is None or reverse.break_even_year > 1


def test_austin_vs_san_francisco_claim() -> None:
    check = austin_vs_san_francisco()
    computed = check.computed or {}
    austin, sf = (p["after_tax"] for p in computed["places"])
    sf_col = computed["places"][1]["after_tax_col"]
    assert austin == pytest.approx(163_289, abs=1)
    # San Francisco itemizes California's income tax over the federal standard deduction:
    # 166,470 with the standard deduction, plus 32% of (19,959 - 15,750).
    assert sf == pytest.approx(166_470 + 0.32 * (19_959 - 15_750), abs=1)
    # In Austin prices: 167,816.7 x 98.066 / 115.613.
    assert sf_col == pytest.approx(167_816.68 * 98.066 / 115.613, abs=1)
    assert check.verdict == "agrees"
    assert "agree with the claim" in check.evidence


def test_compare_places_and_pay_inputs(tmp_path: Path) -> None:
    result = compare_places({"San Francisco, CA": 260_000, "Austin, TX": 220_000})
    assert result.reference.label == "San Francisco, CA"
    assert result.best().text == "Austin, TX"
    assert pay_for_places(["TX", "CA"], [100_000]) == ({"TX": 100_000, "CA": 100_000}, None)
    assert pay_for_places(["TX", "CA"], [1.0, 2.0]) == ({"TX": 1.0, "CA": 2.0}, None)
    with pytest.raises(InputError, match="one --pay for every place"):
        pay_for_places(["TX", "CA", "WA"], [1.0, 2.0])
    with pytest.raises(InputError, match="give --pay"):
        pay_for_places(["TX"], None)
    with pytest.raises(InputError, match="market pay is not available"):
        pay_for_places(
            ["TX"], None, role="ml-engineer", level="senior", store=tmp_path / "none.duckdb"
        )


def test_public_api_and_json_offers(tmp_path: Path) -> None:
    import json

    import careerbench.money as money

    data = {"employer": "J", "place": "Denver, CO", "base": 150_000, "bonus_target_pct": 10}
    path = tmp_path / "offer.json"
    path.write_text(json.dumps(data))
    projection = money.project(money.load_offer(path), 2)
    assert projection.rows[0].bonus == pytest.approx(15_000)
    assert projection.rows[0].payroll_tax == pytest.approx(
        money.compute_tax(165_000, "CO").payroll_tax
    )
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(InputError, match="not valid JSON at line 1"):
        money.load_offer(tmp_path / "bad.json")


def test_market_gap_with_an_ingested_store(store: Path) -> None:
    from careerbench.money.switch import market_gap

    pay = {"total_comp": 280_000.0, "base": 185_000.0}
    gap = market_gap(offer("current_job"), pay, store)
    assert gap.available, gap.text
    assert gap.measure == "total_comp" and gap.n is not None and gap.n >= 0
    assert gap.market_p50 is not None and gap.gap == pytest.approx(280_000 / gap.market_p50 - 1)
    assert gap.to_dict()["measure"] == "total_comp"
    # Where the data have no total comp for the profile (only aijobs.net postings report AI
    # engineers), the gap is of base salary against base salaries.
    ai = offer("current_job").model_copy(update={"role": "ai-engineer"})
    base_gap = market_gap(ai, pay, store)
    assert base_gap.available and base_gap.measure == "base", base_gap.text
    assert base_gap.market_p50 is not None
    assert base_gap.gap == pytest.approx(185_000 / base_gap.market_p50 - 1)
    assert "base salary" in base_gap.text and "switching rule of thumb" not in base_gap.text
    no_role = offer_from_dict({"employer": "X", "place": "TX", "base": 1})
    assert not market_gap(no_role, {"total_comp": 1.0, "base": 1.0}, store).available


def test_market_pay_for_places_is_compared_like_for_like(store: Path, pay_model: object) -> None:
    """With a role and level, each place's pay is the market's P50, from the same measure,
    sources and kind of evidence in every place, and the comparison says where it came from."""
    places = ["San Francisco, CA", "Austin, TX"]
    pay, sides = pay_for_places(places, None, role="ml-engineer", level="senior", store=store)
    assert sides is not None and sides.comparable and sides.measure in ("total_comp", "base")
    assert len({a.answered_by for a in sides.answers}) == 1
    assert {a.measure for a in sides.answers} == {sides.measure}
    for place, answer in zip(places, sides.answers, strict=True):
        assert answer.quantiles is not None and pay[place] == answer.quantiles.p50
    document = compare_places(pay, market=sides).to_dict()
    assert document["pay_from"]["measure"] == sides.measure
    assert document["pay_from"]["how"] == sides.how
    assert document["pay_from"]["evidence"] == {
        place: answer.evidence_text() for place, answer in zip(places, sides.answers, strict=True)
    }
    assert compare_places({"TX": 1.0}).to_dict()["pay_from"] is None
    # The command line and the page say it in the same words: measure, n, sources and years.
    notes = compare_places(pay, market=sides).pay_notes()
    assert sides.how in notes[0]
    done = run_cli(
        "places", "compare", *places, "--role", "ml-engineer", "--level", "senior", store=store
    )
    assert done.returncode == 0, done.stderr
    printed = " ".join(done.stdout.split())
    html = TestClient(create_app(store)).get(
        "/places?place=San+Francisco,+CA&place=Austin,+TX&role=ml-engineer&level=senior"
    )
    for note in notes:
        assert " ".join(note.split()) in printed
        assert note in unescape(html.text)
