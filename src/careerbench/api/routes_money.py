"""The money endpoints: tax, vesting, offers, switch-or-stay, negotiation plans and places.

Offer documents come in the JSON body; errors in one name it (``offers[1]: base``,
``competing[0]: place``). Nothing submitted is logged or stored.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from careerbench.api.schemas import (
    NegotiateOut,
    NegotiateRequest,
    OffersRequest,
    Open,
    SwitchRequest,
    TaxQuery,
    VestQuery,
)
from careerbench.errors import InputError, InvalidValue

router = APIRouter(prefix="/api", tags=["money"])


@router.get("/tax", response_model=Open)
def tax(q: Annotated[TaxQuery, Query()]) -> dict[str, Any]:
    """Federal, state, local and payroll tax on a year's wages (as ``careerbench tax --json``)."""
    from careerbench.money.tax import compute_tax

    return compute_tax(q.wages, q.state, q.filing, q.year, locality=q.locality).to_dict()


@router.get("/vest", response_model=Open)
def vest(q: Annotated[VestQuery, Query()]) -> dict[str, Any]:
    """Per-year vested value of a grant under a schedule (as ``careerbench vest --json``)."""
    from careerbench.money.vesting import parse_schedule
    from careerbench.money.vesting import vest as vest_grant

    schedule = parse_schedule(q.schedule, cliff_months=q.cliff_months)
    return vest_grant(q.grant, schedule, q.years, growth=q.growth).to_dict()


def _offer(document: dict[str, Any], field: str) -> Any:
    from careerbench.money.offer import offer_from_dict

    if not isinstance(document, dict):
        raise InputError(field, "must be an offer object")
    return offer_from_dict(document, field)


@router.post("/offers/compare", response_model=Open)
def offers_compare(body: OffersRequest) -> dict[str, Any]:
    """Offers year by year after tax and cost of living, with risk ranges."""
    from careerbench.money.compare import compare_offers

    offers = [_offer(o, f"offers[{i}]") for i, o in enumerate(body.offers)]
    comparison = compare_offers(
        offers, years=body.years, reference=body.reference_place, paths=body.paths, seed=body.seed
    )
    return comparison.to_dict()


@router.post("/switch", response_model=Open)
def switch(request: Request, body: SwitchRequest) -> dict[str, Any]:
    """Switch or stay: walked-away equity, make-whole sign-on, break-even, market gap."""
    from careerbench.money.switch import switch_or_stay

    result = switch_or_stay(
        _offer(body.current, "current"),
        _offer(body.offer, "offer"),
        years=body.years,
        reference=body.reference_place,
        paths=body.paths,
        seed=body.seed,
        store=request.app.state.store,
    )
    return result.to_dict()


#: Fields of the offer that choose its cohort: errors about them are errors in ``offer``.
COHORT_FIELDS = ("role", "level", "country", "state", "metro")


@router.post("/negotiate", response_model=NegotiateOut)
def negotiate(request: Request, body: NegotiateRequest) -> dict[str, Any]:
    """A negotiation plan: the offer in its cohort, target, walk-away, talking points."""
    from careerbench.money.negotiate import negotiate as negotiation_plan

    offer = _offer(body.offer, "offer")
    competing = [_offer(o, f"competing[{i}]") for i, o in enumerate(body.competing)]
    current = None if body.current is None else _offer(body.current, "current")
    try:
        plan = negotiation_plan(
            offer,
            competing=competing,
            current=current,
            years=body.years,
            store=request.app.state.store,
        )
    except InvalidValue as exc:
        if exc.field not in COHORT_FIELDS:
            raise
        raise InvalidValue(f"offer: {exc.field}", exc.value, exc.valid) from None
    except InputError as exc:
        if exc.field not in COHORT_FIELDS:
            raise
        raise InputError(f"offer: {exc.field}", exc.problem) from None
    return plan.to_dict()


@router.get("/places/compare", response_model=Open)
def places_compare(
    request: Request,
    places: Annotated[list[str], Query(min_length=1, max_length=8)],
    pay: Annotated[list[float] | None, Query(max_length=8)] = None,
    role: Annotated[str | None, Query(max_length=100)] = None,
    level: Annotated[str | None, Query(max_length=100)] = None,
    reference_place: Annotated[str | None, Query(max_length=100)] = None,
    filing: Annotated[str, Query(max_length=20)] = "single",
) -> dict[str, Any]:
    """The same job across places: pay, after tax, after cost of living."""
    from careerbench.money.places import austin_vs_san_francisco, compare_places, pay_for_places

    for place in places:
        if len(place) > 100:
            raise InputError("places", "each place must be at most 100 characters")
    pay_by_place = pay_for_places(
        places, pay or [], role=role, level=level, store=request.app.state.store
    )
    result = compare_places(pay_by_place, reference=reference_place, filing=filing)
    return result.to_dict() | {"published_claim_check": austin_vs_san_francisco(filing).to_dict()}
