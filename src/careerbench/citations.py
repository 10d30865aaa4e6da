"""Published claims careerbench cites, from ``citations.yaml`` (reviewable, one place)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Claim:
    id: str
    claim: str
    source_title: str
    publisher: str | None
    published: str

    @property
    def citation(self) -> str:
        by = f"{self.publisher}, " if self.publisher else ""
        return f'"{self.source_title}" ({by}{self.published})'

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "claim": self.claim, "source": self.citation}


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(
        Path(__file__).with_name("citations.yaml").read_text()
    )
    return document


def claim(claim_id: str) -> Claim:
    """One claim with its source; a KeyError names an unknown id."""
    document = _document()
    entry = document["claims"][claim_id]
    source = document["sources"][entry["source"]]
    return Claim(
        id=claim_id,
        claim=entry["claim"],
        source_title=source["title"],
        publisher=source.get("publisher"),
        published=str(source["published"]),
    )


def all_claims() -> list[Claim]:
    return [claim(claim_id) for claim_id in _document()["claims"]]
