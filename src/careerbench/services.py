"""The questions careerbench answers, one function each: what every face calls.

The command line, the REST API and the web pages are faces over these functions: each face reads
its input (options, a query string, a form), parses the cohort fields with
``cohort.parse_cohort``, calls one function here and shows the typed result it returns. So the
same question gets the same answer, with the same errors, whichever face asks it.

A function is here when it reads the store or composes several parts of the library; questions
that one library function answers on its own (a tax computation, a vesting schedule, an offer
comparison, a track fit) are called directly from ``money`` and ``paths``.

``store`` is a store path (``None``: the configured store). Money is annual US dollars; each
result says in which year's dollars.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from careerbench import datasets, trends
from careerbench.benchmark import DEFAULT_K, BenchmarkResult, benchmark
from careerbench.claims import ClaimCheck
from careerbench.cohort import Cohort, parse_cohort
from careerbench.errors import CareerbenchError
from careerbench.estimate import Estimate, for_relaxed_cohort, trained_model
from careerbench.money.places import (
    PlacesComparison,
    austin_vs_san_francisco,
    compare_places,
    pay_for_places,
)
from careerbench.paths.simulate import Career, Simulation, Versus, simulate, versus
from careerbench.paths.skills import Assessment, assess
from careerbench.paths.tracks import resolve_track
from careerbench.premiums import measured_premiums
from careerbench.reference.bls import LICENCE as BLS_LICENCE
from careerbench.sources import registry
from careerbench.store import LoadSummary

StoreRef = Path | str | None
Progress = Callable[[str], None]


# ---- where I stand ---------------------------------------------------------------------
@dataclass(frozen=True)
class Standing:
    """A cohort's statistics and, when asked for, the model's estimate for the exact profile.

    ``estimate`` is ``None`` when the exact cohort was large enough, when the profile lacks a
    role or level, or when no model is trained and training was not allowed (``estimate_note``
    says which).
    """

    benchmark: BenchmarkResult
    estimate: Estimate | None = None
    estimate_note: str | None = None
    with_estimate: bool = False

    def to_dict(self) -> dict[str, Any]:
        document = self.benchmark.to_dict()
        if self.with_estimate:
            document["estimate"] = None if self.estimate is None else self.estimate.to_dict()
        return document


#: What ``where_i_stand`` may do about the pay model: nothing, use a trained one, or train one.
ESTIMATE_POLICIES = ("never", "if-trained", "train")


def where_i_stand(
    cohort: Cohort,
    *,
    tc: float | None = None,
    base: float | None = None,
    k: int = DEFAULT_K,
    currency_year: int | None = None,
    estimate: str = "never",
    store: StoreRef = None,
    progress: Progress | None = None,
) -> Standing:
    """The cohort's pay statistics and where ``tc`` (or ``base``) stands among them.

    With ``estimate`` "if-trained" or "train", a cohort that had to be relaxed also gets the
    model's estimate for the exact profile ("train" trains a model when there is none).
    """
    result = benchmark(cohort, store=store, tc=tc, base=base, k=k, currency_year=currency_year)
    if estimate == "never":
        return Standing(result)
    if not result.relaxed and result.n >= result.k:
        return Standing(result, None, "the exact cohort reached the floor", True)
    if cohort.role is None or cohort.level is None:
        return Standing(result, None, "an estimate needs a role and a level", True)
    if estimate == "if-trained" and trained_model(store) is None:
        return Standing(result, None, "the pay model is not trained for this data yet", True)
    try:
        exact = for_relaxed_cohort(result, store=store, progress=progress)
    except CareerbenchError as exc:
        return Standing(result, None, f"no estimate for this profile: {exc}", True)
    return Standing(result, exact, None, True)


# ---- market trends and provenance -------------------------------------------------------
def market_trends(
    cohort: Cohort, *, currency_year: int | None = None, store: StoreRef = None
) -> trends.Trends:
    """Pay by year for a cohort, the AI premium by year, and published trends checked."""
    return trends.trends(cohort, currency_year=currency_year, store=store)


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
    """The same job in several places: pay (given, or the market's), after tax and cost of
    living, beside the published Austin vs San Francisco claim recomputed."""
    pay_by_place = pay_for_places(
        list(places), list(pay or []), role=role, level=level, store=store
    )
    comparison = compare_places(pay_by_place, reference=reference, filing=filing)
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
    cohort's median, and (``measure``) the premiums careerbench's data measure."""
    answers = dict.fromkeys([*have, *not_yet], True)
    reference, label = tc, ("your total comp" if tc is not None else None)
    if reference is None and cohort is not None and cohort.role:
        result = benchmark(cohort, store=store)
        if result.total_comp is not None:
            filters = ", ".join(f"{k}={v}" for k, v in result.applied.to_dict().items())
            reference = result.total_comp.p50
            label = f"cohort P50 ({result.n:,} data points: {filters})"
    measured = measured_premiums(store) if measure else None
    return assess(
        answers, list(clusters), reference_pay=reference, reference_label=label, measured=measured
    )
