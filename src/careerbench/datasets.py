"""What the store holds: its loads, its quarantine, and how titles were mapped."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from careerbench.config import store_path
from careerbench.store import LoadSummary, Store
from careerbench.taxonomy.titles import title_names_domain


@dataclass(frozen=True)
class QuarantineEntry:
    source: str
    reason: str
    rows: int
    example_rows: list[int]


@dataclass(frozen=True)
class TitleCount:
    title: str
    role_family: str
    records: int
    names_domain: bool


def loads(store: Path | str | None = None) -> list[LoadSummary]:
    with Store(store_path(store)) as db:
        return db.loads()


def quarantine_summary(
    store: Path | str | None = None, *, source: str | None = None, examples: int = 3
) -> list[QuarantineEntry]:
    """Quarantined rows counted by source and reason, with a few example row numbers."""
    with Store(store_path(store)) as db:
        table = db.quarantine()
        if source:
            table = table.filter(table.source == source)
        grouped = (
            table.group_by(["source", "reason"])
            .aggregate(rows=table.count(), examples=table.source_row.collect())
            .order_by([table.source, lambda t: t.rows.desc()])
        )
        out = []
        for row in grouped.to_pyarrow().to_pylist():
            out.append(
                QuarantineEntry(
                    row["source"], row["reason"], row["rows"], sorted(row["examples"])[:examples]
                )
            )
        return out


def title_counts(
    store: Path | str | None = None, *, unmapped: bool = False, limit: int = 40
) -> list[TitleCount]:
    """Raw titles by number of records, with their role family."""
    with Store(store_path(store)) as db:
        records = db.records()
        if unmapped:
            records = records.filter(records.role_family == "other")
        grouped = (
            records.group_by(["raw_title", "role_family"])
            .aggregate(records=records.count())
            .order_by(lambda t: t.records.desc())
            .limit(limit)
        )
        return [
            TitleCount(
                r["raw_title"], r["role_family"], r["records"], title_names_domain(r["raw_title"])
            )
            for r in grouped.to_pyarrow().to_pylist()
        ]
