"""The market answer: one measure per statistic, one time basis, one rule, like for like."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from careerbench import pay_index
from careerbench.benchmark import DEFAULT_K, benchmark, load_index
from careerbench.cohort import parse_cohort
from careerbench.errors import InputError, InvalidValue
from careerbench.ingest import ingest
from careerbench.market import (
    EXACT,
    MODEL,
    NONE,
    RELAXED,
    answer_on,
    interpolated_percentile,
    like_for_like,
    market_answer,
)
from careerbench.store import Store

if TYPE_CHECKING:
    from careerbench.pay_model import PayModel


def test_a_total_comp_statistic_never_counts_base_salaries(store: Path) -> None:
    """aijobs.net postings measure base: they are in base statistics, never in total comp."""
    cohort = parse_cohort(role="ml-engineer", level="senior", country="US")
    total = benchmark(cohort, measure="total_comp", store=store, k=5)
    base = benchmark(cohort, measure="base", store=store, k=5)
    assert "aijobs" not in total.sources
    assert base.sources.get("aijobs", 0) > 1000
    with Store(store) as db:
        records = db.records()
        levels = records.filter(
            (records.source == "levelsfyi")
            & (records.role_family == "ml-engineer")
            & (records.level == "senior")
            & (records.country == "US")
        )
        reports = int(levels.count().to_pyarrow().as_py())
    assert total.evidence.n == reports


def test_a_base_salary_given_alone_is_not_a_total_comp(tmp_path: Path) -> None:
    """A CSV row with a base salary and nothing else is a base data point only."""
    data = tmp_path / "mine.csv"
    rows = [
        f"2025,Senior Machine Learning Engineer,Acme,Austin TX,{tc},{base},{equity}"
        for tc, base, equity in [
            (300_000, 200_000, 80_000),
            (310_000, 210_000, ""),
            (320_000, "", ""),
            (330_000, 220_000, 90_000),
            ("", 190_000, 60_000),  # total = base + equity: a total comp
            ("", 205_000, ""),  # a base alone
            ("", 215_000, ""),  # a base alone
        ]
    ]
    data.write_text("year,title,company,location,total_comp,base,equity\n" + "\n".join(rows))
    path = tmp_path / "s.duckdb"
    ingest(path, csv_paths=[data])
    cohort = parse_cohort(role="ml-engineer", level="senior")
    total = benchmark(cohort, measure="total_comp", store=path, k=5)
    base = benchmark(cohort, measure="base", store=path, k=5)
    # (the bundled aijobs.net postings are base salaries too)
    assert (total.sources, base.sources["csv"]) == ({"csv": 5}, 6)
    assert total.quantiles is not None
    assert total.quantiles.p50 == pytest.approx(310_000, rel=1e-6)


def test_pay_is_placed_among_figures_of_its_own_measure(store: Path) -> None:
    cohort = parse_cohort(role="ml-engineer", level="senior", country="US")
    answer = market_answer(cohort, measure="base", pay=180_000, store=store, model="never")
    assert answer.answered_by == EXACT and answer.measure == "base"
    position = answer.position(180_000)
    assert position is not None and 0 < position < 100
    values = load_index(store).values(load_index(store).select(cohort.index_filters()), "base")
    expected = 100 * np.mean(values < 180_000)
    assert position == pytest.approx(expected, abs=1.0)


def test_the_rule_picks_the_exact_cohort_then_the_model_then_the_relaxed_cohort(
    store: Path, pay_model: PayModel
) -> None:
    index = load_index(store)
    big = parse_cohort(role="ml-engineer", level="senior", country="US")
    exact = answer_on(index, big, measure="base", model=pay_model)
    assert exact.answered_by == EXACT and exact.exact.n >= DEFAULT_K
    assert exact.quantiles == exact.exact.quantiles and exact.model is None
    thin = parse_cohort(role="ml-engineer", level="senior", metro="Seattle", years="6")
    by_model = answer_on(index, thin, measure="base", model=pay_model)
    assert by_model.exact.n < DEFAULT_K
    assert by_model.answered_by == MODEL and by_model.model is not None
    assert by_model.quantiles == by_model.model.quantiles
    assert "pay model" in by_model.evidence_text()
    without_model = answer_on(index, thin, measure="base", model=None)
    assert without_model.answered_by == RELAXED
    assert without_model.quantiles == without_model.relaxed.quantiles
    assert "cohort relaxed" in without_model.evidence_text()
    assert without_model.model_note == "the pay model is not trained for this data yet"


def test_the_model_answers_only_questions_it_reads_whole(store: Path, pay_model: PayModel) -> None:
    """A model answers "this exact profile" only when it reads every field the profile gives
    (the aijobs.net model has no tier) and the profile gives the place the Levels.fyi model
    needs for a US question; otherwise the cohort answers and says how it was relaxed."""
    index = load_index(store)
    tiered = parse_cohort(role="research-scientist", level="staff", tier="frontier-lab")
    answer = answer_on(index, tiered, measure="base", model=pay_model)
    assert answer.model is None or answer.model.source != "aijobs"
    unplaced = parse_cohort(role="ml-engineer", level="entry", tier="startup", country="US")
    answer = answer_on(index, unplaced, measure="total_comp", model=pay_model)
    assert answer.model is None and answer.answered_by != MODEL
    placed = parse_cohort(role="ml-engineer", level="senior", metro="Seattle")
    answer = answer_on(index, placed, measure="total_comp", model=pay_model)
    assert answer.model is not None and answer.model.source == "levelsfyi"


def test_no_data_anywhere_says_so_and_lists_what_is_near(store: Path) -> None:
    """Research scientists have no total comp in this store (no Levels.fyi research titles)."""
    cohort = parse_cohort(role="research-scientist", level="senior", country="US")
    answer = market_answer(cohort, measure="total_comp", store=store, model="never")
    assert answer.answered_by == NONE and answer.quantiles is None
    assert any("do not measure total comp" in note for note in answer.notes)
    base = market_answer(cohort, measure="base", store=store, model="never")
    assert base.quantiles is not None
    near = market_answer(
        parse_cohort(role="ml-engineer", level="staff", country="US", tier="big-tech"),
        measure="base",
        store=store,
        model="never",
    )
    assert all(n.evidence.n >= 5 for n in near.neighbors)


def test_like_for_like_uses_one_measure_and_one_source_set(store: Path) -> None:
    index = load_index(store)
    sides = like_for_like(
        index,
        [
            parse_cohort(role="ml-engineer", level="senior", country="US"),
            parse_cohort(role="data-scientist", level="senior", country="US"),
        ],
        model=None,
    )
    assert sides.comparable and sides.measure is not None
    assert len({a.measure for a in sides.answers}) == 1
    assert len({frozenset(a.exact.sources) for a in sides.answers}) == 1
    impossible = like_for_like(
        index,
        [
            parse_cohort(role="research-scientist", level="staff", tier="frontier-lab"),
            parse_cohort(role="ml-engineer", level="staff", tier="frontier-lab"),
        ],
        model=None,
    )
    assert not impossible.comparable and impossible.withheld


def test_interpolated_percentiles_are_monotone_and_bounded() -> None:
    from careerbench.benchmark import Quantiles

    q = Quantiles(100.0, 150.0, 200.0, 250.0, 300.0)
    points = [interpolated_percentile(q, x) for x in range(10, 600, 7)]
    assert points == sorted(points) and points[0] >= 1 and points[-1] <= 99
    assert interpolated_percentile(q, 200.0) == 50.0


def test_bad_measures_and_pay_name_the_field(store: Path) -> None:
    cohort = parse_cohort(role="ml-engineer", level="senior")
    with pytest.raises(InvalidValue, match="measure"):
        market_answer(cohort, measure="stock", store=store)
    with pytest.raises(InputError, match="base"):
        market_answer(cohort, measure="base", pay=-5, store=store)
    with pytest.raises(InvalidValue, match="basis"):
        pay_index.check_basis("gdp")


def test_the_pay_index_is_measured_within_cells_with_intervals(store: Path) -> None:
    index = pay_index.for_store(store)
    first, last = index.years
    assert index.points[first].value == 1.0
    assert all(p.low <= p.value <= p.high for p in index.points.values())
    assert index.factor(last, last) == 1.0
    assert index.factor(first, last) == pytest.approx(1 / index.factor(last, first))
    low, high = index.interval(first, last)
    assert low <= index.factor(first, last) <= high
    again = pay_index.for_store(store)
    assert again.to_dict() == index.to_dict()  # seeded: the same index every time


def test_the_basis_is_stated_and_cpi_stays_available(store: Path) -> None:
    cohort = parse_cohort(role="ml-engineer", level="senior", country="US")
    on_index = benchmark(cohort, measure="base", store=store)
    on_cpi = benchmark(cohort, measure="base", store=store, basis="cpi")
    assert "pay index" in on_index.basis and "CPI-U" in on_cpi.basis
    assert on_index.currency_year == on_cpi.currency_year
    assert on_index.n == on_cpi.n
