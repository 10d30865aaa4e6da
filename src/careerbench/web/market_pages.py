"""The market pages: where I stand, an estimate for a profile, market trends, the data.

Figures are annual US dollars: cohort statistics in the store's currency year (CPI-U), estimates
in nominal dollars of the year asked for. Every number comes from ``careerbench.services`` (or the
estimate function the API calls), so it equals the API's and the command line's.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from careerbench import services
from careerbench.benchmark import BenchmarkResult, Quantiles
from careerbench.charts import quantiles_spec, trends_spec
from careerbench.cohort import COHORT, PROFILE, Cohort, parse_cohort
from careerbench.estimate import Estimate, estimate
from careerbench.formatting import count, pct, signed_usd, usd
from careerbench.sources.registry import modelled
from careerbench.web.kit import (
    Field,
    Page,
    PageSpec,
    Query,
    Section,
    StoreRef,
    choice_input,
    cohort_input,
    number_input,
)

QUANTILE_NAMES = ("p10", "p25", "p50", "p75", "p90")
STANDING_DEFAULTS = {"role": "ml-engineer", "level": "senior", "country": "US"}


def _row(name: str, n: str, q: Quantiles | None) -> list[Any]:
    return [name, n, *(usd(None if q is None else getattr(q, p)) for p in QUANTILE_NAMES)]


# ---- where I stand ---------------------------------------------------------------------
def _standing_inputs(q: Query) -> tuple[list[Field], Cohort, float | None]:
    texts = q.texts(COHORT, STANDING_DEFAULTS)
    fields = [cohort_input(name, texts[name]) for name in COHORT]
    fields.append(number_input("tc", "Your total comp (USD)", q.get("tc")))
    return fields, parse_cohort(texts), q.number("tc")


def standing_document(q: Query, store: StoreRef) -> dict[str, Any]:
    _, cohort, tc = _standing_inputs(q)
    return services.where_i_stand(cohort, tc=tc, store=store).to_dict()


def _cohort_notes(result: BenchmarkResult) -> list[str]:
    filters = ", ".join(f"{k}={v}" for k, v in result.applied.to_dict().items()) or "everyone"
    return [
        f"filters applied: {filters}",
        f"{count(result.n)} data points (floor {result.k}); dollars of {result.currency_year}, "
        f"CPI-U adjusted; method {result.method}",
        *[
            f"relaxed {r.detail}: n {count(r.n_before)} -> {count(r.n_after)}"
            for r in result.relaxed
        ],
        *result.notes,
        "sources: " + ", ".join(f"{k} {count(v)}" for k, v in result.sources.items()),
    ]


def _pay_section(result: BenchmarkResult) -> Section:
    measures: list[tuple[str, Quantiles]] = []
    rows = []
    if result.total_comp is not None:
        measures.append(("total comp", result.total_comp))
        rows.append(_row("total comp", count(result.n), result.total_comp))
    for name, component in result.components.items():
        rows.append(_row(name, count(component.n), component.quantiles))
        if component.quantiles is not None:
            measures.append((name, component.quantiles))
    notes = []
    bls = result.bls
    if bls is not None and bls.p50 is not None:
        reference = Quantiles(
            *(getattr(bls, p) or bls.p50 for p in QUANTILE_NAMES)  # BLS top-codes some
        )
        rows.append(_row(f"BLS {bls.soc} {bls.soc_title} ({bls.area})", "population", reference))
        measures.append((f"BLS {bls.soc}", reference))
        notes.append("BLS row: base wages of the whole occupation at all employers, May 2025.")
    return Section(
        "Annual pay",
        ["measure", "n", "P10", "P25", "P50", "P75", "P90"],
        rows,
        chart=quantiles_spec(measures, result.pay, result.currency_year),
        chart_label="Cohort pay distribution with your pay marked",
        testid="pay",
        notes=notes,
    )


def estimate_link(cohort: Cohort, year: int) -> str:
    texts = cohort.without("since").texts()
    return "/estimate?" + urlencode(texts | {"year": str(year)})


def exact_profile_section(standing: services.Standing) -> Section:
    """The model's P10/P50/P90 for the profile asked for, beside its relaxed cohort."""
    result = standing.benchmark
    section = Section(
        "Model estimate for your exact profile",
        links=[
            (
                "Full estimate for this profile",
                estimate_link(result.requested, result.currency_year),
            )
        ],
        testid="exact",
    )
    exact = standing.estimate
    if exact is None:
        section.notes = [
            "The cohort above had to be relaxed. No estimate for the exact profile: "
            f"{standing.estimate_note}; the estimate page has it."
        ]
        return section
    section.columns = ["measure", "P10", "P50", "P90"]
    total = exact.total_comp
    section.rows = [
        ["model estimate, exact profile", usd(total.p10), usd(total.p50), usd(total.p90)]
    ]
    cohort = result.total_comp
    section.rows.append(
        [
            f"relaxed cohort (n={count(result.n)})",
            *(usd(None if cohort is None else getattr(cohort, p)) for p in ("p10", "p50", "p90")),
        ]
    )
    section.notes = [
        f"USD of {exact.year}. The cohort above had to be relaxed; the model answers for the "
        f"profile as given, learning from every data point (model: {exact.model}).",
        *exact.notes[:1],
    ]
    years = result.requested.years
    if years is not None and years[0] != years[1] and exact.profile.get("years_experience"):
        section.notes.append(
            f"years of experience: the middle of your range, {exact.profile['years_experience']:g}"
        )
    return section


def build_standing(q: Query, store: StoreRef) -> Page:
    fields, cohort, tc = _standing_inputs(q)
    page = Page(
        "Where I stand",
        "Pay percentiles of your cohort, with the data points behind them, the BLS "
        "population reference, and where your pay stands. Your pay is not stored or logged.",
        fields=fields,
    )
    standing = services.where_i_stand(cohort, tc=tc, estimate="if-trained", store=store)
    result = standing.benchmark
    page.sections.append(Section("Cohort", notes=_cohort_notes(result)))
    if result.total_comp is not None:
        page.sections.insert(0, _pay_section(result))
    if result.percentile is not None:
        verdict = result.verdict
        page.verdict = (
            f"Your total comp {usd(result.pay)} is at percentile {result.percentile:.0f} "
            f"of the cohort. {verdict.text if verdict else ''}"
        )
        if verdict:
            page.sections.append(
                Section(
                    "Rule of thumb applied",
                    notes=[f"{verdict.rule.claim} — {verdict.rule.citation}"],
                )
            )
    if result.relaxed:
        page.sections.insert(1, exact_profile_section(standing))
    return page


# ---- estimate ----------------------------------------------------------------------------
ESTIMATE_DEFAULTS = {"role": "ml-engineer", "level": "senior", "country": "US"}


def _estimate_inputs(q: Query) -> tuple[list[Field], Cohort, int | None, str | None]:
    texts = q.texts(PROFILE, ESTIMATE_DEFAULTS)
    year = q.number("year")
    source = q.get("source")
    fields = [
        cohort_input(name, texts[name], required=name in ("role", "level")) for name in PROFILE
    ]
    fields += [
        number_input("year", "Year (its dollars)", q.get("year"), placeholder="this year"),
        choice_input("source", "Model", list(modelled()), [source or ""]),
    ]
    return fields, parse_cohort(texts), None if year is None else int(year), source


def _estimate(q: Query, store: StoreRef) -> Estimate:
    _, cohort, year, source = _estimate_inputs(q)
    return estimate(cohort, year=year, source=source, store=store)


def estimate_document(q: Query, store: StoreRef) -> dict[str, Any]:
    return _estimate(q, store).to_dict()


def build_estimate(q: Query, store: StoreRef) -> Page:
    fields, *_ = _estimate_inputs(q)
    page = Page(
        "Estimate pay for a profile",
        "What to expect: P10 to P90 of total comp and base from a model trained on every data "
        "point, also where the exact cohort is thin, with the data behind it, the main drivers "
        "and what was assumed. The first estimate on a new store trains the model (about a "
        "minute).",
        fields=fields,
    )
    result = _estimate(q, store)
    total = result.total_comp
    page.verdict = (
        f"Estimated total comp: P50 {usd(total.p50)}, 80% interval {usd(total.p10)} to "
        f"{usd(total.p90)} (nominal USD of {result.year})"
    )
    measures = [("total comp", total)] + ([("base", result.base)] if result.base else [])
    first, last = result.data_years
    page.sections.append(
        Section(
            f"Annual pay, model estimate (nominal USD of {result.year})",
            ["measure", "P10", "P25", "P50", "P75", "P90"],
            [[name, *(usd(getattr(m, p)) for p in QUANTILE_NAMES)] for name, m in measures],
            chart=quantiles_spec(measures, None, result.year),
            chart_label="Estimated total comp and base: P10 to P90 line, P25 to P75 bar, P50 tick",
            testid="estimate",
            notes=[
                "P10 to P90 is an interval calibrated to hold 80% of actual pay for profiles "
                "like this one, P25 to P75 50%.",
                f"model: {result.model}, trained on data points of {first}-{last}",
            ],
        )
    )
    filters = ", ".join(f"{k}={v}" for k, v in result.cohort_filters.items()) or "everyone"
    relaxed = result.cohort_relaxed
    page.sections.append(
        Section(
            "Data behind it: the nearest cohort",
            ["step", "relaxed", "n before", "n after"] if relaxed else [],
            [[r.step, r.detail, count(r.n_before), count(r.n_after)] for r in relaxed],
            testid="relaxed",
            notes=[
                f"nearest cohort ({filters}): n = {count(result.cohort_n)} data points",
                f"relaxed in {len(relaxed)} step(s) to reach enough data points"
                if relaxed
                else "the exact cohort has enough data points: nothing relaxed",
            ],
        )
    )
    page.sections.append(
        Section(
            "Main drivers (against the average data point of the model)",
            ["feature", "value", "effect on P50"],
            [[d.feature, d.value, signed_usd(d.dollars)] for d in result.drivers],
            testid="drivers",
        )
    )
    page.sections.append(
        Section(
            "Assumed for the fields not given",
            ["field", "value"] if result.assumed else [],
            [[k, str(v)] for k, v in result.assumed.items()],
            testid="assumed",
            notes=[] if result.assumed else ["nothing assumed"],
        )
    )
    page.sections.append(Section("Notes", notes=result.notes))
    return page


# ---- trends ------------------------------------------------------------------------------
TRENDS_FIELDS = ("role", "level", "country")


def _trends_inputs(q: Query) -> tuple[list[Field], Cohort]:
    texts = q.texts(TRENDS_FIELDS, {"role": "ml-engineer", "country": "US"})
    return [cohort_input(n, texts[n]) for n in TRENDS_FIELDS], parse_cohort(texts)


def trends_document(q: Query, store: StoreRef) -> dict[str, Any]:
    return services.market_trends(_trends_inputs(q)[1], store=store).to_dict()


def build_trends(q: Query, store: StoreRef) -> Page:
    fields, cohort = _trends_inputs(q)
    page = Page(
        "Market trends",
        "Pay by year (nominal and in today's dollars), the premium of AI-specific titles by "
        "year, and published trends checked against our data.",
        fields=fields,
    )
    result = services.market_trends(cohort, store=store)
    year = result.currency_year
    page.sections.append(
        Section(
            f"Total comp by year (nominal, and P50 in USD of {year})",
            ["year", "n", "P25", "P50", "P75", f"P50 in {year} USD"],
            [
                [y.year, count(y.n), usd(y.p25), usd(y.p50), usd(y.p75), usd(y.p50_real)]
                for y in result.by_year
            ],
            chart=trends_spec(result),
            chart_label="Pay by year, P25-P75 band and median",
            notes=result.notes,
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
                    pct(m.premium),
                    "-" if m.interval is None else f"{pct(m.interval[0])} to {pct(m.interval[1])}",
                    f"{count(m.n_ai)} vs {count(m.n_other)}",
                ]
                for y, m in result.premium_by_year.items()
            ],
            testid="premium",
        )
    )
    page.sections.append(
        Section(
            "Published trends checked",
            ["claim", "verdict", "our data"],
            [[c.claim.claim, c.verdict, c.evidence] for c in result.claims],
            testid="claims",
        )
    )
    return page


# ---- data --------------------------------------------------------------------------------
def data_document(_q: Query, store: StoreRef) -> dict[str, Any]:
    return services.provenance(store).to_dict()


def build_data(_q: Query, store: StoreRef) -> Page:
    page = Page(
        "Data and provenance",
        "Every source in the store, how many rows were read, loaded and quarantined, and "
        "why rows were not loaded. Figures are annual pay in nominal dollars of the year "
        "observed; pages convert them with CPI-U.",
    )
    provenance = services.provenance(store)
    page.sections.append(
        Section(
            "Sources",
            ["load", "origin", "read", "loaded", "quarantined", "records", "loaded at", "licence"],
            [
                [
                    ld.load_key,
                    services.public_origin(ld.origin),
                    count(ld.rows_read),
                    count(ld.rows_loaded),
                    count(ld.rows_quarantined),
                    count(ld.records),
                    f"{ld.loaded_at:%Y-%m-%d %H:%M}",
                    provenance.licences.get(ld.source, ""),
                ]
                for ld in provenance.loads
            ],
            testid="sources",
            notes=["read = loaded + quarantined for every source."],
        )
    )
    page.sections.append(
        Section(
            "Quarantined rows by reason",
            ["source", "reason", "rows", "example rows"],
            [
                [e.source, e.reason, count(e.rows), ", ".join(map(str, e.example_rows))]
                for e in provenance.quarantine
            ],
            notes=[] if provenance.quarantine else ["nothing quarantined"],
            testid="quarantine",
        )
    )
    return page


PAGES = (
    PageSpec("index", "Where I stand", build_standing, standing_document),
    PageSpec("estimate", "Estimate", build_estimate, estimate_document),
)
LATER_PAGES = (
    PageSpec("trends", "Trends", build_trends, trends_document),
    PageSpec("data", "Data", build_data, data_document),
)
