"""The market pages: where I stand, an estimate for a profile, market trends, the data.

Figures are annual US dollars: cohort statistics in the store's currency year (CPI-U), estimates
in nominal dollars of the year asked for. Every number comes from ``careerbench.services`` (or the
estimate function the API calls), so it equals the API's and the command line's.
"""

from __future__ import annotations

from typing import Any

from careerbench import services
from careerbench.benchmark import MEASURE_WORDS, BenchmarkResult, Quantiles
from careerbench.charts import (
    distribution_spec,
    quantiles_spec,
    small_multiples_spec,
    trends_spec,
)
from careerbench.cohort import COHORT, PROFILE, Choice, Cohort, parse_cohort
from careerbench.formatting import count, ordinal, pct, signed_usd, usd
from careerbench.limits import PAY, YEAR
from careerbench.market import MODEL, NONE, NOT_TRAINED, RELAXED, MarketAnswer
from careerbench.sources.registry import modelled
from careerbench.sources.registry import spec as source_spec
from careerbench.sources.spec import MEASURES
from careerbench.web.kit import (
    NARROW,
    Field,
    Page,
    PageSpec,
    Query,
    Section,
    StoreRef,
    choice_input,
    cohort_input,
    note_fields,
    number_input,
)

QUANTILE_NAMES = ("p10", "p25", "p50", "p75", "p90")
#: The pay model is never trained inside a request: pages use it when it is trained, and
#: otherwise start its training in the background and answer from the data points meanwhile.
MODEL_POLICY = "background"
TRAINING_NOTICE = (
    "The pay model is being trained for this data; answers use the data points alone until it "
    "is ready (usually a minute or two). Reload the page then for its estimate."
)


def waits_for_model(answer: MarketAnswer) -> bool:
    """Whether the pay model would have answered (or helped) but is not trained yet."""
    return answer.model_note == NOT_TRAINED and answer.exact.n < answer.k


STANDING_DEFAULTS = {"role": "ml-engineer", "level": "senior", "country": "US"}


def _row(name: str, n: str, q: Quantiles | None) -> list[Any]:
    return [name, n, *(usd(None if q is None else getattr(q, p)) for p in QUANTILE_NAMES)]


# ---- where I stand ---------------------------------------------------------------------
#: Where I stand: the fields most people leave as they are, folded away.
STANDING_MORE = ("tier", "company", "state", "metro", "remote", "years", "since")


def _standing_texts(q: Query) -> dict[str, str | None]:
    return q.texts(COHORT, STANDING_DEFAULTS if q.first_visit else None)


def _standing_fields(q: Query) -> list[Field]:
    texts = _standing_texts(q)
    fields = [cohort_input(name, texts[name], advanced=name in STANDING_MORE) for name in COHORT]
    fields.append(number_input("tc", "Your total comp (USD)", q.get("tc"), PAY))
    fields.append(number_input("base", "Or your base salary (USD)", q.get("base"), PAY))
    measures = [Choice(m, MEASURE_WORDS[m].capitalize()) for m in MEASURES]
    selected = [q.get("measure") or ""]
    fields.append(Field("measure", "Measure", options=measures, selected=selected, advanced=True))
    return fields


def _standing_inputs(q: Query) -> tuple[list[Field], Cohort, float | None, float | None]:
    return _standing_fields(q), parse_cohort(_standing_texts(q)), q.number("tc"), q.number("base")


def _standing(q: Query, store: StoreRef) -> tuple[list[Field], services.Standing]:
    fields, cohort, tc, base = _standing_inputs(q)
    measure = q.get("measure")
    standing = services.where_i_stand(
        cohort, tc=tc, base=base, measure=measure, model=MODEL_POLICY, store=store
    )
    note_fields(fields, standing.read_as)
    return fields, standing


def standing_document(q: Query, store: StoreRef) -> dict[str, Any]:
    return _standing(q, store)[1].to_dict()


def answer_section(answer: MarketAnswer, you: float | None = None, testid: str = "pay") -> Section:
    """A market answer: the answer and each piece of evidence as rows, the chart, the notes."""
    rows = [_row("the answer", count(answer.n_behind()), answer.quantiles)]
    rows.append(_row("exact cohort", count(answer.exact.n), answer.exact.quantiles))
    if answer.relaxed.was_relaxed:
        rows.append(_row("relaxed cohort", count(answer.relaxed.n), answer.relaxed.quantiles))
    if answer.model is not None:
        rows.append(_row(f"pay model ({answer.model.source})", "-", answer.model.quantiles))
    rows += [
        _row(f"nearby: {n.change}", count(n.evidence.n), n.evidence.quantiles)
        for n in answer.neighbors
    ]
    measures = [] if answer.quantiles is None else [(answer.words, answer.quantiles)]
    by = "no answer" if answer.answered_by == NONE else f"answered by the {answer.answered_by}"
    notes = [
        f"{by}: {answer.evidence_text()}",
        *(
            f"relaxed {r.detail}: n {count(r.n_before)} -> {count(r.n_after)}"
            for r in answer.relaxed.relaxed
        ),
        *answer.notes,
    ]
    if waits_for_model(answer):
        notes.append("The pay model is being trained; this answer does not use it yet.")
    elif answer.model_note and answer.exact.n < answer.k:
        notes.append(answer.model_note)
    return Section(
        f"Annual {answer.words} ({answer.basis})",
        ["evidence", "n", "P10", "P25", "P50", "P75", "P90"],
        rows,
        chart=quantiles_spec(measures, you, answer.year) if measures else None,
        chart_label=f"Market {answer.words} for this profile with your pay marked",
        testid=testid,
        notes=notes,
    )


#: The parts of pay drawn side by side (small multiples) under every measure's table.
PARTS = ("base", "equity", "bonus")


def _measures_section(result: BenchmarkResult) -> Section:
    """Every measure over the cohort that was applied (each with its own n), and the parts of
    pay each drawn with its own n."""
    rows = [
        _row(MEASURE_WORDS[name], count(e.n), e.quantiles) for name, e in result.measures.items()
    ]
    notes = []
    bls = result.bls
    if bls is not None and bls.p50 is not None:
        reference = Quantiles(*(getattr(bls, p) or bls.p50 for p in QUANTILE_NAMES))
        rows.append(_row(f"BLS {bls.soc} {bls.soc_title} ({bls.area})", "population", reference))
        notes.append("BLS row: base wages of the whole occupation at all employers, May 2025.")
    filters = ", ".join(f"{k}={v}" for k, v in result.applied.to_dict().items()) or "everyone"
    notes.append(f"cohort: {filters}; {result.basis}")
    section = Section(
        "Every measure in this cohort", ["measure", "n", "P10", "P25", "P50", "P75", "P90"],
        rows, notes=notes, testid="measures",
    )  # fmt: skip
    panels = [
        (MEASURE_WORDS[name].capitalize(), [f"n {count(e.n)}"], e.quantiles)
        for name, e in result.measures.items()
        if name in PARTS and e.quantiles is not None
    ]
    if panels:
        axis = f"annual USD, {result.basis}"
        section.chart = small_multiples_spec(panels, axis_title=axis)
        section.chart_narrow = small_multiples_spec(
            panels, axis_title=axis, width=NARROW, columns=1
        )
        described = "; ".join(
            f"{title}, {sub[0]}: P25 {usd(q.p25)}, P50 {usd(q.p50)}, P75 {usd(q.p75)}"
            for title, sub, q in panels
        )
        section.chart_label = f"The parts of pay in this cohort, each with its n: {described}"
    return section


def _lines(parts: list[str], limit: int = 44) -> list[str]:
    """``parts`` joined by " · " into lines of at most about ``limit`` characters."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + 3 + len(part) <= limit:
            lines[-1] += f" · {part}"
        else:
            lines.append(part)
    return lines


def distribution(
    answer: MarketAnswer, pay: float | None, percentile: float | None
) -> tuple[dict[str, Any], dict[str, Any], str, str] | None:
    """The distribution chart of an answer (wide and narrow), its description for screen
    readers and the sentence placing the pay in it: the answer's own quantiles, n, sources,
    years and basis, so the chart says what the verdict and the API say."""
    q = answer.quantiles
    if q is None:
        return None
    words = answer.words
    if answer.answered_by == MODEL and answer.model is not None:
        title = f"{words.capitalize()}: the pay model's estimate"
        trained = source_spec(answer.model.source).title
        parts = [f"trained on {trained} {words}", f"exact cohort n {count(answer.exact.n)}"]
        who = "people with this profile, by the pay model's estimate"
    else:
        chosen = answer.relaxed.evidence if answer.answered_by == RELAXED else answer.exact
        title = f"{words.capitalize()}: {answer.answered_by}, n {count(answer.n_behind())}"
        parts = [f"{source_spec(s).title} {count(n)}" for s, n in chosen.sources.items()]
        parts.append(chosen.span)
        who = "data points behind this answer"
    parts.append(answer.basis)
    subtitle = _lines(parts)
    you_label, lead = "", ""
    if pay is not None and percentile is not None:
        rank = round(percentile)
        you_label = f"you: {usd(pay)}, {ordinal(rank)} percentile"
        lead = (
            f"Your {words} of {usd(pay)} is at about the {ordinal(rank)} percentile: higher than "
            f"about {rank} in 100 of the {who}."
        )
    marks = ", ".join(f"{name} {usd(getattr(q, name.lower()))}" for name in ("P25", "P50", "P75"))
    label = (
        f"Distribution of {words} ({title}; {'; '.join(parts)}), bars between P10 and P90: "
        f"{marks}." + (f" {you_label.capitalize()}." if you_label else "")
    )
    common: dict[str, Any] = {
        "title": title,
        "subtitle": subtitle,
        "axis_title": f"annual {words}, {answer.basis}",
        "you": pay if you_label else None,
        "you_label": you_label,
    }
    wide = distribution_spec(q, **common)
    narrow = distribution_spec(q, width=NARROW, **common)
    return wide, narrow, label, lead


def build_standing(q: Query, store: StoreRef) -> Page:
    fields, standing = _standing(q, store)
    page = Page(
        "Where I stand",
        "The market's answer for your profile (role, level, employer, place, experience), "
        "with the data points behind it, and where your pay stands among figures of the same "
        "measure. Your pay is not stored or logged.",
        fields=fields,
    )
    page.verdict = standing.headline
    if waits_for_model(standing.answer):
        page.notice = TRAINING_NOTICE
    if standing.verdict is not None:
        page.verdict += f" {standing.verdict.text}"
    section = answer_section(standing.answer, standing.pay)
    drawn = distribution(standing.answer, standing.pay, standing.percentile)
    if drawn is not None:
        section.chart, section.chart_narrow, section.chart_label, section.lead = drawn
    page.sections.append(section)
    if standing.context is not None:
        page.sections.append(answer_section(standing.context, testid="context"))
    page.sections.append(_measures_section(standing.answer.relaxed))
    if standing.verdict is not None:
        rule = standing.verdict.rule
        page.sections.append(
            Section("Rule of thumb applied", notes=[f"{rule.claim} — {rule.citation}"])
        )
    return page


# ---- estimate ----------------------------------------------------------------------------
ESTIMATE_DEFAULTS = {"role": "ml-engineer", "level": "senior", "country": "US"}


#: Estimate: the fields most people leave as they are, folded away.
ESTIMATE_MORE = ("tier", "state", "remote")


def _estimate_texts(q: Query) -> dict[str, str | None]:
    return q.texts(PROFILE, ESTIMATE_DEFAULTS if q.first_visit else None)


def _estimate_fields(q: Query) -> list[Field]:
    texts = _estimate_texts(q)
    fields = [
        cohort_input(
            name,
            texts[name],
            required=name in ("role", "level"),
            advanced=name in ESTIMATE_MORE,
        )
        for name in PROFILE
    ]
    sources = list(modelled())
    return [
        *fields,
        number_input(
            "year", "Year (its dollars)", q.get("year"), YEAR, placeholder="latest", advanced=True
        ),
        choice_input(
            "source",
            "Model",
            sources,
            [q.get("source") or ""],
            labels={s: source_spec(s).title for s in sources},
            advanced=True,
        ),
    ]


def _estimate_inputs(q: Query) -> tuple[list[Field], Cohort, int | None, str | None]:
    year = q.number("year")
    cohort = parse_cohort(_estimate_texts(q))
    return _estimate_fields(q), cohort, None if year is None else int(year), q.get("source")


def _estimate(q: Query, store: StoreRef) -> services.ProfileEstimate:
    _, cohort, year, source = _estimate_inputs(q)
    return services.estimate_profile(
        cohort, year=year, source=source, model=MODEL_POLICY, store=store
    )


def estimate_document(q: Query, store: StoreRef) -> dict[str, Any]:
    return _estimate(q, store).to_dict()


def build_estimate(q: Query, store: StoreRef) -> Page:
    fields, *_ = _estimate_inputs(q)
    page = Page(
        "Estimate pay for a profile",
        "What to expect: total comp and base for a profile, from its cohort when it has enough "
        "data points and from a model trained on every data point when it does not, with the "
        "evidence, the main drivers and what was assumed.",
        fields=fields,
    )
    result = _estimate(q, store)
    page.verdict = result.headline
    for measure, answer in result.answers.items():
        page.sections.append(answer_section(answer, testid=f"estimate-{measure}"))
    model = result.model
    if model is None and result.model_note == NOT_TRAINED:
        page.notice = TRAINING_NOTICE
        later = "Its own estimate, the main drivers and what it assumed appear here once trained."
        page.sections.append(Section("The pay model", notes=[later]))
        return page
    if model is None:
        page.sections.append(Section("The pay model", notes=[result.model_note or ""]))
        return page
    page.sections.append(
        Section(
            f"The pay model's own estimate (nominal USD of {model.year})",
            ["measure", "model", "P10", "P25", "P50", "P75", "P90"],
            [
                [
                    MEASURE_WORDS[m],
                    f.source,
                    *(usd(getattr(f.quantiles, p)) for p in QUANTILE_NAMES),
                ]
                for m, f in model.measures.items()
            ],
            testid="model",
            notes=[
                "P10 to P90 is an interval calibrated to hold 80% of actual pay for profiles "
                "like this one, P25 to P75 50%.",
                *model.notes,
            ],
        )
    )
    page.sections.append(
        Section(
            "Main drivers (against the average data point of the model)",
            ["feature", "value", "effect on P50"],
            [[d.feature, d.value, signed_usd(d.dollars)] for d in model.drivers],
            testid="drivers",
        )
    )
    page.sections.append(
        Section(
            "Assumed for the fields not given",
            ["field", "value"] if model.assumed else [],
            [[k, str(v)] for k, v in model.assumed.items()],
            testid="assumed",
            notes=[] if model.assumed else ["nothing assumed"],
        )
    )
    return page


# ---- trends ------------------------------------------------------------------------------
TRENDS_FIELDS = ("role", "level", "country")


def _trends_fields(q: Query) -> list[Field]:
    texts = q.texts(TRENDS_FIELDS, {"role": "ml-engineer", "country": "US"})
    return [cohort_input(n, texts[n]) for n in TRENDS_FIELDS]


def _trends_inputs(q: Query) -> tuple[list[Field], Cohort]:
    texts = q.texts(TRENDS_FIELDS, {"role": "ml-engineer", "country": "US"})
    return _trends_fields(q), parse_cohort(texts)


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
            f"Pay by year, one series per measure and source (nominal, and P50 in {result.basis})",
            ["measure", "source", "year", "n", "P25", "P50", "P75", f"P50, USD of {year}"],
            [
                [
                    MEASURE_WORDS[y.measure],
                    y.source,
                    y.year,
                    count(y.n),
                    usd(y.p25),
                    usd(y.p50),
                    usd(y.p75),
                    usd(y.p50_real),
                ]
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
            "Premium of AI-specific titles (aijobs.net postings' base salary, same level, country, "
            "remote)",
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


# ---- published claims --------------------------------------------------------------------
def claims_document(_q: Query, store: StoreRef) -> dict[str, Any]:
    return services.published_claims(store).to_dict()


def build_claims(_q: Query, store: StoreRef) -> Page:
    page = Page(
        "Published claims tested",
        "What articles and guides say about pay, beside what careerbench's data say: agrees, "
        "disagrees or not enough data, each with its evidence, compared like for like (one "
        "measure, the same sources on both sides). Posted ranges are base salary only.",
    )
    result = services.published_claims(store)
    for kind, checks in result.groups.items():
        page.sections.append(
            Section(
                f"Claims about {kind}",
                ["claim", "source", "verdict", "our data"],
                [[c.claim.claim, c.claim.citation, c.verdict, c.evidence] for c in checks],
                testid=f"claims-{kind.replace(' ', '-')}",
            )
        )
    return page


PAGES = (
    PageSpec("index", "Where I stand", build_standing, standing_document, fields=_standing_fields),
    PageSpec("estimate", "Estimate", build_estimate, estimate_document, fields=_estimate_fields),
)
LATER_PAGES = (
    PageSpec("trends", "Trends", build_trends, trends_document, fields=_trends_fields),
    PageSpec("claims", "Claims", build_claims, claims_document),
    PageSpec("data", "Data", build_data, data_document),
)
