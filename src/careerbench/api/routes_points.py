"""``/api/points``: your own data points, read and answered for (as ``careerbench points``).

The table comes in the request body, so it stays out of URLs and logs; nothing of it is stored
(adding points to a store is the command line's ``careerbench points --add``, on the user's own
store).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from careerbench.api.routes_market import json_response
from careerbench.api.schemas import PointsOut, PointsRequest
from careerbench.points import answer_points

router = APIRouter(prefix="/api", tags=["points"])


@router.post("/points", response_model=PointsOut)
def points(request: Request, body: PointsRequest) -> Response:
    """What was understood per row (and what was rejected, with the reason), P25/P50/P75 of
    each measure with 95% intervals, where your pay stands, and careerbench's answer for the
    same cohort in the same measure, year and basis. A user's mistake is HTTP 422 naming the
    field (``points``, ``tc``, ``base``) and the fix."""
    answer = answer_points(
        body.points,
        tc=body.tc,
        base=body.base,
        year=body.year,
        model="background",
        store=request.app.state.store,
    )
    return json_response(answer.to_dict())
