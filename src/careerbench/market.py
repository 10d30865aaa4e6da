"""What the market pays a profile: one answer per profile, measure and year, with its evidence.

Every face and every question that shows market pay for a profile (where I stand, an estimate,
a negotiation's target and walk-away, places, tracks, a simulated career, a switch's market gap,
skills) asks ``market_answer``, so the same profile, measure and year get the same figures.

The evidence, all of one measure and in one year's dollars on one basis:

- the **exact cohort** (no relaxation): n and quantiles of the records whose source measures the
  measure;
- the **relaxed cohort**: the cohort relaxed for the measure until it reaches the floor ``k``,
  with each step (``benchmark.relax``);
- the **pay model**'s calibrated quantiles for the exact profile, from a source that measures the
  measure and has seen the profile's role and level (``estimate.model_evidence``);
- for a thin cohort, the **nearest populated cohorts**: the adjacent levels, any tier, the wider
  place, each with its n.

**The rule** (``RULE``), measured on a held-out split in ``benchmarks/results/evaluation.md``:
the exact cohort answers when it has at least ``k`` data points of the measure; below that the
model answers for the exact profile, with the relaxed cohort beside it as context; without a
model that covers the profile, a thin exact cohort (at least the privacy floor) answers, flagged
thin, rather than a cohort relaxed into other employers or places; with less, the relaxed cohort
answers and the answer says how it was relaxed; with no data point of the measure anywhere there
is no answer, and the nearest evidence is listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from careerbench.benchmark import (
    DEFAULT_K,
    MEASURE_WORDS,
    PRIVACY_FLOOR,
    BenchmarkResult,
    Evidence,
    Quantiles,
    benchmark_on,
    check_measure,
    check_pay,
    evidence,
    filters,
    load_index,
    scale_to,
)
from careerbench.cohort import Cohort
from careerbench.cohort_index import CohortIndex
from careerbench.errors import CareerbenchError, InvalidValue
from careerbench.estimate import (
    ModelEvidence,
    model_evidence,
    model_or_train_later,
    trained_model,
)
from careerbench.estimate import load_model as train_or_load
from careerbench.formatting import count, ordinal
from careerbench.pay_model import PayModel
from careerbench.schema import Level
from careerbench.sources import registry

RULE = (
    "the exact cohort when it has at least k data points of the measure; otherwise the pay "
    "model's calibrated estimate for the exact profile, with the relaxed cohort beside it; "
    "otherwise the exact cohort, flagged thin, when it has at least the privacy floor; "
    "otherwise the relaxed cohort, saying how it was relaxed"
)
#: What may be done about the pay model: not use it, use a trained one, use a trained one and
#: else start training one in the background (answering without it meanwhile: what a server
#: does), or train one now if needed.
MODEL_POLICIES = ("never", "if-trained", "background", "train")
#: The model note of an answer that the pay model would have helped but is not trained yet.
NOT_TRAINED = "the pay model is not trained for this data yet"
StoreRef = Path | str | None

EXACT, MODEL, THIN = "exact cohort", "pay model", "thin exact cohort"
RELAXED, NONE = "relaxed cohort", "no data"


@dataclass(frozen=True)
class Neighbor:
    """A cohort next to the asked one (one filter changed), with its evidence."""

    change: str
    cohort: Cohort
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return {"change": self.change, "filters": self.cohort.to_dict()} | self.evidence.to_dict()


@dataclass(frozen=True)
class MarketAnswer:
    """The answer for one profile, measure and year, with its evidence (module docstring)."""

    profile: Cohort
    measure: str
    year: int
    basis: str
    k: int
    exact: Evidence
    relaxed: BenchmarkResult
    model: ModelEvidence | None
    model_note: str | None
    answered_by: str
    quantiles: Quantiles | None
    neighbors: list[Neighbor] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def p50(self) -> float | None:
        return None if self.quantiles is None else self.quantiles.p50

    @property
    def words(self) -> str:
        return MEASURE_WORDS[self.measure]

    def n_behind(self) -> int:
        """The data points behind the answer: the cohort's that answered, or the exact
        cohort's when the model answered."""
        return self.relaxed.n if self.answered_by == RELAXED else self.exact.n

    def position(self, pay: float) -> float | None:
        """The percentile of ``pay`` (of this measure) in the answer's distribution: among the
        cohort's values when a cohort answered (and the pay was given with the question),
        between the answer's quantiles otherwise."""
        given = self.relaxed.pay == pay
        if given and self.answered_by in (EXACT, THIN) and self.exact.percentile is not None:
            return self.exact.percentile
        if given and self.answered_by == RELAXED and self.relaxed.percentile is not None:
            return self.relaxed.percentile
        if self.quantiles is None:
            return None
        return interpolated_percentile(self.quantiles, pay)

    def evidence_text(self) -> str:
        """Who answered, on how many data points, from which sources and years, in which
        dollars: the clause every headline carries."""
        if self.answered_by == NONE:
            return f"no {self.words} data point for this profile in the data ({self.basis})"
        if self.answered_by == MODEL and self.model is not None:
            spec = registry.spec(self.model.source)
            return (
                f"the pay model's estimate for this exact profile (trained on {spec.title} "
                f"{self.words}; the exact cohort has {count(self.exact.n)} data point(s)), "
                f"{self.basis}"
            )
        chosen = self.exact if self.answered_by in (EXACT, THIN) else self.relaxed.evidence
        sources = ", ".join(
            f"{count(n)} {registry.spec(s).title}" for s, n in chosen.sources.items()
        )
        text = f"{self.words} of {sources} data points, {chosen.span}, {self.basis}"
        if self.answered_by == THIN:
            text += f"; a thin cohort (fewer than {self.k}): wide uncertainty"
        if self.answered_by == RELAXED:
            steps = "; ".join(r.detail for r in self.relaxed.relaxed if r.n_after != r.n_before)
            if steps:
                text += f"; cohort relaxed: {steps}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile.to_dict(),
            "measure": self.measure,
            "year": self.year,
            "basis": self.basis,
            "rule": RULE,
            "k": self.k,
            "answered_by": self.answered_by,
            "quantiles": None if self.quantiles is None else vars(self.quantiles).copy(),
            "evidence": self.evidence_text(),
            "exact": self.exact.to_dict(),
            "relaxed": self.relaxed.to_dict(),
            "model": None if self.model is None else self.model.to_dict(),
            "model_note": self.model_note,
            "neighbors": [n.to_dict() for n in self.neighbors],
            "notes": self.notes,
        }


def interpolated_percentile(q: Quantiles, pay: float) -> float:
    """The percentile of ``pay`` between quantiles (linear between P10..P90; beyond them, the
    nearest tail's slope, capped to 1..99)."""
    points = [(10.0, q.p10), (25.0, q.p25), (50.0, q.p50), (75.0, q.p75), (90.0, q.p90)]
    for (low_p, low_v), (high_p, high_v) in pairwise(points):
        if low_v <= pay <= high_v:
            share = 0.0 if high_v == low_v else (pay - low_v) / (high_v - low_v)
            return round(low_p + share * (high_p - low_p), 1)
    if pay < q.p10:
        slope = 15.0 / max(q.p25 - q.p10, 1.0)
        return round(max(1.0, 10.0 - (q.p10 - pay) * slope), 1)
    slope = 15.0 / max(q.p90 - q.p75, 1.0)
    return round(min(99.0, 90.0 + (pay - q.p90) * slope), 1)


# ---- the answer ------------------------------------------------------------------------------
def market_answer(
    profile: Cohort,
    *,
    measure: str = "total_comp",
    year: int | None = None,
    basis: str = "pay-index",
    k: int = DEFAULT_K,
    pay: float | None = None,
    model: str = "if-trained",
    sources: Sequence[str] | None = None,
    store: StoreRef = None,
) -> MarketAnswer:
    """The market's answer for ``profile``'s ``measure`` in ``year``'s dollars (default: the
    basis's last measured year), following ``RULE``; of ``sources`` only, when given."""
    check_measure(measure)
    check_pay(measure, pay)
    index = load_index(store, basis)
    pay_model = model_for(model, store)
    return answer_on(
        index, profile, measure=measure, year=year, k=k, pay=pay, model=pay_model, sources=sources
    )


def model_for(policy: str, store: StoreRef) -> PayModel | None:
    """The pay model a question may use under ``policy`` (one of ``MODEL_POLICIES``)."""
    if policy not in MODEL_POLICIES:
        raise InvalidValue("model", policy, MODEL_POLICIES)
    if policy == "never":
        return None
    if policy == "if-trained":
        return trained_model(store)
    if policy == "background":
        return model_or_train_later(store)
    return train_or_load(store)


def answer_on(
    index: CohortIndex,
    profile: Cohort,
    *,
    measure: str,
    year: int | None = None,
    k: int = DEFAULT_K,
    pay: float | None = None,
    model: PayModel | None = None,
    sources: Sequence[str] | None = None,
    by_model: bool = False,
) -> MarketAnswer:
    """``market_answer`` with the index and the model at hand (``None``: no model);
    ``by_model``: the model answers whenever it can, whatever the exact cohort's size (to
    compare profiles like for like when some of their cohorts are thin)."""
    relaxed = benchmark_on(
        index, profile, measure=measure, pay=pay, k=k, year=year, sources=sources
    )
    scale = scale_to(index, relaxed.currency_year)[1]
    exact_cells = index.select(filters(profile, sources))
    exact = evidence(index, exact_cells, measure, scale=scale, pay=pay)
    notes = list(relaxed.notes)
    found, model_note = None, None
    quantiles: Quantiles | None
    if exact.n < k or by_model:
        found, model_note = _model_part(model, profile, measure, relaxed.currency_year, sources)
    if by_model and found is not None:
        answered_by, quantiles = MODEL, found.quantiles
    elif exact.n >= k:
        answered_by, quantiles = EXACT, exact.quantiles
    elif found is not None:
        answered_by, quantiles = MODEL, found.quantiles
    elif exact.quantiles is not None:
        answered_by, quantiles = THIN, exact.quantiles
    elif relaxed.quantiles is not None:
        answered_by, quantiles = RELAXED, relaxed.quantiles
    else:
        answered_by, quantiles = NONE, None
    neighbors = [] if exact.n >= k else _neighbors(index, profile, measure, scale, sources)
    if answered_by == NONE:
        notes.append(_no_data_note(index, profile, measure))
    return MarketAnswer(
        profile=profile,
        measure=measure,
        year=relaxed.currency_year,
        basis=relaxed.basis,
        k=k,
        exact=exact,
        relaxed=relaxed,
        model=found,
        model_note=model_note,
        answered_by=answered_by,
        quantiles=quantiles,
        neighbors=neighbors,
        notes=notes,
    )


def _model_part(
    model: PayModel | None,
    profile: Cohort,
    measure: str,
    year: int,
    sources: Sequence[str] | None,
) -> tuple[ModelEvidence | None, str | None]:
    if profile.role is None or profile.level is None:
        return None, "the pay model needs a role and a level"
    if model is None:
        return None, NOT_TRAINED
    try:
        found = model_evidence(model, profile.record(year=year), measure, only=sources)
    except CareerbenchError as exc:
        return None, f"the pay model cannot answer this profile: {exc}"
    if found is None:
        return None, f"no pay model measures {MEASURE_WORDS[measure]} for this role and level"
    return found, None


def _no_data_note(index: CohortIndex, profile: Cohort, measure: str) -> str:
    words = MEASURE_WORDS[measure]
    sources = index.breakdown(index.select({"role_family": profile.role}), "source")
    unmeasured = [
        registry.spec(s).title for s in sources if measure not in registry.spec(s).measures
    ]
    text = f"no {words} data point for this role and level, even after relaxing"
    if unmeasured:
        text += f": {', '.join(unmeasured)} data do not measure {words}"
    return text


def _neighbors(
    index: CohortIndex,
    profile: Cohort,
    measure: str,
    scale: float,
    sources: Sequence[str] | None,
) -> list[Neighbor]:
    """The cohorts next to a thin one: adjacent levels, any tier, the wider place."""
    candidates: list[tuple[str, Cohort]] = []
    if profile.level is not None:
        ladder = [lv.value for lv in Level]
        at = ladder.index(profile.level)
        for step in (-1, 1):
            if 0 <= at + step < len(ladder):
                other = ladder[at + step]
                candidates.append((f"level {other}", replace(profile, level=other)))
    if profile.company is not None:
        tier = profile.company_tier
        candidates.append(
            (f"tier {tier}" if tier else "any company", profile.without("company") if tier is None
             else replace(profile, company=None, tier=tier))
        )  # fmt: skip
    elif profile.tier is not None:
        candidates.append(("any tier", profile.without("tier")))
    if profile.metro is not None:
        state = profile.place_state
        candidates.append((f"state {state}", replace(profile.without("metro"), state=state)))
    elif profile.state is not None:
        candidates.append((f"country {profile.country or 'US'}", profile.without("state")))
    if profile.years is not None:
        candidates.append(("any years of experience", profile.without("years")))
    out = []
    for change, cohort in candidates:
        found = evidence(index, index.select(filters(cohort, sources)), measure, scale=scale)
        if found.n >= PRIVACY_FLOOR:
            out.append(Neighbor(change, cohort, found))
    return out


# ---- like for like -----------------------------------------------------------------------
@dataclass(frozen=True)
class Sides:
    """Market answers for several profiles made comparable: one measure, one basis and year,
    the same source set and the same kind of evidence on every side (``how`` says which), or
    ``withheld`` with the reason no such comparison exists."""

    answers: list[MarketAnswer]
    measure: str | None
    how: str
    withheld: str | None = None

    @property
    def comparable(self) -> bool:
        return self.withheld is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "how": self.how,
            "withheld": self.withheld,
            "answers": [a.to_dict() for a in self.answers],
        }


def like_for_like(
    index: CohortIndex,
    profiles: Sequence[Cohort],
    *,
    measures: Sequence[str] = ("total_comp", "base"),
    year: int | None = None,
    k: int = DEFAULT_K,
    model: PayModel | None = None,
) -> Sides:
    """Answers for ``profiles`` that can be compared (see ``Sides``), trying each measure in
    turn: exact cohorts of the same sources on every side; else the pay model (one source's) on
    every side; else cohorts relaxed the same way on every side; else withheld."""
    reasons = []
    for measure in measures:
        plain = [
            answer_on(index, p, measure=measure, year=year, k=k, model=model) for p in profiles
        ]
        if all(a.exact.n >= k for a in plain):
            common = _common_sources([a.exact for a in plain])
            if common and all(set(a.exact.sources) == set(common) for a in plain):
                return Sides(plain, measure, f"exact cohorts of {_titles(common)} on every side")
            if common:
                same = [
                    answer_on(
                        index, p, measure=measure, year=year, k=k, model=model, sources=common
                    )
                    for p in profiles
                ]
                if all(a.exact.n >= k for a in same):
                    return Sides(
                        same, measure, f"exact cohorts of {_titles(common)} only, on every side"
                    )
        modelled_sides = [
            answer_on(index, p, measure=measure, year=year, k=k, model=model, by_model=True)
            for p in profiles
        ]
        found = [a.model for a in modelled_sides]
        if all(f is not None for f in found) and len({f.source for f in found if f}) == 1:
            source = registry.spec(found[0].source).title if found[0] else ""
            return Sides(modelled_sides, measure, f"the pay model ({source}) on every side")
        steps = {tuple(r.step for r in a.relaxed.relaxed if r.n_after != r.n_before) for a in plain}
        relaxed_sources = {frozenset(a.relaxed.sources) for a in plain}
        if (
            all(a.relaxed.quantiles is not None for a in plain)
            and len(steps) == 1
            and len(relaxed_sources) == 1
        ):
            relaxed_how = ", ".join(next(iter(steps)))
            # Exact cohorts that no relaxation widened are what they are: exact, or thin.
            kinds = [RELAXED if relaxed_how else EXACT if a.exact.n >= k else THIN for a in plain]
            return Sides(
                [
                    replace(a, answered_by=kind, quantiles=a.relaxed.quantiles)
                    for a, kind in zip(plain, kinds, strict=True)
                ],
                measure,
                f"cohorts relaxed the same way on every side ({relaxed_how})"
                if relaxed_how
                else f"exact cohorts of the same sources, some thinner than {k}, on every side",
            )
        reasons.append(_why_not(plain, measure, k))
    return Sides([], None, "", "; ".join(reasons) or "no measure to compare")


def _common_sources(sides: Sequence[Evidence]) -> list[str]:
    common = set(sides[0].sources)
    for side in sides[1:]:
        common &= set(side.sources)
    return sorted(common)


def _titles(sources: Sequence[str]) -> str:
    return " and ".join(registry.spec(s).title for s in sources)


def _why_not(answers: Sequence[MarketAnswer], measure: str, k: int) -> str:
    words = MEASURE_WORDS[measure]
    thin = [a for a in answers if a.exact.n < k]
    if any(a.relaxed.n == 0 for a in answers):
        return f"{words}: no data point on at least one side"
    if thin:
        return (
            f"{words}: {len(thin)} side(s) have fewer than {k} data points, the pay model does "
            "not cover every side, and their cohorts relax differently"
        )
    return f"{words}: the sides' data come from different sources"


# ---- a pay figure against the answer -----------------------------------------------------
@dataclass(frozen=True)
class Position:
    """Where a pay figure stands in a market answer, in words that carry the evidence."""

    pay: float
    percentile: float | None
    headline: str


def position_of(answer: MarketAnswer, pay: float) -> Position:
    """The percentile of ``pay`` in ``answer`` and the sentence that says it with its evidence."""
    words = answer.words
    if answer.quantiles is None:
        headline = f"Your {words} cannot be placed: {answer.evidence_text()}."
        return Position(pay, None, headline)
    percentile = answer.position(pay)
    where = "-" if percentile is None else ordinal(round(percentile))
    headline = (
        f"Your {words} ${pay:,.0f} is at about the {where} percentile for this profile "
        f"(P50 ${answer.quantiles.p50:,.0f}): {answer.evidence_text()}."
    )
    return Position(pay, percentile, headline)
