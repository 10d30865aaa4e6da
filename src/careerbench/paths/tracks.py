"""The track knowledge base and side-by-side comparisons of tracks.

Each track is a YAML file in ``tracks/``: what the work is and nine more dimensions (credential
gate, publication freedom, external visibility, product impact, promotion timing, market
liquidity, exits, interview format, demand trend), every one with the source it comes from (an
id in ``citations.yaml``) and the track's "as of" date. ``validate_track`` rejects a claim
without a source.

``compare_tracks`` puts the dimensions beside pay by level from careerbench's own data (exact
cohorts, no relaxation: total comp P25/P50/P75 with n, in the store's currency-year dollars)
and tests the quantitative published claims of ``claims.yaml`` on that data: the ratio of
medians with a seeded bootstrap 95% interval, and a verdict - agrees (the interval meets the
claimed range), disagrees (it does not) or not enough data (fewer than ``MIN_N`` on a side).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from careerbench.benchmark import (
    DEFAULT_K,
    MEASURE_WORDS,
    Quantiles,
    basis_label,
    load_index,
    scale_to,
)
from careerbench.claims import AGREES, DISAGREES, NOT_ENOUGH, ClaimCheck, claim, source_ids
from careerbench.cohort import Cohort
from careerbench.cohort_index import CohortIndex
from careerbench.errors import InvalidValue
from careerbench.estimate import trained_model
from careerbench.knowledge import load_yaml
from careerbench.market import EXACT, answer_on
from careerbench.pay_model import PayModel
from careerbench.reference.bls import bls_wages
from careerbench.schema import Level
from careerbench.sources import registry
from careerbench.taxonomy.companies import resolve_tier
from careerbench.taxonomy.levels import resolve_level

TRACKS_DIR = Path(__file__).with_name("tracks")
DIMENSIONS = (
    "work",
    "credential_gate",
    "publication_freedom",
    "external_visibility",
    "product_impact",
    "promotion_timing",
    "market_liquidity",
    "exits",
    "interview_format",
    "demand_trend",
)
FIT_FACTORS = ("work_content", "credentials", "recognition", "optionality")
LADDER = (Level.ENTRY, Level.MID, Level.SENIOR, Level.STAFF, Level.PRINCIPAL)
MIN_N = DEFAULT_K
BOOTSTRAP = 2000
SEED = 7


@dataclass(frozen=True)
class Dimension:
    rating: str
    text: str
    source: str


@dataclass(frozen=True)
class Track:
    id: str
    name: str
    summary: str
    role_family: str | None
    bls_soc: str | None
    as_of: str
    dimensions: dict[str, Dimension]
    fit: dict[str, str]


class KnowledgeError(ValueError):
    """A track file breaks the knowledge-base schema (a review finding, not a user error)."""


def validate_track(document: dict[str, Any], name: str) -> Track:
    """A track from its YAML document; every dimension must carry text and a known source."""
    sources = source_ids()
    for key in ("track", "name", "summary", "as_of", "dimensions", "fit"):
        if key not in document:
            raise KnowledgeError(f"{name}: missing '{key}'")
    dimensions: dict[str, Dimension] = {}
    for dim in DIMENSIONS:
        entry = document["dimensions"].get(dim)
        if not isinstance(entry, dict):
            raise KnowledgeError(f"{name}: dimension '{dim}' is missing")
        if not entry.get("source"):
            raise KnowledgeError(f"{name}: dimension '{dim}' has no source")
        if entry["source"] not in sources:
            raise KnowledgeError(f"{name}: '{dim}' cites unknown source {entry['source']!r}")
        if not entry.get("text"):
            raise KnowledgeError(f"{name}: dimension '{dim}' has no text")
        dimensions[dim] = Dimension(str(entry.get("rating", "")), entry["text"], entry["source"])
    missing = [f for f in FIT_FACTORS if f not in document["fit"]]
    if missing:
        raise KnowledgeError(f"{name}: fit lacks {missing}")
    return Track(
        id=document["track"],
        name=document["name"],
        summary=document["summary"],
        role_family=document.get("role_family"),
        bls_soc=document.get("bls_soc"),
        as_of=str(document["as_of"]),
        dimensions=dimensions,
        fit={k: str(v) for k, v in document["fit"].items()},
    )


@cache
def tracks() -> dict[str, Track]:
    """Every track of the knowledge base, by id."""
    out = {}
    for path in sorted(TRACKS_DIR.glob("*.yaml")):
        track = validate_track(load_yaml(path), path.name)
        out[track.id] = track
    return out


def resolve_track(text: str) -> Track:
    known = tracks()
    value = text.strip().lower()
    if value not in known:
        raise InvalidValue("track", text, list(known))
    return known[value]


# ---- pay by level ------------------------------------------------------------------------
@dataclass(frozen=True)
class PayCell:
    """A track's market pay at one level: the market's answer (``market.py``), or BLS wages."""

    level: str
    n: int
    quantiles: Quantiles | None
    note: str = ""
    answered_by: str = ""


def _bls_pay(soc: str) -> PayCell:
    wages = bls_wages(soc)
    if wages is None or wages.p25 is None or wages.p50 is None or wages.p75 is None:
        return PayCell("all", 0, None, "BLS publishes no wages for this occupation")
    q = Quantiles(wages.p10 or wages.p25, wages.p25, wages.p50, wages.p75, wages.p90 or wages.p75)
    return PayCell(
        "all",
        int(wages.employment or 0),
        q,
        f"BLS OEWS May 2025 {soc} {wages.soc_title}: base wages, all levels; n is employment",
        "BLS",
    )


def pay_by_level(
    index: CohortIndex,
    track: Track,
    *,
    measure: str,
    tier: str | None,
    country: str | None,
    levels: tuple[Level, ...],
    sources: Sequence[str] | None = None,
    pay_model: PayModel | None = None,
) -> list[PayCell]:
    """The market's answer for each level of a track (BLS wages for academia)."""
    if track.role_family is None:
        return [_bls_pay(track.bls_soc or "25-1021")]
    cells = []
    for level in levels:
        profile = Cohort(role=track.role_family, level=level.value, tier=tier, country=country)
        answer = answer_on(index, profile, measure=measure, model=pay_model, sources=sources)
        note = "" if answer.answered_by == EXACT else answer.evidence_text()
        cells.append(
            PayCell(level.value, answer.n_behind(), answer.quantiles, note, answer.answered_by)
        )
    return cells


# ---- claims ------------------------------------------------------------------------------
def claims() -> list[dict[str, Any]]:
    """The track claims to test (``claims.yaml``): which cohorts, which published range."""
    return list(load_yaml(Path(__file__).with_name("claims.yaml"))["claims"])


def _filters(spec: dict[str, Any], country: str | None) -> dict[str, object]:
    track = resolve_track(spec["track"])
    return {
        "role_family": track.role_family,
        "level": list(spec.get("levels", [])) or None,
        "tier": spec.get("tier"),
        "country": country,
    }


def _sides(
    index: CohortIndex, spec: dict[str, Any], country: str | None
) -> tuple[str, list[str], npt.NDArray[np.float64], npt.NDArray[np.float64]] | str:
    """Both sides' values of one measure from one source set (like for like), or the reason
    there are none: total comp where both sides have enough of it from the same sources, else
    base salary; a BLS side is base wages, so its claims are tested on base."""
    top_spec, bottom_spec = spec["numerator"], spec["denominator"]
    bls = "bls_soc" in bottom_spec
    measures = ("base",) if bls else ("total_comp", "base")
    reasons = []
    for measure in measures:
        top_cells = index.select(_filters(top_spec, country))
        top_sources = index.breakdown(top_cells, "source", measure)
        if bls:
            common = sorted(top_sources)
        else:
            bottom_cells = index.select(_filters(bottom_spec, country))
            bottom_sources = index.breakdown(bottom_cells, "source", measure)
            common = sorted(set(top_sources) & set(bottom_sources))
        wanted = [s for s in (top_spec.get("source"), bottom_spec.get("source")) if s]
        if wanted:
            common = [s for s in common if s in wanted]
        top = index.values(index.select(_filters(top_spec, country) | {"source": common}), measure)
        if bls:
            cell = _bls_pay(str(bottom_spec["bls_soc"]))
            bottom = np.array([] if cell.quantiles is None else [cell.quantiles.p50])
        else:
            chosen = _filters(bottom_spec, country) | {"source": common}
            bottom = index.values(index.select(chosen), measure)
        if len(top) >= MIN_N and len(bottom) > 0 and (bls or len(bottom) >= MIN_N):
            return measure, common, top, bottom
        reasons.append(
            f"{MEASURE_WORDS[measure]} from the same sources: n {len(top):,} vs {len(bottom):,}"
        )
    return "; ".join(reasons) + f" (at least {MIN_N} needed on each side)"


def check_claim(
    index: CohortIndex, spec: dict[str, Any], *, country: str | None = "US", seed: int = SEED
) -> ClaimCheck:
    """Test one published claim on the data, like for like (one measure, one source set on
    both sides): ratio of medians, bootstrap interval, verdict."""
    expected = (float(spec["expected"][0]), float(spec["expected"][1]))
    offset = 1.0 if spec["kind"] == "premium" else 0.0
    published = claim(spec["claim"])
    found = _sides(index, spec, country)
    if isinstance(found, str):
        return ClaimCheck(published, NOT_ENOUGH, found, spec["kind"], expected)
    measure, sources, top, bottom = found
    bls_bottom = "bls_soc" in spec["denominator"]
    rng = np.random.default_rng(seed)
    estimate = float(np.median(top) / np.median(bottom)) - offset
    top_medians = np.median(rng.choice(top, (BOOTSTRAP, len(top))), axis=1)
    if bls_bottom:
        bottom_medians = np.full(BOOTSTRAP, bottom[0])
    else:
        bottom_medians = np.median(rng.choice(bottom, (BOOTSTRAP, len(bottom))), axis=1)
    ratios = top_medians / bottom_medians - offset
    low, high = (float(v) for v in np.percentile(ratios, [2.5, 97.5]))
    agrees = high >= expected[0] and low <= expected[1]
    titles = " and ".join(registry.spec(s).title for s in sources)
    on = f"BLS {spec['denominator']['bls_soc']} median base wages" if bls_bottom else titles
    evidence = (
        f"{_shown(spec['kind'], estimate, (low, high))} on {MEASURE_WORDS[measure]} "
        f"({titles} vs {on}); n {len(top):,} vs {len(bottom):,}"
    )
    n = {"numerator": len(top), "denominator": len(bottom)}
    return ClaimCheck(
        published, AGREES if agrees else DISAGREES, evidence, spec["kind"], expected, estimate,
        (low, high), n,
    )  # fmt: skip


def _shown(kind: str, estimate: float, interval: tuple[float, float]) -> str:
    if kind == "premium":
        return f"{estimate:+.0%} (95% {interval[0]:+.0%} to {interval[1]:+.0%})"
    return f"{estimate:.1f}x (95% {interval[0]:.1f}x to {interval[1]:.1f}x)"


# ---- comparison --------------------------------------------------------------------------
@dataclass(frozen=True)
class TrackComparison:
    tracks: list[Track]
    tier: str | None
    country: str | None
    currency_year: int
    basis: str
    measure: str
    pay: dict[str, list[PayCell]]
    claims: list[ClaimCheck]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tracks": [t.id for t in self.tracks],
            "tier": self.tier,
            "country": self.country,
            "currency_year": self.currency_year,
            "measure": self.measure,
            "currency": f"{self.basis}, annual {MEASURE_WORDS[self.measure]}",
            "pay": {
                tid: [
                    {"level": c.level, "n": c.n, "answered_by": c.answered_by, "note": c.note}
                    | (
                        {}
                        if c.quantiles is None
                        else {
                            "p25": c.quantiles.p25,
                            "p50": c.quantiles.p50,
                            "p75": c.quantiles.p75,
                        }
                    )
                    for c in cells
                ]
                for tid, cells in self.pay.items()
            },
            "dimensions": {
                t.id: {k: asdict(v) for k, v in t.dimensions.items()} | {"as_of": t.as_of}
                for t in self.tracks
            },
            "claims": [c.to_dict() for c in self.claims],
            "notes": self.notes,
        }


def compare_tracks(
    track_ids: list[str],
    *,
    tier: str | None = None,
    level: str | None = None,
    country: str | None = "US",
    source: str | None = None,
    store: Path | str | None = None,
) -> TrackComparison:
    """Tracks side by side: the market's pay by level (one measure for every track: total comp
    where every track has it, else base), the dimensions, the claims tested like for like."""
    if len(track_ids) < 2:
        raise InvalidValue(
            "tracks",
            " ".join(track_ids) or "(none)",
            list(tracks()),
            hint="(name at least two tracks to compare)",
        )
    chosen = [resolve_track(t) for t in track_ids]
    tier = None if tier is None else resolve_tier(tier).value
    levels: tuple[Level, ...] = LADDER
    if level is not None:
        levels = (resolve_level(level),)
    sources = None if source is None else [registry.spec(source).name]
    index = load_index(store)
    pay_model = trained_model(store)
    measure = "base"
    for candidate in ("total_comp", "base"):
        pay = {
            t.id: pay_by_level(
                index, t, measure=candidate, tier=tier, country=country, levels=levels,
                sources=sources, pay_model=pay_model,
            )
            for t in chosen
        }  # fmt: skip
        if all(c.quantiles is not None for cells in pay.values() for c in cells):
            measure = candidate
            break
    families = {t.role_family for t in chosen} | {None}
    relevant = [
        c
        for c in claims()
        if {
            resolve_track(side["track"]).role_family if "track" in side else None
            for side in (c["numerator"], c["denominator"])
        }
        <= families
    ]
    checks = [check_claim(index, spec, country=country) for spec in relevant]
    notes = []
    if measure == "base":
        notes.append(
            "pay is base salary: not every track has total comp at every level in the data"
        )
    kinds = {c.answered_by for cells in pay.values() for c in cells if c.answered_by != "BLS"}
    if len(kinds) > 1:
        notes.append(
            "levels are answered by different evidence (" + ", ".join(sorted(kinds)) + "): "
            "each cell says which"
        )
    if any(c.verdict == NOT_ENOUGH for c in checks):
        notes.append(
            f"claims are tested like for like (one measure, the same sources on both sides) and "
            f"need at least {MIN_N} data points on each side; company tiers are known only for "
            "sources that name employers (Levels.fyi, employers' postings)"
        )
    year, _ = scale_to(index, None)
    return TrackComparison(
        chosen, tier, country, year, basis_label(index, year), measure, pay, checks, notes
    )
