"""``/api/estimate`` and ``/api/estimate/batch``: the pay model's calibrated P10..P90.

The model is trained on the store's records the first time any request needs it (about a minute)
and kept in memory; ``estimate.load_model`` holds a lock while it trains, so requests arriving
together before it exists wait for the one training instead of each starting their own.
"""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Query, Request

from careerbench import services
from careerbench.api.schemas import (
    EstimateBatchOut,
    EstimateBatchRequest,
    EstimateOut,
    EstimateQuery,
    cohort_of,
)
from careerbench.batch import estimate_frame, results
from careerbench.errors import InputError, SourceError
from careerbench.estimate import load_model

router = APIRouter(prefix="/api", tags=["estimate"])


@router.get("/estimate", response_model=EstimateOut)
def estimate(request: Request, q: Annotated[EstimateQuery, Query()]) -> dict[str, Any]:
    """What to expect for a profile: the market's answers for total comp and base (P10..P90,
    with their evidence) and the pay model's estimate (as ``careerbench estimate --json``).

    USD of ``year`` (default: the last year the basis is measured in) on ``basis``. The first
    request on a new store trains the model (about a minute); later ones answer in
    milliseconds.
    """
    answer = services.estimate_profile(
        cohort_of(q), year=q.year, source=q.source, basis=q.basis, store=request.app.state.store
    )
    return answer.to_dict()


@router.post("/estimate/batch", response_model=EstimateBatchOut)
def estimate_batch(request: Request, body: EstimateBatchRequest) -> dict[str, Any]:
    """One estimate of total comp per row, in input order (as ``careerbench estimate --input``).

    Rows are objects keyed by the columns of the format's file; pay columns are ignored. A row
    that cannot be estimated gets nulls and the reason. At most 10,000 rows (8 MiB).
    """
    model = load_model(request.app.state.store)
    try:
        table, report = estimate_frame(
            model, pd.DataFrame(body.rows), body.format, origin="the request"
        )
    except SourceError as exc:
        raise InputError("rows", str(exc)) from None
    return {
        "format": body.format,
        "rows": report.rows,
        "estimated": report.estimated,
        "not_estimated": report.not_estimated,
        "results": results(table),
    }
