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

import re
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

from careerbench import inflation
from careerbench.citations import Claim, claim
from careerbench.cohort_index import CohortIndex, MeasureStats, chosen_cells, index_for_store
from careerbench.config import store_path
from careerbench.errors import InputError, InvalidValue
from careerbench.schema import Remote, RoleFamily, Tier

PROBABILITIES = (0.10, 0.25, 0.50, 0.75, 0.90)
PRIVACY_FLOOR = 5
DEFAULT_K = 20
YEARS_WIDEN = 2


@dataclass(frozen=True)
class Cohort:
    """The filters of a cohort, as canonical values (``None``: any)."""

    role: str | None = None
    level: str | None = None
    tier: str | None = None
    company: str | None = None
    country: str | None = None
    state: str | None = None
    metro: str | None = None
    metro_name: str | None = None
    remote: str | None = None
    years: tuple[int | None, int | None] | None = None
    since: int | None = None

    def index_filters(self) -> dict[str, object]:
        return {
            "role_family": self.role,
            "level": self.level,
            "tier": self.tier,
            "company": self.company,
            "country": self.country,
            "state": self.state,
            "metro_code": self.metro,
            "remote": self.remote,
            "years_bucket": self.years,
            "observed_year": None if self.since is None else (self.since, None),
        }

    def to_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in _COHORT_FIELDS}
        out["years"] = None if self.years is None else list(self.years)
        return {k: v for k, v in out.items() if v is not None}


_COHORT_FIELDS = tuple(f.name for f in fields(Cohort))


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


# ---- parsing user input ----------------------------------------------------------------
def parse_years(text: str | None) -> tuple[int | None, int | None] | None:
    """'3-5', '3-', '-5' or '4' -> an inclusive range of whole years of experience."""
    if text is None or str(text).strip() == "":
        return None
    match = re.fullmatch(r"\s*(\d+)?\s*(-)?\s*(\d+)?\s*", str(text))
    if not match or not (match.group(1) or match.group(3)):
        raise InputError("years", f"{text!r} is not a range; write MIN-MAX such as 3-5, 3- or -5")
    low = int(match.group(1)) if match.group(1) else None
    high = int(match.group(3)) if match.group(3) else None
    if not match.group(2):
        high = low
    if low is not None and high is not None and low > high:
        raise InputError("years", f"{text!r}: the minimum is above the maximum")
    return (low, high)


def _enum_value(field_name: str, text: str | None, enum: type[Enum]) -> str | None:
    if text is None:
        return None
    value = str(text).strip().lower()
    valid = _enum_values(enum)
    if value not in valid:
        raise InvalidValue(field_name, text, list(valid))
    return value


@lru_cache(maxsize=16)
def _enum_values(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(str(member.value) for member in enum)


def parse_cohort(
    *,
    role: str | None = None,
    level: str | None = None,
    tier: str | None = None,
    company: str | None = None,
    country: str | None = None,
    state: str | None = None,
    metro: str | None = None,
    remote: str | None = None,
    years: str | None = None,
    since: int | None = None,
) -> Cohort:
    """A cohort from user input; unknown values raise ``InvalidValue`` with the closest ones."""
    return _parse_cohort(role, level, tier, company, country, state, metro, remote, years, since)


@lru_cache(maxsize=4096)
def _parse_cohort(
    role: str | None,
    level: str | None,
    tier: str | None,
    company: str | None,
    country: str | None,
    state: str | None,
    metro: str | None,
    remote: str | None,
    years: str | None,
    since: int | None,
) -> Cohort:
    """``parse_cohort``, remembered: a pure function of its text (errors are not remembered)."""
    from careerbench.taxonomy import companies, places

    role_value = _enum_value("role", role, RoleFamily)
    level_value = None
    if level is not None:
        from careerbench.taxonomy.levels import resolve_level

        level_value = resolve_level(level).value
    tier_value = _enum_value("tier", tier, Tier)
    company_value = None
    if company is not None:
        # Listed companies are matched by alias; others are checked against the data itself.
        found = companies.normalize_company(company)
        company_value = found.name if found else None
    country_value = places.resolve_country(country) if country else None
    state_value = places.resolve_state(state) if state else None
    metro_code = metro_name = None
    if metro:
        metro_code, metro_name = places.resolve_metro(metro)
    if (state_value or metro_code) and country_value is None:
        country_value = "US"
    if since is not None and not 2000 <= since <= 2100:
        raise InputError("since", f"{since} is not a year; give a year such as 2024")
    return Cohort(
        role=role_value,
        level=level_value,
        tier=tier_value,
        company=company_value,
        country=country_value,
        state=state_value,
        metro=metro_code,
        metro_name=metro_name,
        remote=_enum_value("remote", remote, Remote),
        years=parse_years(years),
        since=since,
    )


# ---- relaxation ------------------------------------------------------------------------
def metro_state(cohort: Cohort) -> str | None:
    if cohort.state:
        return cohort.state
    match = re.search(r",\s*([A-Z]{2})", cohort.metro_name or "")
    return match.group(1) if match else None


def _relaxations(cohort: Cohort) -> list[tuple[str, str, Cohort]]:
    """The fixed sequence of relaxed cohorts, each with its step name and a description."""
    steps: list[tuple[str, str, Cohort]] = []
    current = cohort
    if current.metro:
        state = metro_state(current)
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
        wider = (
            None if low is None else max(0, low - YEARS_WIDEN),
            None if high is None else high + YEARS_WIDEN,
        )
        current = replace(current, years=wider)
        steps.append(
            ("widen-years", f"years {_fmt_years(low, high)} -> {_fmt_years(*wider)}", current)
        )
        current = replace(current, years=None)
        steps.append(("drop-years", "years of experience -> any", current))
    if current.company:
        from careerbench.taxonomy.companies import normalize_company

        company = current.company
        found = normalize_company(company)
        tier = current.tier or (found.tier.value if found else Tier.UNKNOWN.value)
        if tier == Tier.UNKNOWN.value:
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


def _fmt_years(low: int | None, high: int | None) -> str:
    return f"{'' if low is None else low}-{'' if high is None else high}"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st, ..."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


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
    from careerbench.reference.bls import bls_wages, soc_for_role

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


def cohort_values(index: CohortIndex, cohort: Cohort, measure: str = "total_comp") -> Any:
    """Every value of ``measure`` in the exact cohort (no relaxation), index-year dollars."""
    return index.values(index.select(cohort.index_filters()), measure)


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
    if cohort.company is not None and index.code("company", cohort.company) < 0:
        from careerbench.taxonomy.companies import known_companies

        raise InvalidValue(
            "company",
            cohort.company,
            set(known_companies()) | set(index.dictionaries["company"]),
            hint="(or filter by --tier instead)",
        )
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
    if "aijobs" in sources:
        notes.append(
            "aijobs.net data points are posted salary ranges (their midpoints): base salary, "
            "no equity or bonus"
        )
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
