"""Rebuild the vendored aijobs.net salaries and CPI-U files in ``data/``.

Run from a source checkout with the ``vendor`` extra installed::

    python scripts/vendor_open_data.py --aijobs PATH/TO/salaries.csv

- aijobs.net salaries (CC0): every CSV row kept as it is, in file order, with its 1-based row
  number added (``source_row``), written as zstd parquet. Pairs and duplicates are handled at
  ingest time, so the raw rows stay auditable.
- CPI-U annual averages (BLS series CUUR0000SA0, public domain) from the ``cpi`` package.
"""

from __future__ import annotations

import argparse
import hashlib
import warnings
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

DATA = Path(__file__).resolve().parents[1] / "data"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def vendor_aijobs(csv_path: Path) -> Path:
    table = pacsv.read_csv(
        csv_path,
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in ("job_title", "salary_currency")}
        ),
    )
    rows = pa.array(range(1, table.num_rows + 1), type=pa.int64())
    table = table.add_column(0, "source_row", rows)
    out = DATA / "aijobs_salaries.parquet"
    pq.write_table(table, out, compression="zstd", compression_level=19)
    print(
        f"{out.name}: {table.num_rows} rows, sha256 {sha256(out)}; input sha256 {sha256(csv_path)}"
    )
    return out


def vendor_cpi() -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import cpi

        series = cpi.series.get()
    years = sorted(
        (index.year, index.value) for index in series.indexes if index.period.type == "annual"
    )
    out = DATA / "cpi_u_annual.csv"
    lines = ["year,cpi_u"] + [f"{year},{value}" for year, value in years if year >= 2000]
    out.write_text("\n".join(lines) + "\n")
    print(f"{out.name}: {len(lines) - 1} years, up to {years[-1][0]}; sha256 {sha256(out)}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--aijobs", type=Path, help="the aijobs.net salaries.csv")
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    if args.aijobs:
        vendor_aijobs(args.aijobs)
    vendor_cpi()


if __name__ == "__main__":
    main()
