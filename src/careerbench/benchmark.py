"""Where does a figure stand? Cohort pay statistics, relaxed honestly when a cohort is thin.

A cohort is role family x level x company tier (or company) x place x remote x years of
experience x since-year. Statistics are P10/P25/P50/P75/P90 of total comp (and of base, equity
and bonus where the cohort reports them) in ``currency_year`` dollars (CPI-U; default: the latest
CPI year), with the number of data points and the mix of sources and years behind them.

Rules:
- **cohort floor** ``k`` (default 20): while fewer than ``k`` records match, filters are relaxed
  in this fixed order, each step reported: metro -> its state; state -> country; years of
  experience widened by 2 on each side, then dropped; company -> its tier; tier -> any; remote ->
  any; since-year -> any. Role family and level are never relaxed: they are the question.
- **privacy floor**: no statistic of fewer than ``PRIVACY_FLOOR`` (5) data points is shown.
- **your pay**: with ``tc`` (or ``base``) the result gives its percentile in the cohort and a
  verdict applying published rules of thumb, each cited.
- **population reference**: BLS OEWS May 2025 wages for the closest SOC code and the same area;
  these are base wages of the whole occupation, not of the cohort.
"""

from __future__ import annotations

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
class Component:
    n: int
    method: str
    quantiles: Quantiles | None


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
    requested: Cohort
    applied: Cohort
    n: int
    k: int
    relaxed: list[Relaxation]
    currency_year: int
    method: str
    total_comp: Quantiles | None
    components: dict[str, Component]
    sources: dict[str, int]
    years: dict[str, int]
    pay: float | None = None
    pay_measure: str | None = None
    percentile: float | None = None
    verdict: Verdict | None = None
    bls: BlsReference | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return self.total_comp is None

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON document of ``careerbench benchmark --json``."""
        return {
            "n": self.n,
            "k": self.k,
            "filters": self.applied.to_dict(),
            "requested": self.requested.to_dict(),
            "relaxed": [_flat(r) for r in self.relaxed],
            "currency_year": self.currency_year,
            "currency": f"USD of {self.currency_year} (CPI-U adjusted)",
            "method": self.method,
            "suppressed": self.suppressed,
            "total_comp": None if self.total_comp is None else _flat(self.total_comp),
            "components": {
                name: {"n": c.n, "method": c.method}
                | ({} if c.quantiles is None else _flat(c.quantiles))
                for name, c in self.components.items()
            },
            "sources": self.sources,
            "years": self.years,
            "pay": self.pay,
            "pay_measure": self.pay_measure,
            "percentile": self.percentile,
            "verdict": None if self.verdict is None else self.verdict.to_dict(),
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
def verdict_for(pay: float, quantiles: Quantiles) -> Verdict:
    """Apply the published rules of thumb to a pay figure and the cohort's quantiles."""
    gap = pay / quantiles.p50 - 1.0
    if gap < -0.20:
        return Verdict(
            "well-below-market",
            f"{-gap:.0%} below the cohort median: by the rule of thumb, switching likely pays "
            "unless your employer closes the gap within a year.",
            claim("switch-20-below"),
        )
    if pay < quantiles.p50:
        return Verdict(
            "below-market",
            f"{-gap:.0%} below the cohort median: likely underpaid relative to the market.",
            claim("below-p50-underpaid"),
        )
    if pay < quantiles.p75:
        return Verdict(
            "at-market",
            "between the cohort median and P75: paid at market.",
            claim("pull-data-points"),
        )
    return Verdict(
        "above-market",
        "at or above the cohort's P75: paid well for this cohort.",
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
def load_index(store: Path | str | None = None) -> CohortIndex:
    """The cohort index of a store (in ``inflation.latest_year()`` dollars)."""
    return index_for_store(store_path(store), inflation.latest_year())


def describe_cohort(
    index: CohortIndex, cohort: Cohort, *, source: str | None = None
) -> tuple[int, Quantiles | None]:
    """n and total-comp quantiles of the exact cohort; quantiles withheld below the floor."""
    cells = index.select(cohort.index_filters() | {"source": source})
    stats = index.stats(cells, "total_comp", PROBABILITIES)
    if stats.n < PRIVACY_FLOOR:
        return stats.n, None
    return stats.n, Quantiles.of(stats, 1.0)


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


def benchmark(
    cohort: Cohort,
    *,
    store: Path | str | None = None,
    tc: float | None = None,
    base: float | None = None,
    k: int = DEFAULT_K,
    currency_year: int | None = None,
) -> BenchmarkResult:
    """Statistics of ``cohort`` (relaxed while thinner than ``k``), and of your pay if given."""
    if k < PRIVACY_FLOOR:
        raise InputError("k", f"the cohort floor must be at least {PRIVACY_FLOOR} (privacy floor)")
    for name, value in (("tc", tc), ("base", base)):
        if value is not None and not 0 < value < 1e9:
            raise InputError(name, f"{value} is not an annual pay in dollars")
    year = inflation.check_year(currency_year or inflation.latest_year())
    index = index_for_store(store_path(store), inflation.latest_year())
    return benchmark_on(index, cohort, tc=tc, base=base, k=k, currency_year=year)


def benchmark_on(
    index: CohortIndex,
    cohort: Cohort,
    *,
    tc: float | None = None,
    base: float | None = None,
    k: int = DEFAULT_K,
    currency_year: int | None = None,
) -> BenchmarkResult:
    """``benchmark`` on an index already in memory."""
    year = currency_year or index.currency_year
    scale = inflation.factor(index.currency_year, year)
    _check_company(index, cohort.company)
    applied = cohort
    cells = index.select(cohort.index_filters())
    n = index.count(cells)
    relaxed: list[Relaxation] = []
    for step, detail, candidate in _relaxations(cohort):
        if n >= k:
            break
        candidate_cells = index.select(candidate.index_filters())
        n_after = index.count(candidate_cells)
        relaxed.append(Relaxation(step, detail, n, n_after))
        applied, cells, n = candidate, candidate_cells, n_after
    notes: list[str] = []
    pay_measure = "total_comp" if tc is not None else ("base" if base is not None else None)
    pay = tc if tc is not None else base
    if n < PRIVACY_FLOOR:
        notes.append(
            f"only {n} data point(s) even after relaxing: statistics are withheld below "
            f"{PRIVACY_FLOOR} (privacy floor)"
        )
        return BenchmarkResult(
            cohort, applied, n, k, relaxed, year, "none", None, {}, {}, {}, pay, pay_measure,
            notes=notes, bls=bls_reference(cohort),
        )  # fmt: skip
    if n < k:
        notes.append(f"thin cohort: {n} data points, below the floor of {k} even after relaxing")
    pay_in_index_dollars = None if pay is None else pay / scale
    chosen = chosen_cells(cells)  # positions: cheaper than the mask for every use below
    rows = index.rows(chosen)
    total = index.stats(
        chosen,
        "total_comp",
        PROBABILITIES,
        pay=pay_in_index_dollars if pay_measure == "total_comp" else None,
        rows=rows,
    )
    components: dict[str, Component] = {}
    percentile = total.percentile
    for measure in ("base", "equity", "bonus"):
        stats = index.stats(
            chosen,
            measure,
            PROBABILITIES,
            pay=pay_in_index_dollars if pay_measure == measure else None,
            rows=rows,
        )
        shown = stats.n >= PRIVACY_FLOOR
        components[measure] = Component(
            stats.n, stats.method, Quantiles.of(stats, scale) if shown else None
        )
        if pay_measure == measure:
            percentile = stats.percentile if shown else None
    quantiles = Quantiles.of(total, scale)
    reference = quantiles if pay_measure != "base" else components["base"].quantiles
    verdict = verdict_for(pay, reference) if pay is not None and reference is not None else None
    if any(r.n_after != r.n_before for r in relaxed):
        notes.append("the cohort was relaxed: see 'relaxed' for each step and its count")
    sources = index.breakdown(chosen, "source")
    for name in sources:
        spec = registry.spec(name)
        if spec.measures != frozenset(MEASURES):
            notes.append(f"{spec.title} data points are {spec.pay_note}")
    return BenchmarkResult(
        requested=cohort,
        applied=applied,
        n=n,
        k=k,
        relaxed=relaxed,
        currency_year=year,
        method=total.method,
        total_comp=quantiles,
        components=components,
        sources=sources,
        years=index.breakdown(chosen, "observed_year"),
        pay=pay,
        pay_measure=pay_measure,
        percentile=None if percentile is None else round(percentile, 1),
        verdict=verdict,
        bls=bls_reference(cohort),
        notes=notes,
    )
