from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc
import pytest

from careerbench.errors import SourceError
from careerbench.sources import aijobs
from tests.conftest import FIXTURES

HEADER = (
    "work_year,experience_level,employment_type,job_title,salary,salary_currency,"
    "salary_in_usd,employee_residence,remote_ratio,company_location,company_size\n"
)


def write(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "salaries.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n")
    return path


def test_adjacent_pairs_collapse_into_ranges_and_duplicates_into_weights(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            "2025,SE,FT,Data Scientist,200000,USD,200000,US,0,US,M",
            "2025,SE,FT,Data Scientist,100000,USD,100000,US,0,US,M",
            "2025,SE,FT,Data Scientist,200000,USD,200000,US,0,US,M",  # the same range again
            "2025,SE,FT,Data Scientist,100000,USD,100000,US,0,US,M",
            "2024,MI,FT,Machine Learning Engineer,150000,USD,150000,US,100,US,L",  # a single
            "2024,EN,FT,Research Scientist,90000,EUR,97000,DE,50,DE,S",
            "2024,EN,FT,Research Scientist,80000,EUR,86000,DE,50,DE,S",
        ],
    )
    adapted = aijobs.adapt(path)
    rows = adapted.records.to_pylist()
    assert adapted.rows_read == 7
    assert adapted.rows_loaded == 7
    assert adapted.reconciles()
    assert len(rows) == 3
    ds, mle, rs = rows
    assert (ds["range_low"], ds["range_high"], ds["total_comp"], ds["weight"]) == (
        100000.0, 200000.0, 150000.0, 2,
    )  # fmt: skip
    assert ds["role_family"] == "data-scientist" and ds["level"] == "senior"
    assert mle["range_low"] is None and mle["total_comp"] == 150000.0
    assert mle["remote"] == "remote" and mle["role_family"] == "ml-engineer"
    assert rs["country"] == "DE" and rs["currency"] == "EUR" and rs["total_comp"] == 91500.0
    assert rs["remote"] == "hybrid" and rs["level"] == "entry"


def test_malformed_rows_are_quarantined_with_reasons_and_counts_reconcile() -> None:
    adapted = aijobs.adapt(FIXTURES / "aijobs_malformed.csv")
    reasons = adapted.quarantine.column("reason").to_pylist()
    assert "unparseable work_year" in reasons
    assert any(r.startswith("salary_in_usd below") for r in reasons)
    assert "unknown currency: XXX" in reasons
    assert "remote_ratio is not 0, 50 or 100" in reasons
    assert adapted.rows_quarantined == 4
    assert adapted.rows_read == 10
    assert adapted.reconciles()
    # A quarantined row between two rows of a posting does not pair them with a stranger.
    assert adapted.quarantine.column("source_row").to_pylist() == [1, 3, 5, 7]


def test_missing_columns_name_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("work_year,job_title\n2025,Engineer\n")
    with pytest.raises(SourceError, match="salary_in_usd"):
        aijobs.adapt(path)


def test_bundled_file_reconciles_and_collapses_like_the_source_describes() -> None:
    adapted = aijobs.adapt()
    assert adapted.rows_read == 136_080
    assert adapted.reconciles()
    records = adapted.records
    weights = pc.sum(records.column("weight")).as_py()
    ranged = pc.sum(pc.is_valid(records.column("range_low"))).as_py()
    # The source notes 99.3% of rows sit in pairs and about two thirds of records repeat.
    assert ranged / records.num_rows > 0.95
    assert 0.55 < records.num_rows / weights < 0.75
    assert records.num_rows < adapted.rows_read / 2
    low = pc.min(records.column("total_comp")).as_py()
    high = pc.max(records.column("total_comp")).as_py()
    assert low >= 15_000 and high <= 800_000
