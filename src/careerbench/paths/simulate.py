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

from careerbench.benchmark import MEASURE_WORDS, basis_label, load_index, scale_to
from careerbench.cohort import Cohort
from careerbench.cohort_index import CohortIndex
from careerbench.errors import InputError, InvalidValue
from careerbench.estimate import trained_model
from careerbench.formatting import usd
from careerbench.knowledge import load_yaml
from careerbench.market import EXACT, MarketAnswer, answer_on, like_for_like
from careerbench.paths.tracks import resolve_track
from careerbench.pay_model import PayModel
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

    def mostly_at(self) -> str:
        """The level most paths are at this year, with its share."""
        top = max(self.level_mix, key=lambda k: self.level_mix[k])
        return f"{top} {self.level_mix[top]:.0%}"

    def row(self) -> list[str]:
        """This year as text, in the order of ``YEAR_COLUMNS``."""
        return [
            str(self.year),
            *(
                usd(v)
                for v in (
                    self.annual_p10,
                    self.annual_p50,
                    self.annual_p90,
                    self.cumulative_p10,
                    self.cumulative_p50,
                    self.cumulative_p90,
                )
            ),
            self.mostly_at(),
        ]


# The columns of a simulation's year-by-year table, on every face.
YEAR_COLUMNS = (
    "year",
    "annual P10",
    "annual P50",
    "annual P90",
    "cumulative P10",
    "cumulative P50",
    "cumulative P90",
    "mostly at",
)


@dataclass
class Simulation:
    career: Career
    years: int
    paths: int
    seed: int
    currency_year: int
    measure: str
    basis: str
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
            "measure": self.measure,
            "currency": f"{self.basis}, annual {MEASURE_WORDS[self.measure]}",
            "pay_by_level": [asdict(p) for p in self.pay_table],
            "by_year": [asdict(y) for y in self.by_year],
            "promotion_raise_p50": self.promotion_raise_p50,
            "notes": self.notes,
        }


def _lognormal(q25: float, q50: float, q75: float) -> tuple[float, float]:
    sigma = max((np.log(q75) - np.log(q25)) / 1.349, 0.05)
    return float(np.log(q50)), float(sigma)


def _profile(career: Career, level: str, role: str) -> Cohort:
    return Cohort(
        role=role, level=level, tier=career.tier, country="US", state=career.state,
        metro=career.metro,
    )  # fmt: skip


def _bls_table(career: Career) -> list[LevelPay]:
    """Academia: BLS wages placed on the ladder (BLS does not split professors by rank)."""
    spec = model()["academia"]
    wages = bls_wages(str(spec["bls_soc"]), state=career.state)
    if wages is None or wages.p25 is None or wages.p50 is None or wages.p75 is None:
        raise InputError("track", f"no BLS wages for {spec['bls_soc']}")
    sigma = _lognormal(wages.p25, wages.p50, wages.p75)[1]
    table = []
    for level in model()["ladder"]:
        key = spec["levels"].get(level, "p75")
        value = float(getattr(wages, key))
        table.append(
            LevelPay(
                level, float(np.log(value)), sigma / 2, value, 0.0,
                int(wages.employment or 0), f"BLS {spec['bls_soc']} {key}",
            )
        )  # fmt: skip
    return table


def market_levels(
    index: CohortIndex,
    career: Career,
    measure: str,
    pay_model: PayModel | None,
    others: Career | None = None,
) -> dict[str, MarketAnswer | None]:
    """The market's answer at each level of the ladder for ``career`` (``None`` where none);
    with ``others``, answers compared like for like with the other career's at each level."""
    track = resolve_track(career.track)
    out: dict[str, MarketAnswer | None] = {}
    for level in model()["ladder"]:
        mine = _profile(career, level, str(track.role_family))
        if others is None:
            answer = answer_on(index, mine, measure=measure, model=pay_model)
            out[level] = answer if answer.quantiles is not None else None
            continue
        theirs_track = resolve_track(others.track)
        theirs = _profile(others, level, str(theirs_track.role_family))
        sides = like_for_like(index, [mine, theirs], measures=(measure,), model=pay_model)
        out[level] = sides.answers[0] if sides.comparable else None
    return out


def pay_table(
    answers: dict[str, MarketAnswer | None], career: Career, notes: list[str]
) -> list[LevelPay]:
    """Market pay by level for a career, from the market's answers (log-normal through P25,
    P50 and P75); a level without an answer is assumed ``MISSING_LEVEL_STEP`` above the one
    below it, and the notes say so."""
    track = resolve_track(career.track)
    table: list[LevelPay] = []
    previous: LevelPay | None = None
    ladder = list(answers)
    below: list[str] = []  # levels without data before the first level with data
    for level, answer in answers.items():
        if answer is None or answer.quantiles is None:
            if previous is None:
                below.append(level)
                continue
            value = previous.p50 * MISSING_LEVEL_STEP
            notes.append(
                f"no data for {track.id} at {level}: assumed "
                f"{MISSING_LEVEL_STEP - 1:.0%} above {previous.level}"
            )
            entry = replace(
                previous, level=level, mu=float(np.log(value)), p50=value, n=0, basis="assumed"
            )
        else:
            q = answer.quantiles
            mu, sigma = _lognormal(q.p25, q.p50, q.p75)
            share = 0.0
            if answer.measure == "total_comp":
                equity = answer.relaxed.measures.get("equity")
                if equity is not None and equity.quantiles is not None and answer.relaxed.n:
                    # Typical share among records reporting equity, times the share that do.
                    share = float(
                        min(equity.quantiles.p50 / q.p50, 0.8) * equity.n / answer.relaxed.n
                    )
            if answer.answered_by != EXACT:
                notes.append(f"{track.id} at {level}: {answer.evidence_text()}")
            entry = LevelPay(level, mu, sigma, q.p50, share, answer.n_behind(), answer.answered_by)
        if previous is None and below:
            # Levels below the first with data: placeholders under it; those the career can
            # reach (the start level and up) are said in the notes.
            for steps, lower in enumerate(reversed(below), start=1):
                value = entry.p50 / MISSING_LEVEL_STEP**steps
                if ladder.index(lower) >= ladder.index(career.start_level):
                    notes.append(
                        f"no data for {track.id} at {lower}: assumed "
                        f"{1 - 1 / MISSING_LEVEL_STEP**steps:.0%} below {level}"
                    )
                table.insert(
                    0,
                    replace(
                        entry, level=lower, mu=float(np.log(value)), p50=value, n=0,
                        basis="assumed",
                    ),
                )  # fmt: skip
        table.append(entry)
        previous = entry
    if previous is None:
        raise InputError(
            "start_level", f"no pay data for {track.id} at any level; pick another tier or place"
        )
    return table


def _years_in_level(track_id: str) -> dict[str, float]:
    spec = model()["years_in_level"]
    values = dict(spec["default"])
    values.update(spec["tracks"].get(track_id, {}).get("values", {}))
    return {k: float(v) for k, v in values.items()}


def choose_measure(index: CohortIndex, careers: list[Career], pay_model: PayModel | None) -> str:
    """Total comp when the market answers it at every level of every career (so careers are
    simulated on the same measure), else base salary."""
    for measure in ("total_comp", "base"):
        industry = [c for c in careers if resolve_track(c.track).role_family is not None]
        if all(
            all(a is not None for a in market_levels(index, c, measure, pay_model).values())
            for c in industry
        ):
            return measure
    return "base"


def run(
    index: CohortIndex,
    career: Career,
    *,
    years: int,
    paths: int,
    seed: int,
    event_seed: int | None = None,
    measure: str | None = None,
    pay_model: PayModel | None = None,
    versus_career: Career | None = None,
) -> Simulation:
    """Simulate ``paths`` careers for ``years`` years, on market pay of ``measure`` (default:
    ``choose_measure``); with ``versus_career``, pay by level compared like for like with it."""
    if not 1 <= years <= 40:
        raise InputError("years", f"{years}: simulate 1 to 40 years")
    if not 100 <= paths <= 1_000_000:
        raise InputError("paths", f"{paths}: use 100 to 1,000,000 paths")
    ladder = list(model()["ladder"])
    if career.start_level not in ladder:
        raise InvalidValue("start_level", career.start_level, ladder)
    notes: list[str] = []
    academia = resolve_track(career.track).role_family is None
    if measure is None:
        measure = choose_measure(index, [career], pay_model)
    levels = {} if academia else market_levels(index, career, measure, pay_model, versus_career)
    if versus_career is not None and levels and all(a is None for a in levels.values()):
        where = f" at {career.tier}" if career.tier else ""
        raise InputError(
            "vs",
            f"{career.track} and {versus_career.track}{where} have no pay measured alike at any "
            "level (the same measure, sources and kind of evidence on both sides); compare them "
            "without a tier, or in a place both have data for",
        )
    table = _bls_table(career) if academia else pay_table(levels, career, notes)
    transition = _transition(career)
    target_table = None
    if transition:
        target = transition["career"]
        target_table = (
            _bls_table(target)
            if resolve_track(target.track).role_family is None
            else pay_table(market_levels(index, target, measure, pay_model), target, notes)
        )
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
            "adjacent levels' pay comes from different evidence (sources, tiers); choose a "
            "company tier for a like-for-like ladder"
        )
    year, _ = scale_to(index, None)
    return Simulation(
        career,
        years,
        paths,
        seed,
        year,
        measure,
        basis_label(index, year),
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

    def headline(self) -> str:
        """The comparison in one sentence, with what both careers' pay stands on."""
        a, b = self.a.career.label(), self.b.career.label()
        return (
            f"{a} has earned more than {b} by year {self.a.years} in "
            f"{self.probability_a_ahead[-1]:.0%} of simulated paths (the same person in both; "
            f"both on market {MEASURE_WORDS[self.a.measure]} by level, {self.a.basis}, each "
            "level's pay compared like for like; see the notes where a level was assumed)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "headline": self.headline(),
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
    """Simulate one career on the market's answers by level (see ``run``)."""
    index = load_index(store)
    pay_model = trained_model(store)
    return run(index, career, years=years, paths=paths, seed=seed, pay_model=pay_model)


def versus(
    a: Career,
    b: Career,
    *,
    years: int = 10,
    paths: int = 10_000,
    seed: int = 0,
    store: Path | str | None = None,
) -> Versus:
    """The same people in two careers; the chance that ``a`` has out-earned ``b`` by each year.

    Both careers run on market pay of one measure, and at each level their pay comes from
    evidence of the same kind and sources (``market.like_for_like``): a level without such
    evidence on both sides is assumed from the level below, and the notes say so.
    """
    index = load_index(store)
    pay_model = trained_model(store)
    measure = choose_measure(index, [a, b], pay_model)
    first = run(
        index,
        a,
        years=years,
        paths=paths,
        seed=seed,
        measure=measure,
        pay_model=pay_model,
        versus_career=b,
    )
    second = run(
        index, b, years=years, paths=paths, seed=seed, event_seed=seed + 1, measure=measure,
        pay_model=pay_model, versus_career=a,
    )  # fmt: skip
    ahead = (first.cumulative > second.cumulative).mean(axis=0)
    return Versus(first, second, [float(p) for p in ahead])
