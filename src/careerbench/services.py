"""The questions careerbench answers, one function each: what every face calls.

The command line, the REST API and the web pages are faces over these functions: each face reads
its input (options, a query string, a form), parses the cohort fields with
``cohort.parse_cohort``, calls one function here and shows the typed result it returns. So the
same question gets the same answer, with the same errors, whichever face asks it.

A function is here when it composes several parts of the library; questions that one library
function answers on its own (a tax computation, a vesting schedule, an offer comparison, a
negotiation plan, a track comparison) are called directly from ``money`` and ``paths``.

Market pay for a profile always comes from ``market.market_answer`` (one answer per profile,
measure and year); a user's pay is placed among figures of the same measure: total comp among
total comps, base among base salaries.

``store`` is a store path (``None``: the configured store). Money is annual US dollars; each
result says in which year's dollars and on which basis.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from careerbench import datasets, posted_claims, trends
from careerbench.benchmark import (
    DEFAULT_K,
    MEASURE_WORDS,
    BlsReference,
    Verdict,
    bls_reference,
    check_pay,
    load_index,
    verdict_for,
)
from careerbench.claims import ClaimCheck
from careerbench.cohort import Cohort, parse_cohort
from careerbench.config import store_path
from careerbench.engine import Engine
from careerbench.errors import CareerbenchError, InputError, InvalidValue
from careerbench.estimate import ESTIMATE_MEASURES, Estimate, check_year, estimate, load_model
from careerbench.market import (
    NONE,
    NOT_TRAINED,
    MarketAnswer,
    market_answer,
    model_for,
    position_of,
)
from careerbench.money.places import PlacesComparison, austin_vs_san_francisco, pay_for_places
from careerbench.money.places import compare_places as places_after_tax
from careerbench.paths.simulate import Career, Simulation, Versus, simulate, versus
from careerbench.paths.skills import Assessment, assess
from careerbench.paths.tracks import check_claim, resolve_track
from careerbench.paths.tracks import claims as track_claims
from careerbench.pay_model import PayModel
from careerbench.premiums import measured_premiums
from careerbench.reference.bls import LICENCE as BLS_LICENCE
from careerbench.sources import registry
from careerbench.store import ContentsMemo, LoadSummary

StoreRef = Path | str | None
Progress = Callable[[str], None]


# ---- where I stand ---------------------------------------------------------------------
@dataclass(frozen=True)
class Standing:
    """The market's answer for a profile and, with the user's pay, where it stands.

    ``answer`` is of the pay's measure (total comp for ``tc``, base for ``base``); when it has
    no data at all and the question was about total comp, ``context`` answers for base, so the
    user sees what the data do measure, never a total comp ranked among base salaries.
    """

    answer: MarketAnswer
    pay: float | None
    percentile: float | None
    headline: str
    verdict: Verdict | None
    context: MarketAnswer | None
    bls: BlsReference | None
    #: What a typed company or metro was read as (``Cohort.read_as``).
    read_as: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "headline": self.headline,
            "read_as": self.read_as,
            "measure": self.answer.measure,
            "pay": self.pay,
            "percentile": self.percentile,
            "verdict": None if self.verdict is None else self.verdict.to_dict(),
            "answer": self.answer.to_dict(),
            "context": None if self.context is None else self.context.to_dict(),
            "bls": None if self.bls is None else vars(self.bls).copy(),
        }


def where_i_stand(
    cohort: Cohort,
    *,
    tc: float | None = None,
    base: float | None = None,
    measure: str | None = None,
    k: int = DEFAULT_K,
    year: int | None = None,
    basis: str = "pay-index",
    model: str = "if-trained",
    store: StoreRef = None,
) -> Standing:
    """The market's answer for ``cohort`` and where ``tc`` (or ``base``) stands in it."""
    if tc is not None and base is not None:
        raise InputError("tc", "give your total comp (tc) or your base salary (base), not both")
    check_pay("tc", tc)
    check_pay("base", base)
    chosen = "total_comp" if tc is not None else ("base" if base is not None else measure)
    chosen = chosen or "total_comp"
    pay = tc if tc is not None else base
    answer = market_answer(
        cohort, measure=chosen, year=year, basis=basis, k=k, pay=pay, model=model, store=store
    )
    context = None
    if answer.answered_by == NONE and chosen == "total_comp":
        context = market_answer(
            cohort, measure="base", year=year, basis=basis, k=k, model=model, store=store
        )
    percentile, verdict = None, None
    if pay is not None:
        position = position_of(answer, pay)
        percentile, headline = position.percentile, position.headline
        if answer.quantiles is not None:
            verdict = verdict_for(pay, answer.quantiles)
        if context is not None and context.quantiles is not None:
            headline += (
                f" For base salary the data answer P50 ${context.quantiles.p50:,.0f} "
                f"({context.evidence_text()}); give your base salary to be placed among them."
            )
    else:
        headline = _answer_headline(answer, context)
    return Standing(
        answer, pay, percentile, headline, verdict, context, bls_reference(cohort), cohort.read_as
    )


def _answer_headline(answer: MarketAnswer, context: MarketAnswer | None) -> str:
    if answer.quantiles is not None:
        q = answer.quantiles
        return (
            f"{answer.words.capitalize()}: P50 ${q.p50:,.0f} (P25 ${q.p25:,.0f}, P75 "
            f"${q.p75:,.0f}): {answer.evidence_text()}."
        )
    text = f"No {answer.words} figure for this profile: {answer.evidence_text()}."
    if context is not None and context.quantiles is not None:
        text += f" Base salary: P50 ${context.quantiles.p50:,.0f}: {context.evidence_text()}."
    return text


# ---- an estimate for a profile ---------------------------------------------------------
@dataclass(frozen=True)
class ProfileEstimate:
    """What to expect for a profile: the market's answer for total comp and for base, with the
    pay model's own estimate (its drivers and assumptions) as evidence."""

    answers: dict[str, MarketAnswer]
    model: Estimate | None
    model_note: str | None
    headline: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "headline": self.headline,
            "answers": {m: a.to_dict() for m, a in self.answers.items()},
            "model": None if self.model is None else self.model.to_dict(),
            "model_note": self.model_note,
        }


def estimate_profile(
    cohort: Cohort,
    *,
    year: int | None = None,
    source: str | None = None,
    basis: str = "pay-index",
    model: str = "if-trained",
    store: StoreRef = None,
    progress: Progress | None = None,
) -> ProfileEstimate:
    """The market's answers for a profile's total comp and base, and the model behind them.

    ``model``: what may be done about the pay model (``market.MODEL_POLICIES``); without one the
    cohorts answer and ``model_note`` says why there is no model estimate.
    """
    if cohort.role is None or cohort.level is None:
        raise InputError("role/level", "an estimate needs both a role and a level")
    if year is not None:
        check_year(year)
    if source is not None and source not in registry.modelled():
        raise InvalidValue("source", source, registry.modelled())
    if model == "train":
        pay_model: PayModel | None = load_model(store, progress=progress)
    else:
        pay_model = model_for(model, store)
    # The answers use the model found here (or none), whatever happens to the store's model
    # meanwhile.
    policy = "never" if pay_model is None else "if-trained"
    answers = {
        m: market_answer(cohort, measure=m, year=year, basis=basis, model=policy, store=store)
        for m in ESTIMATE_MEASURES
    }
    answer_year = next(iter(answers.values())).year
    found: Estimate | None = None
    note = None
    if pay_model is None:
        note = "no pay model is used" if model == "never" else NOT_TRAINED
    else:
        try:
            found = estimate(cohort, year=answer_year, source=source, model=pay_model)
        except CareerbenchError as exc:
            note = f"no model estimate: {exc}"
    parts = []
    for measure, answer in answers.items():
        if answer.quantiles is None:
            parts.append(f"{MEASURE_WORDS[measure]}: no figure ({answer.evidence_text()})")
            continue
        q = answer.quantiles
        parts.append(
            f"{MEASURE_WORDS[measure]}: P50 ${q.p50:,.0f}, P10-P90 ${q.p10:,.0f}-${q.p90:,.0f} "
            f"({answer.evidence_text()})"
        )
    headline = "; ".join(parts) + "."
    return ProfileEstimate(answers, found, note, headline[0].upper() + headline[1:])


# ---- market trends and provenance -------------------------------------------------------
def market_trends(
    cohort: Cohort,
    *,
    year: int | None = None,
    basis: str = "pay-index",
    store: StoreRef = None,
    engine: Engine | None = None,
    lake: str | None = None,
) -> trends.Trends:
    """Pay by year for a cohort, per measure and source, the AI premium by year, and published
    trends checked: from the store, or on Spark (``engine``) from the lake ``lake``."""
    if engine is None or not engine.spark:
        if lake:
            raise InputError("lake", "a lake is read on Spark; add --engine spark")
        return trends.trends(cohort, year=year, basis=basis, store=store)
    if not lake:
        raise InputError("lake", "give --lake PATH (a lake from `careerbench export` or ingest)")
    from careerbench.lake_answers import trends_on_lake  # the Spark engine only

    return trends_on_lake(cohort, engine, lake, year=year, basis=basis, store=store)


@dataclass(frozen=True)
class Provenance:
    loads: list[LoadSummary]
    licences: dict[str, str]
    quarantine: list[datasets.QuarantineEntry]

    def to_dict(self) -> dict[str, Any]:
        return {
            "loads": [
                {
                    "load_key": load.load_key,
                    "source": load.source,
                    "origin": public_origin(load.origin),
                    "rows_read": load.rows_read,
                    "rows_loaded": load.rows_loaded,
                    "rows_quarantined": load.rows_quarantined,
                    "records": load.records,
                    "loaded_at": load.loaded_at.isoformat(),
                }
                for load in self.loads
            ],
            "licences": self.licences,
        }


def provenance(store: StoreRef = None) -> Provenance:
    """Every load in the store with its counts, the sources' licences, the quarantine."""
    licences = registry.licences() | {"bls_oews": BLS_LICENCE}
    return Provenance(datasets.loads(store), licences, datasets.quarantine_summary(store))


def public_origin(origin: str) -> str:
    """A file's name, not its path: what a server shows of where a load came from."""
    return origin if origin.startswith("bundled") else origin.rsplit("/", 1)[-1]


# ---- published claims -------------------------------------------------------------------
@dataclass(frozen=True)
class PublishedClaims:
    """Every published claim careerbench tests, by kind, with its verdict and evidence."""

    groups: dict[str, list[ClaimCheck]]

    def to_dict(self) -> dict[str, Any]:
        return {kind: [c.to_dict() for c in checks] for kind, checks in self.groups.items()}


#: The claims checked on the latest stores asked about: they depend on the store alone.
_CLAIMS: ContentsMemo[PublishedClaims] = ContentsMemo(entries=4)


def published_claims(store: StoreRef = None) -> PublishedClaims:
    """The claims about tracks, market trends and posted ranges, tested on the store's data
    (once per store contents, then kept in memory)."""
    path = store_path(store)
    return _CLAIMS.get(path, "claims", lambda: _check_published_claims(path))


def _check_published_claims(store: Path) -> PublishedClaims:
    index = load_index(store)
    return PublishedClaims(
        {
            "tracks": [check_claim(index, spec) for spec in track_claims()],
            "trends": trends.trends(parse_cohort(country="US"), store=store).claims,
            "posted ranges": posted_claims.check_all(store),
        }
    )


# ---- places -----------------------------------------------------------------------------
@dataclass(frozen=True)
class PlacesAnswer:
    comparison: PlacesComparison
    claim_check: ClaimCheck

    def to_dict(self) -> dict[str, Any]:
        return self.comparison.to_dict() | {"published_claim_check": self.claim_check.to_dict()}


def compare_places_pay(
    places: Sequence[str],
    *,
    pay: Sequence[float] | None = None,
    role: str | None = None,
    level: str | None = None,
    reference: str | None = None,
    filing: str = "single",
    store: StoreRef = None,
) -> PlacesAnswer:
    """The same job in several places: pay (given, or the market's, compared like for like),
    after tax and cost of living, beside the published Austin vs San Francisco claim."""
    pay_by_place, market = pay_for_places(
        list(places), list(pay or []), role=role, level=level, store=store
    )
    comparison = places_after_tax(pay_by_place, reference=reference, filing=filing, market=market)
    return PlacesAnswer(comparison, austin_vs_san_francisco(filing))


# ---- career paths -----------------------------------------------------------------------
def simulate_career(
    track: str,
    *,
    start_level: str = "mid",
    tier: str | None = None,
    state: str | None = None,
    metro: str | None = None,
    years: int = 10,
    paths: int = 10_000,
    seed: int = 0,
    scenario: str | None = None,
    vs: str | None = None,
    vs_tier: str | None = None,
    vs_scenario: str | None = None,
    store: StoreRef = None,
) -> Simulation | Versus:
    """A career's earnings as a distribution, or two careers for the same person (``vs*``)."""
    resolve_track(track)
    place = parse_cohort(tier=tier, state=state, metro=metro)
    career = Career(track, start_level, place.tier, place.state, place.metro, scenario)
    if not (vs or vs_tier or vs_scenario):
        return simulate(career, years=years, paths=paths, seed=seed, store=store)
    if vs:
        resolve_track(vs)
    other_tier = parse_cohort(tier=vs_tier).tier if vs_tier else place.tier
    other = Career(vs or track, start_level, other_tier, place.state, place.metro, vs_scenario)
    return versus(career, other, years=years, paths=paths, seed=seed, store=store)


def assess_skills(
    have: Sequence[str],
    not_yet: Sequence[str],
    clusters: Sequence[str],
    *,
    cohort: Cohort | None = None,
    tc: float | None = None,
    measure: bool = False,
    store: StoreRef = None,
) -> Assessment:
    """The premium-tier checklist, the clusters' premiums applied to your pay (``tc``) or your
    cohort's market median (total comp; base where the data have no total comp), and
    (``measure``) the premiums careerbench's data measure."""
    answers = dict.fromkeys([*have, *not_yet], True)
    reference, label = tc, ("your total comp" if tc is not None else None)
    if reference is None and cohort is not None and cohort.role:
        for measure_name in ("total_comp", "base"):
            answer = market_answer(cohort, measure=measure_name, store=store)
            if answer.quantiles is not None:
                reference = answer.quantiles.p50
                label = f"the market P50 {answer.words} ({answer.evidence_text()})"
                break
    measured = measured_premiums(store) if measure else None
    return assess(
        answers, list(clusters), reference_pay=reference, reference_label=label, measured=measured
    )
