from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from careerbench import benchmark as bench
from careerbench import inflation, pay_index
from careerbench import store as store_module
from careerbench.cohort import Cohort, parse_cohort, parse_years
from careerbench.cohort_index import CohortIndex, cohort_index
from careerbench.errors import InputError, InvalidValue
from careerbench.sources import registry
from careerbench.store import Store


def plain(
    store: Path, cohort: Cohort, measure: str = "total_comp", basis: str = "pay-index"
) -> tuple[int, list[float | None]]:
    """The same cohort as one filtered quantile query on the store (the reference path): the
    records of the sources that measure ``measure``, each brought to the basis's year by its
    observed year's factor."""
    filters = cohort.index_filters()
    years = filters.pop("years_bucket")
    since = filters.pop("observed_year")
    chosen = pay_index.basis_for(store, basis)
    with Store(store) as db:
        expr = store_module.cohort(db.records(), filters)
        if years is not None:
            high = None if years[1] is None else years[1] + 0.999999
            expr = store_module.cohort(expr, {"years_experience": (years[0], high)})
        if since is not None:
            expr = store_module.cohort(expr, {"observed_year": since})
        expr = expr.filter(
            expr.source.isin(sorted(registry.measuring(measure))), expr[measure].notnull()
        )
        present = store_module.observed_years(expr)
        if not present:
            return 0, [None] * len(bench.PROBABILITIES)
        value = store_module.scaled(expr, measure, chosen.factors(present))
        metrics = {f"q{i}": value.quantile(p) for i, p in enumerate(bench.PROBABILITIES)}
        row = expr.aggregate(n=expr.count(), **metrics).to_pyarrow().to_pylist()[0]
    return int(row["n"]), store_module.quantile_values(row, bench.PROBABILITIES)


def as_list(q: bench.Quantiles | None) -> list[float]:
    assert q is not None
    return [q.p10, q.p25, q.p50, q.p75, q.p90]


@pytest.mark.parametrize(
    ("cohort", "measure", "basis"),
    [
        (Cohort(role="ml-engineer", level="senior", country="US"), "total_comp", "pay-index"),
        (Cohort(role="ml-engineer", level="senior", country="US"), "base", "pay-index"),
        (Cohort(role="data-scientist", level="mid"), "base", "cpi"),
        (Cohort(role="software-engineer", tier="big-tech", years=(3, 6)), "equity", "pay-index"),
        (Cohort(role="research-scientist", country="US", remote="onsite", since=2025), "base",
         "pay-index"),
        (Cohort(role="research-scientist", country="US", remote="onsite", since=2025),
         "total_comp", "cpi"),
    ],
)  # fmt: skip
def test_index_quantiles_equal_the_plain_query(
    store: Path, cohort: Cohort, measure: str, basis: str
) -> None:
    index = bench.load_index(store, basis)
    result = bench.benchmark_on(index, cohort, measure=measure, k=5)
    assert result.relaxed == [] or result.applied != cohort
    n, q = plain(store, result.applied, measure, basis)
    assert result.n == n
    assert result.evidence.method == "exact"
    if n < bench.PRIVACY_FLOOR:
        assert result.quantiles is None
    else:
        np.testing.assert_allclose(as_list(result.quantiles), q, rtol=1e-9)


def test_a_statistic_counts_only_the_sources_that_measure_it(store: Path) -> None:
    """aijobs.net postings are base salary: they are in a base statistic, never in total comp."""
    cohort = Cohort(role="ml-engineer", level="senior", country="US")
    total = bench.benchmark(cohort, store=store)
    base = bench.benchmark(cohort, measure="base", store=store)
    assert total.measure == "total_comp" and set(total.sources) == {"levelsfyi"}
    assert set(base.sources) == {"aijobs", "levelsfyi"} and base.n > total.n
    assert all(registry.spec(s).measures >= {"total_comp"} for s in total.sources)
    # Every measure over the applied cohort is there, each with its own n and sources.
    assert set(total.measures) == {"total_comp", "base", "equity", "bonus"}
    assert total.measures["base"].n == base.n and total.measures["base"].sources == base.sources
    assert any("aijobs.net data points are" in note for note in base.notes)
    # A role only aijobs.net reports has no total comp at all, and the note says why.
    only_postings = bench.benchmark(Cohort(role="ai-engineer", level="senior"), store=store)
    assert only_postings.n == 0 and only_postings.quantiles is None
    assert any("aijobs.net data do not measure total comp" in n for n in only_postings.notes)
    postings = Cohort(role="ai-engineer", level="senior")
    postings_base = bench.benchmark(postings, measure="base", store=store)
    assert postings_base.n > 0 and set(postings_base.sources) == {"aijobs"}
    with pytest.raises(InvalidValue, match="measure"):
        bench.benchmark(cohort, measure="salary", store=store)


def test_sketch_is_within_its_bin_width_of_the_exact_answer(store: Path) -> None:
    basis = pay_index.basis_for(store)
    with Store(store) as db:
        index = cohort_index(db, basis)
    # A dense cohort (thousands of base salaries): the sketch serves cohorts over 100,000.
    cells = index.select({"role_family": "data-scientist"})
    assert index.count(cells, "base") > 5_000
    exact = index.stats(cells, "base", bench.PROBABILITIES, pay=150_000)
    sketch = index.stats(cells, "base", bench.PROBABILITIES, pay=150_000, exact_max=0)
    assert exact.method == "exact" and sketch.method == "sketch"
    for p in bench.PROBABILITIES:
        assert sketch.quantiles[p] == pytest.approx(exact.quantiles[p], rel=0.0026)
    assert exact.percentile is not None and sketch.percentile is not None
    assert abs(sketch.percentile - exact.percentile) < 0.5


def test_relaxation_follows_the_documented_order(store: Path) -> None:
    cohort = parse_cohort(
        role="ml-engineer", level="staff", company="Google", metro="Seattle", years="9-10"
    )
    result = bench.benchmark(cohort, store=store, k=20)
    steps = [r.step for r in result.relaxed]
    order = ["metro->state", "state->country", "widen-years", "drop-years", "company->tier",
             "tier->any", "remote->any", "since->any"]  # fmt: skip
    assert steps == order[: len(steps)]
    assert steps[0] == "metro->state"
    assert result.relaxed[0].detail.endswith("state WA")
    assert result.n >= 20 or steps[-1] == "tier->any"
    assert result.applied.role == "ml-engineer" and result.applied.level == "staff"


def test_privacy_floor_withholds_statistics(store: Path) -> None:
    # Three total-comp data points and nothing to relax (role, level and country stay).
    cohort = Cohort(role="ml-engineer", level="principal", country="US")
    result = bench.benchmark(cohort, store=store, k=5, pay=300_000)
    assert 0 < result.n < bench.PRIVACY_FLOOR
    assert result.quantiles is None and result.percentile is None
    assert result.to_dict()["quantiles"] is None and result.to_dict()["percentile"] is None
    assert any("withheld below 5 (privacy floor)" in note for note in result.notes)
    shown = bench.benchmark(Cohort(role="ml-engineer", level="senior", country="US"), store=store)
    assert shown.n >= bench.PRIVACY_FLOOR and shown.quantiles is not None


def test_percentile_and_verdict_apply_the_cited_rule(store: Path) -> None:
    cohort = Cohort(role="ml-engineer", level="senior", country="US")
    result = bench.benchmark(cohort, store=store)
    assert result.quantiles is not None and result.percentile is None
    q = result.quantiles
    low = bench.benchmark(cohort, store=store, pay=0.7 * q.p50)
    assert low.pay == pytest.approx(0.7 * q.p50)
    assert low.percentile is not None and low.percentile < 25
    verdict = bench.verdict_for(0.7 * q.p50, q)
    assert verdict.label == "well-below-market" and "20%" in verdict.rule.claim
    mid = bench.benchmark(cohort, store=store, pay=q.p50)
    assert mid.percentile == pytest.approx(50, abs=2)
    assert bench.verdict_for(q.p50 * 0.95, q).label == "below-market"
    assert bench.verdict_for(q.p50, q).label == "at-market"
    assert bench.verdict_for(q.p90, q).label == "above-market"
    # A base salary is placed among base salaries, not among total comps.
    base = bench.benchmark(cohort, measure="base", store=store, pay=q.p50)
    assert base.quantiles is not None and base.quantiles.p50 < q.p50
    assert base.percentile is not None and base.percentile > 75
    with pytest.raises(InputError, match="base"):
        bench.benchmark(cohort, measure="base", store=store, pay=-1)


def test_json_document_has_the_stable_fields(store: Path) -> None:
    cohort = parse_cohort(role="ml-engineer", level="senior", country="US")
    doc = bench.benchmark(cohort, store=store, pay=200_000).to_dict()
    for key in (
        "measure",
        "n",
        "k",
        "filters",
        "requested",
        "relaxed",
        "currency_year",
        "basis",
        "quantiles",
        "sources",
        "years",
        "measures",
        "pay",
        "percentile",
        "bls",
        "notes",
    ):
        assert key in doc
    assert doc["measure"] == "total_comp"
    assert set(doc["quantiles"]) == {"p10", "p25", "p50", "p75", "p90"}
    assert set(doc["measures"]) == {"total_comp", "base", "equity", "bonus"}
    assert doc["measures"]["total_comp"]["n"] == doc["n"]
    # The default answer year is the pay index's last measured year, and the basis says so.
    last = pay_index.for_store(store).last_measured
    assert doc["currency_year"] == last
    assert doc["basis"] == f"USD of {last} (pay index)"
    assert doc["bls"]["soc"] == "15-1252"
    assert doc["bls"]["area_type"] == "national"
    assert doc["filters"] == {"role": "ml-engineer", "level": "senior", "country": "US"}


def test_year_rescales_by_the_pay_index_or_cpi(store: Path) -> None:
    cohort = Cohort(role="data-scientist", level="mid", country="US")
    now = bench.benchmark(cohort, store=store, measure="base")
    then = bench.benchmark(cohort, store=store, measure="base", year=2020)
    index = pay_index.for_store(store)
    assert then.quantiles is not None and now.quantiles is not None
    assert then.currency_year == 2020 and then.basis == "USD of 2020 (pay index)"
    factor = index.factor(now.currency_year, 2020)
    assert then.quantiles.p50 == pytest.approx(now.quantiles.p50 * factor)
    assert then.n == now.n
    cpi_now = bench.benchmark(cohort, store=store, measure="base", basis="cpi")
    cpi_then = bench.benchmark(cohort, store=store, measure="base", basis="cpi", year=2020)
    latest = inflation.latest_year()
    assert cpi_now.currency_year == latest and cpi_now.basis == f"USD of {latest} (CPI-U)"
    ratio = inflation.cpi_table()[2020] / inflation.cpi_table()[latest]
    assert cpi_then.quantiles is not None and cpi_now.quantiles is not None
    assert cpi_then.quantiles.p50 == pytest.approx(cpi_now.quantiles.p50 * ratio)
    with pytest.raises(InputError, match="year"):
        bench.benchmark(cohort, store=store, year=1990)
    with pytest.raises(InvalidValue, match="basis"):
        bench.benchmark(cohort, store=store, basis="gdp")


def test_bad_input_names_the_field_and_the_closest_values() -> None:
    with pytest.raises(InvalidValue, match="ml-engineer"):
        parse_cohort(role="ml-enginer")
    with pytest.raises(InvalidValue, match="tier"):
        parse_cohort(tier="faang")
    with pytest.raises(InputError, match="years"):
        parse_cohort(years="five")
    with pytest.raises(InputError, match="minimum is above"):
        parse_years("6-3")
    assert parse_years("3-") == (3, None)
    assert parse_years("4") == (4, 4)


def test_index_round_trips_through_disk(store: Path, tmp_path: Path) -> None:
    basis = pay_index.basis_for(store)
    with Store(store) as db:
        index = cohort_index(db, basis)
    index.save(tmp_path / "index.npz")
    loaded = CohortIndex.load(tmp_path / "index.npz")
    assert (loaded.basis, loaded.currency_year) == ("pay-index", basis.year)
    cells = loaded.select({"role_family": "ml-engineer"})
    for measure in ("total_comp", "base"):
        assert loaded.count(cells, measure) == index.count(
            index.select({"role_family": "ml-engineer"}), measure
        )


def test_companies_are_checked_against_the_list_and_the_data(store: Path) -> None:
    with pytest.raises(InvalidValue, match="Google"):
        bench.benchmark(parse_cohort(role="software-engineer", company="Gogle"), store=store)
    # Gartner is in the data but not in the company list: it is accepted, and with no tier
    # to fall back on the relaxation drops the company altogether.
    cohort = parse_cohort(role="software-engineer", company="Gartner")
    result = bench.benchmark(cohort, store=store, k=5)
    step = next(r for r in result.relaxed if r.step == "company->tier")
    assert "tier unknown" in step.detail and result.applied.company is None
