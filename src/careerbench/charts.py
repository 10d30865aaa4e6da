"""Every chart careerbench draws, as Vega-Lite specs, rendered offline to SVG or PNG.

One module for the command line (``--chart``), the web pages and the HTML reports, so a chart
looks the same wherever it is shown. Each function takes the library's typed result and returns
a plain Vega-Lite spec (a dict); ``svg`` renders one and ``save_chart`` writes one to a file.
vl-convert bundles the Vega renderer: no browser, no network, no script in the pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from careerbench.errors import InputError

if TYPE_CHECKING:
    from careerbench.benchmark import Quantiles
    from careerbench.money.compare import Comparison
    from careerbench.money.negotiate import Plan
    from careerbench.paths.simulate import Simulation
    from careerbench.trends import Trends

Spec = dict[str, Any]
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
FORMATS = (".svg", ".png")
YOU = "#cf222e"
COHORT = "#0b5fff"
WIDTH = 640


#: How a chart fits the width it is given, and how its title and subtitle are set.
FIT = {"type": "fit", "contains": "padding"}
TITLE_STYLE = {"anchor": "start", "fontSize": 14, "subtitleFontSize": 12}


def _spec(**parts: Any) -> Spec:
    return {"$schema": SCHEMA, "width": WIDTH} | parts


def _title(text: str, subtitle: str | list[str]) -> Spec:
    return {"text": text, "subtitle": subtitle, **TITLE_STYLE}


# ---- pay distributions -----------------------------------------------------------------
def quantiles_spec(
    rows: Sequence[tuple[str, Quantiles]], you: float | None, currency_year: int
) -> Spec:
    """P10-P90 line, P25-P75 bar and P50 tick per measure, with "you are here" when given."""
    data = [
        {"measure": name, "p10": q.p10, "p25": q.p25, "p50": q.p50, "p75": q.p75, "p90": q.p90}
        for name, q in rows
    ]
    x = {
        "type": "quantitative",
        "title": f"annual USD of {currency_year}",
        "axis": {"format": "$,.0f"},
    }
    y = {"field": "measure", "type": "nominal", "title": None, "sort": None}
    layers: list[Spec] = [
        {
            "mark": {"type": "rule"},
            "encoding": {"x": {"field": "p10", **x}, "x2": {"field": "p90"}, "y": y},
        },
        {
            "mark": {"type": "bar", "size": 14},
            "encoding": {"x": {"field": "p25", **x}, "x2": {"field": "p75"}, "y": y},
        },
        {
            "mark": {"type": "tick", "color": "black", "size": 18},
            "encoding": {"x": {"field": "p50", **x}, "y": y},
        },
    ]  # fmt: skip
    if you is not None:
        layers.append(
            {
                "data": {"values": [{"you": you, "label": "you are here"}]},
                "layer": [
                    {
                        "mark": {"type": "rule", "color": YOU, "strokeWidth": 2},
                        "encoding": {"x": {"field": "you", **x}},
                    },
                    {
                        "mark": {
                            "type": "text",
                            "color": YOU,
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
    return _spec(height={"step": 34}, data={"values": data}, layer=layers)


#: Chart text sizes (px): at least 11 wherever the chart is shown.
TEXT = {"labelFontSize": 12, "titleFontSize": 12}
#: Shares of the data points between the quantiles an answer gives.
BANDS = (("p10", "p25", 0.15), ("p25", "p50", 0.25), ("p50", "p75", 0.25), ("p75", "p90", 0.15))


def _short_usd(value: float) -> str:
    """$152k, $1.2M: a figure short enough to label a mark on a phone."""
    if abs(value) >= 1e6:
        return f"${value / 1e6:,.1f}M"
    return f"${value / 1e3:,.0f}k"


def distribution_spec(
    q: Quantiles,
    *,
    title: str,
    subtitle: Sequence[str],
    axis_title: str,
    you: float | None = None,
    you_label: str = "",
    width: int = WIDTH,
) -> Spec:
    """The distribution an answer's quantiles describe: bars between P10, P25, P50, P75 and P90
    whose areas are the shares of the data points between them (15%, 25%, 25%, 15%), P25, P50
    and P75 marked and labelled, and the user's pay (``you``, labelled ``you_label``) marked.
    ``width`` is the whole chart's width in pixels; text stays at least 11 px at that width."""
    bars = []
    for low, high, share in BANDS:
        start, end = getattr(q, low), getattr(q, high)
        if end > start:
            bars.append({"from": start, "to": end, "density": share * 10_000 / (end - start)})
    top = max((b["density"] for b in bars), default=1.0) * 2.2
    lowest, highest = q.p10, q.p90
    # A pay far outside the distribution is drawn at the edge (its label says the figure), so
    # the distribution stays readable.
    reach = max(q.p90 - q.p10, 1.0)
    drawn = None if you is None else min(max(you, q.p10 - reach), q.p90 + reach)
    if drawn is not None:
        lowest, highest = min(lowest, drawn), max(highest, drawn)
    pad = max((highest - lowest) * 0.04, 1.0)
    x = {
        "type": "quantitative",
        "title": axis_title,
        "scale": {"domain": [lowest - pad, highest + pad], "nice": False, "zero": False},
        "axis": {"format": "$~s", "tickCount": 5, "labelFlush": True, **TEXT},
    }
    y_scale = {"domain": [0, top], "nice": False}
    marks = [
        {"name": name, "usd": getattr(q, name.lower()), "row": row, "label": ""}
        for name, row in (("P25", 0), ("P50", 1), ("P75", 0))
    ]
    for mark in marks:
        mark["label"] = f"{mark['name']} {_short_usd(getattr(q, str(mark['name']).lower()))}"
    layers: list[Spec] = [
        {
            "data": {"values": bars},
            "mark": {"type": "rect", "color": COHORT, "opacity": 0.35, "stroke": COHORT},
            "encoding": {
                "x": {"field": "from", **x},
                "x2": {"field": "to"},
                "y": {
                    "field": "density",
                    "type": "quantitative",
                    "title": "share per $10k",
                    "scale": y_scale,
                    "axis": {"format": ".0%", "tickCount": 3, **TEXT},
                },
                "y2": {"datum": 0},
            },
        },
        {
            "data": {"values": marks},
            "layer": [
                {
                    "mark": {"type": "rule", "color": "#1b1f24", "strokeDash": [4, 3]},
                    "encoding": {
                        "x": {"field": "usd", **x},
                        "y": {"value": 34},
                        "y2": {"value": "height"},
                    },
                },
                {
                    "mark": {"type": "text", "fontSize": 12, "baseline": "top", "dy": 2},
                    "encoding": {
                        "x": {"field": "usd", **x},
                        "y": {
                            "field": "row",
                            "type": "quantitative",
                            "scale": {"domain": [0, 12], "reverse": True, "nice": False},
                            "axis": None,
                        },
                        "text": {"field": "label"},
                    },
                },
            ],
        },
    ]
    if drawn is not None:
        right = drawn > (lowest + highest) / 2
        if drawn != you:
            you_label += " (off the chart)"
        layers.append(
            {
                "data": {"values": [{"you": drawn, "label": you_label}]},
                "layer": [
                    {
                        "mark": {"type": "rule", "color": YOU, "strokeWidth": 3},
                        "encoding": {"x": {"field": "you", **x}},
                    },
                    {
                        "mark": {
                            "type": "text",
                            "color": YOU,
                            "fontSize": 13,
                            "fontWeight": "bold",
                            "align": "right" if right else "left",
                            "dx": -5 if right else 5,
                            "baseline": "middle",
                        },
                        "encoding": {
                            "x": {"field": "you", **x},
                            "y": {"value": 48},
                            "text": {"field": "label"},
                        },
                    },
                ],
            }
        )
    return {
        "$schema": SCHEMA,
        "width": width,
        "height": 270,
        "autosize": FIT,
        "title": _title(title, list(subtitle)),
        "resolve": {"scale": {"y": "independent"}},
        "layer": layers,
    }


def position_spec(plan: Plan) -> Spec:
    """A negotiation plan's market answer (P10-P90, P25-P75, P50) with the offer, the target
    and the walk-away as vertical rules, all of the plan's measure."""
    marks = (("this offer", YOU), ("target", "#1a7f37"), ("walk-away", "#57606a"))
    offer = next(c.offer for c in plan.components if c.name == plan.measure)
    values = {"this offer": offer, "target": plan.target, "walk-away": plan.walk_away}
    x = {
        "type": "quantitative",
        "title": f"yearly {plan.measure.replace('_', ' ')}, USD ({plan.basis})",
        "axis": {"format": "$,.0f"},
        "scale": {"zero": False},
    }
    y = {"field": "row", "type": "nominal", "title": None}
    row = f"market (n={plan.n:,})"
    cohort_layer = {
        "data": {"values": [{"row": row, **plan.market}]},
        "layer": [
            {
                "mark": {"type": "rule", "color": COHORT},
                "encoding": {"x": {"field": "p10", **x}, "x2": {"field": "p90"}, "y": y},
            },
            {
                "mark": {"type": "bar", "size": 22, "color": COHORT, "opacity": 0.45},
                "encoding": {"x": {"field": "p25", **x}, "x2": {"field": "p75"}, "y": y},
            },
            {
                "mark": {"type": "tick", "color": "black", "size": 30, "thickness": 2},
                "encoding": {"x": {"field": "p50", **x}, "y": y},
            },
        ],
    }
    rules = {
        "data": {"values": [{"mark": name, "usd": round(values[name])} for name, _ in marks]},
        "mark": {"type": "rule", "strokeWidth": 2, "strokeDash": [4, 2]},
        "encoding": {
            "x": {"field": "usd", **x},
            "color": {
                "field": "mark",
                "type": "nominal",
                "title": None,
                "scale": {"domain": [n for n, _ in marks], "range": [c for _, c in marks]},
                "legend": {"orient": "bottom", "symbolType": "stroke", "symbolStrokeWidth": 3},
            },
        },
    }
    return _spec(
        height=90,
        title={"text": "The offer in its market", "subtitle": "P10-P90, P25-P75, P50"},
        layer=[cohort_layer, rules],
    )


# ---- offers ----------------------------------------------------------------------------
def cumulative_spec(comparison: Comparison, *, width: int = WIDTH) -> Spec:
    """Cumulative after-tax, cost-of-living adjusted dollars by year, one line per offer, with
    the P10-P90 of the total at the last year where the equity risk was simulated. ``width`` is
    the whole chart's width in pixels; its text stays at least 11 px at that width."""
    values = [
        {"offer": p.name, "year": year, "cumulative": round(value)}
        for p in comparison.projections
        for year, value in enumerate(p.cumulative("after_tax_col"), start=1)
    ]
    y_title = "cumulative after tax, USD"
    x = {"field": "year", "type": "ordinal", "title": "year", "axis": {"labelAngle": 0, **TEXT}}
    legend = {"orient": "top", "labelFontSize": 12, "labelLimit": width}
    color = {"field": "offer", "type": "nominal", "title": None, "sort": None, "legend": legend}
    layers: list[Spec] = [
        {
            "data": {"values": values},
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": x,
                "y": {
                    "field": "cumulative",
                    "type": "quantitative",
                    "title": y_title,
                    "axis": {"format": "$.3~s", "titleLimit": 240, **TEXT},
                },
                "color": color,
            },
        }
    ]
    if comparison.risk is not None:
        bands = [
            {
                "offer": risk.name,
                "year": comparison.years,
                "p10": round(risk.after_tax_col_total.p10),
                "p90": round(risk.after_tax_col_total.p90),
            }
            for risk in comparison.risk.offers
        ]
        layers.append(
            {
                "data": {"values": bands},
                "mark": {"type": "rule", "strokeWidth": 6, "opacity": 0.35},
                "encoding": {
                    "x": x,
                    "y": {"field": "p10", "type": "quantitative"},
                    "y2": {"field": "p90"},
                    "color": color,
                },
            }
        )
    subtitle = [f"in {comparison.reference.label} prices"]
    if comparison.risk is not None:
        subtitle.append("lines: expected; bars at the last year: P10-P90 of the total")
    title = _title("Cumulative after tax and cost of living", subtitle)
    return _spec(
        width=width,
        height=260,
        autosize=FIT,
        title=title,
        layer=layers,
    )


def vesting_values(comparison: Comparison) -> list[tuple[str, list[float]]]:
    """Each offer's stock vesting in each year compared (USD before tax, at the offer's expected
    share price): the figures ``vesting_spec`` draws and its text alternative states."""
    return [(p.name, [row.equity_total for row in p.rows]) for p in comparison.projections]


def vesting_spec(comparison: Comparison, *, width: int = WIDTH) -> Spec:
    """The value of stock vesting each year, a bar per offer in each year, from the offers'
    vesting schedules (``money.vesting``) as the projection applies them. ``width`` is the
    whole chart's width in pixels; its text stays at least 11 px at that width."""
    values = [
        {"offer": name, "year": f"year {year}", "vested": round(value)}
        for name, by_year in vesting_values(comparison)
        for year, value in enumerate(by_year, start=1)
    ]
    return {
        "$schema": SCHEMA,
        "width": width,
        "height": 220,
        "autosize": FIT,
        "title": _title("Stock vesting each year", "before tax, at the expected share price"),
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {
                "field": "year",
                "type": "ordinal",
                "title": None,
                "sort": None,
                "axis": {"labelAngle": 0, **TEXT},
            },
            "xOffset": {"field": "offer", "type": "nominal", "sort": None},
            "y": {
                "field": "vested",
                "type": "quantitative",
                "title": "vesting, USD",
                "axis": {"format": "$~s", "tickCount": 4, **TEXT},
            },
            "color": {
                "field": "offer",
                "type": "nominal",
                "title": None,
                "sort": None,
                "legend": {"orient": "top", "labelFontSize": 12, "labelLimit": width},
            },
        },
    }


COMPONENTS: tuple[tuple[str, str], ...] = (
    ("base", "base"),
    ("bonus", "bonus"),
    ("sign_on", "sign-on"),
    ("equity_total", "vested equity"),
    ("espp_gain", "ESPP gain"),
    ("retirement_match", "401(k) match"),
)


def components_spec(comparison: Comparison) -> Spec:
    """Pre-tax pay components by year, stacked, one panel per offer."""
    values = [
        {"offer": p.name, "year": row.year, "component": label, "usd": round(value)}
        for p in comparison.projections
        for row in p.rows
        for key, label in COMPONENTS
        if (value := float(getattr(row, key)))
    ]
    return {
        "$schema": SCHEMA,
        "title": "Pay components by year (before tax)",
        "data": {"values": values},
        "mark": "bar",
        "width": 180,
        "height": 240,
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": "year"},
            "y": {"aggregate": "sum", "field": "usd", "type": "quantitative", "title": "USD"},
            "color": {"field": "component", "type": "nominal", "title": "component"},
            "column": {"field": "offer", "type": "nominal", "title": None},
        },
    }


# ---- careers and trends ----------------------------------------------------------------
def fan_spec(runs: Sequence[Simulation]) -> Spec:
    """Cumulative earnings of each simulated career: P10-P90 band and P50 line by year."""
    values = [
        {
            "series": run.career.label(),
            "year": y.year,
            "p10": y.cumulative_p10,
            "p50": y.cumulative_p50,
            "p90": y.cumulative_p90,
        }
        for run in runs
        for y in run.by_year
    ]
    x = {"field": "year", "type": "quantitative", "axis": {"tickMinStep": 1}}
    color = {
        "field": "series",
        "type": "nominal",
        "title": None,
        "legend": {"orient": "top", "labelLimit": 400},
    }
    y_title = f"cumulative earnings, USD of {runs[0].currency_year}" if runs else "USD"
    return _spec(
        height=280,
        data={"values": values},
        layer=[
            {
                "mark": {"type": "area", "opacity": 0.25},
                "encoding": {
                    "x": x, "color": color,
                    "y": {
                        "field": "p10", "type": "quantitative", "title": y_title,
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
    )  # fmt: skip


def trends_spec(result: Trends) -> Spec:
    """Pay by year on the trends' basis: one P25-P75 band and median per series (a measure
    from a source: series are not mixed)."""
    shown = [
        {
            "series": f"{y.measure.replace('_', ' ')}, {y.source}",
            "year": y.year,
            "p25": y.p25_real,
            "p50": y.p50_real,
            "p75": y.p75_real,
        }
        for y in result.by_year
        if y.p50_real is not None
    ]
    x = {"field": "year", "type": "ordinal"}
    color = {"field": "series", "type": "nominal", "title": None, "legend": {"orient": "top"}}
    return _spec(
        height=260,
        data={"values": shown},
        layer=[
            {
                "mark": {"type": "area", "opacity": 0.25},
                "encoding": {
                    "x": x, "color": color,
                    "y": {
                        "field": "p25", "type": "quantitative",
                        "title": f"annual pay, {result.basis}",
                        "axis": {"format": "$.3~s"},
                    },
                    "y2": {"field": "p75"},
                },
            },
            {
                "mark": {"type": "line", "point": True},
                "encoding": {"x": x, "color": color, "y": {"field": "p50", "type": "quantitative"}},
            },
        ],
    )  # fmt: skip


# ---- rendering -------------------------------------------------------------------------
def svg(spec: Spec) -> str:
    """A spec as an SVG document (rendered here, offline)."""
    import vl_convert  # the renderer: a large native module, loaded when a chart is drawn

    rendered: str = vl_convert.vegalite_to_svg(spec)
    return rendered


def save_chart(spec: Spec, path: Path) -> Path:
    """Write ``spec`` as SVG or PNG, by the file's suffix."""
    import vl_convert  # the renderer: a large native module, loaded when a chart is drawn

    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError("chart", f"{path.name}: give a file ending in .svg or .png")
    try:
        if suffix == ".svg":
            path.write_text(svg(spec), encoding="utf-8")
        else:
            path.write_bytes(vl_convert.vegalite_to_png(spec, scale=2))
    except OSError as exc:
        raise InputError("chart", f"cannot write {path}: {exc.strerror or exc}") from exc
    return path


#: The room a distribution's axes take beside its plot (px).
AXES = 75


def small_multiples_spec(
    panels: Sequence[tuple[str, Sequence[str], Quantiles]],
    *,
    axis_title: str,
    width: int = WIDTH,
    columns: int = 3,
) -> Spec:
    """Several distributions (``distribution_spec``), each titled with its own subtitle (its n),
    on its own scale, side by side in rows of ``columns`` within about ``width`` pixels."""
    across = max(1, min(columns, len(panels)))
    # Each panel's plot, without its axes (about AXES pixels), so the whole stays in ``width``.
    panel_width = max(150, (width - 30 * (across - 1)) // across - AXES)
    drawn = []
    for title, subtitle, q in panels:
        spec = distribution_spec(
            q, title=title, subtitle=subtitle, axis_title=axis_title, width=panel_width
        )
        for key in ("$schema", "autosize"):
            spec.pop(key, None)
        spec["height"] = 170
        drawn.append(spec)
    return {
        "$schema": SCHEMA,
        "concat": drawn,
        "columns": across,
        "spacing": 30,
        "resolve": {"scale": {"x": "independent", "y": "independent"}},
    }
