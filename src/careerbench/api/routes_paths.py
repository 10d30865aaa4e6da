"""``/api/tracks/compare``, ``/api/tracks/fit``, ``/api/simulate``, ``/api/skills/assess``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from careerbench import services
from careerbench.api.schemas import FitQuery, Open, SimulateQuery, SkillsQuery
from careerbench.cohort import parse_cohort
from careerbench.paths.fit import rank_tracks
from careerbench.paths.tracks import compare_tracks

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
    answers = q.model_dump()
    return {"answers": answers, "ranking": [f.to_dict() for f in rank_tracks(answers)]}


@router.get("/simulate", response_model=Open)
def simulate(request: Request, q: Annotated[SimulateQuery, Query()]) -> dict[str, Any]:
    """Career earnings by year as P10/P50/P90 (and the chance one path out-earns another)."""
    result = services.simulate_career(**q.model_dump(), store=request.app.state.store)
    return result.to_dict()


def items(text: str) -> list[str]:
    """The items of a comma-separated list."""
    return [t.strip() for t in text.split(",") if t.strip()]


@router.get("/skills/assess", response_model=Open)
def skills_assess(request: Request, q: Annotated[SkillsQuery, Query()]) -> dict[str, Any]:
    """The premium-tier checklist, skill clusters with premiums, next moves."""
    result = services.assess_skills(
        items(q.have),
        items(q.not_yet),
        items(q.clusters),
        cohort=parse_cohort(role=q.role, level=q.level, country=q.country),
        tc=q.tc,
        measure=q.measure,
        store=request.app.state.store,
    )
    return result.to_dict()
