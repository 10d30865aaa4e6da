"""The AI premium as careerbench's own data measure it: matched comparisons, with n and intervals.

A premium is the pay of the ML/AI role families (``schema.ML_FAMILIES``) over generic software,
data science and data engineering roles *in the same cells* (same company and level, or same
level, year and country ...), so that the comparison is like for like: the log ratio of the two
groups' medians in each cell with at least ``MIN_CELL`` records on both sides, averaged with the
smaller side's n as weight; the 95% interval bootstraps over cells with a fixed seed.

- ``measured_premiums``: Levels.fyi "ML / AI" tagged software engineers vs other software
  engineers at the same company and level; aijobs.net postings with AI-specific titles vs generic
  titles at the same level, year and country.
- ``premium_by_year``: the aijobs.net premium per year at the same level, country and remote
  arrangement.

Pay is total comp in dollars of ``inflation.latest_year()`` (a ratio within a cell is the same in
any year's dollars).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import ibis.expr.types as ir
import numpy as np
import pandas as pd

from careerbench import inflation
from careerbench.config import store_path
from careerbench.schema import ML_FAMILIES, RoleFamily, Source
from careerbench.store import ContentsMemo, Store, real_dollars

AI_FAMILIES: tuple[str, ...] = tuple(sorted(f.value for f in ML_FAMILIES))
GENERIC_FAMILIES: tuple[str, ...] = (
    RoleFamily.SOFTWARE_ENGINEER.value,
    RoleFamily.DATA_SCIENTIST.value,
    RoleFamily.DATA_ENGINEER.value,
)
MIN_CELL = 3
MIN_CELLS = 5
BOOTSTRAP = 2000
SEED = 11


@dataclass(frozen=True)
class Measured:
    what: str
    premium: float | None
    interval: tuple[float, float] | None
    n_ai: int
    n_other: int
    cells: int
    note: str


def matched_premium(frame: pd.DataFrame, keys: list[str], what: str, seed: int = SEED) -> Measured:
    """Weighted log ratio of medians (AI vs other) over cells with both groups present.

    ``frame`` holds ``pay``, ``is_ai`` and the ``keys`` columns.
    """
    rows = []
    for _, cell in frame.groupby(keys):
        ai = cell.loc[cell["is_ai"], "pay"]
        other = cell.loc[~cell["is_ai"], "pay"]
        if len(ai) >= MIN_CELL and len(other) >= MIN_CELL:
            ratio = np.log(ai.median() / other.median())
            rows.append((ratio, min(len(ai), len(other)), len(ai), len(other)))
    if len(rows) < MIN_CELLS:
        return Measured(
            what, None, None, 0, 0, len(rows), f"not enough matched cells (need {MIN_CELLS})"
        )
    logs = np.array([r[0] for r in rows])
    weights = np.array([r[1] for r in rows], dtype=float)
    estimate = float(np.exp(np.average(logs, weights=weights)) - 1)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(rows), (BOOTSTRAP, len(rows)))
    boot = np.exp((logs[picks] * weights[picks]).sum(axis=1) / weights[picks].sum(axis=1)) - 1
    low, high = (float(v) for v in np.percentile(boot, [2.5, 97.5]))
    return Measured(
        what,
        estimate,
        (low, high),
        sum(r[2] for r in rows),
        sum(r[3] for r in rows),
        len(rows),
        f"matched on {', '.join(keys)}; interval: bootstrap over cells",
    )


def _frame(
    records: ir.Table, *, source: str | None = None, country: str | None = None
) -> pd.DataFrame:
    """AI and generic roles' records (a store's or a lake's) with their pay in the latest CPI
    year's dollars."""
    chosen = records.filter(records.role_family.isin([*AI_FAMILIES, *GENERIC_FAMILIES]))
    if source:
        chosen = chosen.filter(chosen.source == source)
    if country:
        chosen = chosen.filter(chosen.country == country)
    frame: pd.DataFrame = chosen.select(
        "source",
        "role_family",
        "company",
        "level",
        "country",
        "remote",
        "observed_year",
        "raw_title",
        pay=real_dollars(chosen, "total_comp", inflation.latest_year()),
    ).to_pandas()
    frame["is_ai"] = frame["role_family"].isin(AI_FAMILIES)
    return frame


#: The measured premiums of the latest stores asked about, by seed.
_MEASURED: ContentsMemo[list[Measured]] = ContentsMemo(entries=8)
#: The premiums by year of the latest stores asked about, by country and seed.
_BY_YEAR: ContentsMemo[dict[int, Measured]] = ContentsMemo(entries=16)


def measured_premiums(store: Path | str | None = None, *, seed: int = SEED) -> list[Measured]:
    """The AI premium as careerbench's data measure it (see the module docstring); measured
    once per store contents and seed, then kept in memory."""
    path = store_path(store)
    return list(_MEASURED.get(path, seed, lambda: _measure(path, seed)))


def _measure(path: Path, seed: int) -> list[Measured]:
    with Store(path) as db:
        return measure_records(db.records(), seed)


def measure_records(records: ir.Table, seed: int = SEED) -> list[Measured]:
    """``measured_premiums`` of a records table on any engine (a store's, a lake's)."""
    frame = _frame(records)
    levels = frame[(frame["source"] == Source.LEVELSFYI.value)]
    levels = levels[levels["raw_title"] == "Software Engineer"]
    levels = levels[
        levels["role_family"].isin(
            [
                f.value
                for f in (
                    RoleFamily.ML_ENGINEER,
                    RoleFamily.MLOPS_ENGINEER,
                    RoleFamily.SOFTWARE_ENGINEER,
                )
            ]
        )
    ]
    aijobs = frame[frame["source"] == Source.AIJOBS.value]
    return [
        matched_premium(
            levels.dropna(subset=["company", "level"]),
            ["company", "level"],
            "Levels.fyi: 'ML / AI' tagged software engineers vs other software engineers, "
            "same company and level",
            seed,
        ),
        matched_premium(
            aijobs.dropna(subset=["level", "country"]),
            ["level", "observed_year", "country"],
            "aijobs.net: AI-specific titles vs software, data science and data engineering "
            "titles, same level, year and country",
            seed,
        ),
    ]


def premium_by_year(
    store: Path | str | None, country: str | None, *, seed: int = SEED
) -> dict[int, Measured]:
    """The aijobs.net AI-title premium per observed year (same level, country and remote);
    measured once per store contents, country and seed, then kept in memory."""
    path = store_path(store)
    return dict(_BY_YEAR.get(path, (country, seed), lambda: _by_year(path, country, seed)))


def _by_year(path: Path, country: str | None, seed: int) -> dict[int, Measured]:
    with Store(path) as db:
        return by_year_of(db.records(), country, seed)


def by_year_of(records: ir.Table, country: str | None, seed: int = SEED) -> dict[int, Measured]:
    """``premium_by_year`` of a records table on any engine (a store's, a lake's)."""
    frame = _frame(records, source=Source.AIJOBS.value, country=country)
    return {
        int(str(year)): matched_premium(
            part, ["level", "country", "remote"], f"AI-title premium {year}", seed
        )
        for year, part in frame.groupby("observed_year")
    }
