"""BLS OEWS May 2025 wages: the population reference beside every cohort.

OEWS publishes, per occupation (SOC code) and area (nation, state, metro), employment and annual
base wages (mean, P10-P90) of all workers at all employers. careerbench vendors the rows for the
occupations its role families map to (``taxonomy/soc.yaml``). A wage BLS does not publish is
``None``; one at or above the top code ($239,200 a year) is 239,200 with ``top_coded`` set.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from careerbench.config import vendored
from careerbench.errors import InvalidValue

BLS_FILE = "bls_oews_2025.parquet"
PERCENTILES = ("p10", "p25", "p50", "p75", "p90")


@dataclass(frozen=True)
class BlsWages:
    soc: str
    soc_title: str
    area_type: str
    area_code: str
    area_name: str
    employment: float | None
    mean: float | None
    p10: float | None
    p25: float | None
    p50: float | None
    p75: float | None
    p90: float | None
    top_coded: tuple[str, ...]


@cache
def bls_table() -> pa.Table:
    """The whole vendored extract."""
    return pq.read_table(vendored(BLS_FILE))


@cache
def _rows() -> dict[tuple[str, str, str], dict[str, Any]]:
    """(soc, area type, state or metro code or '') -> row."""
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in bls_table().to_pylist():
        where = row["metro_code"] or row["state"] or ""
        out[(row["soc"], row["area_type"], where)] = row
    return out


@cache
def _soc_map() -> dict[str, str]:
    document: dict[str, Any] = yaml.safe_load(
        (Path(__file__).parents[1] / "taxonomy" / "soc.yaml").read_text()
    )
    return {family: str(entry["soc"]) for family, entry in document.items()}


def soc_for_role(role_family: str) -> str:
    """The SOC code whose wages stand beside a role family's cohort."""
    socs = _soc_map()
    if role_family not in socs:
        raise InvalidValue("role", role_family, list(socs))
    return socs[role_family]


def _wages(row: dict[str, Any]) -> BlsWages:
    return BlsWages(
        soc=row["soc"],
        soc_title=row["soc_title"],
        area_type=row["area_type"],
        area_code=row["area_code"],
        area_name=row["area_name"],
        employment=row["employment"],
        mean=row["mean"],
        top_coded=tuple(p for p in PERCENTILES if row[f"{p}_top_coded"]),
        **{p: row[p] for p in PERCENTILES},
    )


def bls_wages(
    soc: str, *, metro_code: str | None = None, state: str | None = None
) -> BlsWages | None:
    """Wages for ``soc`` in the metro (else state, else nation) whose median BLS publishes."""
    rows = _rows()
    candidates = []
    if metro_code:
        candidates.append((soc, "metro", metro_code))
    if state:
        candidates.append((soc, "state", state))
    candidates.append((soc, "national", ""))
    for key in candidates:
        row = rows.get(key)
        if row is not None and row["p50"] is not None:
            return _wages(row)
    return None
