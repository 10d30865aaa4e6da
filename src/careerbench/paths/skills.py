"""Which skills raise pay: a premium-tier self-assessment tied to published and measured premiums.

The checklist and the skill clusters, with the premium ranges published for each, are in
``skills.yaml``. ``assess`` turns answers into a verdict (premium tier when at least 4 of the 5
premium signals hold and at most 1 "not yet" signal), the clusters with their published ranges
applied to the user's own cohort median (from the benchmark engine, when a profile is given),
and the next concrete moves. Premiums do not add up: the article's point is that depth in one
cluster is worth more than surface knowledge of all, so the effect shown is that of the best
cluster held (or, for a cluster not held, of adding it).

Beside the published premiums, an assessment can carry the premiums careerbench's own data
measure (``premiums.measured_premiums``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from careerbench.claims import source
from careerbench.errors import InputError, InvalidValue
from careerbench.knowledge import load_yaml
from careerbench.premiums import Measured

SKILLS = Path(__file__).with_name("skills.yaml")


def knowledge() -> dict[str, Any]:
    document: dict[str, Any] = load_yaml(SKILLS)
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


@dataclass
class Assessment:
    verdict: str
    premium_signals: list[str]
    not_yet_signals: list[str]
    premium_signals_listed: int
    reference_pay: float | None
    reference_label: str | None
    clusters: list[ClusterEffect]
    next_moves: list[str]
    measured: list[Measured] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
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
                source(spec["source"]).title,
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
        verdict,
        premium,
        not_yet,
        len(premium_ids),
        reference_pay,
        reference_label,
        effects,
        moves,
        measured or [],
    )
