"""The pages: each one a form whose state lives in the query string, tables, a chart, downloads.

A page builder turns the query string into a ``Page`` by calling the same library functions as
the API (so the numbers shown equal the API's); the template renders it. Charts are Vega-Lite
specs rendered to SVG on the server by vl-convert (which bundles Vega): pages need no script,
work offline, and keep a strict Content-Security-Policy. ``/download/<page>.csv`` returns a
page's main table with the same query string.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from careerbench.errors import CareerbenchError
from careerbench.schema import Level, Remote, RoleFamily, Tier

HERE = Path(__file__).parent
STATIC = HERE / "static"
NAV = [
    ("/", "Where I stand"),
    ("/estimate", "Estimate"),
    ("/offers", "Offers"),
    ("/switch", "Switch or stay"),
    ("/negotiate", "Negotiate"),
    ("/places", "Places"),
    ("/tracks", "Tracks"),
    ("/simulate", "Simulate"),
    ("/skills", "Skills"),
    ("/trends", "Trends"),
    ("/data", "Data"),
]
TEMPLATES = Environment(
    loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"])
)
router = APIRouter(include_in_schema=False)


@dataclass
class Field:
    name: str
    label: str
    value: str | None = None
    type: str = "text"
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    multiple: bool = False
    required: bool = False
    placeholder: str = ""


@dataclass
class Section:
    heading: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chart: dict[str, Any] | None = None
    chart_label: str = ""
    svg: str = ""
    testid: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Page:
    path: str
    title: str
    intro: str
    fields: list[Field] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    verdict: str = ""
    error: str = ""
    downloads: list[tuple[str, str]] = field(default_factory=list)
    share: str = ""


def usd(value: float | None) -> str:
    return "-" if value is None else f"${value:,.0f}"


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value:+.0%}"


class Query:
    """Read access to the query string: one value, several values, numbers."""

    def __init__(self, request: Request) -> None:
        self.params = request.query_params
        # Blank fields mean "not given": links made from the query leave them out, so the
        # API behind a download link (which rejects empty strings) gets the same question.
        given = [(k, v) for k, v in self.params.multi_items() if v.strip()]
        self.text = urlencode(given)

    def get(self, name: str, default: str | None = None) -> str | None:
        value = self.params.get(name)
        return value.strip()[:100] if value and value.strip() else default

    def many(self, name: str) -> list[str]:
        return [v.strip()[:100] for v in self.params.getlist(name) if v.strip()][:10]

    def number(self, name: str, default: float | None = None) -> float | None:
        value = self.get(name)
        if value is None:
            return default
        try:
            return float(value.replace(",", "").replace("$", ""))
        except ValueError:
            raise CareerbenchError(f"{name}: {value!r} is not a number") from None

    def integer(self, name: str, default: int) -> int:
        value = self.number(name)
        return default if value is None else int(value)


def _given(**values: str | None) -> list[tuple[str, str]]:
    """Query pairs for the values that are set."""
    return [(k, v) for k, v in values.items() if v]


ROLES = [r.value for r in RoleFamily]
LEVELS = [lv.value for lv in Level]
TIERS = [t.value for t in Tier]


# ---- where I stand ---------------------------------------------------------------------
def quantile_chart(
    rows: list[tuple[str, Any]], you: float | None, currency_year: int
) -> dict[str, Any]:
    """Box-style quantile chart (P10-P90 line, P25-P75 bar, P50 tick) with "you are here"."""
    data = [
        {"measure": name, "p10": q.p10, "p25": q.p25, "p50": q.p50, "p75": q.p75, "p90": q.p90}
        for name, q in rows
        if q is not None
    ]
    x = {
        "type": "quantitative",
        "title": f"annual USD of {currency_year}",
        "axis": {"format": "$,.0f"},
    }
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "rule"},
            "encoding": {"x": {"field": "p10", **x}, "x2": {"field": "p90"}},
        },
        {
            "mark": {"type": "bar", "size": 14},
            "encoding": {"x": {"field": "p25", **x}, "x2": {"field": "p75"}},
        },
        {
            "mark": {"type": "tick", "color": "black", "size": 18},
            "encoding": {"x": {"field": "p50", **x}},
        },
    ]
    for layer in layers:
        layer["encoding"]["y"] = {
            "field": "measure",
            "type": "nominal",
            "title": None,
            "sort": None,
        }
    spec: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": 640,
        "height": {"step": 34},
        "data": {"values": data},
        "layer": layers,
    }
    if you is not None:
        spec["layer"].append(
            {
                "data": {"values": [{"you": you, "label": "you are here"}]},
                "layer": [
                    {
                        "mark": {"type": "rule", "color": "#cf222e", "strokeWidth": 2},
                        "encoding": {"x": {"field": "you", **x}},
                    },
                    {
                        "mark": {
                            "type": "text",
                            "color": "#cf222e",
                            "align": "left",
                            "baseline": "top",
                            "dx": 4,
                        },
                        "encoding": {
                            "x": {"field": "you", **x},
                            "y": {"value": 0},
                            "text": {"field": "label"},
                        },
                    },
                ],
            }
        )
    return spec


def page_index(request: Request, q: Query) -> Page:
    from careerbench.api.routes_market import run_benchmark
    from careerbench.api.schemas import BenchmarkQuery

    values = {
        "role": q.get("role", "ml-engineer"),
        "level": q.get("level", "senior"),
        "tier": q.get("tier"),
        "company": q.get("company"),
        "country": q.get("country", "US"),
        "state": q.get("state"),
        "metro": q.get("metro"),
        "remote": q.get("remote"),
        "years": q.get("years"),
        "since": q.get("since"),
        "tc": q.get("tc"),
    }
    page = Page(
        "/",
        "Where I stand",
        "Pay percentiles of your cohort, with the data points behind them, the BLS "
        "population reference, and where your pay stands. Your pay is not stored or logged.",
    )
    page.fields = [
        Field("role", "Role", options=ROLES, selected=[values["role"] or ""]),
        Field("level", "Level", options=LEVELS, selected=[values["level"] or ""]),
        Field("tier", "Company tier", options=TIERS, selected=[values["tier"] or ""]),
        Field("company", "Company", values["company"], placeholder="e.g. Google"),
        Field("country", "Country", values["country"]),
        Field("state", "US state", values["state"], placeholder="e.g. CA"),
        Field("metro", "Metro", values["metro"], placeholder="e.g. Seattle"),
        Field(
            "remote", "Remote", options=[r.value for r in Remote], selected=[values["remote"] or ""]
        ),
        Field("years", "Years of experience", values["years"], placeholder="e.g. 3-6"),
        Field("since", "Data since year", values["since"], type="number"),
        Field("tc", "Your total comp (USD)", values["tc"], type="number"),
    ]
    since = q.number("since")
    query = BenchmarkQuery.model_validate(
        {k: v for k, v in values.items() if k not in ("since", "tc") and v is not None}
        | {"since": None if since is None else int(since), "tc": q.number("tc")}
    )
    doc = run_benchmark(request, query)
    year = doc["currency_year"]
    page.sections.append(
        Section(
            "Cohort",
            notes=[
                "filters applied: "
                + (", ".join(f"{k}={v}" for k, v in doc["filters"].items()) or "everyone"),
                f"{doc['n']:,} data points (floor {doc['k']}); dollars of {year}, "
                f"CPI-U adjusted; method {doc['method']}",
                *[
                    f"relaxed {r['detail']}: n {r['n_before']:,} -> {r['n_after']:,}"
                    for r in doc["relaxed"]
                ],
                *doc["notes"],
                "sources: " + ", ".join(f"{k} {v:,}" for k, v in doc["sources"].items()),
            ],
        )
    )
    if doc["total_comp"] is not None:
        from careerbench.benchmark import Quantiles

        measures: list[tuple[str, Any]] = [("total comp", Quantiles(**doc["total_comp"]))]
        for name, comp in doc["components"].items():
            if "p50" in comp:
                measures.append(
                    (name, Quantiles(*(comp[p] for p in ("p10", "p25", "p50", "p75", "p90"))))
                )
        bls = doc["bls"]
        rows = [
            [
                name,
                f"{doc['n'] if name == 'total comp' else doc['components'][name]['n']:,}",
                *(usd(getattr(qq, p)) for p in ("p10", "p25", "p50", "p75", "p90")),
            ]
            for name, qq in measures
        ]
        if bls is not None and bls.get("p50") is not None:
            rows.append(
                [
                    f"BLS {bls['soc']} {bls['soc_title']} ({bls['area']})",
                    "population",
                    *(usd(bls.get(p)) for p in ("p10", "p25", "p50", "p75", "p90")),
                ]
            )
            measures.append(
                (
                    f"BLS {bls['soc']}",
                    Quantiles(
                        *(bls.get(p) or bls["p50"] for p in ("p10", "p25", "p50", "p75", "p90"))
                    ),
                )
            )
        page.sections.insert(
            0,
            Section(
                "Annual pay",
                ["measure", "n", "P10", "P25", "P50", "P75", "P90"],
                rows,
                chart=quantile_chart(measures, doc["pay"], year),
                chart_label="Cohort pay distribution with your pay marked",
                testid="pay",
                notes=["BLS row: base wages of the whole occupation at all employers, May 2025."]
                if bls
                else [],
            ),
        )
    if doc["percentile"] is not None:
        verdict = doc["verdict"]
        page.verdict = (
            f"Your total comp {usd(doc['pay'])} is at percentile {doc['percentile']:.0f} "
            f"of the cohort. {verdict['text'] if verdict else ''}"
        )
        if verdict:
            page.sections.append(
                Section(
                    "Rule of thumb applied",
                    notes=[f"{verdict['rule']['claim']} — {verdict['rule']['source']}"],
                )
            )
    if doc["relaxed"]:
        from careerbench.web.estimate_page import exact_profile_section

        page.sections.insert(1, exact_profile_section(request, doc))
    page.downloads = [
        ("JSON", f"/api/benchmark?{q.text}"),
        ("CSV", f"/download/index.csv?{q.text}"),
    ]
    page.share = f"/?{q.text}"
    return page


# ---- data ---------------------------------------------------------------------------------
def page_data(request: Request, q: Query) -> Page:
    from careerbench import datasets
    from careerbench.api.routes_market import LICENCES, _public_origin

    store = request.app.state.store
    page = Page(
        "/data",
        "Data and provenance",
        "Every source in the store, how many rows were read, loaded and quarantined, and "
        "why rows were not loaded. Figures are annual pay in nominal dollars of the year "
        "observed; pages convert them with CPI-U.",
    )
    loads = datasets.loads(store)
    page.sections.append(
        Section(
            "Sources",
            ["load", "origin", "read", "loaded", "quarantined", "records", "loaded at", "licence"],
            [
                [
                    ld.load_key,
                    _public_origin(ld.origin),
                    f"{ld.rows_read:,}",
                    f"{ld.rows_loaded:,}",
                    f"{ld.rows_quarantined:,}",
                    f"{ld.records:,}",
                    f"{ld.loaded_at:%Y-%m-%d %H:%M}",
                    LICENCES.get(ld.source, ""),
                ]
                for ld in loads
            ],
            testid="sources",
            notes=["read = loaded + quarantined for every source."],
        )
    )
    summary = datasets.quarantine_summary(store)
    page.sections.append(
        Section(
            "Quarantined rows by reason",
            ["source", "reason", "rows", "example rows"],
            [
                [e.source, e.reason, f"{e.rows:,}", ", ".join(map(str, e.example_rows))]
                for e in summary
            ],
            notes=[] if summary else ["nothing quarantined"],
            testid="quarantine",
        )
    )
    page.downloads = [("JSON", "/api/sources"), ("CSV", "/download/data.csv")]
    page.share = "/data"
    return page


# ---- tracks -------------------------------------------------------------------------------
def page_tracks(request: Request, q: Query) -> Page:
    from careerbench.api.routes_paths import tracks_compare
    from careerbench.paths.tracks import DIMENSIONS, tracks

    chosen = q.many("tracks") or ["ml-engineer", "research-scientist"]
    tier, level = q.get("tier"), q.get("level")
    page = Page(
        "/tracks",
        "Tracks compared",
        "Pay by level from our data beside what the work is like, every claim with its "
        "source, and the published numbers tested on our data.",
    )
    page.fields = [
        Field(
            "tracks",
            "Tracks (pick two or more)",
            options=list(tracks()),
            selected=chosen,
            multiple=True,
        ),
        Field("tier", "Company tier", options=TIERS, selected=[tier or ""]),
        Field("level", "Level", options=LEVELS, selected=[level or ""]),
    ]
    doc = tracks_compare(request, chosen, tier=tier, level=level)
    names = {t: tracks()[t].name for t in doc["tracks"]}
    levels = list(dict.fromkeys(c["level"] for cells in doc["pay"].values() for c in cells))
    rows = []
    for lv in levels:
        row: list[Any] = [lv]
        for t in doc["tracks"]:
            cell = next((c for c in doc["pay"][t] if c["level"] == lv), None)
            row.append(
                "-"
                if cell is None
                else (
                    f"{usd(cell['p25'])} / {usd(cell['p50'])} / {usd(cell['p75'])} "
                    f"(n={cell['n']:,})"
                    if "p50" in cell
                    else f"n={cell['n']}"
                )
            )
        rows.append(row)
    page.sections.append(
        Section(
            f"Total comp by level: P25 / P50 / P75 (USD of {doc['currency_year']})",
            ["level", *names.values()],
            rows,
            testid="pay",
            notes=doc["notes"],
        )
    )
    dims = [
        [
            d.replace("_", " "),
            *(
                f"{doc['dimensions'][t][d]['text']} [{doc['dimensions'][t][d]['source']}]"
                for t in doc["tracks"]
            ),
        ]
        for d in DIMENSIONS
    ]
    page.sections.append(Section("What the work is like", ["dimension", *names.values()], dims))
    page.sections.append(
        Section(
            "Published claims tested on our data",
            ["claim", "estimate", "95% interval", "n", "verdict"],
            [
                [
                    c["claim"],
                    "-"
                    if c["estimate"] is None
                    else (
                        pct(c["estimate"]) if c["kind"] == "premium" else f"{c['estimate']:.1f}x"
                    ),
                    "-"
                    if c["interval"] is None
                    else " to ".join(
                        pct(v) if c["kind"] == "premium" else f"{v:.1f}x" for v in c["interval"]
                    ),
                    f"{c['n_numerator']:,} vs {c['n_denominator']:,}",
                    c["verdict"],
                ]
                for c in doc["claims"]
            ],
            testid="claims",
        )
    )
    page.downloads = [
        (
            "JSON",
            "/api/tracks/compare?"
            + urlencode([("tracks", t) for t in chosen] + _given(tier=tier, level=level)),
        ),
        ("CSV", f"/download/tracks.csv?{q.text}"),
    ]
    page.share = f"/tracks?{q.text}"
    return page


# ---- simulate -----------------------------------------------------------------------------
def fan_spec(runs: list[dict[str, Any]]) -> dict[str, Any]:
    values = [
        {
            "series": r["label"],
            "year": y["year"],
            "p10": y["cumulative_p10"],
            "p50": y["cumulative_p50"],
            "p90": y["cumulative_p90"],
        }
        for r in runs
        for y in r["by_year"]
    ]
    x = {"field": "year", "type": "quantitative", "axis": {"tickMinStep": 1}}
    color = {
        "field": "series",
        "type": "nominal",
        "title": None,
        "legend": {"orient": "top", "labelLimit": 400},
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": 640,
        "height": 280,
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "area", "opacity": 0.25},
                "encoding": {
                    "x": x,
                    "color": color,
                    "y": {
                        "field": "p10",
                        "type": "quantitative",
                        "title": "cumulative earnings",
                        "axis": {"format": "$.3~s"},
                    },
                    "y2": {"field": "p90"},
                },
            },
            {
                "mark": {"type": "line", "strokeWidth": 2},
                "encoding": {"x": x, "color": color, "y": {"field": "p50", "type": "quantitative"}},
            },
        ],
    }


def page_simulate(request: Request, q: Query) -> Page:
    from careerbench.api.routes_paths import run_simulation
    from careerbench.api.schemas import SimulateQuery
    from careerbench.paths.simulate import model
    from careerbench.paths.tracks import tracks

    values = {
        "track": q.get("track", "ml-engineer"),
        "start_level": q.get("start_level", "mid"),
        "tier": q.get("tier"),
        "vs": q.get("vs"),
        "scenario": q.get("scenario"),
    }
    years, paths, seed = q.integer("years", 10), q.integer("paths", 10_000), q.integer("seed", 0)
    page = Page(
        "/simulate",
        "Simulate a career",
        "Monte Carlo of promotions, job switches, layoffs and equity returns over market pay "
        "by level from our data. Seeded: the same inputs give the same result.",
    )
    page.fields = [
        Field(
            "track",
            "Track",
            options=list(tracks()),
            selected=[values["track"] or ""],
            required=True,
        ),
        Field(
            "start_level",
            "Start level",
            options=list(model()["ladder"]),
            selected=[values["start_level"] or ""],
            required=True,
        ),
        Field("tier", "Tier", options=TIERS, selected=[values["tier"] or ""]),
        Field("years", "Years", str(years), type="number"),
        Field("paths", "Paths", str(paths), type="number"),
        Field("seed", "Seed", str(seed), type="number"),
        Field("vs", "Compare with track", options=list(tracks()), selected=[values["vs"] or ""]),
        Field(
            "scenario",
            "Transition",
            options=list(model()["scenarios"]),
            selected=[values["scenario"] or ""],
        ),
    ]
    query = SimulateQuery(
        **{k: v for k, v in values.items() if v}, years=years, paths=paths, seed=seed
    )
    doc = run_simulation(request, query)
    runs = [doc] if "by_year" in doc else [doc["a"], doc["b"]]
    from careerbench.paths.simulate import Career

    for run in runs:
        run["label"] = Career(**run["career"]).label()
    page.sections.append(
        Section(
            "Cumulative earnings, P10-P90 with the median",
            chart=fan_spec(runs),
            chart_label="Fan chart of cumulative earnings by year",
        )
    )
    for run in runs:
        page.sections.append(
            Section(
                f"{run['label']}: {run['paths']:,} paths, seed {run['seed']}",
                [
                    "year",
                    "annual P10",
                    "annual P50",
                    "annual P90",
                    "cumulative P10",
                    "cumulative P50",
                    "cumulative P90",
                ],
                [
                    [
                        y["year"],
                        usd(y["annual_p10"]),
                        usd(y["annual_p50"]),
                        usd(y["annual_p90"]),
                        usd(y["cumulative_p10"]),
                        usd(y["cumulative_p50"]),
                        usd(y["cumulative_p90"]),
                    ]
                    for y in run["by_year"]
                ],
                notes=[run["currency"], *run["notes"]],
                testid="years",
            )
        )
    if "probability_a_ahead_by_year" in doc:
        page.verdict = (
            f"Chance that {runs[0]['label']} has earned more than {runs[1]['label']} by year "
            f"{years}: {doc['probability_a_ahead_by_year'][-1]:.0%}"
        )
    page.downloads = [
        ("JSON", f"/api/simulate?{q.text}"),
        ("CSV", f"/download/simulate.csv?{q.text}"),
    ]
    page.share = f"/simulate?{q.text}"
    return page


# ---- skills -------------------------------------------------------------------------------
def page_skills(request: Request, q: Query) -> Page:
    from careerbench.api.routes_paths import run_skills
    from careerbench.api.schemas import SkillsQuery
    from careerbench.paths.skills import knowledge

    doc_k = knowledge()
    have, not_yet, clusters = q.many("have"), q.many("not_yet"), q.many("clusters")
    role, level, tc = q.get("role", "ml-engineer"), q.get("level", "senior"), q.number("tc")
    page = Page(
        "/skills",
        "Skills that raise pay",
        "The premium-tier checklist, each skill cluster's published premium applied to your "
        "cohort, the premium measured on our data, and what to do next.",
    )
    page.fields = [
        Field(
            "have",
            "These hold for me",
            options=[i["id"] for i in doc_k["premium_tier"]["items"]],
            selected=have,
            multiple=True,
        ),
        Field(
            "not_yet",
            "These also hold",
            options=[i["id"] for i in doc_k["not_yet"]["items"]],
            selected=not_yet,
            multiple=True,
        ),
        Field(
            "clusters",
            "Skill clusters I have",
            options=list(doc_k["clusters"]),
            selected=clusters,
            multiple=True,
        ),
        Field("role", "Role", options=ROLES, selected=[role or ""]),
        Field("level", "Level", options=LEVELS, selected=[level or ""]),
        Field("tc", "Your total comp (optional)", q.get("tc"), type="number"),
    ]
    query = SkillsQuery(
        have=",".join(have),
        not_yet=",".join(not_yet),
        clusters=",".join(clusters),
        role=role,
        level=level,
        tc=tc,
        measure=True,
    )
    doc = run_skills(request, query)
    page.verdict = (
        f"{doc['verdict']}: {len(doc['premium_signals'])} of 5 premium signals, "
        f"{len(doc['not_yet_signals'])} 'not yet' signals"
    )
    checklist = [
        [i["id"], i["text"]] for i in doc_k["premium_tier"]["items"] + doc_k["not_yet"]["items"]
    ]
    page.sections.append(Section("Checklist", ["id", "signal"], checklist))
    page.sections.append(
        Section(
            "Skill clusters"
            + (
                f": effect on {doc['reference_label']} {usd(doc['reference_pay'])}"
                if doc["reference_pay"]
                else ""
            ),
            ["cluster", "you", "published premium", "effect", "source"],
            [
                [
                    c["name"],
                    "have" if c["held"] else "-",
                    f"{c['premium'][0]:.0%}-{c['premium'][1]:.0%}"
                    if c["premium"]
                    else (
                        f"{usd(c['premium_usd'][0])}-{usd(c['premium_usd'][1])} base"
                        if c["premium_usd"]
                        else "not published"
                    ),
                    "-"
                    if c["effect_usd"] is None
                    else f"+{usd(c['effect_usd'][0])} to +{usd(c['effect_usd'][1])}",
                    c["source"],
                ]
                for c in doc["clusters"]
            ],
            testid="clusters",
        )
    )
    page.sections.append(
        Section(
            "Measured on our data",
            ["comparison", "premium", "95% interval", "n (AI vs other)"],
            [
                [
                    m["what"],
                    pct(m["premium"]),
                    "-"
                    if m["interval"] is None
                    else f"{pct(m['interval'][0])} to {pct(m['interval'][1])}",
                    f"{m['n_ai']:,} vs {m['n_other']:,}",
                ]
                for m in doc["measured"]
            ],
        )
    )
    page.sections.append(Section("Next moves", notes=doc["next_moves"]))
    page.downloads = [
        (
            "JSON",
            "/api/skills/assess?"
            + urlencode(
                [
                    ("have", ",".join(have)),
                    ("not_yet", ",".join(not_yet)),
                    ("clusters", ",".join(clusters)),
                    *_given(role=role, level=level),
                ]
            ),
        ),
        ("CSV", f"/download/skills.csv?{q.text}"),
    ]
    page.share = f"/skills?{q.text}"
    return page


# ---- places -------------------------------------------------------------------------------
def page_places(request: Request, q: Query) -> Page:
    from careerbench.api.routes_money import places_compare

    places = q.many("place") or ["San Francisco, CA", "remote:Austin, TX"]
    pays = [p for p in (q.number(f"pay{i}") for i in range(1, len(places) + 1))]
    role, level = q.get("role"), q.get("level")
    if not role and all(p is None for p in pays) and not q.many("place"):
        pays = [260_000.0, 220_000.0]
    page = Page(
        "/places",
        "The same job in different places",
        "Pay, taxes and cost of living (BEA price parities) for each place; with a role and "
        "level, pay is the market median from our data, else the pay you enter.",
    )
    page.fields = [
        Field(
            "place",
            f"Place {i + 1}",
            places[i] if i < len(places) else "",
            placeholder="City, ST or remote:City, ST",
        )
        for i in range(4)
    ]
    page.fields += [
        Field(
            f"pay{i + 1}",
            f"Pay in place {i + 1}",
            None if i >= len(pays) or pays[i] is None else f"{pays[i]:.0f}",
            type="number",
        )
        for i in range(4)
    ]
    page.fields += [
        Field("role", "Role (market pay)", options=ROLES, selected=[role or ""]),
        Field("level", "Level", options=LEVELS, selected=[level or ""]),
    ]
    given = [p for p in pays if p is not None]
    doc = places_compare(
        request, places, pay=given if given and not role else None, role=role, level=level
    )
    page.sections.append(
        Section(
            f"In {doc['reference_place']['label']} dollars",
            ["place", "pay", "total tax", "after tax", "RPP", "after tax, cost-of-living adjusted"],
            [
                [
                    p["location"]["label"],
                    usd(p["pay"]),
                    usd(p["total_tax"]),
                    usd(p["after_tax"]),
                    f"{p['rpp_all_items']['rpp']:.1f}",
                    usd(p["after_tax_col"]),
                ]
                for p in doc["places"]
            ],
            testid="places",
        )
    )
    check = doc["published_claim_check"]
    page.sections.append(
        Section("The published Austin vs San Francisco claim", notes=[check.get("text", "")])
    )
    page.downloads = [
        (
            "JSON",
            "/api/places/compare?"
            + urlencode(
                [("places", p) for p in places]
                + [("pay", str(p)) for p in given]
                + _given(role=role, level=level)
            ),
        ),
        ("CSV", f"/download/places.csv?{q.text}"),
    ]
    page.share = f"/places?{q.text}"
    return page


# ---- offers and switch-or-stay ------------------------------------------------------------
SCHEDULES = ["even-4y-quarterly", "even-4y-monthly", "5-15-40-40", "33-33-22-12"]
EXAMPLE_OFFERS = [
    {
        "employer": "BigCo",
        "place": "San Francisco, CA",
        "base": "260000",
        "bonus": "15",
        "rsu": "400000",
        "schedule": "33-33-22-12",
        "signon": "50000",
    },
    {
        "employer": "RemoteCo",
        "place": "remote:Austin, TX",
        "base": "220000",
        "bonus": "10",
        "rsu": "200000",
        "schedule": "even-4y-quarterly",
        "signon": "",
    },
]


#: The example new offer of the switch and negotiate pages (a form's values before any input).
EXAMPLE_NEW_OFFER = {
    "employer": "NewCo",
    "place": "Austin, TX",
    "base": "215000",
    "bonus": "15",
    "rsu": "320000",
    "schedule": "even-4y-quarterly",
    "signon": "40000",
}


def offer_fields(q: Query, prefix: str, label: str, example: dict[str, str]) -> list[Field]:
    """The inputs of one offer, prefilled from the query string or the example."""
    given = any(q.get(f"{prefix}_{k}") for k in example)
    value = {k: (q.get(f"{prefix}_{k}") if given else v) for k, v in example.items()}
    return [
        Field(f"{prefix}_employer", f"{label}: employer", value["employer"]),
        Field(
            f"{prefix}_place",
            f"{label}: place",
            value["place"],
            placeholder="City, ST or remote:City, ST",
        ),
        Field(f"{prefix}_base", f"{label}: base", value["base"], type="number"),
        Field(f"{prefix}_bonus", f"{label}: bonus %", value["bonus"], type="number"),
        Field(f"{prefix}_rsu", f"{label}: RSU grant", value["rsu"], type="number"),
        Field(
            f"{prefix}_schedule",
            f"{label}: vesting",
            options=SCHEDULES,
            selected=[value["schedule"] or SCHEDULES[0]],
            required=True,
        ),
        Field(f"{prefix}_signon", f"{label}: sign-on", value["signon"], type="number"),
    ]


def offer_document(fields: list[Field], prefix: str) -> dict[str, Any] | None:
    """An offer file's content from its page inputs (None when the offer is left empty)."""
    value = {
        f.name.removeprefix(prefix + "_"): (f.value or (f.selected or [""])[0]) for f in fields
    }
    if not value["base"]:
        return None
    document: dict[str, Any] = {
        "employer": value["employer"] or prefix,
        "place": value["place"] or "US",
        "base": float(value["base"]),
        "bonus_target_pct": float(value["bonus"] or 0),
    }
    if value["rsu"]:
        document["rsu"] = [{"value": float(value["rsu"]), "schedule": value["schedule"]}]
    if value["signon"]:
        document["sign_on"] = [{"amount": float(value["signon"]), "year": 1}]
    return document


def cumulative_spec(offers: list[dict[str, Any]], reference: str) -> dict[str, Any]:
    values = [
        {"offer": o["offer"], "year": y["year"], "cumulative": c}
        for o in offers
        for y, c in zip(o["years"], _running([y["after_tax_col"] for y in o["years"]]), strict=True)
    ]
    x = {"field": "year", "type": "quantitative", "axis": {"tickMinStep": 1}}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": 640,
        "height": 260,
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": x,
            "y": {
                "field": "cumulative",
                "type": "quantitative",
                "axis": {"format": "$.3~s"},
                "title": f"cumulative after tax, in {reference} prices",
            },
            "color": {"field": "offer", "type": "nominal", "legend": {"orient": "top"}},
        },
    }


def _running(values: list[float]) -> list[float]:
    out, total = [], 0.0
    for v in values:
        total += v
        out.append(total)
    return out


def year_rows(offer: dict[str, Any]) -> list[list[Any]]:
    measures = [
        ("base", "base"),
        ("bonus", "bonus"),
        ("sign-on", "sign_on"),
        ("vested equity", "equity_total"),
        ("pre-tax", "pre_tax"),
        ("federal income tax", "federal_income_tax"),
        ("state income tax", "state_income_tax"),
        ("payroll tax", "payroll_tax"),
        ("after tax", "after_tax"),
        ("after tax, cost-of-living adjusted", "after_tax_col"),
    ]
    return [
        [label, *(usd(y[key]) for y in offer["years"]), usd(sum(y[key] for y in offer["years"]))]
        for label, key in measures
    ]


def page_offers(request: Request, q: Query) -> Page:
    from careerbench.api.routes_money import offers_compare
    from careerbench.api.schemas import OffersRequest

    years = q.integer("years", 4)
    reference = q.get("reference_place")
    page = Page(
        "/offers",
        "Compare offers",
        "Year by year after vesting, taxes (2025 rules) and cost of living, with the risk "
        "of the equity. Nothing you enter is stored or logged.",
    )
    groups = [
        offer_fields(q, f"o{i + 1}", f"Offer {i + 1}", ex) for i, ex in enumerate(EXAMPLE_OFFERS)
    ]
    page.fields = [f for group in groups for f in group] + [
        Field("years", "Years", str(years), type="number"),
        Field("reference_place", "Prices of", reference, placeholder="e.g. Austin, TX"),
    ]
    offers = [d for i, g in enumerate(groups) if (d := offer_document(g, f"o{i + 1}")) is not None]
    body = OffersRequest(offers=offers, years=years, reference_place=reference, paths=2_000)
    doc = offers_compare(body)
    ref = doc["reference_place"]["label"]
    page.sections.append(
        Section(
            "Cumulative after tax, cost-of-living adjusted",
            chart=cumulative_spec(doc["offers"], ref),
            chart_label="Cumulative after-tax pay of each offer by year",
        )
    )
    for offer in doc["offers"]:
        page.sections.append(
            Section(
                f"{offer['offer']} ({offer['place']['label']})",
                ["", *(f"year {y['year']}" for y in offer["years"]), "total"],
                year_rows(offer),
                notes=offer.get("notes", []),
                testid="offer",
            )
        )
    risk = doc.get("risk")
    notes = [
        f"{d['offer']} minus {d['versus']}: {usd(d['cumulative'])} over {years} years"
        for d in doc["differences"]
    ]
    if risk:
        notes += [
            f"{o['offer']}: after-tax total P10 {usd(o['after_tax_col_total']['p10'])}, "
            f"P50 {usd(o['after_tax_col_total']['p50'])}, "
            f"P90 {usd(o['after_tax_col_total']['p90'])} (volatility {o['volatility']:.0%})"
            for o in risk["offers"]
        ]
        notes += [f"P({p['a']} beats {p['b']}) = {p['p_a_beats_b']:.0%}" for p in risk["pairs"]]
    page.sections.append(Section("Difference and risk", notes=notes))
    page.verdict = f"Best expected after tax and cost of living: {doc['best_expected']}"
    page.downloads = [("CSV", f"/download/offers.csv?{q.text}")]
    page.share = f"/offers?{q.text}"
    return page


def page_switch(request: Request, q: Query) -> Page:
    from careerbench.api.routes_money import switch
    from careerbench.api.schemas import SwitchRequest

    years = q.integer("years", 4)
    page = Page(
        "/switch",
        "Switch or stay",
        "What you walk away from, the sign-on that makes a move whole, the break-even "
        "year, promotion scenarios if you stay, and your market gap. Nothing is stored.",
    )
    current_example = {
        "employer": "CurrentCo",
        "place": "Austin, TX",
        "base": "185000",
        "bonus": "10",
        "rsu": "240000",
        "schedule": "even-4y-quarterly",
        "signon": "",
    }
    current_fields = offer_fields(q, "c", "Current job", current_example)
    offer_group = offer_fields(q, "o", "Offer", EXAMPLE_NEW_OFFER)
    months = q.integer("c_months", 18)
    role, level = q.get("role", "ml-engineer"), q.get("level", "senior")
    page.fields = [
        *current_fields,
        Field("c_months", "Current grant: months since granted", str(months), type="number"),
        *offer_group,
        Field("role", "Role (market gap)", options=ROLES, selected=[role or ""]),
        Field("level", "Level", options=LEVELS, selected=[level or ""]),
        Field("years", "Years", str(years), type="number"),
    ]
    current = offer_document(current_fields, "c")
    offer = offer_document(offer_group, "o")
    if current is None or offer is None:
        raise CareerbenchError("base: give a base salary for the current job and the offer")
    for grant in current.get("rsu", []):
        grant["granted_months_ago"] = months
    current |= {"role": role, "level": level, "country": "US", "tenure_months": months}
    offer |= {"role": role, "level": level, "country": "US"}
    doc = switch(request, SwitchRequest(current=current, offer=offer, years=years, paths=2_000))
    for key, title in (("stay", "Stay"), ("switch", "Switch")):
        projection = doc[key]
        page.sections.append(
            Section(
                f"{title}: {projection['offer']} ({projection['place']['label']})",
                ["", *(f"year {y['year']}" for y in projection["years"]), "total"],
                year_rows(projection),
                testid=key,
            )
        )
    band = doc.get("difference_range") or {}
    page.verdict = (
        f"Switch minus stay over {years} years, after tax and cost of living: "
        f"{usd(doc['difference_after_tax_col'])}"
        + (f" (P10 {usd(band.get('p10'))}, P90 {usd(band.get('p90'))})" if band else "")
    )
    notes = [
        f"unvested equity walked away from: {usd(doc['unvested_walked_away'])}",
        f"extra sign-on needed to break even: {usd(doc['break_even_sign_on'])}",
        f"break-even year: {doc['break_even_year'] or 'not within ' + str(years) + ' years'}",
        *[
            f"{s['scenario']}: switch minus this {usd(s['switch_minus_this'])}"
            for s in doc["promotion_scenarios"]
        ],
        f"chance that switching beats staying: {doc['p_switch_beats_stay']:.0%}"
        if doc.get("p_switch_beats_stay") is not None
        else "",
        f"sign-on that covers the unvested stock: {usd(doc['sign_on_to_cover_unvested'])}",
        doc["market_gap"]["text"],
    ]
    page.sections.append(Section("The answer", notes=[n for n in notes if n]))
    page.sections.append(
        Section(
            "Rules of thumb (published, beside the computed answer)",
            notes=[f"{r['claim']} — {r['source']}, {r['date']}" for r in doc["rules_of_thumb"]],
        )
    )
    page.downloads = [("CSV", f"/download/switch.csv?{q.text}")]
    page.share = f"/switch?{q.text}"
    return page


def page_trends(request: Request, q: Query) -> Page:
    from careerbench.api.routes_market import trends

    role, level = q.get("role", "ml-engineer"), q.get("level")
    country = q.get("country", "US")
    page = Page(
        "/trends",
        "Market trends",
        "Pay by year (nominal and in today's dollars), the premium of AI-specific titles by "
        "year, and published trends checked against our data.",
    )
    page.fields = [
        Field("role", "Role", options=ROLES, selected=[role or ""]),
        Field("level", "Level", options=LEVELS, selected=[level or ""]),
        Field("country", "Country", country),
    ]
    doc = trends(request, role=role, level=level, country=country)
    year = doc["currency_year"]
    shown = [y for y in doc["by_year"] if y["p50_real"] is not None]
    chart = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": 640,
        "height": 260,
        "data": {"values": shown},
        "layer": [
            {
                "mark": {"type": "area", "opacity": 0.3},
                "encoding": {
                    "x": {"field": "year", "type": "ordinal"},
                    "y": {
                        "field": "p25_real",
                        "type": "quantitative",
                        "title": f"total comp, USD of {year}",
                        "axis": {"format": "$.3~s"},
                    },
                    "y2": {"field": "p75_real"},
                },
            },
            {
                "mark": {"type": "line", "point": True},
                "encoding": {
                    "x": {"field": "year", "type": "ordinal"},
                    "y": {"field": "p50_real", "type": "quantitative"},
                },
            },
        ],
    }
    page.sections.append(
        Section(
            f"Total comp by year (nominal, and P50 in USD of {year})",
            ["year", "n", "P25", "P50", "P75", f"P50 in {year} USD"],
            [
                [
                    y["year"],
                    f"{y['n']:,}",
                    usd(y["p25"]),
                    usd(y["p50"]),
                    usd(y["p75"]),
                    usd(y["p50_real"]),
                ]
                for y in doc["by_year"]
            ],
            chart=chart,
            chart_label="Pay by year, P25-P75 band and median",
            notes=doc["notes"],
            testid="years",
        )
    )
    page.sections.append(
        Section(
            "Premium of AI-specific titles (aijobs.net postings, same level, country, remote)",
            ["year", "premium", "95% interval", "n (AI vs other)"],
            [
                [
                    y,
                    pct(m["premium"]),
                    "-"
                    if m["interval"] is None
                    else f"{pct(m['interval'][0])} to {pct(m['interval'][1])}",
                    f"{m['n_ai']:,} vs {m['n_other']:,}",
                ]
                for y, m in doc["ai_premium_by_year"].items()
            ],
            testid="premium",
        )
    )
    page.sections.append(
        Section(
            "Published trends checked",
            ["claim", "verdict", "our data"],
            [[c["claim"], c["verdict"], c["evidence"]] for c in doc["claims"]],
            testid="claims",
        )
    )
    page.downloads = [
        ("JSON", "/api/trends?" + urlencode(_given(role=role, level=level, country=country))),
        ("CSV", f"/download/trends.csv?{q.text}"),
    ]
    page.share = f"/trends?{q.text}"
    return page


PAGES: dict[str, Callable[[Request, Query], Page]] = {
    "index": page_index,
    "data": page_data,
    "tracks": page_tracks,
    "simulate": page_simulate,
    "skills": page_skills,
    "places": page_places,
    "offers": page_offers,
    "switch": page_switch,
    "trends": page_trends,
}


def chart_svg(spec: dict[str, Any]) -> str:
    """A Vega-Lite spec as an SVG document (rendered here, offline)."""
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(spec)
    return svg


def render(request: Request, name: str) -> HTMLResponse:
    builder = PAGES[name]
    q = Query(request)
    try:
        page = builder(request, q)
        for section in page.sections:
            if section.chart is not None:
                section.svg = chart_svg(section.chart)
        status = 200
    except (CareerbenchError, ValueError) as exc:
        path = "/" if name == "index" else f"/{name}"
        page = Page(path, dict(NAV).get(path, name), "", error=str(exc))
        status = 422
    html = TEMPLATES.get_template("page.html").render(page=page, nav=NAV)
    return HTMLResponse(html, status_code=status)


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    return render(request, "index")


def _register(name: str) -> None:
    def handler(request: Request) -> HTMLResponse:
        return render(request, name)

    router.add_api_route(f"/{name}", handler, methods=["GET"], response_class=HTMLResponse)


for _name in PAGES:
    if _name != "index":
        _register(_name)


def register_page(name: str, builder: Callable[[Request, Query], Page]) -> None:
    """Serve a page built in another module at ``/<name>`` and its table as CSV."""
    PAGES[name] = builder
    _register(name)


def register_json_download(name: str, document: Callable[[Request, Query], dict[str, Any]]) -> None:
    """Serve ``/download/<name>.json``: ``document`` for the page's query string (the same
    document the page's API endpoint returns), or 422 with the message."""

    def handler(request: Request) -> Response:
        try:
            body = document(request, Query(request))
        except (CareerbenchError, ValueError) as exc:
            return Response(str(exc), status_code=422, media_type="text/plain")
        disposition = f'attachment; filename="{name}.json"'
        return JSONResponse(body, headers={"Content-Disposition": disposition})

    router.add_api_route(f"/download/{name}.json", handler, methods=["GET"])


@router.get("/download/{name}.csv")
def download(request: Request, name: str) -> Response:
    """A page's main table as CSV, for the same query string."""
    if name not in PAGES:
        return Response("no such page", status_code=404, media_type="text/plain")
    try:
        page = PAGES[name](request, Query(request))
    except (CareerbenchError, ValueError) as exc:
        return Response(str(exc), status_code=422, media_type="text/plain")
    table = next((s for s in page.sections if s.columns), None)
    out = io.StringIO()
    writer = csv.writer(out)
    if table is not None:
        writer.writerow(table.columns)
        writer.writerows(table.rows)
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
