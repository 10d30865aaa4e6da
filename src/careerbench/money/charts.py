"""Charts of an offer comparison, rendered offline (Vega-Lite via altair + vl-convert).

- ``cumulative_chart``: cumulative after-tax, cost-of-living adjusted dollars by year, one line
  per offer, with the P10-P90 band of the total where a risk simulation exists;
- ``components_chart``: stacked pre-tax components (base, bonus, sign-on, equity, ESPP, 401(k)
  match) by year, one panel per offer;
- ``position_spec``: a negotiation plan's offer, target and walk-away placed among its cohort's
  P10..P90 total comp, from the plan's document (``Plan.to_dict()``, the ``--json`` output), as
  a plain Vega-Lite spec that the report and the web page render the same way.

Units: US dollars, nominal; the reference place is named in the titles. Cohort figures are in
the store's currency-year dollars, as the plan states.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from careerbench.errors import InputError
from careerbench.money.compare import Comparison

COMPONENTS: tuple[tuple[str, str], ...] = (
    ("base", "base"),
    ("bonus", "bonus"),
    ("sign_on", "sign-on"),
    ("equity_total", "vested equity"),
    ("espp_gain", "ESPP gain"),
    ("retirement_match", "401(k) match"),
)


def _alt() -> Any:
    import altair as alt

    return alt


def cumulative_chart(comparison: Comparison) -> Any:
    alt = _alt()
    rows = []
    for p in comparison.projections:
        for year, value in enumerate(p.cumulative("after_tax_col"), start=1):
            rows.append({"offer": p.name, "year": year, "cumulative": round(value)})
    title = f"Cumulative after tax, in {comparison.reference.label} dollars"
    line = (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="year", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("cumulative:Q", title="USD (after tax, cost-of-living adjusted)"),
            color=alt.Color("offer:N", title="offer"),
            tooltip=["offer:N", "year:O", alt.Tooltip("cumulative:Q", format="$,.0f")],
        )
    )
    layers = [line]
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
            alt.Chart(alt.Data(values=bands))
            .mark_rule(strokeWidth=6, opacity=0.35)
            .encode(
                x=alt.X("year:O"),
                y=alt.Y("p10:Q", title=""),
                y2="p90:Q",
                color=alt.Color("offer:N"),
            )
        )
    subtitle = (
        "lines: expected; bars at the last year: P10-P90 of the total" if len(layers) > 1 else ""
    )
    return alt.layer(*layers).properties(
        title=alt.TitleParams(title, subtitle=subtitle), width=520, height=300
    )


def components_chart(comparison: Comparison) -> Any:
    alt = _alt()
    rows = []
    for p in comparison.projections:
        for row in p.rows:
            for key, label in COMPONENTS:
                value = float(getattr(row, key))
                if value:
                    rows.append(
                        {"offer": p.name, "year": row.year, "component": label, "usd": round(value)}
                    )
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="year"),
            y=alt.Y("sum(usd):Q", title="USD before tax"),
            color=alt.Color("component:N", title="component"),
            column=alt.Column("offer:N", title=None),
            tooltip=["offer:N", "year:O", "component:N", alt.Tooltip("usd:Q", format="$,.0f")],
        )
        .properties(title="Pay components by year (before tax)", width=180, height=240)
    )


MARKS: tuple[tuple[str, str], ...] = (
    ("this offer", "#cf222e"),
    ("target", "#1a7f37"),
    ("walk-away", "#57606a"),
)


def position_spec(plan: dict[str, Any]) -> dict[str, Any]:
    """The cohort's total comp (P10-P90 line, P25-P75 bar, P50 tick) with the offer, the
    target and the walk-away as vertical rules."""
    offer = next(c["offer"] for c in plan["components"] if c["name"] == "total_comp")
    marks = {"this offer": offer, "target": plan["target"], "walk-away": plan["walk_away"]}
    x = {
        "type": "quantitative",
        "title": f"yearly total comp, USD (cohort in {plan['currency_year']} dollars)",
        "axis": {"format": "$,.0f"},
        "scale": {"zero": False},
    }
    y = {"field": "row", "type": "nominal", "title": None}
    row = f"cohort (n={plan['n']:,})"
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": 560,
        "height": 90,
        "title": {"text": "The offer among its cohort", "subtitle": "P10-P90, P25-P75, P50"},
        "layer": [
            {
                "data": {"values": [{"row": row, **plan["cohort_total_comp"]}]},
                "layer": [
                    {
                        "mark": {"type": "rule", "color": "#0b5fff"},
                        "encoding": {"x": {"field": "p10", **x}, "x2": {"field": "p90"}, "y": y},
                    },
                    {
                        "mark": {"type": "bar", "size": 22, "color": "#0b5fff", "opacity": 0.45},
                        "encoding": {"x": {"field": "p25", **x}, "x2": {"field": "p75"}, "y": y},
                    },
                    {
                        "mark": {"type": "tick", "color": "black", "size": 30, "thickness": 2},
                        "encoding": {"x": {"field": "p50", **x}, "y": y},
                    },
                ],
            },
            {
                "data": {
                    "values": [{"mark": name, "usd": round(marks[name])} for name, _ in MARKS]
                },
                "mark": {"type": "rule", "strokeWidth": 2, "strokeDash": [4, 2]},
                "encoding": {
                    "x": {"field": "usd", **x},
                    "color": {
                        "field": "mark",
                        "type": "nominal",
                        "title": None,
                        "scale": {
                            "domain": [name for name, _ in MARKS],
                            "range": [color for _, color in MARKS],
                        },
                        "legend": {
                            "orient": "bottom",
                            "symbolType": "stroke",
                            "symbolStrokeWidth": 3,
                        },
                    },
                },
            },
        ],
    }


def spec_to_svg(spec: dict[str, Any]) -> str:
    import vl_convert as vlc

    svg: str = vlc.vegalite_to_svg(spec)
    return svg


def to_svg(chart: Any) -> str:
    import vl_convert as vlc

    svg: str = vlc.vegalite_to_svg(chart.to_dict())
    return svg


def save_chart(chart: Any, path: str | Path) -> Path:
    """Write ``chart`` as SVG or PNG, by the file's suffix."""
    import vl_convert as vlc

    out = Path(path)
    suffix = out.suffix.lower()
    if suffix == ".svg":
        out.write_text(to_svg(chart), encoding="utf-8")
    elif suffix == ".png":
        out.write_bytes(vlc.vegalite_to_png(chart.to_dict(), scale=2))
    else:
        raise InputError("chart", f"{out.name}: use a .svg or .png file name")
    return out
