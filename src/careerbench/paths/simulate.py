"""Careers as distributions: a vectorized Monte Carlo of earnings year by year.

Each path starts at a level of a track and tier. Every year it may be promoted (a yearly chance
of 1 / mean years in level), switch employers (a bump of 20-40% of pay), be laid off (months
without pay, a lower percentile after), or transition to another track; its pay is the level's
market pay at the path's own persistent percentile, grown by merit raises since the last move,
with the equity share of pay earning a random yearly return. Parameters and their sources are in
``career_model.yaml``; market pay by level (P25/P50/P75 -> a log-normal) comes from the store
through the benchmark engine, or from BLS wages for academia.

Money is annual total comp in the store's currency-year dollars (no inflation is simulated).
All randomness is seeded. A path's persistent percentile (where it stands in each level's market,
a stand-in for the person) comes from ``seed``; its events (promotions, switches, layoffs,
returns) from ``event_seed`` (default: ``seed``). A comparison (``--vs``) keeps the person and
draws the other career's events independently, so "the chance that A out-earns B" measures how
much the two distributions overlap for the same person, not a shared streak of luck.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from careerbench.benchmark import PRIVACY_FLOOR, benchmark_on, load_index
from careerbench.cohort import Cohort
from careerbench.cohort_index import CohortIndex
from careerbench.errors import InputError, InvalidValue
from careerbench.knowledge import load_yaml
from careerbench.paths.tracks import resolve_track
from careerbench.reference.bls import bls_wages
from careerbench.schema import Tier

Array = npt.NDArray[np.float64]
Z_CAP = 2.5
MISSING_LEVEL_STEP = 1.25


def model() -> dict[str, Any]:
    """The career model's parameters (``career_model.yaml``), each with its source."""
    document: dict[str, Any] = load_yaml(Path(__file__).with_name("career_model.yaml"))
    return document


@dataclass(frozen=True)
class LevelPay:
    level: str
    mu: float
    sigma: float
    p50: float
    equity_share: float
    n: int
    basis: str


@dataclass(frozen=True)
class Career:
    """What is simulated: a track at a tier and place, from a starting level."""

    track: str
    start_level: str
    tier: str | None = None
    state: str | None = None
    metro: str | None = None
    transition: str | None = None

    def label(self) -> str:
        parts = [self.track, f"from {self.start_level}"]
        if self.tier:
            parts.append(f"at {self.tier}")
        if self.transition:
            parts.append(f"then {self.transition}")
        return " ".join(parts)


@dataclass(frozen=True)
class YearStats:
    year: int
    annual_p10: float
    annual_p50: float
    annual_p90: float
    cumulative_p10: float
    cumulative_p50: float
    cumulative_p90: float
    level_mix: dict[str, float]


@dataclass
class Simulation:
    career: Career
    years: int
    paths: int
    seed: int
    currency_year: int
    pay_table: list[LevelPay]
    by_year: list[YearStats]
    annual: Array
    cumulative: Array
    promotion_raise_p50: float | None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "career": asdict(self.career),
            "years": self.years,
            "paths": self.paths,
            "seed": self.seed,
            "currency": f"USD of {self.currency_year} (CPI-U adjusted), annual total comp",
            "pay_by_level": [asdict(p) for p in self.pay_table],
            "by_year": [asdict(y) for y in self.by_year],
            "promotion_raise_p50": self.promotion_raise_p50,
            "notes": self.notes,
        }


def _lognormal(q25: float, q50: float, q75: float) -> tuple[float, float]:
    sigma = max((np.log(q75) - np.log(q25)) / 1.349, 0.05)
    return float(np.log(q50)), float(sigma)


def pay_table(index: CohortIndex, career: Career, notes: list[str]) -> list[LevelPay]:
    """Market pay by level for a career (relaxing place and tier as the benchmark does)."""
    ladder = list(model()["ladder"])
    track = resolve_track(career.track)
    if track.role_family is None:
        spec = model()["academia"]
        wages = bls_wages(str(spec["bls_soc"]), state=career.state)
        if wages is None or wages.p25 is None or wages.p50 is None or wages.p75 is None:
            raise InputError("track", f"no BLS wages for {spec['bls_soc']}")
        sigma = _lognormal(wages.p25, wages.p50, wages.p75)[1]
        table = []
        for level in ladder:
            key = spec["levels"].get(level, "p75")
            value = float(getattr(wages, key))
            table.append(
                LevelPay(
                    level,
                    float(np.log(value)),
                    sigma / 2,
                    value,
                    0.0,
                    int(wages.employment or 0),
                    f"BLS {spec['bls_soc']} {key}",
                )
            )
        return table
    table = []
    previous: LevelPay | None = None
    for level in ladder:
        cohort = Cohort(
            role=track.role_family,
            level=level,
            tier=career.tier,
            country="US",
            state=career.state,
            metro=career.metro,
        )
        result = benchmark_on(index, cohort)
        q = result.total_comp
        if q is None or result.n < PRIVACY_FLOOR:
            if previous is None:
                raise InputError(
                    "start_level",
                    f"no pay data for {track.id} at {level}; start higher or pick a tier",
                )
            value = previous.p50 * MISSING_LEVEL_STEP
            notes.append(
                f"no data for {track.id} at {level}: assumed "
                f"{MISSING_LEVEL_STEP - 1:.0%} above {previous.level}"
            )
            entry = replace(
                previous, level=level, mu=float(np.log(value)), p50=value, n=0, basis="assumed"
            )
        else:
            mu, sigma = _lognormal(q.p25, q.p50, q.p75)
            equity = result.components.get("equity")
            share = 0.0
            if equity is not None and equity.quantiles is not None and equity.n >= PRIVACY_FLOOR:
                # Typical share among records reporting equity, times the share that report it.
                share = float(min(equity.quantiles.p50 / q.p50, 0.8) * equity.n / result.n)
            relaxed = ", ".join(r.detail for r in result.relaxed if r.n_after != r.n_before)
            if relaxed:
                notes.append(f"{track.id} at {level}: too few data points, relaxed {relaxed}")
            entry = LevelPay(
                level,
                mu,
                sigma,
                q.p50,
                share,
                result.n,
                "data" + (f" (relaxed: {relaxed})" if relaxed else ""),
            )
        table.append(entry)
        previous = entry
    return table


def _years_in_level(track_id: str) -> dict[str, float]:
    spec = model()["years_in_level"]
    values = dict(spec["default"])
    values.update(spec["tracks"].get(track_id, {}).get("values", {}))
    return {k: float(v) for k, v in values.items()}


def run(
    index: CohortIndex,
    career: Career,
    *,
    years: int,
    paths: int,
    seed: int,
    event_seed: int | None = None,
) -> Simulation:
    """Simulate ``paths`` careers for ``years`` years."""
    if not 1 <= years <= 40:
        raise InputError("years", f"{years}: simulate 1 to 40 years")
    if not 100 <= paths <= 1_000_000:
        raise InputError("paths", f"{paths}: use 100 to 1,000,000 paths")
    ladder = list(model()["ladder"])
    if career.start_level not in ladder:
        raise InvalidValue("start_level", career.start_level, ladder)
    notes: list[str] = []
    table = pay_table(index, career, notes)
    transition = _transition(career)
    target_table = pay_table(index, transition["career"], notes) if transition else None
    person = np.random.default_rng([seed, 0]).standard_normal(paths)
    rng = np.random.default_rng([seed if event_seed is None else event_seed, 1])
    annual, level_hist, promo = _simulate(
        career, table, target_table, transition, years, paths, person, rng
    )
    cumulative = np.cumsum(annual, axis=1)
    by_year = []
    for y in range(years):
        a10, a50, a90 = np.percentile(annual[:, y], [10, 50, 90])
        c10, c50, c90 = np.percentile(cumulative[:, y], [10, 50, 90])
        mix = np.bincount(level_hist[:, y], minlength=len(ladder)) / paths
        by_year.append(
            YearStats(
                y + 1,
                float(a10),
                float(a50),
                float(a90),
                float(c10),
                float(c50),
                float(c90),
                {ladder[i]: round(float(m), 4) for i, m in enumerate(mix) if m},
            )
        )
    if promo is not None and not 0.0 <= promo <= 0.5:
        notes.append(
            f"the median raise at promotion ({promo:+.0%}) is far from the published 10-15%: "
            "adjacent levels' pay comes from different data (sources, tiers); pick a --tier "
            "for a like-for-like ladder"
        )
    return Simulation(
        career,
        years,
        paths,
        seed,
        index.currency_year,
        table,
        by_year,
        annual,
        cumulative,
        promo,
        notes,
    )


def _transition(career: Career) -> dict[str, Any] | None:
    if not career.transition:
        return None
    scenarios = model()["scenarios"]
    if career.transition not in scenarios:
        raise InvalidValue("scenario", career.transition, list(scenarios))
    spec = dict(scenarios[career.transition])
    target = Career(
        track=spec.get("to") or career.track,
        start_level=spec.get("level") or career.start_level,
        tier=spec.get("tier", career.tier)
        if spec.get("tier") in {t.value for t in Tier}
        else career.tier,
        state=career.state,
        metro=career.metro,
    )
    resolve_track(target.track)
    spec["career"] = target
    return spec


def _simulate(
    career: Career,
    table: list[LevelPay],
    target_table: list[LevelPay] | None,
    transition: dict[str, Any] | None,
    years: int,
    paths: int,
    person: Array,
    rng: np.random.Generator,
) -> tuple[Array, npt.NDArray[np.int64], float | None]:
    spec = model()
    ladder = list(spec["ladder"])
    academia = resolve_track(career.track).role_family is None
    mu = np.array([p.mu for p in table])
    sigma = np.array([p.sigma for p in table])
    share = np.array([p.equity_share for p in table])
    stay = _years_in_level(career.track)
    promote_p = np.array([1.0 / stay.get(level, 99.0) for level in ladder])
    promote_p[-1] = 0.0
    switch_rate = spec["academia"]["switch_rate"] if academia else spec["job_switch"]["rate"]
    layoff_rate = spec["academia"]["layoff_rate"] if academia else spec["layoff"]["rate"]
    bump_low, bump_high = spec["job_switch"]["bump"]
    months_low, months_high = spec["layoff"]["months_unemployed"]
    eq = spec["equity"]

    level = np.full(paths, ladder.index(career.start_level), dtype=np.int64)
    z = np.clip(person, -Z_CAP, Z_CAP)
    growth = np.ones(paths)
    annual = np.empty((paths, years))
    levels = np.empty((paths, years), dtype=np.int64)
    raises: list[Array] = []
    # All the year-by-year luck, drawn at once: uniforms for promotion, switching, bump size,
    # layoff and months out of work; normals for the merit raise and the equity return.
    uniforms = rng.random((5, years, paths))
    normals = rng.standard_normal((2, years, paths))
    exit_bonus = np.zeros(paths)
    exit_year = np.full(paths, years + 1)
    if transition and transition.get("exit_probability"):
        exits = rng.random(paths) < float(transition["exit_probability"])
        exit_year = rng.integers(int(transition["year"]), years + 1, paths)
        low, high = transition["exit_multiple"]
        exit_bonus = np.where(exits, rng.uniform(low, high, paths), 0.0)
    raise_mean, raise_sd = spec["annual_raise"]["mean"], spec["annual_raise"]["sd"]
    drift = eq["return_mean"] - eq["volatility"] ** 2 / 2
    for y in range(years):
        if transition and target_table is not None and y + 1 == int(transition["year"]):
            mu = np.array([p.mu for p in target_table])
            sigma = np.array([p.sigma for p in target_table])
            share = np.array([p.equity_share for p in target_table])
            if transition.get("level"):
                level[:] = ladder.index(transition["level"])
            growth = np.full(paths, 1.0 + float(transition["change"]))
            target_stay = _years_in_level(transition["career"].track)
            promote_p = np.array([1.0 / target_stay.get(lv, 99.0) for lv in ladder])
            promote_p[-1] = 0.0
        if y > 0:
            promoted = uniforms[0, y] < promote_p[level]
            if promoted.any():
                before = mu[level[promoted]] + sigma[level[promoted]] * z[promoted]
                level[promoted] = np.minimum(level[promoted] + 1, len(ladder) - 1)
                after = mu[level[promoted]] + sigma[level[promoted]] * z[promoted]
                raises.append(np.exp(after - before) / growth[promoted] - 1.0)
            growth *= 1.0 + raise_mean + raise_sd * normals[0, y]
            growth[promoted] = 1.0
            switched = ~promoted & (uniforms[1, y] < switch_rate)
            bump = bump_low + (bump_high - bump_low) * uniforms[2, y, switched]
            z[switched] = np.minimum(z[switched] + np.log1p(bump) / sigma[level[switched]], Z_CAP)
        pay = np.exp(mu[level] + sigma[level] * z) * growth
        equity_part = pay * share[level]
        pay += equity_part * (np.exp(drift + eq["volatility"] * normals[1, y]) - 1.0)
        laid_off = uniforms[3, y] < layoff_rate
        if laid_off.any():
            months = months_low + (months_high - months_low) * uniforms[4, y, laid_off]
            pay[laid_off] *= 1.0 - months / 12.0
            z[laid_off] = np.maximum(z[laid_off] - spec["layoff"]["percentile_drop"], -Z_CAP)
        exiting = exit_year == y + 1
        if exiting.any():
            pay[exiting] += exit_bonus[exiting] * pay[exiting]
        annual[:, y] = pay
        levels[:, y] = level
    promo = float(np.median(np.concatenate(raises))) if raises else None
    return annual, levels, promo


@dataclass(frozen=True)
class Versus:
    a: Simulation
    b: Simulation
    probability_a_ahead: list[float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "probability_a_ahead_by_year": [round(p, 4) for p in self.probability_a_ahead],
        }


def simulate(
    career: Career,
    *,
    years: int = 10,
    paths: int = 10_000,
    seed: int = 0,
    store: Path | str | None = None,
) -> Simulation:
    return run(load_index(store), career, years=years, paths=paths, seed=seed)


def versus(
    a: Career,
    b: Career,
    *,
    years: int = 10,
    paths: int = 10_000,
    seed: int = 0,
    store: Path | str | None = None,
) -> Versus:
    """The same people in two careers; the chance that ``a`` has out-earned ``b`` by each year."""
    index = load_index(store)
    first = run(index, a, years=years, paths=paths, seed=seed)
    second = run(index, b, years=years, paths=paths, seed=seed, event_seed=seed + 1)
    ahead = (first.cumulative > second.cumulative).mean(axis=0)
    return Versus(first, second, [float(p) for p in ahead])
