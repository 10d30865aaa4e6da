"""How pay moved year by year, measured on careerbench's own data: the time basis of every figure.

Records keep pay in nominal dollars of the year they were reported. To put records of different
years in one distribution, careerbench brings them to one year's dollars (the answer's year). CPI-U
measures consumer prices, not pay; tech pay did not move with it. The **pay index** measures pay:

- **within matched cells**: for each source, log pay is explained by a cell effect plus a year
  effect (a two-way fixed-effects fit, weighted by the source rows a record stands for), so the
  year effects compare the same kind of job across years, not a changing mix of reporters. The
  cells are the source's ``ModelSpec.trend_cells`` (Levels.fyi: company x level x role family;
  aijobs.net: role family x level x title x country x currency); the pay is the measure the source
  reports best (Levels.fyi total comp, aijobs.net base);
- **spliced across sources** in the years both cover: later sources continue the chain from the
  overlap (each overlap year weighted by the smaller source's n), so the index runs over every
  year any source covers;
- with **n** (records in cells seen in more than one year) and a **95% interval** per year (a
  seeded bootstrap over cells);
- years after the data are **projected** at the mean yearly change of the last ``PROJECT_YEARS``
  measured years, and say so.

``PayIndex.factor(from_year, to_year)`` multiplies dollars of one year into another's. The CPI-U
basis (``inflation.py``) stays available; every figure states its basis (``Basis``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from careerbench import inflation
from careerbench.errors import InputError, InvalidValue
from careerbench.sources.registry import modelled
from careerbench.store import ContentsMemo, Store, prune_caches, temporary_beside

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

BOOTSTRAP = 200
SEED = 17
PROJECT_YEARS = 3
#: The measure each source's index is measured on: the one it reports for every record.
INDEX_MEASURE = {"levelsfyi": "total_comp", "aijobs": "base"}
BASES = ("pay-index", "cpi")
VERSION = 1


@dataclass(frozen=True)
class YearPoint:
    """The index in one year: ``value`` (first year = 1), its 95% interval, the records behind
    it, and how it was found (``measured`` by a source, ``spliced``, or ``projected``)."""

    year: int
    value: float
    low: float
    high: float
    n: int
    sources: tuple[str, ...]
    how: str


@dataclass(frozen=True)
class PayIndex:
    """Pay levels by year (see the module docstring). ``draws`` holds the bootstrap's log index
    per year (first year = 0), for the interval of any factor."""

    points: dict[int, YearPoint]
    by_source: dict[str, dict[int, float]] = field(default_factory=dict)
    draws: dict[int, tuple[float, ...]] = field(default_factory=dict)

    @property
    def years(self) -> tuple[int, int]:
        return min(self.points), max(self.points)

    @property
    def last_measured(self) -> int:
        return max(y for y, p in self.points.items() if p.how != "projected")

    def value(self, year: int) -> float:
        first, last = self.years
        if year < first:
            return self.points[first].value
        if year > last:
            step = self._yearly_step()
            return self.points[last].value * step ** (year - last)
        return self.points[year].value

    def _yearly_step(self) -> float:
        measured = sorted(y for y, p in self.points.items() if p.how != "projected")
        recent = measured[-(PROJECT_YEARS + 1) :]
        if len(recent) < 2:
            return 1.0
        first, last = recent[0], recent[-1]
        return float((self.points[last].value / self.points[first].value) ** (1 / (last - first)))

    def factor(self, from_year: int, to_year: int) -> float:
        """Multiply dollars of ``from_year`` by this to get dollars of ``to_year``."""
        return self.value(to_year) / self.value(from_year)

    def projected(self, year: int) -> bool:
        return year > self.last_measured

    def interval(self, from_year: int, to_year: int) -> tuple[float, float]:
        """The 95% interval of ``factor(from_year, to_year)`` (bootstrap over cells); a year
        outside the measured ones takes the nearest measured year's uncertainty."""
        first, last = min(self.draws, default=0), max(self.draws, default=0)
        if not self.draws:
            value = self.factor(from_year, to_year)
            return value, value

        def clamp(year: int) -> int:
            return min(max(year, first), last)

        a = np.array(self.draws[clamp(from_year)])
        b = np.array(self.draws[clamp(to_year)])
        ratios = np.exp(b - a)[np.isfinite(b - a)]
        central = self.factor(from_year, to_year)
        if not len(ratios):
            return central, central
        scale = central / self.factor(clamp(from_year), clamp(to_year))
        low, high = np.percentile(ratios, [2.5, 97.5]) * scale
        return float(min(low, central)), float(max(high, central))

    def to_dict(self) -> dict[str, Any]:
        return {
            "basis": "pay index",
            "years": {
                str(y): {
                    "value": round(p.value, 6),
                    "low": round(p.low, 6),
                    "high": round(p.high, 6),
                    "n": p.n,
                    "sources": list(p.sources),
                    "how": p.how,
                }
                for y, p in sorted(self.points.items())
            },
            "by_source": {
                s: {str(y): round(v, 6) for y, v in sorted(values.items())}
                for s, values in self.by_source.items()
            },
            "yearly_change_projected": round(self._yearly_step() - 1, 6),
            "draws": {str(y): [round(v, 6) for v in d] for y, d in sorted(self.draws.items())},
        }

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> PayIndex:
        points = {
            int(y): YearPoint(
                int(y), p["value"], p["low"], p["high"], p["n"], tuple(p["sources"]), p["how"]
            )
            for y, p in document["years"].items()
        }
        by_source = {
            s: {int(y): float(v) for y, v in values.items()}
            for s, values in document.get("by_source", {}).items()
        }
        draws = {int(y): tuple(float(v) for v in d) for y, d in document.get("draws", {}).items()}
        return cls(points, by_source, draws)


# ---- the fit -----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Effects:
    years: IntArray
    log_effect: FloatArray  # first year = 0
    n: IntArray


@dataclass(frozen=True)
class _Panel:
    """One source's records in cells seen in more than one year, coded for the fit."""

    log_pay: FloatArray
    year_code: IntArray
    cell_code: IntArray
    w: FloatArray
    years: IntArray
    n_cells: int


def _source_frame(records: pd.DataFrame, source: str) -> pd.DataFrame | None:
    """One source's records for its index: log pay of its index measure, year, cell, weight."""
    measure = INDEX_MEASURE.get(source)
    spec = modelled().get(source)
    if measure is None or spec is None:
        return None
    part = records[(records["source"] == source) & (records[measure] > 0)]
    if part.empty:
        return None
    cells = part.groupby(list(spec.trend_cells), dropna=False, sort=False).ngroup()
    weight = part["weight"].to_numpy(dtype=float)
    if "range_low" in part:
        weight = weight * np.where(part["range_low"].notna().to_numpy(), 2.0, 1.0)
    return pd.DataFrame(
        {
            "log_pay": np.log(part[measure].to_numpy(dtype=float)),
            "year": part["observed_year"].to_numpy(dtype=np.int64),
            "cell": cells.to_numpy(dtype=np.int64),
            "w": weight,
        }
    )


def _panel(frame: pd.DataFrame) -> _Panel:
    distinct = frame.groupby("cell")["year"].nunique()
    keep = frame["cell"].isin(distinct.index[distinct.to_numpy() > 1]).to_numpy()
    kept = frame[keep]
    years, year_code = np.unique(kept["year"].to_numpy(), return_inverse=True)
    _, cell_code = np.unique(kept["cell"].to_numpy(), return_inverse=True)
    return _Panel(
        kept["log_pay"].to_numpy(),
        year_code.astype(np.int64),
        cell_code.astype(np.int64),
        kept["w"].to_numpy(),
        years.astype(np.int64),
        int(cell_code.max()) + 1 if len(cell_code) else 0,
    )


def _fit(panel: _Panel, cell_weights: FloatArray | None = None) -> _Effects:
    """Weighted two-way fixed effects (cell + year), solved exactly.

    With the cell effects eliminated, the year effects solve a small linear system (one
    equation per year) built from each cell's weight and weighted pay per year; the first
    year's effect is 0. ``cell_weights`` (a bootstrap draw: how many times each cell was drawn)
    multiply each cell's records' weights: a cell drawn twice counts as two identical cells,
    whose fixed effects are the same. A year no drawn record has gets NaN.
    """
    w = panel.w if cell_weights is None else panel.w * cell_weights[panel.cell_code]
    n_years = len(panel.years)
    key = panel.cell_code * n_years + panel.year_code
    size = panel.n_cells * n_years
    weight = np.bincount(key, weights=w, minlength=size).reshape(panel.n_cells, n_years)
    total = np.bincount(key, weights=w * panel.log_pay, minlength=size).reshape(
        panel.n_cells, n_years
    )
    cell_weight = weight.sum(axis=1)
    used = cell_weight > 0
    weight, total, cell_weight = weight[used], total[used], cell_weight[used]
    share = weight / cell_weight[:, None]
    system = np.diag(weight.sum(axis=0)) - weight.T @ share
    right = total.sum(axis=0) - share.T @ total.sum(axis=1)
    present = weight.sum(axis=0) > 0
    present[0] = False  # the first year is the reference: its effect is 0
    b = np.full(n_years, np.nan)
    b[0] = 0.0
    if present.any():
        solution, *_ = np.linalg.lstsq(system[np.ix_(present, present)], right[present], rcond=None)
        b[present] = solution
    n = np.bincount(panel.year_code, minlength=n_years).astype(np.int64)
    return _Effects(panel.years, b, n)


def learn(records: pd.DataFrame, *, bootstrap: int = BOOTSTRAP, seed: int = SEED) -> PayIndex:
    """The pay index of ``records`` (canonical records: source, observed_year, the index
    measures, the sources' trend cells, weight, range_low)."""
    rng = np.random.default_rng(seed)
    chains: dict[str, dict[int, float]] = {}
    draws: dict[str, dict[int, FloatArray]] = {}
    counts: dict[str, dict[int, int]] = {}
    for source in modelled():
        frame = _source_frame(records, source)
        if frame is None:
            continue
        panel = _panel(frame)
        if len(panel.years) < 2:
            continue
        effects = _fit(panel)
        chains[source] = dict(zip(effects.years.tolist(), effects.log_effect.tolist(), strict=True))
        counts[source] = dict(zip(effects.years.tolist(), effects.n.tolist(), strict=True))
        samples = np.full((bootstrap, len(effects.years)), np.nan)
        for b in range(bootstrap):
            drawn = rng.multinomial(panel.n_cells, np.full(panel.n_cells, 1.0 / panel.n_cells))
            samples[b] = _fit(panel, drawn.astype(float)).log_effect
        draws[source] = {int(y): samples[:, i] for i, y in enumerate(effects.years)}
    if not chains:
        raise InputError("records", "too few records seen in more than one year to index pay")
    return _splice(chains, draws, counts)


def _splice(
    chains: dict[str, dict[int, float]],
    draws: dict[str, dict[int, FloatArray]],
    counts: dict[str, dict[int, int]],
) -> PayIndex:
    """One chain over all years: sources ordered by their first year, each later source shifted
    onto the chain by the n-weighted mean difference in the years both cover."""
    order = sorted(chains, key=lambda s: (min(chains[s]), s))
    combined = dict(chains[order[0]])
    combined_draws = {y: d.copy() for y, d in draws[order[0]].items()}
    combined_n = dict(counts[order[0]])
    owners = {y: [order[0]] for y in combined}
    for source in order[1:]:
        overlap = sorted(set(combined) & set(chains[source]))
        if overlap:
            weights = np.array(
                [min(combined_n[y], counts[source][y]) for y in overlap], dtype=float
            )
            gaps = np.array([combined[y] - chains[source][y] for y in overlap])
            shift = float(np.average(gaps, weights=weights))
            draw_gaps = np.array([combined_draws[y] - draws[source][y] for y in overlap])
            draw_shift = np.nansum(draw_gaps * weights[:, None], axis=0) / weights.sum()
        else:
            # No common year: the later source starts where the chain ends (no change between).
            last = max(combined)
            shift = combined[last] - chains[source][min(chains[source])]
            draw_shift = combined_draws[last] - draws[source][min(chains[source])]
        for y, value in chains[source].items():
            if y in combined and y in overlap:
                owners[y].append(source)
                continue
            combined[y] = value + shift
            combined_draws[y] = draws[source][y] + draw_shift
            combined_n[y] = counts[source][y]
            owners[y] = [source]
    first = min(combined)
    points = {}
    for year in range(first, max(combined) + 1):
        if year not in combined:  # a gap inside the chain: interpolate in logs
            before = max(y for y in combined if y < year)
            after = min(y for y in combined if y > year)
            share = (year - before) / (after - before)
            combined[year] = combined[before] + share * (combined[after] - combined[before])
            combined_draws[year] = combined_draws[before] + share * (
                combined_draws[after] - combined_draws[before]
            )
            combined_n[year] = 0
            owners[year] = []
        base = combined[first]
        value = float(np.exp(combined[year] - base))
        spread = combined_draws[year] - combined_draws[first]
        finite = spread[np.isfinite(spread)]
        low, high = value, value
        if len(finite):
            low = float(np.exp(np.percentile(finite, 2.5)))
            high = float(np.exp(np.percentile(finite, 97.5)))
        how = (
            "measured"
            if len(owners[year]) == 1
            else ("spliced" if owners[year] else "interpolated")
        )
        points[year] = YearPoint(
            year,
            value,
            min(low, value),
            max(high, value),
            combined_n[year],
            tuple(owners[year]),
            how,
        )
    by_source = {
        s: {y: float(np.exp(v - min(c.values()))) for y, v in c.items()} for s, c in chains.items()
    }
    index_draws = {
        y: tuple(float(v) for v in combined_draws[y] - combined_draws[first])
        for y in sorted(points)
    }
    return PayIndex(points, by_source, index_draws)


# ---- the basis of a figure ----------------------------------------------------------------
@dataclass(frozen=True)
class Basis:
    """How a figure's dollars were brought to one year: the pay index (default) or CPI-U."""

    name: str
    year: int
    index: PayIndex | None = None
    # Why the basis is not the one asked for (a store too small to learn a pay index).
    fallback: str | None = None

    def factor(self, from_year: int) -> float:
        """Multiply dollars of ``from_year`` by this to get dollars of this basis's year."""
        if self.index is not None:
            return self.index.factor(from_year, self.year)
        return inflation.factor(from_year, self.year)

    def at(self, year: int) -> Basis:
        """The same basis in another year's dollars (CPI-U covers its published years only)."""
        if self.index is None:
            inflation.check_year(year, "year")
        return replace(self, year=year)

    @property
    def measured(self) -> str:
        """How far the basis is measured, for notes: "pay index measured to 2025", ..."""
        if self.index is None:
            return f"CPI-U annual averages to {inflation.latest_year()}"
        return f"pay index measured {self.index.years[0]}-{self.index.last_measured}"

    def factors(self, years: Sequence[int]) -> dict[int, float]:
        return {int(y): self.factor(int(y)) for y in years}

    @property
    def label(self) -> str:
        if self.index is None:
            why = f"; {self.fallback}" if self.fallback else ""
            return f"USD of {self.year} (CPI-U{why})"
        projected = " projected" if self.index.projected(self.year) else ""
        return f"USD of {self.year} (pay index{projected})"

    @property
    def key(self) -> str:
        """Names the basis in cache files: the name, the year and the index's content."""
        if self.index is None:
            return f"cpi-{self.year}"
        digest = hashlib.sha256(json.dumps(self.index.to_dict(), sort_keys=True).encode())
        return f"pay-{self.year}-{digest.hexdigest()[:10]}"


def default_year(index: PayIndex | None) -> int:
    """The answer year when none is asked for: the last year the basis is measured in."""
    return inflation.latest_year() if index is None else index.last_measured


def check_basis(name: str) -> str:
    value = name.strip().lower().replace("_", "-").replace(" ", "-")
    if value in ("pay", "index", "payindex"):
        value = "pay-index"
    if value not in BASES:
        raise InvalidValue("basis", name, BASES)
    return value


def save(index: PayIndex, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_beside(path)
    temporary.write_text(json.dumps({"version": VERSION, **index.to_dict()}), encoding="utf-8")
    temporary.replace(path)


def load(path: Path) -> PayIndex | None:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if document.get("version") != VERSION:
        return None
    return PayIndex.from_dict(document)


# ---- the store's pay index -----------------------------------------------------------------
COLUMNS = ("source", "observed_year", "weight", "range_low", "total_comp", "base")


def _cache_path(db: Store) -> Path:
    return (
        db.path.with_name(db.path.name + ".cache") / f"pay-index-{db.fingerprint()}-v{VERSION}.json"
    )


#: The pay index of the latest stores asked about, while each store's file is unchanged.
_MEMORY: ContentsMemo[PayIndex | None] = ContentsMemo(entries=8)
NOT_LEARNED = "too few records seen in more than one year to learn a pay index"


def for_store(path: Path) -> PayIndex | None:
    """The pay index of the store at ``path``: from memory, from its disk cache beside the
    store, or learned now from the store's records (well under a second per 100k records);
    ``None`` when the records cannot index pay (no cell seen in two years)."""
    return _MEMORY.get(path, "pay-index", lambda: _read_or_learn(path))


def _read_or_learn(path: Path) -> PayIndex | None:
    with Store(path) as db:
        index = of_contents(db)
        if index is not None:
            prune_caches(db, "pay-index")
    return index


def of_contents(db: Store) -> PayIndex | None:
    """The pay index of the records ``db`` holds now: from the disk cache keyed by their
    fingerprint, or learned and cached there. A writer calls it on the contents it is about to
    commit, so that readers find the index ready (it prunes nothing: readers may still be on
    the earlier contents)."""
    cached = _cache_path(db)
    index = load(cached)
    if index is not None:
        return index
    columns = set(COLUMNS) | {c for m in modelled().values() for c in m.trend_cells}
    frame = db.records().select(*sorted(columns)).to_pandas()
    try:
        learned = learn(frame)
    except InputError:
        return None
    save(learned, cached)
    # Answer with the index as every later process reads it back (rounded on disk).
    return load(cached) or learned


def basis_for(path: Path, name: str = "pay-index", year: int | None = None) -> Basis:
    """The basis ``name`` for the store at ``path``, in ``year``'s dollars (default: the last
    year the basis is measured in). A store whose records cannot learn a pay index answers on
    CPI-U, and the basis's label says why."""
    kind = check_basis(name)
    return basis_with(for_store(path) if kind == "pay-index" else None, kind, year)


def basis_with(index: PayIndex | None, name: str = "pay-index", year: int | None = None) -> Basis:
    """The basis ``name`` on a store's pay index ``index`` (``None``: it has none)."""
    kind = check_basis(name)
    fallback = NOT_LEARNED if kind == "pay-index" and index is None else None
    chosen = default_year(index) if year is None else year
    if not 2000 <= chosen <= 2100:
        raise InputError("year", f"{chosen} is not a year; give a year from 2000 to 2100")
    return Basis("cpi" if fallback else kind, chosen, index, fallback).at(chosen)
