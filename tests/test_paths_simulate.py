"""Career simulation: seeded, pinned, and consistent."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from careerbench.benchmark import MEASURE_WORDS, load_index
from careerbench.cohort import Cohort
from careerbench.errors import InputError, InvalidValue
from careerbench.market import like_for_like, market_answer
from careerbench.paths.simulate import Career, pay_table, run, versus
from tests.conftest import run_cli


def test_same_seed_same_result_and_quantiles_are_ordered(store: Path) -> None:
    index = load_index(store)
    career = Career("data-scientist", "mid")
    first = run(index, career, years=8, paths=5_000, seed=42)
    again = run(index, career, years=8, paths=5_000, seed=42)
    np.testing.assert_array_equal(first.annual, again.annual)
    other = run(index, career, years=8, paths=5_000, seed=43)
    assert not np.array_equal(first.annual, other.annual)
    for y in first.by_year:
        assert y.annual_p10 <= y.annual_p50 <= y.annual_p90
        assert y.cumulative_p10 <= y.cumulative_p50 <= y.cumulative_p90
        assert sum(y.level_mix.values()) == pytest.approx(1.0)
    cumulative = [y.cumulative_p50 for y in first.by_year]
    assert cumulative == sorted(cumulative)
    # Year one pays the starting level's market pay: its median is near the market's P50.
    mid = next(p for p in first.pay_table if p.level == "mid")
    assert first.by_year[0].annual_p50 == pytest.approx(mid.p50, rel=0.06)
    # Pay by level is the market's answer for each level, all of one measure and basis: total
    # comp is not answered at every data-scientist level (aijobs.net postings are base only).
    assert first.measure == "base"
    document = first.to_dict()
    assert document["measure"] == "base"
    assert document["currency"] == f"{first.basis}, annual base salary"
    assert first.basis == f"USD of {first.currency_year} (pay index)"
    answer = market_answer(
        Cohort(role="data-scientist", level="mid", country="US"),
        measure="base",
        model="never",
        store=store,
    )
    assert answer.quantiles is not None
    assert (mid.p50, mid.n, mid.basis) == (answer.quantiles.p50, answer.n_behind(),
                                           answer.answered_by)  # fmt: skip


def test_pinned_reference_result(store: Path) -> None:
    result = run(load_index(store), Career("ml-engineer", "senior"), years=5, paths=2_000, seed=7)
    senior = next(p for p in result.pay_table if p.level == "senior")
    assert result.measure == "base"
    # The pin: year-1 median pay relative to the senior market median (base salary since the
    # measure-aware market answers; 0.9933 on total comp before), and the share promoted by
    # year 5 (1 - (1 - 1/4)^4 = 68% promoted at least once, before layoffs and noise).
    assert result.by_year[0].annual_p50 / senior.p50 == pytest.approx(0.9814, abs=0.02)
    promoted = 1 - result.by_year[4].level_mix.get("senior", 0.0)
    assert promoted == pytest.approx(0.68, abs=0.03)


def test_versus_keeps_the_person_and_draws_events_independently(store: Path) -> None:
    a, b = Career("ml-engineer", "mid"), Career("data-scientist", "mid")
    ab = versus(a, b, years=6, paths=4_000, seed=3, store=store)
    ba = versus(b, a, years=6, paths=4_000, seed=3, store=store)
    for p, q in zip(ab.probability_a_ahead, ba.probability_a_ahead, strict=True):
        assert 0.0 <= p <= 1.0
        assert p + q == pytest.approx(1.0, abs=0.05)
    same = versus(a, a, years=6, paths=4_000, seed=3, store=store)
    assert same.probability_a_ahead[-1] == pytest.approx(0.5, abs=0.05)
    np.testing.assert_array_equal(same.a.annual[:, 0] > 0, True)
    # Both careers on one measure and basis, said in the headline.
    assert ab.a.measure == ab.b.measure and ab.a.basis == ab.b.basis
    headline = ab.to_dict()["headline"]
    assert headline.startswith(
        f"{a.label()} has earned more than {b.label()} by year 6 in "
        f"{ab.probability_a_ahead[-1]:.0%} of simulated paths"
    )
    assert f"both on market {MEASURE_WORDS[ab.a.measure]} by level, {ab.a.basis}" in headline


def test_versus_compares_each_level_like_for_like(store: Path) -> None:
    """At each level both careers' pay comes from the same kind of evidence (and sources)."""
    ab = versus(Career("ml-engineer", "mid"), Career("data-scientist", "mid"), years=4,
                paths=1_000, seed=3, store=store)  # fmt: skip
    for mine, theirs in zip(ab.a.pay_table, ab.b.pay_table, strict=True):
        assert mine.level == theirs.level
        assert mine.basis == theirs.basis, (mine, theirs)


def test_versus_notes_never_end_in_an_empty_relaxation(store: Path) -> None:
    # What versus() asks at the staff level when no pay model is trained (the model would
    # answer both sides otherwise).
    profiles = [Cohort(role=role, level="staff", country="US")
                for role in ("ml-engineer", "data-scientist")]  # fmt: skip
    sides = like_for_like(load_index(store), profiles, measures=("base",), model=None)
    assert sides.comparable and len(sides.answers) == 2
    for answer in sides.answers:
        assert not answer.evidence_text().rstrip().endswith("cohort relaxed:"), answer


def test_transition_scenarios_change_the_path(store: Path) -> None:
    index = load_index(store)
    base = run(index, Career("research-scientist", "senior"), years=8, paths=3_000, seed=5)
    academia = run(
        index,
        Career("research-scientist", "senior", transition="research-scientist-to-academia"),
        years=8,
        paths=3_000,
        seed=5,
    )
    assert academia.by_year[3].annual_p50 == pytest.approx(base.by_year[3].annual_p50, rel=1e-9)
    assert academia.by_year[5].annual_p50 < 0.6 * base.by_year[5].annual_p50
    with pytest.raises(InvalidValue, match="mle-to-research-scientist"):
        run(
            index,
            Career("ml-engineer", "mid", transition="to-the-moon"),
            years=3,
            paths=100,
            seed=1,
        )


def test_bad_inputs(store: Path) -> None:
    index = load_index(store)
    with pytest.raises(InputError, match="years"):
        run(index, Career("ml-engineer", "mid"), years=0, paths=1_000, seed=1)
    with pytest.raises(InvalidValue, match="senior"):
        run(index, Career("ml-engineer", "seniour"), years=3, paths=1_000, seed=1)


def test_cli_json_and_chart(tmp_path: Path, store: Path) -> None:
    chart = tmp_path / "fan.svg"
    done = run_cli(
        "simulate",
        "--track",
        "ml-engineer",
        "--start-level",
        "mid",
        "--years",
        "5",
        "--paths",
        "2000",
        "--seed",
        "1",
        "--vs",
        "data-scientist",
        "--chart",
        str(chart),
        "--json",
        store=store,
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert len(doc["probability_a_ahead_by_year"]) == 5
    assert doc["a"]["career"]["track"] == "ml-engineer"
    assert chart.read_text().startswith("<svg")
    done = run_cli("simulate", "--track", "astronaut", store=store)
    assert done.returncode == 2 and "track" in done.stderr


def test_levels_below_the_first_with_data_are_assumed_and_said(store: Path) -> None:
    """A career starting at mid never visits entry: no pay at entry is not an error then; a
    career starting at entry is told that entry pay was assumed below mid."""
    mid = market_answer(Cohort(role="ml-engineer", level="mid"), measure="base", store=store)
    assert mid.quantiles is not None
    answers = {"entry": None, "mid": mid, "senior": None}
    notes: list[str] = []
    table = pay_table(answers, Career("ml-engineer", "mid"), notes)
    assert [p.level for p in table] == ["entry", "mid", "senior"]
    assert table[1].p50 == mid.p50 and table[0].p50 < table[1].p50 < table[2].p50
    assert table[0].basis == "assumed" and not any("at entry" in n for n in notes)
    notes = []
    table = pay_table(answers, Career("ml-engineer", "entry"), notes)
    assert table[0].basis == "assumed" and table[0].p50 < mid.p50
    assert any(n.startswith("no data for ml-engineer at entry: assumed") for n in notes)
    with pytest.raises(InputError, match=r"start_level: no pay data .* at any level"):
        pay_table(dict.fromkeys(answers), Career("ml-engineer", "entry"), [])
