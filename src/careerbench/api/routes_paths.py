"""``/api/tracks/compare``, ``/api/tracks/fit``, ``/api/simulate``, ``/api/skills/assess``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from careerbench.api.schemas import FitQuery, Open, SimulateQuery, SkillsQuery

router = APIRouter(prefix="/api", tags=["paths"])


@router.get("/tracks/compare", response_model=Open)
def tracks_compare(
    request: Request,
    tracks: Annotated[list[str], Query(min_length=2, max_length=8)],
    tier: Annotated[str | None, Query(max_length=40)] = None,
    level: Annotated[str | None, Query(max_length=40)] = None,
    country: Annotated[str, Query(max_length=60)] = "US",
    source: Annotated[str | None, Query(max_length=40)] = None,
) -> dict[str, Any]:
    """Tracks side by side (as ``careerbench tracks compare --json``)."""
    from careerbench.paths.tracks import compare_tracks

    result = compare_tracks(
        [t[:60] for t in tracks],
        tier=tier,
        level=level,
        country=country,
        source=source,
        store=request.app.state.store,
    )
    return result.to_dict()


@router.get("/tracks/fit", response_model=Open)
def tracks_fit(q: Annotated[FitQuery, Query()]) -> dict[str, Any]:
    """Tracks ranked for a questionnaire's answers, with the reasons."""
    from careerbench.paths.fit import rank_tracks

    answers = q.model_dump()
    return {"answers": answers, "ranking": [f.to_dict() for f in rank_tracks(answers)]}


def run_simulation(request: Request, q: SimulateQuery) -> dict[str, Any]:
    from careerbench.benchmark import parse_cohort
    from careerbench.paths.simulate import Career, simulate, versus
    from careerbench.paths.tracks import resolve_track

    resolve_track(q.track)
    place = parse_cohort(tier=q.tier, state=q.state, metro=q.metro)
    career = Career(q.track, q.start_level, place.tier, place.state, place.metro, q.scenario)
    store = request.app.state.store
    if not (q.vs or q.vs_tier or q.vs_scenario):
        return simulate(career, years=q.years, paths=q.paths, seed=q.seed, store=store).to_dict()
    if q.vs:
        resolve_track(q.vs)
    other_tier = parse_cohort(tier=q.vs_tier).tier if q.vs_tier else place.tier
    other = Career(
        q.vs or q.track, q.start_level, other_tier, place.state, place.metro, q.vs_scenario
    )
    return versus(career, other, years=q.years, paths=q.paths, seed=q.seed, store=store).to_dict()


@router.get("/simulate", response_model=Open)
def simulate_endpoint(request: Request, q: Annotated[SimulateQuery, Query()]) -> dict[str, Any]:
    """Career earnings by year as P10/P50/P90 (and the chance one path out-earns another)."""
    return run_simulation(request, q)


def _items(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def run_skills(request: Request, q: SkillsQuery) -> dict[str, Any]:
    from careerbench.benchmark import benchmark, parse_cohort
    from careerbench.paths.skills import assess, measured_premiums

    answers = dict.fromkeys(_items(q.have) + _items(q.not_yet), True)
    reference, label = q.tc, ("your total comp" if q.tc is not None else None)
    store = request.app.state.store
    if reference is None and q.role:
        result = benchmark(parse_cohort(role=q.role, level=q.level, country=q.country), store=store)
        if result.total_comp is not None:
            reference, label = result.total_comp.p50, f"cohort P50 ({result.n:,} data points)"
    measured = measured_premiums(store) if q.measure else None
    return assess(
        answers,
        _items(q.clusters),
        reference_pay=reference,
        reference_label=label,
        measured=measured,
    ).to_dict()


@router.get("/skills/assess", response_model=Open)
def skills_assess(request: Request, q: Annotated[SkillsQuery, Query()]) -> dict[str, Any]:
    """The premium-tier checklist, skill clusters with premiums, next moves."""
    return run_skills(request, q)
