"""``/api/estimate`` and ``/api/estimate/batch``: the pay model's calibrated P10..P90.

The model is trained on the store's records the first time any request needs it (about a minute)
and kept in memory; ``pay_model`` holds a lock while it loads, so requests arriving together
before it exists wait for the one training instead of each starting their own.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Query, Request

from careerbench.api.schemas import (
    EstimateBatchOut,
    EstimateBatchRequest,
    EstimateOut,
    EstimateQuery,
    profile_fields,
)
from careerbench.errors import InputError, SourceError
from careerbench.pay_model import PayModel

router = APIRouter(prefix="/api", tags=["estimate"])

#: One lock per process: a model is trained at most once, whichever app or thread asks first.
MODEL_LOCK = threading.Lock()


def pay_model(store: Path | None) -> PayModel:
    """The store's pay model, trained (once) when there is none yet."""
    from careerbench.estimate import load_model

    with MODEL_LOCK:
        return load_model(store)


def run_estimate(request: Request, q: EstimateQuery) -> dict[str, Any]:
    """The document of ``careerbench estimate --json`` for the query's profile."""
    from careerbench.benchmark import parse_cohort
    from careerbench.estimate import estimate as estimate_profile

    cohort = parse_cohort(**profile_fields(q), since=None)
    store = request.app.state.store
    pay_model(store)
    result = estimate_profile(cohort, years=q.years, year=q.year, source=q.source, store=store)
    return result.to_dict()


@router.get("/estimate", response_model=EstimateOut)
def estimate(request: Request, q: Annotated[EstimateQuery, Query()]) -> dict[str, Any]:
    """P10..P90 of total comp and base for a profile (as ``careerbench estimate --json``).

    Nominal USD of ``year`` (default: this year). The first request on a new store trains the
    model (about a minute); later ones answer in milliseconds.
    """
    return run_estimate(request, q)


@router.post("/estimate/batch", response_model=EstimateBatchOut)
def estimate_batch(request: Request, body: EstimateBatchRequest) -> dict[str, Any]:
    """One estimate of total comp per row, in input order (as ``careerbench estimate --input``).

    Rows are objects keyed by the columns of the format's file; pay columns are ignored. A row
    that cannot be estimated gets nulls and the reason. At most 10,000 rows (8 MiB).
    """
    from careerbench.batch import estimate_frame, results

    model = pay_model(request.app.state.store)
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
