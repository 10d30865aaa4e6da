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

from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from careerbench.benchmark import DEFAULT_K, Quantiles, describe_cohort, load_index
from careerbench.claims import AGREES, DISAGREES, NOT_ENOUGH, ClaimCheck, claim, source_ids
from careerbench.cohort import Cohort
from careerbench.cohort_index import CohortIndex
from careerbench.errors import InvalidValue
from careerbench.knowledge import load_yaml
from careerbench.reference.bls import bls_wages
from careerbench.schema import Level, Tier
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
    level: str
    n: int
    quantiles: Quantiles | None
    note: str = ""


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
    )


def pay_by_level(
    index: CohortIndex,
    track: Track,
    *,
    tier: str | None,
    country: str | None,
    levels: tuple[Level, ...],
    source: str | None = None,
) -> list[PayCell]:
    """Total comp P25/P50/P75 with n for each level of a track (BLS wages for academia)."""
    if track.role_family is None:
        return [_bls_pay(track.bls_soc or "25-1021")]
    cells = []
    for level in levels:
        filters = Cohort(role=track.role_family, level=level.value, tier=tier, country=country)
        n, q = describe_cohort(index, filters, source=source)
        cells.append(PayCell(level.value, n, q))
    return cells


# ---- claims ------------------------------------------------------------------------------
def claims() -> list[dict[str, Any]]:
    """The track claims to test (``claims.yaml``): which cohorts, which published range."""
    return list(load_yaml(Path(__file__).with_name("claims.yaml"))["claims"])


def _side(index: CohortIndex, spec: dict[str, Any], country: str | None) -> npt.NDArray[np.float64]:
    if "bls_soc" in spec:
        cell = _bls_pay(str(spec["bls_soc"]))
        return np.array([] if cell.quantiles is None else [cell.quantiles.p50])
    track = resolve_track(spec["track"])
    filters: dict[str, object] = {
        "role_family": track.role_family,
        "level": list(spec.get("levels", [])) or None,
        "tier": spec.get("tier"),
        "country": country,
        "source": spec.get("source"),
    }
    values: npt.NDArray[np.float64] = index.values(index.select(filters), "total_comp")
    return values


def check_claim(
    index: CohortIndex, spec: dict[str, Any], *, country: str | None = "US", seed: int = SEED
) -> ClaimCheck:
    """Test one published claim on the data: ratio of medians, bootstrap interval, verdict."""
    top = _side(index, spec["numerator"], country)
    bottom = _side(index, spec["denominator"], country)
    bls_bottom = "bls_soc" in spec["denominator"]
    expected = (float(spec["expected"][0]), float(spec["expected"][1]))
    offset = 1.0 if spec["kind"] == "premium" else 0.0
    enough = len(top) >= MIN_N and (bls_bottom or len(bottom) >= MIN_N) and len(bottom) > 0

    published = claim(spec["claim"])
    n = {"numerator": len(top), "denominator": len(bottom)}

    def result(
        estimate: float | None, interval: tuple[float, float] | None, verdict: str
    ) -> ClaimCheck:
        evidence = (
            f"n {len(top):,} vs {len(bottom):,}"
            if estimate is None or interval is None
            else _evidence(spec["kind"], estimate, interval, len(top), len(bottom))
        )
        return ClaimCheck(published, verdict, evidence, spec["kind"], expected, estimate,
                          interval, n)  # fmt: skip

    if not enough:
        return result(None, None, NOT_ENOUGH)
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
    return result(estimate, (low, high), AGREES if agrees else DISAGREES)


def _evidence(kind: str, estimate: float, interval: tuple[float, float], a: int, b: int) -> str:
    if kind == "premium":
        shown = f"{estimate:+.0%} (95% {interval[0]:+.0%} to {interval[1]:+.0%})"
    else:
        shown = f"{estimate:.1f}x (95% {interval[0]:.1f}x to {interval[1]:.1f}x)"
    return f"{shown}; n {a:,} vs {b:,}"


# ---- comparison --------------------------------------------------------------------------
@dataclass(frozen=True)
class TrackComparison:
    tracks: list[Track]
    tier: str | None
    country: str | None
    currency_year: int
    pay: dict[str, list[PayCell]]
    claims: list[ClaimCheck]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tracks": [t.id for t in self.tracks],
            "tier": self.tier,
            "country": self.country,
            "currency_year": self.currency_year,
            "currency": f"USD of {self.currency_year} (CPI-U adjusted), annual total comp",
            "pay": {
                tid: [
                    {"level": c.level, "n": c.n, "note": c.note}
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
    """Tracks side by side: pay by level from the data, the dimensions, the claims tested."""
    if len(track_ids) < 2:
        raise InvalidValue(
            "tracks",
            " ".join(track_ids) or "(none)",
            list(tracks()),
            hint="(name at least two tracks to compare)",
        )
    chosen = [resolve_track(t) for t in track_ids]
    if tier is not None and tier not in {t.value for t in Tier}:
        raise InvalidValue("tier", tier, [t.value for t in Tier])
    levels: tuple[Level, ...] = LADDER
    if level is not None:
        levels = (resolve_level(level),)
    index = load_index(store)
    pay = {
        t.id: pay_by_level(index, t, tier=tier, country=country, levels=levels, source=source)
        for t in chosen
    }
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
    mixes = {
        t.id: index.breakdown(
            index.select(
                {"role_family": t.role_family, "country": country, "tier": tier, "source": source}
            ),
            "source",
        )
        for t in chosen
        if t.role_family
    }
    if len({tuple(sorted(m)) for m in mixes.values()}) > 1:
        notes.append(
            "the tracks' data come from different sources ("
            + "; ".join(
                f"{k}: {', '.join(f'{s} {n:,}' for s, n in v.items())}" for k, v in mixes.items()
            )
            + "): differences in pay may reflect the sources; compare within one with --source"
        )
    if any(c.verdict == NOT_ENOUGH for c in checks):
        notes.append(
            f"claims need at least {MIN_N} data points on each side; company tiers are known for "
            "Levels.fyi records only (load them with `careerbench ingest --levelsfyi PATH`)"
        )
    return TrackComparison(chosen, tier, country, index.currency_year, pay, checks, notes)
