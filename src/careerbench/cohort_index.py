"""The cohort index: fast, exact-or-bounded cohort statistics over millions of records.

A cohort is a set of *cells*: records equal in every cohort dimension (source, role family,
level, tier, company, country, state, metro, remote, observed year, whole years of experience).
The index keeps, in memory:

- one row per cell (the dimension codes and the cell's record counts), so selecting a cohort
  and counting it is a scan of a few thousand cells, not of millions of records;
- every record's pay (total comp, base, equity, bonus) in ``currency_year`` dollars, ordered by
  cell, so an *exact* cohort is a gather of contiguous slices;
- a sketch per cell and measure: counts in logarithmic bins of width ``BIN_RATIO`` (0.25%),
  so a very large cohort sums a few hundred bins per cell instead of touching every record.

Cohorts of up to ``EXACT_MAX`` records are computed exactly (linear interpolation, as DuckDB's
``quantile_cont``); larger ones from the sketch, whose quantiles are within ``BIN_RATIO - 1``
(relative) of the exact ones. Results say which method was used.

The index is built from the store with one ibis query and cached on disk next to the store,
keyed by the store's fingerprint and the currency year.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from careerbench import store as store_module
from careerbench.store import Store

DIMENSIONS: tuple[str, ...] = (
    "source", "role_family", "level", "tier", "company", "country", "state", "metro_code",
    "remote", "observed_year", "years_bucket",
)  # fmt: skip
MEASURES: tuple[str, ...] = ("total_comp", "base", "equity", "bonus")
EXACT_MAX = 100_000
BIN_RATIO = 1.0025
LOW, HIGH = 100.0, 50_000_000.0
N_BINS = int(np.ceil(np.log(HIGH / LOW) / np.log(BIN_RATIO))) + 1
INDEX_VERSION = 1

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class MeasureStats:
    n: int
    quantiles: dict[float, float]
    method: str  # "exact" or "sketch"
    percentile: float | None = None


def _bin(values: FloatArray) -> IntArray:
    clipped = np.clip(values, LOW, HIGH)
    bins: IntArray = np.floor(np.log(clipped / LOW) / np.log(BIN_RATIO)).astype(np.int64)
    return bins


def _bin_edges(bins: IntArray) -> tuple[FloatArray, FloatArray]:
    low = LOW * BIN_RATIO ** bins.astype(np.float64)
    return low, low * BIN_RATIO


def _ranges(starts: IntArray, lengths: IntArray) -> IntArray:
    """Concatenated ``arange(start, start + length)`` for each pair, vectorized."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return offsets + np.arange(total, dtype=np.int64)


class CohortIndex:
    """Cells, values and sketches for one store and currency year (see the module docstring)."""

    def __init__(self, arrays: Mapping[str, npt.NDArray[Any]]) -> None:
        self.arrays = dict(arrays)
        self.currency_year = int(self.arrays["currency_year"][0])
        self.dictionaries = {
            dim: [str(v) for v in self.arrays[f"dict_{dim}"]] for dim in DIMENSIONS
        }
        self.codes = {dim: self.arrays[f"cell_{dim}"] for dim in DIMENSIONS}
        self.cell_start = self.arrays["cell_start"]
        self.cell_count = self.arrays["cell_count"]
        self.n_cells = len(self.cell_start)

    # ---- building ------------------------------------------------------------------------
    @classmethod
    def build(cls, db: Store, currency_year: int) -> CohortIndex:
        records = db.records()
        years = records.years_experience.floor().clip(lower=0, upper=50).cast("int16")
        columns = {dim: records[dim] for dim in DIMENSIONS if dim != "years_bucket"}
        columns["years_bucket"] = years.fill_null(-1)
        for measure in MEASURES:
            columns[measure] = store_module.real_dollars(records, measure, currency_year)
        query = records.select(**columns).order_by(list(DIMENSIONS))
        return cls.from_table(query.to_pyarrow(), currency_year)

    @classmethod
    def from_table(cls, table: pa.Table, currency_year: int) -> CohortIndex:
        """Build from rows holding DIMENSIONS and MEASURES, already ordered by DIMENSIONS."""
        n = table.num_rows
        arrays: dict[str, npt.NDArray[Any]] = {
            "currency_year": np.array([currency_year]),
            "version": np.array([INDEX_VERSION]),
        }
        codes = {}
        for dim in DIMENSIONS:
            column = table.column(dim).combine_chunks()
            if pa.types.is_integer(column.type):
                values = np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.int64)
                unique, inverse = np.unique(values, return_inverse=True)
                arrays[f"dict_{dim}"] = unique.astype(str)
                codes[dim] = inverse.astype(np.int32)
            else:
                encoded = column.dictionary_encode()
                dictionary = encoded.dictionary.to_pylist()
                indices = encoded.indices.to_numpy(zero_copy_only=False)
                indices = np.where(np.isnan(indices.astype(float)), -1, indices).astype(np.int32)
                arrays[f"dict_{dim}"] = np.array(dictionary, dtype=str)
                codes[dim] = indices
        change = np.zeros(n, dtype=bool)
        if n:
            change[0] = True
            for dim in DIMENSIONS:
                change[1:] |= codes[dim][1:] != codes[dim][:-1]
        starts = np.flatnonzero(change).astype(np.int64)
        counts = np.diff(np.append(starts, n)).astype(np.int64)
        arrays["cell_start"] = starts
        arrays["cell_count"] = counts
        for dim in DIMENSIONS:
            arrays[f"cell_{dim}"] = codes[dim][starts]
        cell_of_row = np.repeat(np.arange(len(starts), dtype=np.int64), counts)
        for measure in MEASURES:
            values = table.column(measure).to_numpy(zero_copy_only=False).astype(np.float64)
            arrays[f"values_{measure}"] = values
            present = ~np.isnan(values)
            arrays[f"cell_n_{measure}"] = np.bincount(
                cell_of_row[present], minlength=len(starts)
            ).astype(np.int64)
            keys = cell_of_row[present] * N_BINS + _bin(values[present])
            unique_keys, key_counts = np.unique(keys, return_counts=True)
            cells_of_keys = unique_keys // N_BINS
            arrays[f"hist_bin_{measure}"] = (unique_keys % N_BINS).astype(np.int32)
            arrays[f"hist_count_{measure}"] = key_counts.astype(np.int64)
            arrays[f"hist_ptr_{measure}"] = np.searchsorted(
                cells_of_keys, np.arange(len(starts) + 1)
            ).astype(np.int64)
        return cls(arrays)

    # ---- persistence ---------------------------------------------------------------------
    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp.npz")
        np.savez(temporary, **self.arrays)  # type: ignore[arg-type]
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> CohortIndex:
        with np.load(path, allow_pickle=False) as data:
            return cls({name: data[name] for name in data.files})

    # ---- querying ------------------------------------------------------------------------
    def code(self, dim: str, value: object) -> int:
        """The code of ``value`` in dimension ``dim`` (-2 when no record has it)."""
        try:
            return self.dictionaries[dim].index(str(value))
        except ValueError:
            return -2

    def select(self, filters: Mapping[str, object]) -> BoolArray:
        """Cells matching ``filters``: dim -> value, list of values, or (low, high) for ints."""
        mask = np.ones(self.n_cells, dtype=bool)
        for dim, wanted in filters.items():
            if wanted is None:
                continue
            codes = self.codes[dim]
            if isinstance(wanted, tuple):
                numbers = np.array([float(v) for v in self.dictionaries[dim]])
                low, high = wanted
                ok = np.ones(len(numbers), dtype=bool)
                if low is not None:
                    ok &= numbers >= float(low)
                if high is not None:
                    ok &= numbers <= float(high)
                ok &= numbers >= 0 if dim == "years_bucket" else True
                mask &= np.isin(codes, np.flatnonzero(ok))
            elif isinstance(wanted, list | set | frozenset):
                mask &= np.isin(codes, [self.code(dim, v) for v in wanted])
            else:
                mask &= codes == self.code(dim, wanted)
        return mask

    def count(self, cells: BoolArray, measure: str = "total_comp") -> int:
        return int(self.arrays[f"cell_n_{measure}"][cells].sum())

    def breakdown(self, cells: BoolArray, dim: str) -> dict[str, int]:
        """Record counts by the values of one dimension within the selected cells."""
        codes = self.codes[dim][cells]
        counts = np.bincount(codes[codes >= 0], weights=self.cell_count[cells][codes >= 0])
        names = self.dictionaries[dim]
        return {names[i]: int(c) for i, c in enumerate(counts) if c > 0}

    def stats(
        self,
        cells: BoolArray,
        measure: str,
        probabilities: Sequence[float],
        *,
        pay: float | None = None,
        exact_max: int = EXACT_MAX,
    ) -> MeasureStats:
        """Quantiles (and the percentile of ``pay``) of one measure over the selected cells."""
        n = self.count(cells, measure)
        if n == 0:
            return MeasureStats(0, {}, "exact")
        if n <= exact_max:
            values = self.values(cells, measure)
            quantiles = np.quantile(values, probabilities)
            percentile = None
            if pay is not None:
                below = np.count_nonzero(values < pay)
                equal = np.count_nonzero(values == pay)
                percentile = float(100.0 * (below + 0.5 * equal) / n)
            return MeasureStats(
                n, dict(zip(probabilities, map(float, quantiles), strict=True)), "exact", percentile
            )
        histogram = self.histogram(cells, measure)
        return MeasureStats(
            n,
            {p: _sketch_quantile(histogram, p) for p in probabilities},
            "sketch",
            None if pay is None else _sketch_percentile(histogram, pay),
        )

    def values(self, cells: BoolArray, measure: str) -> FloatArray:
        """The selected cells' values of ``measure`` (missing ones dropped)."""
        chosen = np.flatnonzero(cells)
        rows = _ranges(self.cell_start[chosen], self.cell_count[chosen])
        values: FloatArray = self.arrays[f"values_{measure}"][rows]
        return values[~np.isnan(values)]

    def histogram(self, cells: BoolArray, measure: str) -> IntArray:
        pointers = self.arrays[f"hist_ptr_{measure}"]
        chosen = np.flatnonzero(cells)
        entries = _ranges(pointers[chosen], pointers[chosen + 1] - pointers[chosen])
        return np.bincount(
            self.arrays[f"hist_bin_{measure}"][entries],
            weights=self.arrays[f"hist_count_{measure}"][entries],
            minlength=N_BINS,
        ).astype(np.int64)


def _sketch_quantile(histogram: IntArray, probability: float) -> float:
    """Quantile by the linear method on ranks, interpolating geometrically within a bin."""
    n = int(histogram.sum())
    rank = probability * (n - 1)
    cumulative = np.cumsum(histogram)
    bin_index = int(np.searchsorted(cumulative, rank, side="right"))
    before = cumulative[bin_index - 1] if bin_index > 0 else 0
    inside = histogram[bin_index]
    fraction = (rank - before + 0.5) / inside if inside else 0.5
    low, _ = _bin_edges(np.array([bin_index]))
    return float(low[0] * BIN_RATIO ** min(max(fraction, 0.0), 1.0))


def _sketch_percentile(histogram: IntArray, pay: float) -> float:
    n = int(histogram.sum())
    bin_index = int(_bin(np.array([pay]))[0])
    below = int(histogram[:bin_index].sum())
    low, _ = _bin_edges(np.array([bin_index]))
    fraction = np.log(pay / low[0]) / np.log(BIN_RATIO)
    return float(100.0 * (below + fraction * histogram[bin_index]) / n)


def cache_path(db: Store, currency_year: int) -> Path:
    """Beside the store, named by what it was built from."""
    name = f"cohort-index-{db.fingerprint()}-{currency_year}-v{INDEX_VERSION}.npz"
    return db.path.with_name(db.path.name + ".cache") / name


def cohort_index(db: Store, currency_year: int) -> CohortIndex:
    """The index for this store's contents: from the disk cache, or built now and cached."""
    path = cache_path(db, currency_year)
    if path.exists():
        return CohortIndex.load(path)
    index = CohortIndex.build(db, currency_year)
    index.save(path)
    return index


_MEMORY: dict[tuple[str, int], tuple[tuple[int, ...], CohortIndex]] = {}


def file_stamp(path: Path) -> tuple[int, ...]:
    """Size and modification time of the store file and its write-ahead log."""
    stamp: list[int] = []
    for file in (path, path.with_name(path.name + ".wal")):
        if file.exists():
            info = file.stat()
            stamp += [info.st_size, info.st_mtime_ns]
    return tuple(stamp)


def index_for_store(path: Path, currency_year: int) -> CohortIndex:
    """The index of the store at ``path``, kept in memory while the store file is unchanged.

    Answering from memory needs no connection to the store at all, which keeps a cohort query
    in the low milliseconds; any write to the store changes the file and so the key.
    """
    key = (str(path.resolve()), currency_year)
    stamp = file_stamp(path) if path.exists() else ()
    held = _MEMORY.get(key)
    if held is not None and stamp and held[0] == stamp:
        return held[1]
    with Store(path) as db:
        index = cohort_index(db, currency_year)
    if len(_MEMORY) >= 4:
        _MEMORY.clear()
    _MEMORY[key] = (file_stamp(path), index)
    return index
