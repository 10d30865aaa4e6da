"""``/api/estimate`` and ``/api/estimate/batch``: the pay model's calibrated P10..P90.

No request waits for the model to be trained: when the store has none yet, the first request
that needs it starts one training in the background (``estimate.model_or_train_later``) and is
answered 503 with ``Retry-After``; once trained, the model is kept in memory.
"""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

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
from careerbench.estimate import TRAINING_SECONDS, model_or_train_later
from careerbench.market import NOT_TRAINED

router = APIRouter(prefix="/api", tags=["estimate"])
NOT_READY: dict[int | str, dict[str, Any]] = {
    503: {
        "description": "The pay model is being trained for this data: ask again after "
        "``Retry-After`` seconds."
    }
}


def not_ready() -> JSONResponse:
    """503 for a request that needs the pay model while it is being trained."""
    message = (
        f"{NOT_TRAINED}: it is being trained now; ask again in about {TRAINING_SECONDS} seconds"
    )
    return JSONResponse(
        {"detail": [{"loc": ["model"], "msg": message, "type": "ModelNotReady"}]},
        status_code=503,
        headers={"Retry-After": str(TRAINING_SECONDS)},
    )


@router.get("/estimate", response_model=EstimateOut, responses=NOT_READY)
def estimate(request: Request, q: Annotated[EstimateQuery, Query()]) -> Any:
    """What to expect for a profile: the market's answers for total comp and base (P10..P90,
    with their evidence) and the pay model's estimate (as ``careerbench estimate --json``).

    USD of ``year`` (default: the last year the basis is measured in) on ``basis``. While the
    model for the store is being trained (after a new load), 503 with ``Retry-After``.
    """
    answer = services.estimate_profile(
        cohort_of(q),
        year=q.year,
        source=q.source,
        basis=q.basis,
        model="background",
        store=request.app.state.store,
    )
    if answer.model is None and answer.model_note == NOT_TRAINED:
        return not_ready()
    return answer.to_dict()


@router.post("/estimate/batch", response_model=EstimateBatchOut, responses=NOT_READY)
def estimate_batch(request: Request, body: EstimateBatchRequest) -> Any:
    """One estimate of total comp per row, in input order (as ``careerbench estimate --input``).

    Rows are objects keyed by the columns of the format's file; pay columns are ignored. A row
    that cannot be estimated gets nulls and the reason. At most 10,000 rows (8 MiB).
    """
    model = model_or_train_later(request.app.state.store)
    if model is None:
        return not_ready()
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
