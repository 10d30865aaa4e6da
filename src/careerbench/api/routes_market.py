"""``/api/benchmark``, ``/api/sources`` and ``/api/trends``: the market data."""

from __future__ import annotations

from typing import Annotated, Any

import pydantic_core
from fastapi import APIRouter, Query, Request, Response

from careerbench import services
from careerbench.api.cache import StoreCachedRoute
from careerbench.api.schemas import BenchmarkQuery, Open, SourcesOut, StandingOut, cohort_of
from careerbench.cohort import parse_cohort

router = APIRouter(prefix="/api", tags=["market"])
JSON = "application/json"


async def benchmark(request: Request, q: Annotated[BenchmarkQuery, Query()]) -> Response:
    """The same document as ``careerbench benchmark --json``.

    Runs on the event loop: the cohort index answers in well under a millisecond, less than a
    hop to the thread pool costs. A query string already answered for the unchanged store is
    answered from a bounded in-memory cache.
    """
    standing = services.where_i_stand(
        cohort_of(q),
        tc=q.tc,
        base=q.base,
        measure=q.measure,
        k=q.k,
        year=q.year,
        basis=q.basis,
        model="background",
        store=request.app.state.store,
    )
    return json_response(standing.to_dict())


# The answer is a function of the query and the store only: kept by the response cache.
router.add_api_route(
    "/benchmark",
    benchmark,
    methods=["GET"],
    response_model=StandingOut,
    route_class_override=StoreCachedRoute,
)


def json_response(document: dict[str, Any]) -> Response:
    """The library's document as FastAPI would send it for a ``response_model``.

    The same encoder (pydantic's, NaN and infinities as null) and media type, but without
    validating the library's own document against the model again: the model documents the
    answer in the OpenAPI schema, and the API tests check that answers conform to it.
    """
    return Response(pydantic_core.to_json(document, inf_nan_mode="null"), media_type=JSON)


@router.get("/sources", response_model=SourcesOut)
def sources(request: Request) -> dict[str, Any]:
    """Provenance: every load in the store with its counts and time, and the licences."""
    return services.provenance(request.app.state.store).to_dict()


@router.get("/trends", response_model=Open)
def trends(
    request: Request,
    role: Annotated[str | None, Query(max_length=60)] = None,
    level: Annotated[str | None, Query(max_length=40)] = None,
    country: Annotated[str | None, Query(max_length=60)] = "US",
) -> dict[str, Any]:
    """Pay by year, the AI premium by year, and published trends checked (as the CLI)."""
    cohort = parse_cohort(role=role, level=level, country=country)
    return services.market_trends(cohort, store=request.app.state.store).to_dict()


@router.get("/claims", response_model=Open)
def claims(request: Request) -> dict[str, Any]:
    """Published claims about tracks, trends and posted ranges, tested (as the CLI)."""
    return services.published_claims(request.app.state.store).to_dict()
