"""Which track fits you: a questionnaire scored against the knowledge base.

Scoring, per track (higher is a better fit; the reasons list every point):
- each of the four factors (work content, credentials, recognition, optionality) scores 2 when
  your answer equals the track's, 1 when either side is "mixed"/"both", else 0;
- constraints: a track whose credential gate is high needs a PhD (-3 without one), research
  tracks expect publications (-1 with none), shipping and platform tracks screen for shipped
  systems (-1 without one). Each reason quotes the knowledge base with its source.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from careerbench.claims import source
from careerbench.errors import InputError, InvalidValue
from careerbench.knowledge import load_yaml
from careerbench.paths.tracks import FIT_FACTORS, Track, tracks

DEGREE_RANK = {"none": 0, "bachelors": 1, "masters": 2, "phd": 3}
FLEXIBLE = {"mixed", "both"}


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    choices: dict[str, str]


@dataclass(frozen=True)
class TrackFit:
    track: str
    name: str
    score: int
    reasons: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "track": self.track,
            "name": self.name,
            "score": self.score,
            "reasons": self.reasons,
        }


@cache
def questions() -> list[Question]:
    document: dict[str, Any] = load_yaml(Path(__file__).with_name("fit_questions.yaml"))
    return [
        Question(q["id"], q["prompt"], {str(k): str(v) for k, v in q["choices"].items()})
        for q in document["questions"]
    ]


def validate_answers(answers: dict[str, str]) -> dict[str, str]:
    """Every question answered with one of its choices; errors name the question and choices."""
    out = {}
    for question in questions():
        if question.id not in answers or answers[question.id] in (None, ""):
            raise InputError(
                question.id, f"missing answer; choose one of {', '.join(question.choices)}"
            )
        value = str(answers[question.id]).strip().lower()
        if value not in question.choices:
            raise InvalidValue(question.id, value, list(question.choices))
        out[question.id] = value
    unknown = sorted(set(answers) - {q.id for q in questions()})
    if unknown:
        raise InputError("answers", f"unknown question(s) {unknown}")
    return out


def read_answers(path: Path) -> dict[str, str]:
    try:
        document = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError("answers", f"cannot read {path} as JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise InputError("answers", f"{path} must hold a JSON object of question -> answer")
    return {str(k): str(v) for k, v in document.items()}


def _cite(track: Track, dimension: str) -> str:
    entry = track.dimensions[dimension]
    title = source(entry.source).title
    return f'{entry.text} ("{title}")'


def score_track(track: Track, answers: dict[str, str]) -> TrackFit:
    score = 0
    reasons = []
    for factor in FIT_FACTORS:
        mine, theirs = answers[factor], track.fit[factor]
        if factor == "credentials":
            continue
        if mine == theirs:
            score += 2
            reasons.append(
                f"+2 {factor.replace('_', ' ')}: you want {mine}, the track offers {theirs}"
            )
        elif mine in FLEXIBLE or theirs in FLEXIBLE:
            score += 1
            reasons.append(f"+1 {factor.replace('_', ' ')}: {mine} vs {theirs} (partly)")
        else:
            reasons.append(
                f" 0 {factor.replace('_', ' ')}: you want {mine}, the track offers {theirs}"
            )
    degree = DEGREE_RANK[answers["credentials"]]
    needed = DEGREE_RANK.get(track.fit["credentials"], 0)
    if degree >= needed:
        score += 2
        reasons.append(
            f"+2 credentials: your degree meets the gate - {_cite(track, 'credential_gate')}"
        )
    elif track.dimensions["credential_gate"].rating == "high":
        score -= 3
        reasons.append(f"-3 credentials: {_cite(track, 'credential_gate')}")
    else:
        reasons.append(
            f" 0 credentials: usually {track.fit['credentials']} - "
            + _cite(track, "credential_gate")
        )
    if track.fit["work_content"] == "research" and answers["publications"] == "0":
        score -= 1
        reasons.append(f"-1 publications: {_cite(track, 'interview_format')}")
    if track.fit["work_content"] in ("shipping", "platform") and answers["shipped"] == "no":
        score -= 1
        reasons.append(f"-1 shipped systems: {_cite(track, 'product_impact')}")
    return TrackFit(track.id, track.name, score, reasons)


def rank_tracks(answers: dict[str, str]) -> list[TrackFit]:
    """Every track scored for these answers, best first (ties in knowledge-base order)."""
    valid = validate_answers(answers)
    fits = [score_track(track, valid) for track in tracks().values()]
    return sorted(fits, key=lambda f: -f.score)
