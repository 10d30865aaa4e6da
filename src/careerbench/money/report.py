"""Self-contained HTML reports (inline SVG charts, no scripts, no CDN) to keep and open offline.

- ``write_report``: an offer comparison: the year-by-year tables, the differences, the risk
  ranges, the assumptions (tax year, places and their RPPs, volatilities) and the sources.
  Units: US dollars, nominal.
- ``write_negotiation_report``: a negotiation plan: the offer's percentile per component in its
  cohort (n, sources, data years, relaxations), target and walk-away with their basis, the
  component with most room, competing offers after tax and cost of living, the sign-on that
  covers unvested stock, talking points with their data, and published advice with its
  citation. Cohort figures are in the store's currency-year dollars; the offer's are nominal.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from careerbench.charts import components_spec, cumulative_spec, position_spec, svg
from careerbench.errors import InputError
from careerbench.formatting import count, percentile, usd
from careerbench.money.compare import OFFER_MEASURES, Comparison
from careerbench.money.geo import rpp
from careerbench.money.negotiate import Plan

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#1d1d1f}
table{border-collapse:collapse;margin:1em 0;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid #ddd;padding:4px 10px;text-align:right}
th:first-child,td:first-child{text-align:left}
tr.key td{font-weight:600}caption{text-align:left;font-weight:600;margin-bottom:.3em}
.note{color:#555;font-size:.9em}.chart svg{max-width:100%;height:auto}.text{text-align:left}
"""


SOURCES = (
    "Sources: U.S. Bureau of Economic Analysis, Regional Price Parities (SARPP, MARPP, released "
    "2026-02-19); tax engine tenforty (OpenTaxSolver); payroll rates as listed in careerbench's "
    "payroll_2025.yaml."
)
NEGOTIATION_SOURCES = (
    "Cohort data: the sources listed above, CPI-U adjusted; population reference: BLS OEWS May "
    "2025; competing offers as in an offer comparison. " + SOURCES.removeprefix("Sources: ")
)


def _table(comparison: Comparison) -> str:
    parts: list[str] = []
    for p in comparison.projections:
        head = "".join(f"<th>Year {r.year}</th>" for r in p.rows) + "<th>Total</th>"
        body = []
        for measure in OFFER_MEASURES:
            if not measure.shown(p):
                continue
            cells = "".join(f"<td>{usd(float(getattr(r, measure.key)))}</td>" for r in p.rows)
            key = ' class="key"' if measure.key_figure else ""
            body.append(
                f"<tr{key}><td>{measure.label}</td>{cells}<td>{usd(p.total(measure.key))}</td></tr>"
            )
        parts.append(
            f"<table><caption>{escape(p.name)} — {escape(p.location.label)}</caption>"
            f"<tr><th></th>{head}</tr>{''.join(body)}</table>"
        )
    return "\n".join(parts)


def _differences(comparison: Comparison) -> str:
    rows = []
    for d in comparison.differences():
        cells = "".join(f"<td>{usd(v)}</td>" for v in d["by_year"])
        rows.append(
            f"<tr><td>{escape(d['offer'])} minus {escape(d['versus'])}</td>{cells}"
            f"<td>{usd(d['cumulative'])}</td></tr>"
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
                f"options: mean {usd(o.options.mean)}, P90 {usd(o.options.p90)}, "
                f"worth nothing in {100 * o.options_zero_probability:.0f}% of paths"
            )
        rows.append(
            f"<tr><td>{escape(o.name)}</td><td>{usd(v.p10)}</td><td>{usd(v.p50)}</td>"
            f"<td>{usd(v.p90)}</td><td>{usd(t.p10)}</td><td>{usd(t.p50)}</td>"
            f"<td>{usd(t.p90)}</td><td>{o.volatility:.0%}</td><td>{escape(options)}</td></tr>"
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


def _document(title: str, body: str, sources: str) -> str:
    today = dt.date.today().isoformat()
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>{body}"
        f"<p class='note'>{sources} Made with careerbench on {today}. Not tax advice.</p>"
        "</body></html>"
    )


def _write(html: str, path: str | Path) -> Path:
    out = Path(path)
    try:
        out.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise InputError("report", f"cannot write {out}: {exc.strerror or exc}") from None
    return out


def render_html(comparison: Comparison, title: str = "Offer comparison") -> str:
    """The report as one HTML string."""
    charts = (
        f"<div class='chart'>{svg(cumulative_spec(comparison))}</div>"
        f"<div class='chart'>{svg(components_spec(comparison))}</div>"
    )
    body = (
        f"<p><b>{escape(comparison.verdict()[1])}</b></p>"
        f"{charts}<h2>Year by year</h2>{_table(comparison)}{_differences(comparison)}"
        f"{_risk(comparison)}{_assumptions(comparison)}"
    )
    return _document(title, body, SOURCES)


def write_report(comparison: Comparison, path: str | Path, title: str = "Offer comparison") -> Path:
    return _write(render_html(comparison, title), path)


# ---- negotiation plan ---------------------------------------------------------------------
def _cohort(plan: Plan) -> str:
    key = ' class="key"'
    rows = "".join(
        f"<tr{key if c.name == 'total_comp' else ''}>"
        f"<td>{escape(c.name.replace('_', ' '))}</td><td>{usd(c.offer)}</td>"
        f"<td>{percentile(c.percentile)}</td><td>{usd(c.market_p50)}</td>"
        f"<td>{usd(c.market_p75)}</td><td>{usd(c.room_to_p75)}</td>"
        f"<td>{count(c.n)}</td></tr>"
        for c in plan.components
    )
    q = plan.market
    quantiles = ", ".join(f"{k.upper()} {usd(v)}" for k, v in q.items())
    filters = ", ".join(f"{k}={v}" for k, v in plan.cohort.items()) or "everyone"
    years = ", ".join(f"{y}: {n:,}" for y, n in plan.years.items())
    words = plan.measure.replace("_", " ")
    facts = [
        f"Profile: {escape(filters)}; market {escape(words)}: {escape(plan.evidence_text)}.",
        "Sources: " + escape(", ".join(f"{k} {v:,}" for k, v in plan.sources.items())) + ".",
        f"Data years: {escape(years)}.",
        f"Market {escape(words)}: {quantiles}.",
        *(f"Relaxed: {escape(r)}." for r in plan.relaxed),
        *(escape(n) for n in plan.notes),
    ]
    return (
        "<h2>The offer in its market</h2>"
        "<table><caption>Yearly pay: base and target bonus of year one, equity averaged over "
        f"the first {plan.horizon_years} years (sign-on apart)</caption>"
        "<tr><th>Component</th><th>Offer</th><th>Percentile</th><th>Market P50</th>"
        f"<th>Market P75</th><th>Room to P75</th><th>n</th></tr>{rows}</table>"
        "<ul>" + "".join(f"<li>{f}</li>" for f in facts) + "</ul>"
    )


def _targets(plan: Plan) -> str:
    words = escape(plan.measure.replace("_", " "))
    items = [
        f"Target: <b>{usd(plan.target)}</b>, from {escape(plan.target_basis)}. The target is "
        f"the market's P75 {words}, raised to the best competing offer's yearly {words} when "
        "that is higher.",
        f"Walk away below: <b>{usd(plan.walk_away)}</b>, from {escape(plan.walk_away_basis)}. "
        f"The walk-away is the market's P50 {words}, raised to your current yearly {words} "
        "when that is higher.",
        f"Most room: <b>{escape(plan.most_room.replace('_', ' '))}</b>, the component "
        "furthest below its market P75."
        if plan.most_room
        else "Most room: no component is below its market P75 (or the market lacks it).",
    ]
    if plan.unvested_cover is not None:
        items.append(
            f"Sign-on that covers the unvested stock you would leave: "
            f"<b>{usd(plan.unvested_cover)}</b>."
        )
    return "<h2>Target and walk-away</h2><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _competing(plan: Plan) -> str:
    if not plan.competing:
        return ""
    place = (plan.reference_place or {}).get("label", "the offer's place")
    rows = []
    for i, o in enumerate(plan.competing):
        t = o["after_tax_col_total"]
        name = escape(o["offer"]) + (" (this offer)" if i == 0 else "")
        rows.append(
            f"<tr><td>{name}</td><td>{usd(t['pre_tax'])}</td><td>{usd(t['total_tax'])}</td>"
            f"<td>{usd(t['after_tax'])}</td><td>{usd(t['after_tax_col'])}</td></tr>"
        )
    return (
        "<h2>Competing offers after tax and cost of living</h2>"
        f"<table><caption>Totals over {plan.horizon_years} years, 2025 tax rules, in "
        f"{escape(place)} prices (BEA RPP)</caption><tr><th>Offer</th><th>Pre-tax</th>"
        "<th>Total tax</th><th>After tax</th><th>After tax, cost-of-living adjusted</th></tr>"
        f"{''.join(rows)}</table>"
    )


def _talking_points(plan: Plan) -> str:
    rows = "".join(
        f"<tr><td>{escape(e['point'])}</td>"
        f"<td>{count(e['n'])}</td>"
        f"<td class='text'>{escape(e['source'])}</td><td>{escape(e['year'] or '-')}</td></tr>"
        for e in plan.evidence
    )
    return (
        "<h2>Talking points</h2><table><tr><th>Point</th><th>n</th><th class='text'>Source</th>"
        f"<th>Data years</th></tr>{rows}</table>"
    )


def _advice(plan: Plan) -> str:
    items = "".join(
        f"<li>{escape(a['claim'])} <span class='note'>— {escape(a['source'])}</span></li>"
        for a in plan.advice
    )
    return (
        "<h2>Published advice</h2><p class='note'>Advice from published guides, shown as "
        f"advice with its source; not computed from our data.</p><ul>{items}</ul>"
    )


def render_negotiation_html(plan: Plan, title: str | None = None) -> str:
    """A negotiation plan as one HTML string."""
    title = title or f"Negotiation plan: {plan.offer}"
    body = (
        f"<p>Target <b>{usd(plan.target)}</b>; walk away below <b>{usd(plan.walk_away)}</b> "
        f"(yearly {escape(plan.measure.replace('_', ' '))}).</p>"
        f"<div class='chart'>{svg(position_spec(plan))}</div>"
        f"{_cohort(plan)}{_targets(plan)}{_competing(plan)}{_talking_points(plan)}"
        f"{_advice(plan)}"
    )
    return _document(title, body, NEGOTIATION_SOURCES)


def write_negotiation_report(plan: Plan, path: str | Path, title: str | None = None) -> Path:
    return _write(render_negotiation_html(plan, title), path)
