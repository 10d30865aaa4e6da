"""The career pages: tracks compared, a career simulated, skills that raise pay.

Pay is annual total comp in the store's currency-year dollars (CPI-U). The pages call the same
library functions as the API (``paths`` and ``careerbench.services``).
"""

from __future__ import annotations

from typing import Any

from careerbench import services
from careerbench.charts import fan_spec
from careerbench.cohort import parse_cohort
from careerbench.formatting import count, pct, usd
from careerbench.limits import CAREER_PATHS, CAREER_YEARS, PAY, SEED
from careerbench.paths.simulate import YEAR_COLUMNS, Simulation, Versus, model
from careerbench.paths.skills import Assessment, knowledge
from careerbench.paths.tracks import DIMENSIONS, TrackComparison, compare_tracks, tracks
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


# ---- tracks ------------------------------------------------------------------------------
def track_names() -> dict[str, str]:
    """Each track's name for people, by its id."""
    return {key: track.name for key, track in tracks().items()}


def _tracks(q: Query, store: StoreRef) -> tuple[list[Field], TrackComparison]:
    chosen = q.many("tracks") or ["ml-engineer", "research-scientist"]
    tier, level = q.get("tier"), q.get("level")
    fields = [
        choice_input(
            "tracks",
            "Tracks (pick two or more)",
            list(tracks()),
            chosen,
            labels=track_names(),
            multiple=True,
        ),
        cohort_input("tier", tier),
        cohort_input("level", level),
    ]
    return fields, compare_tracks(chosen, tier=tier, level=level, store=store)


def tracks_document(q: Query, store: StoreRef) -> dict[str, Any]:
    return _tracks(q, store)[1].to_dict()


def _pay_cell(cells: list[Any], level: str) -> str:
    cell = next((c for c in cells if c.level == level), None)
    if cell is None:
        return "-"
    if cell.quantiles is None:
        return f"n={cell.n}"
    q = cell.quantiles
    return f"{usd(q.p25)} / {usd(q.p50)} / {usd(q.p75)} (n={count(cell.n)})"


def build_tracks(q: Query, store: StoreRef) -> Page:
    fields, result = _tracks(q, store)
    page = Page(
        "Tracks compared",
        "Pay by level from our data beside what the work is like, every claim with its "
        "source, and the published numbers tested on our data.",
        fields=fields,
    )
    names = [t.name for t in result.tracks]
    levels = list(dict.fromkeys(c.level for cells in result.pay.values() for c in cells))
    page.sections.append(
        Section(
            f"Total comp by level: P25 / P50 / P75 (USD of {result.currency_year})",
            ["level", *names],
            [[lv, *(_pay_cell(result.pay[t.id], lv) for t in result.tracks)] for lv in levels],
            testid="pay",
            notes=result.notes,
        )
    )
    page.sections.append(
        Section(
            "What the work is like",
            ["dimension", *names],
            [
                [
                    d.replace("_", " "),
                    *(f"{t.dimensions[d].text} [{t.dimensions[d].source}]" for t in result.tracks),
                ]
                for d in DIMENSIONS
            ],
        )
    )
    page.sections.append(
        Section(
            "Published claims tested on our data",
            ["claim", "our data", "verdict"],
            [[c.claim.claim, c.evidence, c.verdict] for c in result.claims],
            testid="claims",
        )
    )
    return page


# ---- simulate ----------------------------------------------------------------------------
SIMULATE_DEFAULTS = {"track": "ml-engineer", "start_level": "mid"}


def _simulate(q: Query, store: StoreRef) -> tuple[list[Field], Simulation | Versus]:
    track = q.get("track", SIMULATE_DEFAULTS["track"]) or SIMULATE_DEFAULTS["track"]
    start = q.get("start_level", SIMULATE_DEFAULTS["start_level"]) or "mid"
    tier, vs, scenario = q.get("tier"), q.get("vs"), q.get("scenario")
    years, paths, seed = q.integer("years", 10), q.integer("paths", 10_000), q.integer("seed", 0)
    fields = [
        choice_input("track", "Track", list(tracks()), [track], track_names(), required=True),
        choice_input("start_level", "Start level", list(model()["ladder"]), [start], required=True),
        cohort_input("tier", tier),
        number_input("years", "Years", years, CAREER_YEARS),
        choice_input("vs", "Compare with track", list(tracks()), [vs or ""], track_names()),
        choice_input("scenario", "Transition", list(model()["scenarios"]), [scenario or ""]),
        number_input("paths", "Simulated careers", paths, CAREER_PATHS, advanced=True),
        number_input("seed", "Random seed", seed, SEED, advanced=True),
    ]
    result = services.simulate_career(
        track, start_level=start, tier=tier, years=years, paths=paths, seed=seed,
        scenario=scenario, vs=vs, store=store,
    )  # fmt: skip
    return fields, result


def simulate_document(q: Query, store: StoreRef) -> dict[str, Any]:
    return _simulate(q, store)[1].to_dict()


def build_simulate(q: Query, store: StoreRef) -> Page:
    fields, result = _simulate(q, store)
    page = Page(
        "Simulate a career",
        "Monte Carlo of promotions, job switches, layoffs and equity returns over market pay "
        "by level from our data. Seeded: the same inputs give the same result.",
        fields=fields,
    )
    runs = [result.a, result.b] if isinstance(result, Versus) else [result]
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
                f"{run.career.label()}: {count(run.paths)} paths, seed {run.seed}",
                list(YEAR_COLUMNS),
                [y.row() for y in run.by_year],
                notes=[run.to_dict()["currency"], *run.notes],
                testid="years",
            )
        )
    if isinstance(result, Versus):
        page.verdict = result.headline()
    return page


# ---- skills ------------------------------------------------------------------------------
def _skills(q: Query, store: StoreRef) -> tuple[list[Field], Assessment]:
    doc = knowledge()
    have, not_yet, clusters = q.many("have"), q.many("not_yet"), q.many("clusters")
    texts = q.texts(("role", "level"), {"role": "ml-engineer", "level": "senior"})
    tc = q.number("tc")
    fields = [
        choice_input(
            "have",
            "These hold for me",
            [i["id"] for i in doc["premium_tier"]["items"]],
            have,
            {i["id"]: i["text"] for i in doc["premium_tier"]["items"]},
            multiple=True,
        ),
        choice_input(
            "not_yet",
            "These also hold",
            [i["id"] for i in doc["not_yet"]["items"]],
            not_yet,
            {i["id"]: i["text"] for i in doc["not_yet"]["items"]},
            multiple=True,
        ),
        choice_input(
            "clusters",
            "Skill clusters I have",
            list(doc["clusters"]),
            clusters,
            {k: c["name"] for k, c in doc["clusters"].items()},
            multiple=True,
        ),
        cohort_input("role", texts["role"]),
        cohort_input("level", texts["level"]),
        number_input("tc", "Your total comp (optional)", q.get("tc"), PAY),
    ]
    result = services.assess_skills(
        have,
        not_yet,
        clusters,
        cohort=parse_cohort(texts | {"country": "US"}),
        tc=tc,
        measure=True,
        store=store,
    )
    return fields, result


def skills_document(q: Query, store: StoreRef) -> dict[str, Any]:
    return _skills(q, store)[1].to_dict()


def _premium(c: Any) -> str:
    if c.premium:
        return f"{c.premium[0]:.0%}-{c.premium[1]:.0%}"
    if c.premium_usd:
        return f"{usd(c.premium_usd[0])}-{usd(c.premium_usd[1])} base"
    return "not published"


def build_skills(q: Query, store: StoreRef) -> Page:
    fields, result = _skills(q, store)
    doc = knowledge()
    page = Page(
        "Skills that raise pay",
        "The premium-tier checklist, each skill cluster's published premium applied to your "
        "cohort, the premium measured on our data, and what to do next.",
        fields=fields,
    )
    page.verdict = (
        f"{result.verdict}: {len(result.premium_signals)} of {result.premium_signals_listed} "
        f"premium signals, {len(result.not_yet_signals)} 'not yet' signals"
    )
    checklist = [
        [i["id"], i["text"]] for i in doc["premium_tier"]["items"] + doc["not_yet"]["items"]
    ]
    page.sections.append(Section("Checklist", ["id", "signal"], checklist))
    effect_on = (
        f": effect on {result.reference_label} {usd(result.reference_pay)}"
        if result.reference_pay
        else ""
    )
    page.sections.append(
        Section(
            "Skill clusters" + effect_on,
            ["cluster", "you", "published premium", "effect", "source"],
            [
                [
                    c.name,
                    "have" if c.held else "-",
                    _premium(c),
                    "-"
                    if c.effect_usd is None
                    else f"+{usd(c.effect_usd[0])} to +{usd(c.effect_usd[1])}",
                    c.source,
                ]
                for c in result.clusters
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
                    m.what,
                    pct(m.premium),
                    "-" if m.interval is None else f"{pct(m.interval[0])} to {pct(m.interval[1])}",
                    f"{count(m.n_ai)} vs {count(m.n_other)}",
                ]
                for m in result.measured
            ],
        )
    )
    page.sections.append(Section("Next moves", notes=result.next_moves))
    return page


PAGES = (
    PageSpec("tracks", "Tracks", build_tracks, tracks_document),
    PageSpec("simulate", "Simulate", build_simulate, simulate_document),
    PageSpec("skills", "Skills", build_skills, skills_document),
)
