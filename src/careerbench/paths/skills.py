"""Which skills raise pay: a premium-tier self-assessment tied to published and measured premiums.

The checklist and the skill clusters, with the premium ranges published for each, are in
``skills.yaml``. ``assess`` turns answers into a verdict (premium tier when at least 4 of the 5
premium signals hold and at most 1 "not yet" signal), the clusters with their published ranges
applied to the user's own cohort median (from the benchmark engine, when a profile is given),
and the next concrete moves. Premiums do not add up: the article's point is that depth in one
cluster is worth more than surface knowledge of all, so the effect shown is that of the best
cluster held (or, for a cluster not held, of adding it).

``measured_premiums`` computes what careerbench's own data says, with n and a 95% interval:
- Levels.fyi "ML / AI" tagged software engineers vs other software engineers at the same
  company and level (the log ratio of medians per company-level cell, weighted by the smaller n,
  bootstrapped over cells with a fixed seed);
- aijobs.net postings with AI-specific titles vs generic software/data titles at the same
  experience level, year and country.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from careerbench import inflation
from careerbench.citations import _document as citation_document
from careerbench.config import store_path
from careerbench.errors import InputError, InvalidValue
from careerbench.store import Store, real_dollars

AI_FAMILIES = (
    "ml-engineer",
    "ai-engineer",
    "research-scientist",
    "research-engineer",
    "applied-scientist",
    "mlops-engineer",
)
GENERIC_FAMILIES = ("software-engineer", "data-scientist", "data-engineer")
MIN_CELL = 3
BOOTSTRAP = 2000
SEED = 11


@cache
def knowledge() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(Path(__file__).with_name("skills.yaml").read_text())
    return document


def checklist_ids() -> tuple[list[str], list[str]]:
    doc = knowledge()
    return [i["id"] for i in doc["premium_tier"]["items"]], [
        i["id"] for i in doc["not_yet"]["items"]
    ]


@dataclass(frozen=True)
class ClusterEffect:
    id: str
    name: str
    held: bool
    premium: tuple[float, float] | None
    premium_usd: tuple[float, float] | None
    claim: str
    source: str
    effect_usd: tuple[float, float] | None
    next_move: str


@dataclass(frozen=True)
class Measured:
    what: str
    premium: float | None
    interval: tuple[float, float] | None
    n_ai: int
    n_other: int
    cells: int
    note: str


@dataclass
class Assessment:
    verdict: str
    premium_signals: list[str]
    not_yet_signals: list[str]
    reference_pay: float | None
    reference_label: str | None
    clusters: list[ClusterEffect]
    next_moves: list[str]
    measured: list[Measured] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def assess(
    answers: dict[str, bool],
    clusters_held: list[str],
    *,
    reference_pay: float | None = None,
    reference_label: str | None = None,
    measured: list[Measured] | None = None,
) -> Assessment:
    """A verdict, the clusters with their effect on ``reference_pay``, and next moves."""
    premium_ids, not_yet_ids = checklist_ids()
    unknown = sorted(set(answers) - set(premium_ids) - set(not_yet_ids))
    if unknown:
        raise InputError(
            "answers", f"unknown checklist item(s) {unknown}; valid: {premium_ids + not_yet_ids}"
        )
    known_clusters = knowledge()["clusters"]
    for cluster in clusters_held:
        if cluster not in known_clusters:
            raise InvalidValue("skill", cluster, list(known_clusters))
    premium = [i for i in premium_ids if answers.get(i)]
    not_yet = [i for i in not_yet_ids if answers.get(i)]
    if len(premium) >= 4 and len(not_yet) <= 1:
        verdict = "premium tier"
    elif len(premium) >= 2:
        verdict = "approaching the premium tier"
    else:
        verdict = "not yet at the premium tier"
    sources = citation_document()["sources"]
    effects = []
    for cid, spec in known_clusters.items():
        pct = tuple(spec["premium"]) if spec.get("premium") else None
        usd = tuple(spec["premium_usd"]) if spec.get("premium_usd") else None
        effect = None
        if reference_pay is not None and pct is not None:
            effect = (reference_pay * pct[0], reference_pay * pct[1])
        elif usd is not None:
            effect = (float(usd[0]), float(usd[1]))
        effects.append(
            ClusterEffect(
                cid,
                spec["name"],
                cid in clusters_held,
                pct,
                usd,
                spec["claim"],
                sources[spec["source"]]["title"],
                effect,
                spec["next_move"],
            )
        )
    missing = [e for e in effects if not e.held]
    missing.sort(key=lambda e: -(e.effect_usd[1] if e.effect_usd else 0.0))
    moves = []
    if "deployed-model" not in premium or "no-endpoint" in not_yet:
        moves.append(
            "Take one model from training to an endpoint that serves real requests; "
            "premiums go to production depth."
        )
    moves += [f"{e.name}: {e.next_move}" for e in missing[:3]]
    return Assessment(
        verdict, premium, not_yet, reference_pay, reference_label, effects, moves, measured or []
    )


# ---- premiums measured on careerbench's data --------------------------------------------
def _matched_premium(frame: pd.DataFrame, keys: list[str], what: str, seed: int) -> Measured:
    """Weighted log ratio of medians (AI vs other) over cells with both groups present."""
    rows = []
    for _, cell in frame.groupby(keys):
        ai = cell.loc[cell["is_ai"], "pay"]
        other = cell.loc[~cell["is_ai"], "pay"]
        if len(ai) >= MIN_CELL and len(other) >= MIN_CELL:
            rows.append(
                (
                    np.log(ai.median() / other.median()),
                    min(len(ai), len(other)),
                    len(ai),
                    len(other),
                )
            )
    if len(rows) < 5:
        return Measured(what, None, None, 0, 0, len(rows), "not enough matched cells (need 5)")
    logs = np.array([r[0] for r in rows])
    weights = np.array([r[1] for r in rows], dtype=float)
    estimate = float(np.exp(np.average(logs, weights=weights)) - 1)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(rows), (BOOTSTRAP, len(rows)))
    boot = np.exp((logs[picks] * weights[picks]).sum(axis=1) / weights[picks].sum(axis=1)) - 1
    low, high = (float(v) for v in np.percentile(boot, [2.5, 97.5]))
    return Measured(
        what,
        estimate,
        (low, high),
        sum(r[2] for r in rows),
        sum(r[3] for r in rows),
        len(rows),
        f"matched on {', '.join(keys)}; interval: bootstrap over cells",
    )


def measured_premiums(store: Path | str | None = None, *, seed: int = SEED) -> list[Measured]:
    """The AI premium as careerbench's data measure it (see the module docstring)."""
    year = inflation.latest_year()
    with Store(store_path(store)) as db:
        records = db.records()
        chosen = records.filter(records.role_family.isin([*AI_FAMILIES, *GENERIC_FAMILIES]))
        frame = chosen.select(
            "source",
            "role_family",
            "company",
            "level",
            "country",
            "observed_year",
            "raw_title",
            pay=real_dollars(chosen, "total_comp", year),
        ).to_pandas()
    frame["is_ai"] = frame["role_family"].isin(AI_FAMILIES)
    out = []
    levels = frame[(frame["source"] == "levelsfyi") & (frame["raw_title"] == "Software Engineer")]
    levels = levels[
        levels["role_family"].isin(["ml-engineer", "mlops-engineer", "software-engineer"])
    ]
    out.append(
        _matched_premium(
            levels.dropna(subset=["company", "level"]),
            ["company", "level"],
            "Levels.fyi: 'ML / AI' tagged software engineers vs other software engineers, "
            "same company and level",
            seed,
        )
    )
    aijobs = frame[frame["source"] == "aijobs"]
    out.append(
        _matched_premium(
            aijobs.dropna(subset=["level", "country"]),
            ["level", "observed_year", "country"],
            "aijobs.net: AI-specific titles vs software, data science and data engineering "
            "titles, same level, year and country",
            seed,
        )
    )
    return out
