"""The money endpoints: tax, vesting, offers, switch-or-stay, negotiation plans and places.

Offer documents come in the JSON body; errors in one name it (``offers[1]: base``,
``competing[0]: place``). Nothing submitted is logged or stored.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from careerbench import services
from careerbench.api.schemas import (
    NegotiateOut,
    NegotiateRequest,
    OffersRequest,
    Open,
    SwitchRequest,
    TaxQuery,
    VestQuery,
)
from careerbench.errors import InputError
from careerbench.money.compare import compare_offers
from careerbench.money.itemized import Itemized
from careerbench.money.negotiate import negotiate as negotiation_plan
from careerbench.money.offer import Offer, offer_from_dict
from careerbench.money.switch import switch_or_stay
from careerbench.money.tax import compute_tax
from careerbench.money.vesting import parse_schedule
from careerbench.money.vesting import vest as vest_grant

router = APIRouter(prefix="/api", tags=["money"])


@router.get("/tax", response_model=Open)
def tax(q: Annotated[TaxQuery, Query()]) -> dict[str, Any]:
    """Federal, state, local and payroll tax on a year's wages (as ``careerbench tax --json``)."""
    paid = Itemized(
        property_tax=q.property_tax,
        mortgage_interest=q.mortgage_interest,
        charitable_cash=q.charitable_cash,
    )
    return compute_tax(
        q.wages,
        q.state,
        q.filing,
        q.year,
        locality=q.locality,
        itemized=paid,
        deduction=q.deduction,
    ).to_dict()


@router.get("/vest", response_model=Open)
def vest(q: Annotated[VestQuery, Query()]) -> dict[str, Any]:
    """Per-year vested value of a grant under a schedule (as ``careerbench vest --json``)."""
    schedule = parse_schedule(q.schedule, cliff_months=q.cliff_months)
    return vest_grant(q.grant, schedule, q.years, growth=q.growth).to_dict()


def _offer(document: dict[str, Any], field: str) -> Offer:
    if not isinstance(document, dict):
        raise InputError(field, "must be an offer object")
    return offer_from_dict(document, field)


@router.post("/offers/compare", response_model=Open)
def offers_compare(body: OffersRequest) -> dict[str, Any]:
    """Offers year by year after tax and cost of living, with risk ranges."""
    offers = [_offer(o, f"offers[{i}]") for i, o in enumerate(body.offers)]
    comparison = compare_offers(
        offers, years=body.years, reference=body.reference_place, paths=body.paths, seed=body.seed
    )
    return comparison.to_dict()


@router.post("/switch", response_model=Open)
def switch(request: Request, body: SwitchRequest) -> dict[str, Any]:
    """Switch or stay: walked-away equity, make-whole sign-on, break-even, market gap."""
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


@router.post("/negotiate", response_model=NegotiateOut)
def negotiate(request: Request, body: NegotiateRequest) -> dict[str, Any]:
    """A negotiation plan: the offer in its cohort, target, walk-away, talking points."""
    plan = negotiation_plan(
        _offer(body.offer, "offer"),
        competing=[_offer(o, f"competing[{i}]") for i, o in enumerate(body.competing)],
        current=None if body.current is None else _offer(body.current, "current"),
        years=body.years,
        store=request.app.state.store,
    )
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
    for place in places:
        if len(place) > 100:
            raise InputError("places", "each place must be at most 100 characters")
    answer = services.compare_places_pay(
        places,
        pay=pay,
        role=role,
        level=level,
        reference=reference_place,
        filing=filing,
        store=request.app.state.store,
    )
    return answer.to_dict()
