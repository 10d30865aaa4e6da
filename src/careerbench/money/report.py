"""A self-contained HTML report of an offer comparison (inline SVG charts, no scripts, no CDN).

The file can be kept and opened offline years later: it holds the year-by-year tables, the
differences, the risk ranges, the assumptions (tax year, places and their RPPs, volatilities)
and the sources. Units: US dollars, nominal.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from careerbench.money.charts import components_chart, cumulative_chart, to_svg
from careerbench.money.compare import TABLE_MEASURES, Comparison
from careerbench.money.geo import rpp

LABELS = {
    "base": "Base",
    "bonus": "Bonus (target)",
    "sign_on": "Sign-on",
    "equity_total": "Vested equity",
    "pre_tax": "Pre-tax total",
    "federal_income_tax": "Federal income tax",
    "state_income_tax": "State income tax",
    "local_income_tax": "City income tax",
    "payroll_tax": "Payroll taxes",
    "after_tax": "After tax",
    "after_tax_col": "After tax, cost-of-living adjusted",
}

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#1d1d1f}
table{border-collapse:collapse;margin:1em 0;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid #ddd;padding:4px 10px;text-align:right}
th:first-child,td:first-child{text-align:left}
tr.key td{font-weight:600}caption{text-align:left;font-weight:600;margin-bottom:.3em}
.note{color:#555;font-size:.9em}.chart svg{max-width:100%;height:auto}
"""


def _usd(value: float) -> str:
    return f"-${-value:,.0f}" if value < 0 else f"${value:,.0f}"


def _table(comparison: Comparison) -> str:
    parts: list[str] = []
    for p in comparison.projections:
        head = "".join(f"<th>Year {r.year}</th>" for r in p.rows) + "<th>Total</th>"
        body = []
        for measure in TABLE_MEASURES:
            if measure == "local_income_tax" and not p.total(measure):
                continue
            cells = "".join(f"<td>{_usd(float(getattr(r, measure)))}</td>" for r in p.rows)
            key = ' class="key"' if measure in ("pre_tax", "after_tax_col") else ""
            body.append(
                f"<tr{key}><td>{LABELS[measure]}</td>{cells}<td>{_usd(p.total(measure))}</td></tr>"
            )
        parts.append(
            f"<table><caption>{escape(p.name)} — {escape(p.location.label)}</caption>"
            f"<tr><th></th>{head}</tr>{''.join(body)}</table>"
        )
    return "\n".join(parts)


def _differences(comparison: Comparison) -> str:
    rows = []
    for d in comparison.differences():
        cells = "".join(f"<td>{_usd(v)}</td>" for v in d["by_year"])
        rows.append(
            f"<tr><td>{escape(d['offer'])} minus {escape(d['versus'])}</td>{cells}"
            f"<td>{_usd(d['cumulative'])}</td></tr>"
        )
    if not rows:
        return ""
    head = "".join(f"<th>Year {y}</th>" for y in range(1, comparison.years + 1))
    return (
        "<h2>Differences (after tax, cost-of-living adjusted)</h2>"
        f"<table><tr><th></th>{head}<th>Total</th></tr>{''.join(rows)}</table>"
    )


def _risk(comparison: Comparison) -> str:
    risk = comparison.risk
    if risk is None:
        return ""
    rows = []
    for o in risk.offers:
        t = o.after_tax_col_total
        v = o.vested_total
        options = ""
        if o.options is not None and o.options_zero_probability is not None:
            options = (
                f"options: mean {_usd(o.options.mean)}, P90 {_usd(o.options.p90)}, "
                f"worth nothing in {100 * o.options_zero_probability:.0f}% of paths"
            )
        rows.append(
            f"<tr><td>{escape(o.name)}</td><td>{_usd(v.p10)}</td><td>{_usd(v.p50)}</td>"
            f"<td>{_usd(v.p90)}</td><td>{_usd(t.p10)}</td><td>{_usd(t.p50)}</td>"
            f"<td>{_usd(t.p90)}</td><td>{o.volatility:.0%}</td><td>{escape(options)}</td></tr>"
        )
    pairs = "".join(
        f"<li>P({escape(a.name)} beats {escape(b.name)}) = {risk.beats(i, j):.0%}</li>"
        for i, a in enumerate(risk.offers)
        for j, b in enumerate(risk.offers)
        if i < j
    )
    return (
        f"<h2>Equity risk ({risk.paths:,} simulated paths, seed {risk.seed})</h2>"
        "<table><tr><th>Offer</th><th>Vested P10</th><th>Vested P50</th><th>Vested P90</th>"
        "<th>After-tax P10</th><th>After-tax P50</th><th>After-tax P90</th><th>Volatility</th>"
        f"<th>Startup options</th></tr>{''.join(rows)}</table><ul>{pairs}</ul>"
        "<p class='note'>Share prices follow geometric Brownian motion (monthly steps) at each "
        "offer's expected growth and volatility; employers are simulated independently.</p>"
    )


def _assumptions(comparison: Comparison) -> str:
    ref = rpp(comparison.reference)
    items = [
        f"Reference place: {escape(comparison.reference.label)} (BEA RPP {ref.value:.1f}, "
        f"{escape(ref.area)}, {ref.year}).",
        "Taxes: 2025 federal and state rules for every year, standard deduction; payroll taxes "
        "from published 2025 rates; vested RSUs, bonus and sign-on taxed as wages.",
    ]
    for p in comparison.projections:
        place = rpp(p.location)
        items.append(
            f"{escape(p.name)}: {escape(p.location.label)}, RPP {place.value:.1f} "
            f"({escape(place.area)}); state tax engine: {escape(p.state_engine)}; filing "
            f"{escape(p.offer.filing)}." + "".join(f" {escape(n)}." for n in p.notes)
        )
    return "<h2>Assumptions</h2><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def render_html(comparison: Comparison, title: str = "Offer comparison") -> str:
    """The report as one HTML string."""
    charts = (
        f"<div class='chart'>{to_svg(cumulative_chart(comparison))}</div>"
        f"<div class='chart'>{to_svg(components_chart(comparison))}</div>"
    )
    best = comparison.best()
    today = dt.date.today().isoformat()
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"<p>{comparison.years} years, in {escape(comparison.reference.label)} dollars. "
        f"Highest expected after-tax, cost-of-living adjusted total: <b>{escape(best.name)}</b> "
        f"({_usd(best.total('after_tax_col'))}).</p>"
        f"{charts}<h2>Year by year</h2>{_table(comparison)}{_differences(comparison)}"
        f"{_risk(comparison)}{_assumptions(comparison)}"
        "<p class='note'>Sources: U.S. Bureau of Economic Analysis, Regional Price Parities "
        "(SARPP, MARPP, released 2026-02-19); tax engine tenforty (OpenTaxSolver); payroll "
        "rates as listed in careerbench's payroll_2025.yaml. "
        f"Made with careerbench on {today}. Not tax advice.</p></body></html>"
    )


def write_report(comparison: Comparison, path: str | Path, title: str = "Offer comparison") -> Path:
    out = Path(path)
    out.write_text(render_html(comparison, title), encoding="utf-8")
    return out
