"""The estimate page: the pay model's P10..P90 for a profile, with the data behind it.

The state lives in the query string (``role``, ``level``, ``company``, ``tier``, ``metro``,
``state``, ``country``, ``years``, ``remote``, ``year``, ``source``). The page calls the function
behind ``GET /api/estimate``, so its numbers are the API's and those of ``careerbench estimate
--json``. ``/download/estimate.csv`` returns its P10..P90 table and ``/download/estimate.json``
the whole document for the same query string. Figures are annual, nominal USD of the year asked
for (default: this year).

``exact_profile_section`` is the short version for the "Where I stand" page, shown when its
cohort had to be relaxed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from pydantic import ValidationError

from careerbench.api.schemas import EstimateQuery
from careerbench.benchmark import Quantiles
from careerbench.errors import CareerbenchError, InputError
from careerbench.schema import Remote
from careerbench.web.pages import (
    LEVELS,
    ROLES,
    TIERS,
    Field,
    Page,
    Query,
    Section,
    quantile_chart,
    register_json_download,
    register_page,
    usd,
)

SOURCES = ["aijobs", "levelsfyi"]
DEFAULTS = {"role": "ml-engineer", "level": "senior", "country": "US"}
TEXT_FIELDS = ("role", "level", "company", "tier", "metro", "state", "country", "remote", "source")


def validated(values: dict[str, Any]) -> EstimateQuery:
    """The API's query model for ``values``; its first problem as an error naming the field."""
    try:
        return EstimateQuery.model_validate({k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "query"
        raise InputError(field, str(first["msg"])) from None


def _inputs(q: Query) -> tuple[list[Field], EstimateQuery]:
    """The form's fields and the API query they make."""
    text = {name: q.get(name, DEFAULTS.get(name)) for name in TEXT_FIELDS}
    years, year = q.number("years"), q.number("year")
    fields = [
        Field("role", "Role", options=ROLES, selected=[text["role"] or ""], required=True),
        Field("level", "Level", options=LEVELS, selected=[text["level"] or ""], required=True),
        Field("company", "Company", text["company"], placeholder="e.g. Google"),
        Field("tier", "Company tier", options=TIERS, selected=[text["tier"] or ""]),
        Field("metro", "Metro", text["metro"], placeholder="e.g. Seattle"),
        Field("state", "US state", text["state"], placeholder="e.g. WA"),
        Field("country", "Country", text["country"]),
        Field("years", "Years of experience", q.get("years"), type="number", placeholder="e.g. 6"),
        Field(
            "remote", "Remote", options=[r.value for r in Remote], selected=[text["remote"] or ""]
        ),
        Field("year", "Year (its dollars)", q.get("year"), type="number", placeholder="this year"),
        Field("source", "Model", options=SOURCES, selected=[text["source"] or ""]),
    ]
    return fields, validated(text | {"years": years, "year": year})


def estimate_document(request: Request, q: Query) -> dict[str, Any]:
    """The estimate for the query string, as ``GET /api/estimate`` returns it."""
    from careerbench.api.routes_estimate import run_estimate

    return run_estimate(request, _inputs(q)[1])


def _signed_usd(value: float) -> str:
    return f"-${-value:,.0f}" if value < 0 else f"+${value:,.0f}"


def _quantiles(doc: dict[str, Any]) -> list[tuple[str, Quantiles]]:
    measures = [("total comp", Quantiles(**doc["total_comp"]))]
    if doc["base"] is not None:
        measures.append(("base", Quantiles(**doc["base"])))
    return measures


def _pay_section(doc: dict[str, Any]) -> Section:
    year = doc["year"]
    first, last = doc["data_years"]
    coverage = doc["interval_coverage"]
    return Section(
        f"Annual pay, model estimate (nominal USD of {year})",
        ["measure", "P10", "P25", "P50", "P75", "P90"],
        [
            [name, *(usd(getattr(q, p)) for p in ("p10", "p25", "p50", "p75", "p90"))]
            for name, q in _quantiles(doc)
        ],
        chart=quantile_chart(_quantiles(doc), None, year),
        chart_label="Estimated total comp and base: P10 to P90 line, P25 to P75 bar, P50 tick",
        testid="estimate",
        notes=[
            f"P10 to P90 is an interval calibrated to hold {coverage['p10_p90']:.0%} of "
            f"actual pay for profiles like this one, P25 to P75 {coverage['p25_p75']:.0%}.",
            f"model: {doc['model']}, trained on data points of {first}-{last}",
        ],
    )


def _cohort_section(doc: dict[str, Any]) -> Section:
    cohort = doc["cohort"]
    filters = ", ".join(f"{k}={v}" for k, v in cohort["filters"].items()) or "everyone"
    relaxed = cohort["relaxed"]
    return Section(
        "Data behind it: the nearest cohort",
        ["step", "relaxed", "n before", "n after"] if relaxed else [],
        [[r["step"], r["detail"], f"{r['n_before']:,}", f"{r['n_after']:,}"] for r in relaxed],
        testid="relaxed",
        notes=[
            f"nearest cohort ({filters}): n = {cohort['n']:,} data points",
            f"relaxed in {len(relaxed)} step(s) to reach enough data points"
            if relaxed
            else "the exact cohort has enough data points: nothing relaxed",
        ],
    )


def page_estimate(request: Request, q: Query) -> Page:
    fields, _ = _inputs(q)
    page = Page(
        "/estimate",
        "Estimate pay for a profile",
        "What to expect: P10 to P90 of total comp and base from a model trained on every data "
        "point, also where the exact cohort is thin, with the data behind it, the main drivers "
        "and what was assumed. The first estimate on a new store trains the model (about a "
        "minute).",
        fields=fields,
    )
    doc = estimate_document(request, q)
    total = doc["total_comp"]
    page.verdict = (
        f"Estimated total comp: P50 {usd(total['p50'])}, 80% interval {usd(total['p10'])} to "
        f"{usd(total['p90'])} (nominal USD of {doc['year']})"
    )
    page.sections.append(_pay_section(doc))
    page.sections.append(_cohort_section(doc))
    page.sections.append(
        Section(
            "Main drivers (against the average data point of the model)",
            ["feature", "value", "effect on P50"],
            [[d["feature"], d["value"], _signed_usd(d["dollars"])] for d in doc["drivers"]],
            testid="drivers",
        )
    )
    page.sections.append(
        Section(
            "Assumed for the fields not given",
            ["field", "value"] if doc["assumed"] else [],
            [[k, str(v)] for k, v in doc["assumed"].items()],
            testid="assumed",
            notes=[] if doc["assumed"] else ["nothing assumed"],
        )
    )
    page.sections.append(Section("Notes", notes=doc["notes"]))
    page.downloads = [
        ("JSON", f"/download/estimate.json?{q.text}"),
        ("CSV", f"/download/estimate.csv?{q.text}"),
    ]
    page.share = f"/estimate?{q.text}"
    return page


register_page("estimate", page_estimate)

register_json_download("estimate", estimate_document)


# ---- beside a relaxed cohort on "Where I stand" -------------------------------------------
def exact_profile_section(request: Request, benchmark: dict[str, Any]) -> Section:
    """The model's P10/P50/P90 for the profile a benchmark asked for, beside its relaxed cohort.

    In the benchmark's dollars (``currency_year``). Shown only from a model already trained: the
    page does not wait a minute for one, it links to the estimate page, which trains it.
    """
    from careerbench.estimate import trained_model

    requested = benchmark["requested"]
    years = requested.get("years")
    given = [y for y in years or [] if y is not None]
    params = {
        k: requested.get(k)
        for k in ("role", "level", "company", "tier", "metro", "state", "country", "remote")
    }
    if requested.get("metro_name"):
        params["metro"] = requested["metro_name"]
    params |= {
        "years": None if not given else sum(given) / len(given),
        "year": benchmark["currency_year"],
    }
    link = "/estimate?" + urlencode({k: v for k, v in params.items() if v is not None})
    section = Section(
        "Model estimate for your exact profile",
        links=[("Full estimate for this profile", link)],
        testid="exact",
    )
    if trained_model(request.app.state.store) is None:
        section.notes = [
            "The cohort above had to be relaxed. The pay model, which answers for the exact "
            "profile, is not trained for this data yet: the estimate page trains it (about a "
            "minute)."
        ]
        return section
    from careerbench.api.routes_estimate import run_estimate

    try:
        doc = run_estimate(request, validated(params))
    except (CareerbenchError, ValueError) as exc:
        section.notes = [f"no estimate for this profile: {exc}"]
        return section
    section.columns = ["measure", "P10", "P50", "P90"]
    total = doc["total_comp"]
    section.rows = [
        ["model estimate, exact profile", *(usd(total[p]) for p in ("p10", "p50", "p90"))]
    ]
    cohort = benchmark["total_comp"] or {}
    section.rows.append(
        [
            f"relaxed cohort (n={benchmark['n']:,})",
            *(usd(cohort.get(p)) for p in ("p10", "p50", "p90")),
        ]
    )
    section.notes = [
        f"USD of {doc['year']}. The cohort above had to be relaxed; the model answers for the "
        f"profile as given, learning from every data point (model: {doc['model']}).",
        *doc["notes"][:1],
    ]
    if len(given) == 2 and given[0] != given[1]:
        section.notes.append(
            f"years of experience: the middle of your range {given[0]}-{given[1]}, "
            f"{params['years']:g}"
        )
    return section
