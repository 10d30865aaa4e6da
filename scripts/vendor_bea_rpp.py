"""Rebuild ``data/bea_rpp.parquet`` from BEA's Regional Price Parities bulk CSVs.

Usage::

    python scripts/vendor_bea_rpp.py PATH/TO/bea_rpp

where the folder holds ``SARPP_STATE_2008_2024.csv`` (states) and ``MARPP_MSA_2008_2024.csv``
(metro areas), byte-identical to BEA's zip members (release of 2026-02-19). Keeps lines 1
(all items) and 3 (services: housing) for every area and year, in long form:
``geo_fips, geo_type (us/state/metro/nonmetro), state (USPS code, states only), name, line,
year, rpp``. Names are BEA's without the "(Metropolitan Statistical Area)" suffix and footnote
marks. ``(NA)`` cells are dropped. Prints the input and output checksums for ``SOURCES.md``.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "bea_rpp.parquet"
FILES = {"state": "SARPP_STATE_2008_2024.csv", "metro": "MARPP_MSA_2008_2024.csv"}
LINES = {"1": "all_items", "3": "housing"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def state_codes() -> dict[str, str]:
    """State FIPS (2 digits) -> USPS code, from the taxonomy's us_states.csv."""
    path = ROOT / "src" / "careerbench" / "taxonomy" / "us_states.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["fips"]: row["code"] for row in csv.DictReader(handle)}


def clean_name(name: str) -> str:
    name = re.sub(r"\s*\(Metropolitan Statistical Area\)", "", name)
    name = re.sub(r"\s*Metropolitan Statistical Area$", "", name)
    return name.replace(" *", "").strip()


def read(path: Path, table: str, states: dict[str, str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        years = [int(h) for h in header[8:]]
        for record in reader:
            if len(record) < 9:
                continue  # BEA's footer lines
            fips = record[0].strip().strip('"').strip()
            line = record[4].strip()
            if line not in LINES:
                continue
            if fips == "00000":
                geo_type = "us"
            elif fips == "00999":
                geo_type = "nonmetro"
            else:
                geo_type = table
            state = states.get(fips[:2]) if geo_type == "state" else None
            for year, cell in zip(years, record[8:], strict=True):
                value = cell.strip()
                if value == "(NA)" or not value:
                    continue
                rows.append(
                    {
                        "geo_fips": fips,
                        "geo_type": geo_type,
                        "state": state,
                        "name": clean_name(record[1]),
                        "line": LINES[line],
                        "year": year,
                        "rpp": float(value),
                    }
                )
    return rows


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = Path(sys.argv[1])
    states = state_codes()
    rows: list[dict[str, object]] = []
    for table, name in FILES.items():
        path = folder / name
        print(f"input {name}: sha256 {sha256(path)}")
        rows.extend(
            r for r in read(path, table, states) if table == "state" or r["geo_type"] != "us"
        )
    schema = pa.schema(
        [
            pa.field("geo_fips", pa.string(), nullable=False),
            pa.field("geo_type", pa.string(), nullable=False),
            pa.field("state", pa.string()),
            pa.field("name", pa.string(), nullable=False),
            pa.field("line", pa.string(), nullable=False),
            pa.field("year", pa.int16(), nullable=False),
            pa.field("rpp", pa.float64(), nullable=False),
        ]
    )
    table = pa.Table.from_pylist(rows, schema=schema)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, OUT, compression="zstd")
    print(f"{OUT.name}: {table.num_rows} rows; sha256 {sha256(OUT)}")


if __name__ == "__main__":
    main()
