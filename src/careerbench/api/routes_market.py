"""``/api/benchmark`` and ``/api/sources``: the market data."""

from __future__ import annotations

from typing import Annotated, Any

import pydantic_core
from fastapi import APIRouter, Query, Request, Response

from careerbench import benchmark as bench
from careerbench.api.cache import StoreCachedRoute
from careerbench.api.schemas import BenchmarkOut, BenchmarkQuery, Open, SourcesOut, profile_fields

router = APIRouter(prefix="/api", tags=["market"])
JSON = "application/json"

LICENCES = {
    "aijobs": "CC0 1.0 (aijobs.net salary index), bundled",
    "levelsfyi": "unverified; imported from the user's own copy, never redistributed",
    "csv": "the user's own data points",
    "bls_oews": "US public domain (BLS OEWS May 2025)",
}


def run_benchmark(request: Request, q: BenchmarkQuery) -> dict[str, Any]:
    cohort = bench.parse_cohort(**profile_fields(q), years=q.years, since=q.since)
    result = bench.benchmark(
        cohort,
        store=request.app.state.store,
        tc=q.tc,
        base=q.base,
        k=q.k,
        currency_year=q.currency_year,
    )
    return result.to_dict()


async def benchmark(request: Request, q: Annotated[BenchmarkQuery, Query()]) -> Response:
    """The same document as ``careerbench benchmark --json``.

    Runs on the event loop: the cohort index answers in well under a millisecond, less than a
    hop to the thread pool costs. A query string already answered for the unchanged store is
    answered from a bounded in-memory cache.
    """
    return json_response(run_benchmark(request, q))


# The answer is a function of the query and the store only: kept by the response cache.
router.add_api_route(
    "/benchmark",
    benchmark,
    methods=["GET"],
    response_model=BenchmarkOut,
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
    from careerbench import datasets

    loads = [
        {
            "load_key": load.load_key,
            "source": load.source,
            "origin": _public_origin(load.origin),
            "rows_read": load.rows_read,
            "rows_loaded": load.rows_loaded,
            "rows_quarantined": load.rows_quarantined,
            "records": load.records,
            "loaded_at": load.loaded_at.isoformat(),
        }
        for load in datasets.loads(request.app.state.store)
    ]
    return {"loads": loads, "licences": LICENCES}


def _public_origin(origin: str) -> str:
    """A file's name, not its path: the server does not reveal its file system."""
    return origin if origin.startswith("bundled") else origin.rsplit("/", 1)[-1]


@router.get("/trends", response_model=Open)
def trends(
    request: Request,
    role: Annotated[str | None, Query(max_length=60)] = None,
    level: Annotated[str | None, Query(max_length=40)] = None,
    country: Annotated[str | None, Query(max_length=60)] = "US",
) -> dict[str, Any]:
    """Pay by year, the AI-title premium by year, and published trends checked (as the CLI)."""
    from careerbench.trends import trends as market_trends

    return market_trends(
        role=role, level=level, country=country, store=request.app.state.store
    ).to_dict()
