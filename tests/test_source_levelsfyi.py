from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from careerbench.errors import SourceError
from careerbench.sources import levelsfyi
from tests.conftest import FIXTURES, SHARED_LEVELSFYI


def test_sample_normalizes_companies_levels_places_and_families() -> None:
    adapted = levelsfyi.adapt(FIXTURES / "levelsfyi_sample.csv")
    assert adapted.reconciles() and adapted.rows_quarantined == 0
    rows = adapted.records.to_pylist()
    assert len(rows) == 600
    by_company = {r["company"] for r in rows}
    assert {"Google", "Amazon", "Microsoft"} <= by_company
    assert "Meta" in by_company and "Facebook" not in by_company
    google_l5 = [
        r for r in rows if r["company"] == "Google" and (r["raw_level"] or "").upper() == "L5"
    ]
    assert google_l5 and all(r["level"] == "senior" for r in google_l5)
    ml = [r for r in rows if r["tag"] == "ML / AI" and r["raw_title"] == "Software Engineer"]
    assert ml and all(r["role_family"] == "ml-engineer" for r in ml)
    seattle = [r for r in rows if r["city"] == "Seattle"]
    assert seattle and all(r["metro_code"] == "42660" and r["state"] == "WA" for r in seattle)
    assert all(r["tier"] for r in rows)


def test_components_are_empty_when_a_report_gives_only_the_total() -> None:
    """Rows are chosen by the raw file (every component 0: an older report with only a total),
    and the records are checked for what the adapter makes of them."""
    raw = pd.read_csv(FIXTURES / "levelsfyi_sample.csv", dtype=str, keep_default_na=False)
    parts = raw[["basesalary", "stockgrantvalue", "bonus"]].apply(pd.to_numeric, errors="coerce")
    totals_only = set(raw.loc[parts.fillna(0).sum(axis=1) == 0, "rowNumber"])
    with_parts = set(raw.loc[parts.fillna(0).sum(axis=1) > 0, "rowNumber"])
    assert totals_only and with_parts, "the sample has reports of both kinds"
    records = levelsfyi.adapt(FIXTURES / "levelsfyi_sample.csv").records.to_pylist()
    by_row = {r["source_id"].removeprefix("row-"): r for r in records}
    for row in totals_only:
        r = by_row[row]
        assert r["base"] is None and r["equity"] is None and r["bonus"] is None
        assert r["total_comp"] > 0
    for row in with_parts:
        r = by_row[row]
        assert r["base"] is not None or r["equity"] is not None or r["bonus"] is not None


def test_malformed_rows_are_quarantined_with_reasons() -> None:
    adapted = levelsfyi.adapt(FIXTURES / "levelsfyi_malformed.csv")
    reasons = sorted(adapted.quarantine.column("reason").to_pylist())
    assert adapted.rows_read == 12 and adapted.rows_quarantined == 6 and adapted.reconciles()
    assert reasons == sorted(
        [
            "unparseable timestamp (expected M/D/YYYY H:MM:SS)",
            "totalyearlycompensation is not a number",
            "total comp below $1,000 a year",
            "total comp above $20,000,000 a year",
            "total comp below $1,000 a year",
            "empty title",
        ]
    )


def test_a_missing_file_or_columns_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no file at"):
        levelsfyi.adapt(tmp_path / "nope.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("company,title\nGoogle,Software Engineer\n")
    with pytest.raises(SourceError, match="totalyearlycompensation"):
        levelsfyi.adapt(bad)


@pytest.mark.fulldata
def test_full_extract_reconciles() -> None:
    adapted = levelsfyi.adapt(SHARED_LEVELSFYI)
    assert adapted.rows_read == 56_436
    assert adapted.reconciles()
    assert adapted.records.num_rows > 56_000
