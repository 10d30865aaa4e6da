"""Your own data points: the 20-30 pay figures you pulled together, answered for.

Read a table of data points (``points_table.read_points``: CSV, TSV or a table copied from a web
page or a spreadsheet; every row understood or rejected with its reason), then answer for that
set, per measure (total comp and base, never mixed):

- **the points**: n and P25/P50/P75 with 95% intervals from a seeded percentile bootstrap
  (``BOOTSTRAP`` resamples), in one year's dollars (``year``, default this year) on the store's
  pay index: each point is brought from its own year with ``pay_index.basis_for`` and the answer
  says so. A statistic needs at least ``PRIVACY_FLOOR`` points of its measure;
- **careerbench's data beside them, like for like**: ``market.market_answer`` for the same
  measure, year and basis, for the cohort the points have in common (``choose_cohort``: the most
  common role family and level; the company, tier and place only where most points share them),
  saying which cohort and why;
- **your pay** (total comp or base, optional): its percentile among the points (below plus half
  of equal, as the cohort statistics) and in careerbench's answer.

The method is the published one: pull 20 to 30 data points for your role, level, tier and city
and compare with P50 and P75 (``claims.claim("pull-data-points")``).

Privacy: answering reads the store and writes nothing; the points are neither stored nor
logged. ``add_points`` adds them to the store, only when asked, as a load of the generic CSV
source (``sources/generic_csv.py``) through ``ingest``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from careerbench.benchmark import MEASURE_WORDS, PRIVACY_FLOOR, basis_label, check_pay, load_index
from careerbench.claims import Claim, claim
from careerbench.cohort import Cohort, parse_cohort
from careerbench.config import store_path
from careerbench.errors import InputError
from careerbench.formatting import count, ordinal, usd
from careerbench.ingest import LoadResult, ingest
from careerbench.knowledge import load_csv
from careerbench.market import MarketAnswer, market_answer, position_of
from careerbench.pay_index import Basis, basis_for
from careerbench.points_table import MEASURES, Point, Reading, read_points
from careerbench.schema import RoleFamily
from careerbench.taxonomy import places
from careerbench.taxonomy.companies import lookup

BOOTSTRAP = 2_000
SEED = 17
QUANTILES = (("p25", 0.25), ("p50", 0.50), ("p75", 0.75))


# ---- statistics of the set ---------------------------------------------------------------
@dataclass(frozen=True)
class SetStatistics:
    """One measure over the points, in one year's dollars: n, P25/P50/P75 and their 95%
    intervals (a seeded percentile bootstrap), or ``withheld`` with the reason."""

    measure: str
    n: int
    quantiles: dict[str, float]
    intervals: dict[str, tuple[float, float]]
    years: dict[int, int]
    withheld: str | None = None

    @property
    def span(self) -> str:
        if not self.years:
            return "-"
        first, last = min(self.years), max(self.years)
        return str(first) if first == last else f"{first}-{last}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "n": self.n,
            "quantiles": self.quantiles or None,
            "intervals": {k: list(v) for k, v in self.intervals.items()} or None,
            "years": {str(y): n for y, n in sorted(self.years.items())},
            "withheld": self.withheld,
        }


def set_statistics(
    measure: str,
    values: Sequence[float],
    years: Sequence[int],
    *,
    bootstrap: int = BOOTSTRAP,
    seed: int = SEED,
) -> SetStatistics:
    """P25/P50/P75 of ``values`` (linear interpolation, as the cohort statistics) with 95%
    intervals from ``bootstrap`` resamples drawn with ``seed``; withheld below the floor."""
    n = len(values)
    span = dict(sorted(Counter(years).items()))
    if n < PRIVACY_FLOOR:
        reason = (
            f"{count(n)} point(s) of {MEASURE_WORDS[measure]}: statistics need at least "
            f"{PRIVACY_FLOOR} (the privacy floor)"
        )
        return SetStatistics(measure, n, {}, {}, span, reason)
    data = np.asarray(values, dtype=float)
    probabilities = [p for _, p in QUANTILES]
    central = np.quantile(data, probabilities)
    draws = np.random.default_rng(seed).integers(0, n, size=(bootstrap, n))
    resampled = np.quantile(data[draws], probabilities, axis=1)
    low, high = np.percentile(resampled, [2.5, 97.5], axis=1)
    names = [name for name, _ in QUANTILES]
    return SetStatistics(
        measure,
        n,
        {name: float(v) for name, v in zip(names, central, strict=True)},
        {name: (float(lo), float(hi)) for name, lo, hi in zip(names, low, high, strict=True)},
        span,
    )


def percentile_among(values: Sequence[float], pay: float) -> float:
    """The percentile of ``pay`` among ``values``: below plus half of equal (as the cohorts)."""
    data = np.asarray(values, dtype=float)
    below = np.count_nonzero(data < pay)
    equal = np.count_nonzero(data == pay)
    return round(float(100.0 * (below + 0.5 * equal) / len(data)), 1)


# ---- the cohort the points have in common ------------------------------------------------
@dataclass(frozen=True)
class CohortChoice:
    """The cohort of careerbench's data to set beside the points, and why each field."""

    cohort: Cohort | None
    why: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"cohort": None if self.cohort is None else self.cohort.to_dict(), "why": self.why}


def _most(values: Sequence[str | None]) -> tuple[str | None, int]:
    found = Counter(v for v in values if v)
    return found.most_common(1)[0] if found else (None, 0)


def choose_cohort(points: Sequence[Point]) -> CohortChoice:
    """The most common role family and level; the company, tier and place only where most
    (more than half) of the points share them."""
    n = len(points)
    role, role_n = _most([p.role for p in points if p.role != RoleFamily.OTHER.value])
    if role is None:
        return CohortChoice(None, ["no comparison: no point has a title or role careerbench knows"])
    texts: dict[str, str] = {"role": role}
    why = [f"role {role}: the most common role family ({role_n} of {n} points)"]
    level, level_n = _most([p.level for p in points])
    if level is None:
        why.append("any level: no point states a level careerbench understood")
    else:
        texts["level"] = level
        why.append(f"level {level}: the most common level ({level_n} of {n} points)")
    company, company_n = _most([p.company for p in points if p.company and lookup(p.company)])
    tier, tier_n = _most([p.tier for p in points if p.tier != "unknown"])
    if company is not None and company_n * 2 > n:
        texts["company"] = company
        why.append(f"company {company}: {company_n} of {n} points")
    elif tier is not None and tier_n * 2 > n:
        texts["tier"] = tier
        why.append(f"tier {tier}: {tier_n} of {n} points")
    else:
        shared = f" (the most: {tier}, {tier_n} of {n})" if tier else ""
        why.append(f"any company: no company or tier is shared by most points{shared}")
    for name, key in (("metro", "metro_code"), ("state", "state"), ("country", "country")):
        value, value_n = _most([getattr(p.place, key) if p.place else None for p in points])
        if value is not None and value_n * 2 > n:
            texts[name] = value
            shown = next(
                (p.place.metro_name for p in points if p.place and p.place.metro_code == value),
                value,
            )
            why.append(f"{name} {shown}: {value_n} of {n} points")
            break
    else:
        why.append("any place: no place is shared by most points")
    return CohortChoice(parse_cohort(texts), why)


# ---- the answer --------------------------------------------------------------------------
@dataclass(frozen=True)
class MeasureAnswer:
    """One measure: the points' statistics and careerbench's answer for the chosen cohort,
    in the same measure, year and basis, with the sentence that says both."""

    statistics: SetStatistics
    market: MarketAnswer | None
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "points": self.statistics.to_dict(),
            "market": None if self.market is None else self.market.to_dict(),
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class YourPay:
    """Where the user's pay (one measure) stands among the points and in the market."""

    measure: str
    pay: float
    among_points: float | None
    in_market: float | None
    headline: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "pay": self.pay,
            "percentile_among_points": self.among_points,
            "percentile_in_market": self.in_market,
            "headline": self.headline,
        }


@dataclass(frozen=True)
class PointsAnswer:
    """The answer for a set of data points (module docstring)."""

    reading: Reading
    year: int
    basis: str
    basis_note: str
    factors: dict[int, float]
    choice: CohortChoice
    measures: dict[str, MeasureAnswer]
    you: YourPay | None
    method: Claim

    @property
    def headline(self) -> str:
        if self.you is not None:
            return self.you.headline
        shown = [m.sentence for m in self.measures.values() if not m.statistics.withheld]
        return shown[0] if shown else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "headline": self.headline,
            "year": self.year,
            "basis": self.basis,
            "basis_note": self.basis_note,
            "factors": {str(y): f for y, f in sorted(self.factors.items())},
            "cohort": self.choice.to_dict(),
            "measures": {m: a.to_dict() for m, a in self.measures.items()},
            "you": None if self.you is None else self.you.to_dict(),
            "reading": self.reading.to_dict(),
            "method": self.method.to_dict(),
        }

    # Tables every face shows the same way.
    UNDERSTOOD = (
        "line", "company", "tier", "title", "role", "level", "place", "year", "total comp",
        "base", "notes",
    )  # fmt: skip

    def understood_rows(self) -> list[list[str]]:
        """What was understood per row (pay in nominal dollars of its year, as given)."""
        return [
            [
                str(p.line), p.company or "-", p.tier or "-", p.title or "-", p.role or "-",
                p.level_text, p.place_text, p.year_text, usd(p.total_comp), usd(p.base),
                "; ".join(p.notes),
            ]
            for p in self.reading.points
        ]  # fmt: skip

    STATISTICS = ("", "n", "P25", "P50", "P75", "95% interval of P50")

    def statistics_rows(self) -> list[list[str]]:
        """Per measure: the points and careerbench's answer, in the same dollars."""
        rows = []
        for measure, answer in self.measures.items():
            stats = answer.statistics
            words = MEASURE_WORDS[measure]
            q, ci = stats.quantiles, stats.intervals
            interval = f"{usd(ci['p50'][0])} to {usd(ci['p50'][1])}" if ci else "-"
            rows.append(
                [f"your points: {words}", count(stats.n)]
                + [usd(q.get(name)) for name, _ in QUANTILES]
                + [interval]
            )
            market = answer.market
            if market is not None:
                mq = market.quantiles
                rows.append(
                    [f"careerbench: {words} ({market.answered_by})", count(market.n_behind())]
                    + [usd(None if mq is None else getattr(mq, name)) for name, _ in QUANTILES]
                    + ["-"]
                )
        return rows


def answer_points(
    text: str,
    *,
    tc: float | None = None,
    base: float | None = None,
    year: int | None = None,
    model: str = "if-trained",
    store: Path | str | None = None,
    bootstrap: int = BOOTSTRAP,
    seed: int = SEED,
    today: int | None = None,
) -> PointsAnswer:
    """Read the points in ``text`` and answer for them (module docstring), in USD of ``year``
    (default: this year) on the store's pay index; ``tc`` or ``base``: your own pay."""
    if tc is not None and base is not None:
        raise InputError("tc", "give your total comp (tc) or your base salary (base), not both")
    check_pay("tc", tc)
    check_pay("base", base)
    today = today or date.today().year
    answer_year = year or today
    reading = read_points(text, year=answer_year, today=today)
    best = max(reading.n(m) for m in MEASURES)
    if best < PRIVACY_FLOOR:
        raise InputError("points", _too_few(reading))
    path = store_path(store)
    basis = basis_for(path, "pay-index", year=answer_year)
    label = basis_label(load_index(path, "pay-index"), answer_year)
    factors = {y: basis.factor(y) for y in sorted({p.year for p in reading.points})}
    choice = choose_cohort(reading.points)
    pay_measure = "total_comp" if tc is not None else ("base" if base is not None else None)
    pay = tc if tc is not None else base
    measures = {}
    for measure in MEASURES:
        chosen = [p for p in reading.points if p.pay(measure) is not None]
        values = [float(p.pay(measure) or 0.0) * factors[p.year] for p in chosen]
        stats = set_statistics(
            measure, values, [p.year for p in chosen], bootstrap=bootstrap, seed=seed
        )
        market = None
        if choice.cohort is not None and stats.withheld is None:
            market = market_answer(
                choice.cohort, measure=measure, year=answer_year, basis="pay-index",
                pay=pay if measure == pay_measure else None, model=model, store=path,
            )  # fmt: skip
        measures[measure] = MeasureAnswer(stats, market, _sentence(stats, market, choice, label))
    you = None
    if pay is not None and pay_measure is not None:
        you = _your_pay(pay_measure, pay, reading, measures[pay_measure], factors, label)
    return PointsAnswer(
        reading=reading,
        year=answer_year,
        basis=label,
        basis_note=_basis_note(basis, factors, label),
        factors=factors,
        choice=choice,
        measures=measures,
        you=you,
        method=claim("pull-data-points"),
    )


def _too_few(reading: Reading) -> str:
    counts = " and ".join(f"{count(reading.n(m))} of {MEASURE_WORDS[m]}" for m in MEASURES)
    text = (
        f"{count(len(reading.points))} data point(s) understood of {count(reading.rows)} "
        f"row(s) ({counts}): statistics need at least {PRIVACY_FLOOR} data points of one "
        "measure (the privacy floor); add rows"
    )
    if reading.rejected:
        reasons = "; ".join(f"line {r.line}: {r.reason}" for r in reading.rejected[:5])
        more = len(reading.rejected) - 5
        text += f". Rejected: {reasons}" + (f"; and {more} more" if more > 0 else "")
    return text


def _basis_note(basis: Basis, factors: dict[int, float], label: str) -> str:
    moved = ", ".join(f"{y} x{f:.3f}" for y, f in factors.items() if not math.isclose(f, 1.0))
    text = f"every figure in {label}: {basis.measured}"
    if moved:
        text += f"; points of other years brought to {basis.year} ({moved})"
    return text


def _sentence(
    stats: SetStatistics, market: MarketAnswer | None, choice: CohortChoice, label: str
) -> str:
    words = MEASURE_WORDS[stats.measure]
    if stats.withheld:
        return f"Your points' {words}: {stats.withheld}."
    q, ci = stats.quantiles, stats.intervals
    text = (
        f"Your {count(stats.n)} data points' {words}, of {stats.span} in {label}: P50 "
        f"{usd(q['p50'])} (95% interval {usd(ci['p50'][0])} to {usd(ci['p50'][1])}), P25 "
        f"{usd(q['p25'])}, P75 {usd(q['p75'])}."
    )
    if choice.cohort is None:
        return text + f" No comparison: {choice.why[0].split(': ', 1)[-1]}."
    if market is None:
        return text
    cohort = ", ".join(f"{k}={v}" for k, v in choice.cohort.texts().items())
    if market.quantiles is None:
        return text + f" careerbench's data for {cohort}: {market.evidence_text()}."
    return text + (
        f" careerbench's data for {cohort}: P50 {usd(market.quantiles.p50)}, P25 "
        f"{usd(market.quantiles.p25)}, P75 {usd(market.quantiles.p75)}: "
        f"{market.evidence_text()}."
    )


def _your_pay(
    measure: str,
    pay: float,
    reading: Reading,
    answer: MeasureAnswer,
    factors: dict[int, float],
    label: str,
) -> YourPay:
    words = MEASURE_WORDS[measure]
    stats = answer.statistics
    if stats.withheld:
        return YourPay(measure, pay, None, None, f"Your {words} {usd(pay)} cannot be placed: "
                       f"{stats.withheld}.")  # fmt: skip
    values = [
        float(p.pay(measure) or 0.0) * factors[p.year]
        for p in reading.points
        if p.pay(measure) is not None
    ]
    among = percentile_among(values, pay)
    text = (
        f"Your {words} {usd(pay)} is at about the {ordinal(round(among))} percentile of your "
        f"{count(stats.n)} data points (P50 {usd(stats.quantiles['p50'])}, P75 "
        f"{usd(stats.quantiles['p75'])}, in {label})."
    )
    in_market = None
    if answer.market is not None:
        position = position_of(answer.market, pay)
        in_market = position.percentile
        if in_market is None:
            text += f" careerbench's data cannot place it: {answer.market.evidence_text()}."
        else:
            assert answer.market.quantiles is not None
            text += (
                f" In careerbench's data for the same cohort it is at about the "
                f"{ordinal(round(in_market))} percentile (P50 "
                f"{usd(answer.market.quantiles.p50)}): {answer.market.evidence_text()}."
            )
    return YourPay(measure, pay, among, in_market, text)


# ---- adding the points to the store (only when asked) ------------------------------------
#: The generic CSV source's columns the points are written in (``sources/generic_csv.py``).
CSV_COLUMNS = (
    "id", "year", "title", "company", "role_family", "level", "location", "metro", "state",
    "country", "remote", "years_experience", "total_comp", "base", "currency",
)  # fmt: skip


@dataclass(frozen=True)
class Added:
    """The points written as a file of the generic CSV source and loaded into the store."""

    file: Path
    load: LoadResult
    notes: list[str]

    def to_dict(self) -> dict[str, Any]:
        load = self.load
        return {
            "file": str(self.file),
            "load_key": load.load_key,
            "status": load.status,
            "rows_read": load.rows_read,
            "rows_loaded": load.rows_loaded,
            "rows_quarantined": load.rows_quarantined,
            "records": load.records,
            "notes": self.notes,
        }


def _country_names() -> dict[str, str]:
    return {row["code"]: row["name"] for row in load_csv(places.HERE / "countries.csv")}


def _csv_place(place: places.Place | None) -> dict[str, str]:
    """The place in the CSV source's columns, so that it reads back as the same place."""
    if place is None:
        return {}
    if place.city and place.state:
        return {"location": f"{place.city}, {place.state}"}
    if place.metro_code:
        return {"metro": place.metro_code}
    if place.state:
        return {"state": place.state}
    name = _country_names().get(place.country, place.country)
    if place.city:
        return {"location": f"{place.city}, {name}"}
    return {"country": name}


def points_csv(points: Sequence[Point]) -> str:
    """The points as a CSV of the generic source (nominal dollars of each point's year)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for point in points:
        row = {
            "id": f"line-{point.line}",
            "year": str(point.year),
            "title": point.title or "",
            "company": point.raw_company or "",
            "role_family": point.role or "",
            "level": point.level or "",
            "remote": point.remote or "",
            "years_experience": "" if point.years_experience is None else
            f"{point.years_experience:g}",
            "total_comp": "" if point.total_comp is None else f"{point.total_comp:.2f}",
            "base": "" if point.base is None else f"{point.base:.2f}",
            "currency": "USD",
        } | _csv_place(point.place)  # fmt: skip
        writer.writerow(row)
    return out.getvalue()


def add_points(reading: Reading, store: Path | str | None = None) -> Added:
    """Add the understood points to the store: written as a CSV of the generic source beside
    the store (named by its content, so adding the same points again changes nothing) and
    loaded by ``ingest``. Rejected rows are not added."""
    if not reading.points:
        raise InputError("points", "no data point understood: nothing to add")
    path = store_path(store)
    content = points_csv(reading.points)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
    folder = path.with_name(path.name + ".points")
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / f"points-{digest}.csv"
    if not file.exists():
        file.write_text(content, encoding="utf-8")
    report = ingest(path, csv_paths=[file])
    key = f"csv:{file.expanduser().resolve()}"
    load = next(x for x in report.loads if x.load_key == key)
    notes = []
    if reading.rejected:
        notes.append(f"{count(len(reading.rejected))} rejected row(s) not added")
    base_only = sum(1 for p in reading.points if p.total_comp is None)
    if base_only:
        notes.append(
            f"{count(base_only)} point(s) give base only: added as base salaries, never "
            "counted as total comp"
        )
    defaulted = sum(1 for p in reading.points if not p.year_given)
    if defaulted:
        notes.append(f"{count(defaulted)} point(s) named no year: added as {reading.year}")
    return Added(file, load, notes)
