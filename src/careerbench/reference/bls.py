"""BLS OEWS May 2025 wages: the population reference beside every cohort.

OEWS publishes, per occupation (SOC code) and area (nation, state, metro), employment and the
annual wages of all wage and salary workers at all employers, cross-industry. careerbench
vendors the rows for the occupations its role families map to (``taxonomy/soc.yaml``) in
``bls_oews_2025.parquet`` (built by ``scripts/vendor_bls.py``).

Conventions:

- money is annual base wages, in nominal US dollars of May 2025 (no bonus, no equity);
- areas: ``national``; ``state`` (USPS code in ``state``); ``metro`` (CBSA code in
  ``metro_code``, BLS names as in the 2023 delineation);
- a wage BLS does not publish is ``None``; a top-coded one ($239,200 a year or more, footnote 5)
  is 239,200 and is named in ``top_coded``, so it reads as a lower bound (the May 2025
  cross-industry cells vendored here have none);
- ``bls_wages`` answers for the narrowest area asked whose median is published, falling back
  metro -> state -> nation; ``area_type`` says which one answered, ``requested`` which was asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from careerbench.config import vendored
from careerbench.errors import InvalidValue
from careerbench.knowledge import load_yaml

BLS_FILE = "bls_oews_2025.parquet"
SOC_FILE = Path(__file__).parents[1] / "taxonomy" / "soc.yaml"
PERCENTILES = ("p10", "p25", "p50", "p75", "p90")
TOP_CODE = 239_200.0
LICENCE = "US public domain (BLS OEWS May 2025)"


@dataclass(frozen=True)
class BlsWages:
    """Employment and annual wages of one occupation in one area."""

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
    top_coded: tuple[str, ...] = ()
    """The statistics (``mean``, ``p10`` .. ``p90``) at the top code: at least 239,200."""
    state: str | None = None
    metro_code: str | None = None
    requested: str = "national"
    """The area type asked for; differs from ``area_type`` when the answer fell back."""

    @property
    def fell_back(self) -> bool:
        """True when the area asked for has no published median and a wider one answered."""
        return self.area_type != self.requested

    def percentiles(self) -> dict[str, float | None]:
        return {p: getattr(self, p) for p in PERCENTILES}


@lru_cache(maxsize=1)
def bls_table() -> pa.Table:
    """The whole vendored extract (one row per SOC code and area)."""
    return pq.read_table(vendored(BLS_FILE))


@lru_cache(maxsize=1)
def _rows() -> dict[tuple[str, str, str], dict[str, Any]]:
    """(soc, area type, USPS state or CBSA code or '') -> row."""
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in bls_table().to_pylist():
        where = row["metro_code"] or row["state"] or ""
        out[(row["soc"], row["area_type"], where)] = row
    return out


@lru_cache(maxsize=1)
def _metro_states() -> dict[str, str]:
    """CBSA code -> the first state of the metro's name ("..., NY-NJ" -> "NY")."""
    out: dict[str, str] = {}
    for (_, area_type, code), row in _rows().items():
        match = re.search(r",\s*([A-Z]{2})", row["area_name"])
        if area_type == "metro" and match:
            out[code] = match.group(1)
    return out


def _soc_code(soc: str) -> str:
    value = soc.strip()
    return f"{value[:2]}-{value[2:]}" if re.fullmatch(r"\d{6}", value) else value


def _wages(row: dict[str, Any], requested: str) -> BlsWages:
    flagged = ("mean", *PERCENTILES)
    return BlsWages(
        soc=row["soc"],
        soc_title=row["soc_title"],
        area_type=row["area_type"],
        area_code=row["area_code"],
        area_name=row["area_name"],
        employment=row["employment"],
        mean=row["mean"],
        p10=row["p10"],
        p25=row["p25"],
        p50=row["p50"],
        p75=row["p75"],
        p90=row["p90"],
        top_coded=tuple(name for name in flagged if row[f"{name}_top_coded"]),
        state=row["state"],
        metro_code=row["metro_code"],
        requested=requested,
    )


def bls_wages(
    soc: str, *, metro_code: str | None = None, state: str | None = None
) -> BlsWages | None:
    """Wages of ``soc`` ("15-2051") in the metro, else the state, else the nation.

    The narrowest area given is tried first; when BLS publishes no median there, the next wider
    one answers (a metro's state is taken from its name when ``state`` is not given). None when
    the SOC code is not in the extract.
    """
    code = _soc_code(soc)
    rows = _rows()
    state_code = state.strip().upper() if state else None
    if metro_code and not state_code:
        state_code = _metro_states().get(metro_code)
    requested = "metro" if metro_code else "state" if state_code else "national"
    keys = []
    if metro_code:
        keys.append((code, "metro", metro_code))
    if state_code:
        keys.append((code, "state", state_code))
    keys.append((code, "national", ""))
    for key in keys:
        row = rows.get(key)
        if row is not None and row["p50"] is not None:
            return _wages(row, requested)
    return None


@lru_cache(maxsize=1)
def _soc_map() -> dict[str, tuple[str, str]]:
    """Role family -> (SOC code, reason)."""
    document: dict[str, Any] = load_yaml(SOC_FILE)
    return {family: (str(entry["soc"]), str(entry["reason"])) for family, entry in document.items()}


def soc_for_role(role_family: str) -> str:
    """The SOC code whose wages stand beside a role family's cohort (data-scientist: 15-2051)."""
    socs = _soc_map()
    if role_family not in socs:
        raise InvalidValue("role", role_family, list(socs))
    return socs[role_family][0]


def soc_reason(role_family: str) -> str:
    """Why ``soc_for_role`` picks its SOC code for this role family (one line)."""
    soc_for_role(role_family)
    return _soc_map()[role_family][1]
