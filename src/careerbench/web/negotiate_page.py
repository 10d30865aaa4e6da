"""The negotiation page: an offer in its cohort, a target, a walk-away, talking points.

The state lives in the query string: ``o_*`` the offer, ``x_*`` a competing offer, ``c_*`` the
current job (each as on the offers and switch pages), ``role``, ``level`` and ``years``. The page
calls the function behind ``POST /api/negotiate``, so its numbers are the API's and those of
``careerbench negotiate --json``. ``/download/negotiate.json`` returns that document for the same
query string and ``/download/negotiate.csv`` the offer's table. Cohort figures are annual USD of
the store's currency year; the offer's are nominal (equity averaged over the years).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from careerbench.api.schemas import NegotiateRequest
from careerbench.errors import CareerbenchError
from careerbench.web.pages import (
    EXAMPLE_NEW_OFFER,
    LEVELS,
    ROLES,
    Field,
    Page,
    Query,
    Section,
    offer_document,
    offer_fields,
    register_json_download,
    register_page,
    usd,
)

#: The competing offer and the current job are optional: empty unless given.
BLANK = dict.fromkeys(EXAMPLE_NEW_OFFER, "")


def _inputs(q: Query) -> tuple[list[Field], NegotiateRequest]:
    """The form's fields and the API request they make."""
    offer_group = offer_fields(q, "o", "Offer", EXAMPLE_NEW_OFFER)
    competing_group = offer_fields(q, "x", "Competing offer", BLANK)
    current_group = offer_fields(q, "c", "Current job", BLANK)
    role, level = q.get("role", "ml-engineer"), q.get("level", "senior")
    months, years = q.integer("c_months", 18), q.integer("years", 4)
    fields = [
        *offer_group,
        Field("role", "Role", options=ROLES, selected=[role or ""], required=True),
        Field("level", "Level", options=LEVELS, selected=[level or ""], required=True),
        Field("years", "Years to average equity over", str(years), type="number"),
        *competing_group,
        *current_group,
        Field("c_months", "Current grant: months since granted", str(months), type="number"),
    ]
    cohort = {"role": role, "level": level, "country": "US"}
    offer = offer_document(offer_group, "o")
    if offer is None:
        raise CareerbenchError("o_base: give the offer's base salary")
    competing = offer_document(competing_group, "x")
    current = offer_document(current_group, "c")
    if current is not None:
        for grant in current.get("rsu", []):
            grant["granted_months_ago"] = months
        current |= cohort | {"tenure_months": months}
    body = NegotiateRequest(
        offer=offer | cohort,
        competing=[] if competing is None else [competing],
        current=current,
        years=years,
    )
    return fields, body


def plan_document(request: Request, q: Query) -> dict[str, Any]:
    """The plan for the query string, as ``POST /api/negotiate`` returns it."""
    from careerbench.api.routes_money import negotiate

    return negotiate(request, _inputs(q)[1])


def _percentile(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _signed_usd(value: float | None) -> str:
    if value is None:
        return "-"
    return f"-${-value:,.0f}" if value < 0 else usd(value)


def _cohort_section(doc: dict[str, Any]) -> Section:
    from careerbench.money.charts import position_spec

    year = doc["currency_year"]
    rows = [
        [
            c["name"].replace("_", " "),
            usd(c["offer"]),
            _percentile(c["percentile"]),
            usd(c["cohort_p50"]),
            usd(c["cohort_p75"]),
            _signed_usd(c["room_to_p75"]),
            f"{c['n']:,}",
        ]
        for c in doc["components"]
    ]
    q = doc["cohort_total_comp"]
    return Section(
        f"The offer in its cohort (cohort in USD of {year})",
        ["component", "offer", "percentile", "cohort P50", "cohort P75", "room to P75", "n"],
        rows,
        chart=position_spec(doc),
        chart_label="The offer's total comp, the target and the walk-away among the cohort's "
        "P10 to P90 total comp",
        testid="cohort",
        notes=[
            "cohort: " + (", ".join(f"{k}={v}" for k, v in doc["cohort"].items()) or "everyone"),
            f"{doc['n']:,} data points; sources: "
            + ", ".join(f"{k} {v:,}" for k, v in doc["sources"].items())
            + "; data years: "
            + ", ".join(f"{y}: {n:,}" for y, n in doc["years"].items()),
            "cohort total comp: " + ", ".join(f"{k.upper()} {usd(v)}" for k, v in q.items()),
            *(f"relaxed {r}" for r in doc["relaxed"]),
            *doc["notes"],
            f"offer: base and target bonus of year one, equity averaged over the first "
            f"{doc['horizon_years']} years (sign-on apart)",
        ],
    )


def _targets_section(doc: dict[str, Any]) -> Section:
    most_room = doc["most_room"]
    notes = [
        f"target {usd(doc['target'])}: {doc['target_basis']} (the cohort's P75, raised to the "
        "best competing offer's yearly total comp when that is higher)",
        f"walk away below {usd(doc['walk_away'])}: {doc['walk_away_basis']} (the cohort's P50, "
        "raised to your current yearly total comp when that is higher)",
        f"most room: {most_room.replace('_', ' ')} (furthest below its cohort P75)"
        if most_room
        else "most room: no component is below its cohort P75 (or the cohort lacks it)",
    ]
    if doc["unvested_cover"] is not None:
        notes.append(
            f"sign-on that covers the unvested stock you would leave: {usd(doc['unvested_cover'])}"
        )
    if isinstance(doc["estimate"], str):
        notes.append(doc["estimate"])
    return Section("Target and walk-away", notes=notes)


def _competing_section(doc: dict[str, Any]) -> Section:
    place = (doc["reference_place"] or {}).get("label", "the offer's place")
    return Section(
        f"Competing offers after tax and cost of living ({doc['horizon_years']} years, "
        f"in {place} prices)",
        ["offer", "pre-tax", "total tax", "after tax", "after tax, cost-of-living adjusted"],
        [
            [
                o["offer"] + (" (this offer)" if i == 0 else ""),
                usd(o["after_tax_col_total"]["pre_tax"]),
                usd(o["after_tax_col_total"]["total_tax"]),
                usd(o["after_tax_col_total"]["after_tax"]),
                usd(o["after_tax_col_total"]["after_tax_col"]),
            ]
            for i, o in enumerate(doc["competing"])
        ],
        testid="competing",
    )


def page_negotiate(request: Request, q: Query) -> Page:
    fields, _ = _inputs(q)
    page = Page(
        "/negotiate",
        "Negotiate an offer",
        "Where the offer sits in its cohort, component by component, a target and a walk-away "
        "with how each is derived, and talking points with their data. A competing offer and "
        "your current job are optional. Nothing you enter is stored or logged.",
        fields=fields,
    )
    doc = plan_document(request, q)
    page.verdict = (
        f"Target {usd(doc['target'])} ({doc['target_basis']}); walk away below "
        f"{usd(doc['walk_away'])} ({doc['walk_away_basis']})"
    )
    page.sections.append(_cohort_section(doc))
    page.sections.append(_targets_section(doc))
    if doc["competing"]:
        page.sections.append(_competing_section(doc))
    page.sections.append(
        Section(
            "Talking points, each with its data",
            ["point", "n", "source", "data years"],
            [
                [
                    e["point"],
                    "-" if e["n"] is None else f"{e['n']:,}",
                    e["source"],
                    e["year"] or "-",
                ]
                for e in doc["evidence"]
            ],
            testid="points",
        )
    )
    page.sections.append(
        Section(
            "Published advice (advice, with its source; not computed from our data)",
            notes=[f"{a['claim']} — {a['source']}" for a in doc["advice"]],
        )
    )
    page.downloads = [
        ("JSON", f"/download/negotiate.json?{q.text}"),
        ("CSV", f"/download/negotiate.csv?{q.text}"),
    ]
    page.share = f"/negotiate?{q.text}"
    return page


register_page("negotiate", page_negotiate)

register_json_download("negotiate", plan_document)
