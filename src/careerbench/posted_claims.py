"""Published claims about posted base salaries, tested on the employers' posted ranges.

The claims and how each is tested are in ``posted_claims.yaml`` (which postings, which test,
the published figures); their text and source are in ``citations.yaml``. The evidence is the
store's employers' postings (``sources/postings.py``), each posting counted once however many
places it names; figures are the posted annual base salary ranges, nominal dollars of the year
they were posted (the claims are of the same year). A posted range is base pay: these checks
never speak to total comp.

Verdicts: ``agrees`` / ``disagrees`` on at least ``MIN_POSTINGS`` postings (one for a claim
about the posted range itself), else ``not enough data``, with the n and the figures in the
evidence.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from careerbench.claims import AGREES, DISAGREES, NOT_ENOUGH, ClaimCheck, claim
from careerbench.config import store_path
from careerbench.knowledge import load_yaml
from careerbench.sources.postings import SOURCE
from careerbench.store import Store

SPECS = Path(__file__).with_name("posted_claims.yaml")
MIN_POSTINGS = 5
BOOTSTRAP = 2000
SEED = 23
COLUMNS = (
    "source_id", "company", "tier", "role_family", "level", "raw_title", "tag", "range_low",
    "range_high", "base", "observed_year",
)  # fmt: skip


def specs() -> list[dict[str, Any]]:
    return list(load_yaml(SPECS)["claims"])


def postings(store: Path | str | None = None) -> pd.DataFrame:
    """The store's employers' postings, one row per posting (not per place)."""
    with Store(store_path(store)) as db:
        records = db.records()
        chosen = records.filter(records.source == SOURCE).select(*COLUMNS)
        frame: pd.DataFrame = chosen.to_pandas()
    return frame.drop_duplicates("source_id").reset_index(drop=True)


def _matching(frame: pd.DataFrame, spec: dict[str, Any]) -> pd.DataFrame:
    keep = pd.Series(True, index=frame.index)
    if spec.get("companies"):
        keep &= frame["company"].isin(spec["companies"])
    if spec.get("tier"):
        keep &= frame["tier"] == spec["tier"]
    if spec.get("role_families"):
        keep &= frame["role_family"].isin(spec["role_families"])
    if spec.get("levels"):
        levels = [lv for lv in spec["levels"] if lv != "unleveled"]
        chosen = frame["level"].isin(levels)
        if "unleveled" in spec["levels"]:
            chosen |= frame["level"].isna()
        keep &= chosen
    if spec.get("words"):
        pattern = re.compile(spec["words"], re.IGNORECASE)
        text = frame["raw_title"].fillna("") + " " + frame["tag"].fillna("")
        keep &= text.map(lambda t: bool(pattern.search(t))).astype(bool)
    return frame[keep]


def _money(value: float) -> str:
    return f"${value / 1000:,.0f}k"


def check(frame: pd.DataFrame, spec: dict[str, Any], *, seed: int = SEED) -> ClaimCheck:
    """One claim tested on the postings ``frame`` (see the module docstring)."""
    published = claim(spec["claim"])
    expected = tuple(float(v) for v in spec["expected"])
    low = expected[0]
    high = expected[1] if len(expected) > 1 else float("inf")
    kind = str(spec["kind"])
    found = _matching(frame, spec)
    n = {"postings": len(found)}
    years = sorted({int(y) for y in found["observed_year"]})
    when = f"{years[0]}" if len(years) == 1 else (f"{years[0]}-{years[-1]}" if years else "-")
    if kind == "floor":
        return _floor(published, found, spec, low, when)
    needed = 1 if kind == "posted-range" else MIN_POSTINGS
    if len(found) < needed:
        return ClaimCheck(
            published, NOT_ENOUGH, f"{len(found)} matching posting(s) (at least "
            f"{needed} needed)", kind, (low, high), n=n,
        )  # fmt: skip
    midpoints = found["base"].to_numpy(dtype=float)
    if kind == "posted-range":
        lowest, highest = float(found["range_low"].min()), float(found["range_high"].max())
        tolerance = float(spec.get("tolerance", 0.05))
        agrees = abs(lowest / low - 1) <= tolerance and abs(highest / high - 1) <= tolerance
        evidence = (
            f"{len(found)} posting(s) ({when}): posted from {_money(lowest)} to {_money(highest)} "
            f"base (published {_money(low)} to {_money(high)}; within {tolerance:.0%} counts)"
        )
        return ClaimCheck(
            published, AGREES if agrees else DISAGREES, evidence, kind, (low, high),
            float(np.median(midpoints)), (lowest, highest), n,
        )  # fmt: skip
    rng = np.random.default_rng(seed)
    medians = np.median(rng.choice(midpoints, (BOOTSTRAP, len(midpoints))), axis=1)
    interval = (float(np.percentile(medians, 2.5)), float(np.percentile(medians, 97.5)))
    median = float(np.median(midpoints))
    agrees = interval[1] >= low and interval[0] <= high
    evidence = (
        f"median posted midpoint {_money(median)} base (95% {_money(interval[0])} to "
        f"{_money(interval[1])}) over {len(found)} postings ({when}); levels as posted: most "
        "postings name none"
    )
    return ClaimCheck(
        published, AGREES if agrees else DISAGREES, evidence, kind, (low, high), median,
        interval, n,
    )  # fmt: skip


def _floor(
    published: Any, found: pd.DataFrame, spec: dict[str, Any], floor: float, when: str
) -> ClaimCheck:
    parts, verdicts, n = [], [], {}
    for company in spec.get("companies", []):
        own = found[found["company"] == company]
        n[company] = len(own)
        if len(own) < MIN_POSTINGS:
            parts.append(f"{company}: {len(own)} posting(s), not enough")
            verdicts.append(NOT_ENOUGH)
            continue
        median = float(np.median(own["base"].to_numpy(dtype=float)))
        parts.append(f"{company}: median posted midpoint {_money(median)} over {len(own)}")
        verdicts.append(AGREES if median >= floor else DISAGREES)
    tested = [v for v in verdicts if v != NOT_ENOUGH]
    if not tested:
        verdict = NOT_ENOUGH
    elif all(v == AGREES for v in tested):
        verdict = AGREES
    else:
        verdict = DISAGREES
    evidence = "; ".join(parts) + f" ({when}; published floor {_money(floor)} base)"
    if tested and len(tested) < len(verdicts):
        evidence += "; the verdict is for the companies with enough postings"
    return ClaimCheck(published, verdict, evidence, "floor", (floor, float("inf")), n=n)


def check_all(store: Path | str | None = None) -> list[ClaimCheck]:
    """Every posted-range claim, tested on the store's postings."""
    frame = postings(store)
    return [check(frame, spec) for spec in specs()]
