"""Cohort statistics of one measure, relaxed honestly when a cohort is thin.

A cohort is role family x level x company tier (or company) x place x remote x years of
experience x since-year. A statistic is over one **measure** (``total_comp``, ``base``,
``equity`` or ``bonus``) and counts only the records whose source measures it (an aijobs.net
posting's range is base salary, so it never enters a total-comp statistic: see each source's
``SourceSpec.measures``). Statistics are P10/P25/P50/P75/P90 with the number of data points and
the mix of sources and years behind them, in one year's dollars on one **basis** (the pay index
learned from the data by default, or CPI-U: ``pay_index.Basis``).

Rules:
- **cohort floor** ``k`` (default 20): while fewer than ``k`` records of the measure match,
  filters are relaxed in this fixed order, each step reported: metro -> its state; state ->
  country; years of experience widened by 2 on each side, then dropped; company -> its tier;
  tier -> any; remote -> any; since-year -> any. Role family and level are never relaxed: they
  are the question.
- **privacy floor**: no statistic of fewer than ``PRIVACY_FLOOR`` (5) data points is shown.
- **your pay**: with ``pay`` the result gives its percentile among the cohort's values of the
  same measure (your total comp among total comps, your base among base salaries).
- **population reference**: BLS OEWS May 2025 wages for the closest SOC code and the same area;
  these are base wages of the whole occupation, not of the cohort.

The published rules of thumb that turn a percentile into a verdict are applied where the
answer is reconciled with the pay model (``market.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from careerbench import inflation
from careerbench.claims import Claim, claim
from careerbench.cohort import Cohort, Years, format_years
from careerbench.cohort_index import CohortIndex, MeasureStats, chosen_cells, index_for_store
from careerbench.config import store_path
from careerbench.errors import InputError, InvalidValue
from careerbench.limits import PAY
from careerbench.reference.bls import bls_wages, soc_for_role
from careerbench.schema import RoleFamily
from careerbench.sources import registry
from careerbench.sources.spec import MEASURES
from careerbench.taxonomy import companies

PROBABILITIES = (0.10, 0.25, 0.50, 0.75, 0.90)
PRIVACY_FLOOR = 5
DEFAULT_K = 20
YEARS_WIDEN = 2


@dataclass(frozen=True)
class Relaxation:
    step: str
    detail: str
    n_before: int
    n_after: int


@dataclass(frozen=True)
class Quantiles:
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float

    @classmethod
    def of(cls, stats: MeasureStats, scale: float) -> Quantiles:
        q = [stats.quantiles[p] * scale for p in PROBABILITIES]
        return cls(*q)


@dataclass(frozen=True)
class Evidence:
    """One measure over one cohort: n, quantiles (withheld below the privacy floor), the
    sources and years of its data points, and where a pay figure stands among them."""

    measure: str
    n: int
    method: str
    quantiles: Quantiles | None
    sources: dict[str, int]
    years: dict[str, int]
    percentile: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "n": self.n,
            "method": self.method,
            "quantiles": None if self.quantiles is None else _flat(self.quantiles),
            "sources": self.sources,
            "years": self.years,
            "percentile": self.percentile,
        }

    @property
    def span(self) -> str:
        """The data years as a span: "2020-2025"."""
        if not self.years:
            return "-"
        first, last = min(self.years), max(self.years)
        return first if first == last else f"{first}-{last}"


@dataclass(frozen=True)
class Verdict:
    label: str
    text: str
    rule: Claim

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "text": self.text, "rule": self.rule.to_dict()}


@dataclass(frozen=True)
class BlsReference:
    soc: str
    soc_title: str
    area: str
    area_type: str
    p10: float | None
    p25: float | None
    p50: float | None
    p75: float | None
    p90: float | None
    mean: float | None
    label: str = "BLS OEWS May 2025: base wages of the whole occupation, all employers"


@dataclass(frozen=True)
class BenchmarkResult:
    """A cohort's statistics for ``measure`` (relaxed for it), and every measure over the cohort
    that was applied, all in ``basis`` dollars of ``currency_year``."""

    requested: Cohort
    applied: Cohort
    measure: str
    k: int
    relaxed: list[Relaxation]
    currency_year: int
    basis: str
    measures: dict[str, Evidence]
    pay: float | None = None
    bls: BlsReference | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def evidence(self) -> Evidence:
        return self.measures[self.measure]

    @property
    def n(self) -> int:
        return self.evidence.n

    @property
    def quantiles(self) -> Quantiles | None:
        return self.evidence.quantiles

    @property
    def percentile(self) -> float | None:
        return self.evidence.percentile

    @property
    def sources(self) -> dict[str, int]:
        return self.evidence.sources

    @property
    def years(self) -> dict[str, int]:
        return self.evidence.years

    @property
    def was_relaxed(self) -> bool:
        return any(r.n_after != r.n_before for r in self.relaxed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "n": self.n,
            "k": self.k,
            "filters": self.applied.to_dict(),
            "requested": self.requested.to_dict(),
            "relaxed": [_flat(r) for r in self.relaxed],
            "currency_year": self.currency_year,
            "basis": self.basis,
            "quantiles": None if self.quantiles is None else _flat(self.quantiles),
            "sources": self.sources,
            "years": self.years,
            "measures": {name: e.to_dict() for name, e in self.measures.items()},
            "pay": self.pay,
            "percentile": self.percentile,
            "bls": None if self.bls is None else _flat(self.bls),
            "notes": self.notes,
        }


def _flat(value: Relaxation | Quantiles | BlsReference) -> dict[str, Any]:
    """``asdict`` of a dataclass whose fields are all plain values, without its deep copy."""
    return {f.name: getattr(value, f.name) for f in fields(value)}


# ---- relaxation ------------------------------------------------------------------------
def _relaxations(cohort: Cohort) -> list[tuple[str, str, Cohort]]:
    """The fixed sequence of relaxed cohorts, each with its step name and a description."""
    steps: list[tuple[str, str, Cohort]] = []
    current = cohort
    if current.metro:
        state = current.place_state
        current = replace(current, metro=None, metro_name=None, state=state)
        steps.append(
            ("metro->state", f"metro {cohort.metro_name or cohort.metro} -> state {state}", current)
        )
    if current.state:
        before = current.state
        current = replace(current, state=None)
        steps.append(("state->country", f"state {before} -> country {current.country}", current))
    if current.years is not None:
        low, high = current.years
        wider: Years = (
            None if low is None else max(0, low - YEARS_WIDEN),
            None if high is None else high + YEARS_WIDEN,
        )
        current = replace(current, years=wider)
        steps.append(
            (
                "widen-years",
                f"years {format_years((low, high))} -> {format_years(wider)}",
                current,
            )
        )
        current = replace(current, years=None)
        steps.append(("drop-years", "years of experience -> any", current))
    if current.company:
        company = current.company
        tier = current.tier or current.company_tier
        if tier is None:
            current = replace(current, company=None, tier=None)
            steps.append(("company->tier", f"company {company} (tier unknown) -> any", current))
        else:
            current = replace(current, company=None, tier=tier)
            steps.append(("company->tier", f"company {company} -> tier {tier}", current))
    if current.tier:
        before_tier = current.tier
        current = replace(current, tier=None)
        steps.append(("tier->any", f"tier {before_tier} -> any", current))
    if current.remote:
        before_remote = current.remote
        current = replace(current, remote=None)
        steps.append(("remote->any", f"remote {before_remote} -> any", current))
    if current.since is not None:
        before_since = current.since
        current = replace(current, since=None)
        steps.append(("since->any", f"since {before_since} -> any year", current))
    return steps


# ---- verdict and reference ------------------------------------------------------------
MEASURE_WORDS = {
    "total_comp": "total comp",
    "base": "base salary",
    "equity": "equity a year",
    "bonus": "bonus",
}


def verdict_for(pay: float, quantiles: Quantiles) -> Verdict:
    """Apply the published rules of thumb to a pay figure and the cohort's quantiles."""
    gap = pay / quantiles.p50 - 1.0
    if gap < -0.20:
        return Verdict(
            "well-below-market",
            f"{-gap:.0%} below the market median: by the rule of thumb, switching likely pays "
            "unless your employer closes the gap within a year.",
            claim("switch-20-below"),
        )
    if pay < quantiles.p50:
        return Verdict(
            "below-market",
            f"{-gap:.0%} below the market median: likely underpaid relative to the market.",
            claim("below-p50-underpaid"),
        )
    if pay < quantiles.p75:
        return Verdict(
            "at-market",
            "between the market median and P75: paid at market.",
            claim("pull-data-points"),
        )
    return Verdict(
        "above-market",
        "at or above the market's P75: paid well for this profile.",
        claim("pull-data-points"),
    )


@lru_cache(maxsize=1024)
def bls_reference(cohort: Cohort) -> BlsReference | None:
    """BLS OEWS wages for the cohort's closest SOC code and area (US cohorts only).

    A function of the cohort and the vendored extract only, so remembered (the result is
    immutable).
    """
    if cohort.country not in (None, "US"):
        return None
    soc = soc_for_role(cohort.role or RoleFamily.SOFTWARE_ENGINEER.value)
    wages = bls_wages(soc, metro_code=cohort.metro, state=cohort.state)
    if wages is None:
        return None
    return BlsReference(
        soc=wages.soc,
        soc_title=wages.soc_title,
        area=wages.area_name,
        area_type=wages.area_type,
        p10=wages.p10,
        p25=wages.p25,
        p50=wages.p50,
        p75=wages.p75,
        p90=wages.p90,
        mean=wages.mean,
    )


# ---- cohorts without relaxation --------------------------------------------------------
def load_index(store: Path | str | None = None, basis: str = "pay-index") -> CohortIndex:
    """The cohort index of a store on ``basis`` (in the basis's default year's dollars)."""
    return index_for_store(store_path(store), basis)


def scale_to(index: CohortIndex, year: int | None) -> tuple[int, float]:
    """The answer year (default: the index's) and the factor from the index's dollars to it."""
    if year is None or year == index.currency_year:
        return index.currency_year, 1.0
    if not 2000 <= year <= 2100:
        raise InputError("year", f"{year} is not a year; give a year from 2000 to 2100")
    if index.basis == "cpi":
        return year, inflation.factor(index.currency_year, inflation.check_year(year, "year"))
    return year, index_pay_factor(index, year)


def index_pay_factor(index: CohortIndex, year: int) -> float:
    """The pay-index factor from the index's year to ``year`` (the index knows its store)."""
    held = index.pay_index
    if held is None:
        raise InputError("year", "this index has no pay index to move its dollars with")
    return held.factor(index.currency_year, year)


def evidence(
    index: CohortIndex,
    cells: Any,
    measure: str,
    *,
    scale: float = 1.0,
    pay: float | None = None,
    rows: Any = None,
) -> Evidence:
    """``measure`` over the selected cells (quantiles withheld below the privacy floor)."""
    stats = index.stats(
        cells, measure, PROBABILITIES, pay=None if pay is None else pay / scale, rows=rows
    )
    shown = stats.n >= PRIVACY_FLOOR
    return Evidence(
        measure,
        stats.n,
        stats.method,
        Quantiles.of(stats, scale) if shown and stats.n else None,
        index.breakdown(cells, "source", measure) if stats.n else {},
        index.breakdown(cells, "observed_year", measure) if stats.n else {},
        None if not shown or stats.percentile is None else round(stats.percentile, 1),
    )


def describe_cohort(
    index: CohortIndex, cohort: Cohort, measure: str, *, sources: Sequence[str] | None = None
) -> Evidence:
    """``measure`` over the exact cohort (no relaxation), in the index's dollars."""
    return evidence(index, index.select(filters(cohort, sources)), measure)


# ---- the benchmark ---------------------------------------------------------------------
def _check_company(index: CohortIndex, company: str | None) -> None:
    """A company must be listed (it may have no data points: its tier answers) or in the data."""
    if company is None or index.code("company", company) >= 0:
        return
    if companies.lookup(company) is not None:
        return
    raise InvalidValue(
        "company",
        company,
        set(companies.known_companies()) | set(index.dictionaries["company"]),
        hint="(or choose a company tier instead)",
    )


def check_pay(name: str, value: float | None) -> None:
    if value is not None and not PAY.contains(value):
        raise InputError(name, PAY.problem(value))


def check_measure(measure: str) -> str:
    if measure not in MEASURES:
        raise InvalidValue("measure", measure, MEASURES)
    return measure


def benchmark(
    cohort: Cohort,
    *,
    measure: str = "total_comp",
    store: Path | str | None = None,
    pay: float | None = None,
    k: int = DEFAULT_K,
    year: int | None = None,
    basis: str = "pay-index",
) -> BenchmarkResult:
    """Statistics of ``measure`` in ``cohort`` (relaxed while thinner than ``k``), and where
    ``pay`` (of the same measure) stands."""
    if k < PRIVACY_FLOOR:
        raise InputError("k", f"the cohort floor must be at least {PRIVACY_FLOOR} (privacy floor)")
    check_pay(measure, pay)
    index = index_for_store(store_path(store), basis)
    return benchmark_on(index, cohort, measure=measure, pay=pay, k=k, year=year)


def filters(cohort: Cohort, sources: Sequence[str] | None = None) -> dict[str, object]:
    """The cohort's index filters, restricted to ``sources`` when given."""
    out = cohort.index_filters()
    if sources is not None:
        out["source"] = list(sources)
    return out


def relax(
    index: CohortIndex,
    cohort: Cohort,
    measure: str,
    k: int,
    sources: Sequence[str] | None = None,
) -> tuple[Cohort, Any, list[Relaxation]]:
    """The cohort relaxed for ``measure`` until it has ``k`` data points (or nothing is left to
    relax): the applied cohort, its cells and the steps taken."""
    applied = cohort
    cells = index.select(filters(cohort, sources))
    n = index.count(cells, measure)
    relaxed: list[Relaxation] = []
    for step, detail, candidate in _relaxations(cohort):
        if n >= k:
            break
        candidate_cells = index.select(filters(candidate, sources))
        n_after = index.count(candidate_cells, measure)
        relaxed.append(Relaxation(step, detail, n, n_after))
        applied, cells, n = candidate, candidate_cells, n_after
    return applied, cells, relaxed


def benchmark_on(
    index: CohortIndex,
    cohort: Cohort,
    *,
    measure: str = "total_comp",
    pay: float | None = None,
    k: int = DEFAULT_K,
    year: int | None = None,
    sources: Sequence[str] | None = None,
) -> BenchmarkResult:
    """``benchmark`` on an index already in memory (of ``sources`` only, when given)."""
    check_measure(measure)
    answer_year, scale = scale_to(index, year)
    _check_company(index, cohort.company)
    applied, cells, relaxed = relax(index, cohort, measure, k, sources)
    chosen = chosen_cells(cells)  # positions: cheaper than the mask for every use below
    rows = index.rows(chosen)
    measures = {
        name: evidence(
            index, chosen, name, scale=scale, pay=pay if name == measure else None, rows=rows
        )
        for name in MEASURES
    }
    n = measures[measure].n
    notes: list[str] = []
    words = MEASURE_WORDS[measure]
    if n < PRIVACY_FLOOR:
        missing = [
            spec.title
            for name in index.breakdown(chosen, "source")
            if measure not in (spec := registry.spec(name)).measures
        ]
        notes.append(
            f"only {n} {words} data point(s) even after relaxing: statistics are withheld "
            f"below {PRIVACY_FLOOR} (privacy floor)"
            + (f"; {', '.join(missing)} data do not measure {words}" if missing else "")
        )
    elif n < k:
        notes.append(
            f"thin cohort: {n} {words} data points, below the floor of {k} even after relaxing"
        )
    for name in measures[measure].sources:
        spec = registry.spec(name)
        if spec.measures != frozenset(MEASURES):
            notes.append(f"{spec.title} data points are {spec.pay_note}")
    return BenchmarkResult(
        requested=cohort,
        applied=applied,
        measure=measure,
        k=k,
        relaxed=relaxed,
        currency_year=answer_year,
        basis=basis_label(index, answer_year),
        measures=measures,
        pay=pay,
        bls=bls_reference(cohort),
        notes=notes,
    )


def basis_label(index: CohortIndex, year: int) -> str:
    """How the index's dollars were made comparable, for every figure: "USD of 2025 (pay
    index)" or "USD of 2025 (CPI-U)"."""
    if index.basis == "cpi":
        return f"USD of {year} (CPI-U)"
    held = index.pay_index
    projected = held is not None and held.projected(year)
    return f"USD of {year} (pay index{', projected' if projected else ''})"
