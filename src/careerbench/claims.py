"""Published claims: what an article says, who published it, and what careerbench's data say.

Claims and their sources live in ``citations.yaml`` (reviewable, one place). A ``Claim`` is shown
as published advice beside a computed answer (a rule of thumb, cited); a ``ClaimCheck`` is a claim
tested on careerbench's own data, with the evidence and its size:

- ``verdict``: ``agrees``, ``disagrees``, ``not enough data`` or ``cannot tell`` (with the
  reason in ``evidence``); a trend check may say ``supports ...`` or ``contradicts ...``;
- ``estimate`` and ``interval``: the measured value and its 95% interval where one is measured
  (a premium as a fraction, a ratio as a multiple), ``expected`` the published range;
- ``n``: the data points behind each side of the comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from careerbench.knowledge import load_yaml

CITATIONS = Path(__file__).with_name("citations.yaml")

AGREES = "agrees"
DISAGREES = "disagrees"
NOT_ENOUGH = "not enough data"
CANNOT_TELL = "cannot tell"


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str | None
    published: str

    @property
    def citation(self) -> str:
        by = f"{self.publisher}, " if self.publisher else ""
        return f'"{self.title}" ({by}{self.published})'


@dataclass(frozen=True)
class Claim:
    id: str
    claim: str
    source: Source

    @property
    def citation(self) -> str:
        return self.source.citation

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "claim": self.claim, "source": self.citation}


def source(source_id: str) -> Source:
    """One publication by its id in ``citations.yaml``; a KeyError names an unknown id."""
    entry = load_yaml(CITATIONS)["sources"][source_id]
    return Source(
        source_id, entry["title"], entry.get("publisher"), str(entry.get("published", ""))
    )


def source_ids() -> frozenset[str]:
    return frozenset(load_yaml(CITATIONS)["sources"])


def claim(claim_id: str) -> Claim:
    """One claim with its source; a KeyError names an unknown id."""
    entry = load_yaml(CITATIONS)["claims"][claim_id]
    return Claim(claim_id, entry["claim"], source(entry["source"]))


@dataclass(frozen=True)
class ClaimCheck:
    """A published claim tested on careerbench's data (see the module docstring)."""

    claim: Claim
    verdict: str
    evidence: str
    kind: str = "statement"
    expected: tuple[float, float] | None = None
    estimate: float | None = None
    interval: tuple[float, float] | None = None
    n: dict[str, int] = field(default_factory=dict)
    computed: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.claim.id,
            "claim": self.claim.claim,
            "source": self.claim.citation,
            "verdict": self.verdict,
            "evidence": self.evidence,
            "kind": self.kind,
            "expected": None if self.expected is None else list(self.expected),
            "estimate": self.estimate,
            "interval": None if self.interval is None else list(self.interval),
            "n": self.n,
        }
        if self.computed is not None:
            out["computed"] = self.computed
        return out
