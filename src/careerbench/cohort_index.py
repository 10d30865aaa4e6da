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
keyed by the store's fingerprint and the currency year. ``lake_index.py`` builds the same arrays
on Spark from the store's exported records (the lake), for stores too large for one machine.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from careerbench import pay_index
from careerbench import store as store_module
from careerbench.pay_index import Basis, PayIndex
from careerbench.sources import registry
from careerbench.store import ContentsMemo, Store

DIMENSIONS: tuple[str, ...] = (
    "source", "role_family", "level", "tier", "company", "country", "state", "metro_code",
    "remote", "observed_year", "years_bucket",
)  # fmt: skip
MEASURES: tuple[str, ...] = ("total_comp", "base", "equity", "bonus")
#: The column naming a data point that is several records (one per place): counted once.
POSTING = "posting"
EXACT_MAX = 100_000
BIN_RATIO = 1.0025
LOW, HIGH = 100.0, 50_000_000.0
N_BINS = int(np.ceil(np.log(HIGH / LOW) / np.log(BIN_RATIO))) + 1
INDEX_VERSION = 5

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
#: Selected cells: a mask over all cells (as ``select`` gives) or the positions of the chosen ones.
Cells = BoolArray | IntArray


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
        self.basis = str(self.arrays["basis"][0]) if "basis" in self.arrays else "cpi"
        self.dictionaries = {
            dim: [str(v) for v in self.arrays[f"dict_{dim}"]] for dim in DIMENSIONS
        }
        self.codes = {dim: self.arrays[f"cell_{dim}"] for dim in DIMENSIONS}
        self.cell_start = self.arrays["cell_start"]
        self.cell_count = self.arrays["cell_count"]
        self.n_cells = len(self.cell_start)
        self._code_of = {
            dim: {value: i for i, value in reversed(list(enumerate(values)))}
            for dim, values in self.dictionaries.items()
        }
        self._numbers: dict[str, FloatArray] = {}
        #: The pay index the values were brought to one year with (None on the CPI-U basis).
        self.pay_index: PayIndex | None = None

    # ---- building ------------------------------------------------------------------------
    @classmethod
    def build(cls, db: Store, basis: Basis) -> CohortIndex:
        return cls.from_table(index_table(db, basis).to_pyarrow(), basis.year, basis.name)

    @classmethod
    def from_table(cls, table: pa.Table, currency_year: int, basis: str = "cpi") -> CohortIndex:
        """Build from rows holding DIMENSIONS and MEASURES (values already in ``basis`` dollars
        of ``currency_year``), ordered by DIMENSIONS."""
        n = table.num_rows
        arrays: dict[str, npt.NDArray[Any]] = {
            "currency_year": np.array([currency_year]),
            "basis": np.array([basis]),
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
        if POSTING in table.column_names:
            keys = table.column(POSTING).to_pandas()
            codes_of_posting, _ = pd.factorize(keys, use_na_sentinel=True)
            arrays["posting"] = codes_of_posting.astype(np.int64)
            arrays["cell_postings"] = np.bincount(
                cell_of_row[codes_of_posting >= 0], minlength=len(starts)
            ).astype(np.int64)
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
        temporary = store_module.temporary_beside(path, ".tmp.npz")
        np.savez(temporary, **self.arrays)  # type: ignore[arg-type]
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> CohortIndex:
        with np.load(path, allow_pickle=False) as data:
            return cls({name: data[name] for name in data.files})

    # ---- querying ------------------------------------------------------------------------
    def code(self, dim: str, value: object) -> int:
        """The code of ``value`` in dimension ``dim`` (-2 when no record has it)."""
        return self._code_of[dim].get(str(value), -2)

    def _numeric(self, dim: str) -> FloatArray:
        """The values of an integer dimension's dictionary, as numbers (computed once)."""
        numbers = self._numbers.get(dim)
        if numbers is None:
            numbers = np.array([float(v) for v in self.dictionaries[dim]])
            self._numbers[dim] = numbers
        return numbers

    def _matching(self, dim: str, wanted: IntArray) -> BoolArray:
        """Cells whose code in ``dim`` is one of ``wanted`` (sorted, distinct, all >= 0)."""
        codes = self.codes[dim]
        if len(wanted) == 0:
            return np.zeros(self.n_cells, dtype=bool)
        low, high = int(wanted[0]), int(wanted[-1])
        if high - low + 1 == len(wanted):  # a run of codes: two comparisons
            matched: BoolArray = codes == low if low == high else (codes >= low) & (codes <= high)
            return matched
        table = np.zeros(len(self.dictionaries[dim]) + 1, dtype=bool)
        table[wanted] = True  # the last entry stays False: the code -1 (no value) matches nothing
        looked_up: BoolArray = table[codes]
        return looked_up

    def select(self, filters: Mapping[str, object]) -> BoolArray:
        """Cells matching ``filters``: dim -> value, list of values, or (low, high) for ints."""
        mask = np.ones(self.n_cells, dtype=bool)
        for dim, wanted in filters.items():
            if wanted is None:
                continue
            if isinstance(wanted, tuple):
                numbers = self._numeric(dim)
                low, high = wanted
                ok = np.ones(len(numbers), dtype=bool)
                if low is not None:
                    ok &= numbers >= float(low)
                if high is not None:
                    ok &= numbers <= float(high)
                if dim == "years_bucket":
                    ok &= numbers >= 0
                mask &= self._matching(dim, np.flatnonzero(ok))
            elif isinstance(wanted, list | set | frozenset):
                codes = {self.code(dim, v) for v in wanted} - {-2}
                mask &= self._matching(dim, np.array(sorted(codes), dtype=np.int64))
            else:
                mask &= self.codes[dim] == self.code(dim, wanted)
        return mask

    def count(self, cells: Cells, measure: str = "total_comp") -> int:
        return int(self.arrays[f"cell_n_{measure}"][cells].sum())

    def breakdown(self, cells: Cells, dim: str, measure: str | None = None) -> dict[str, int]:
        """Record counts by the values of one dimension within the selected cells (of the
        records that have ``measure``, when one is named)."""
        chosen = chosen_cells(cells)
        codes = self.codes[dim][chosen]
        present = codes >= 0
        sizes = self.cell_count if measure is None else self.arrays[f"cell_n_{measure}"]
        counts = np.bincount(codes[present], weights=sizes[chosen][present])
        names = self.dictionaries[dim]
        out = {names[i]: int(c) for i, c in enumerate(counts) if c > 0}
        if measure is not None:
            for name, repeats in self._repeats(chosen, dim, measure).items():
                out[name] -= repeats
        return {k: v for k, v in out.items() if v > 0}

    def _repeats(self, chosen: IntArray, dim: str, measure: str) -> dict[str, int]:
        """Records beyond the first of each data point counted once (a posting's other
        places), by the values of ``dim``, among the chosen cells' records of ``measure``."""
        with_postings = self.arrays.get("cell_postings")
        if with_postings is None or not with_postings[chosen].any():
            return {}
        chosen = chosen[with_postings[chosen] > 0]
        rows = self.rows(chosen)
        keys = self.arrays["posting"][rows]
        kept = (keys >= 0) & ~np.isnan(self.arrays[f"values_{measure}"][rows])
        shared = np.flatnonzero(kept)
        _, first = np.unique(keys[shared], return_index=True)
        repeated = np.ones(len(shared), dtype=bool)
        repeated[first] = False
        cell_of_row = np.repeat(chosen, self.cell_count[chosen])
        codes = self.codes[dim][cell_of_row[shared[repeated]]]
        names = self.dictionaries[dim]
        counts = np.bincount(codes[codes >= 0], minlength=len(names))
        return {names[i]: int(c) for i, c in enumerate(counts) if c > 0}

    def rows(self, cells: Cells) -> IntArray:
        """Positions of the selected cells' records in the value arrays (shared by measures)."""
        chosen = chosen_cells(cells)
        return _ranges(self.cell_start[chosen], self.cell_count[chosen])

    def stats(
        self,
        cells: Cells,
        measure: str,
        probabilities: Sequence[float],
        *,
        pay: float | None = None,
        exact_max: int = EXACT_MAX,
        rows: IntArray | None = None,
    ) -> MeasureStats:
        """Quantiles (and the percentile of ``pay``) of one measure over the selected cells.

        ``rows`` (``self.rows(cells)``) saves recomputing them when several measures of the same
        cells are wanted.
        """
        n = self.count(cells, measure)
        if n == 0:
            return MeasureStats(0, {}, "exact")
        if n <= exact_max:
            values = self.values(cells, measure, rows=rows)
            n = len(values)
            percentile = None
            if pay is not None:
                below = np.count_nonzero(values < pay)
                equal = np.count_nonzero(values == pay)
                percentile = float(100.0 * (below + 0.5 * equal) / n)
            quantiles = _linear_quantiles(values, probabilities)
            return MeasureStats(
                n, dict(zip(probabilities, quantiles, strict=True)), "exact", percentile
            )
        histogram = self.histogram(cells, measure)
        return MeasureStats(
            n,
            {p: _sketch_quantile(histogram, p) for p in probabilities},
            "sketch",
            None if pay is None else _sketch_percentile(histogram, pay),
        )

    def values(self, cells: Cells, measure: str, *, rows: IntArray | None = None) -> FloatArray:
        """The selected cells' values of ``measure`` (missing ones dropped), a new array; a data
        point that is several records (a posting for several places) counts once."""
        if rows is None:
            rows = self.rows(cells)
        values: FloatArray = self.arrays[f"values_{measure}"][rows]
        keep = ~np.isnan(values)
        postings = self.arrays.get("posting")
        if postings is not None:
            keys = postings[rows]
            shared = np.flatnonzero((keys >= 0) & keep)
            if len(shared):
                _, first = np.unique(keys[shared], return_index=True)
                repeated = np.ones(len(shared), dtype=bool)
                repeated[first] = False
                keep[shared[repeated]] = False
        return values[keep]

    def histogram(self, cells: Cells, measure: str) -> IntArray:
        pointers = self.arrays[f"hist_ptr_{measure}"]
        chosen = chosen_cells(cells)
        entries = _ranges(pointers[chosen], pointers[chosen + 1] - pointers[chosen])
        return np.bincount(
            self.arrays[f"hist_bin_{measure}"][entries],
            weights=self.arrays[f"hist_count_{measure}"][entries],
            minlength=N_BINS,
        ).astype(np.int64)


def chosen_cells(cells: Cells) -> IntArray:
    """The positions of the selected cells: of a mask's True entries, or the positions given."""
    if cells.dtype == np.bool_:
        return np.flatnonzero(cells)
    return cells.astype(np.int64, copy=False)


#: Partitioning (NumPy's way) beats sorting only for large cohorts.
SORT_MAX = 20_000


def _linear_quantiles(values: FloatArray, probabilities: Sequence[float]) -> list[float]:
    """``np.quantile(values, probabilities)`` (method "linear"); reorders ``values`` in place.

    The same IEEE arithmetic as NumPy's, so the same floats, without its general-purpose
    overhead, which dominated a small cohort's statistics.
    """
    n = len(values)
    points = []
    for probability in probabilities:
        virtual = (n - 1) * probability
        previous = math.floor(virtual)
        if virtual >= n - 1:
            points.append((n - 1, n - 1, virtual - previous))
        else:
            points.append((previous, previous + 1, virtual - previous))
    if n <= SORT_MAX:
        values.sort()
    else:
        values.partition(sorted({i for low, high, _ in points for i in (low, high)}))
    out = []
    for low, high, gamma in points:
        a, b = float(values[low]), float(values[high])
        difference = b - a
        out.append(b - difference * (1 - gamma) if gamma >= 0.5 else a + difference * gamma)
    return out


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
    # A pay outside the sketch's range (a tiny fraction of a dollar, billions) is in its end bin.
    inside = min(max(pay, low[0]), low[0] * BIN_RATIO)
    fraction = np.log(inside / low[0]) / np.log(BIN_RATIO)
    return float(100.0 * (below + fraction * histogram[bin_index]) / n)


def index_table(db: Store, basis: Basis) -> Any:
    """The index's rows as an ibis expression, ordered by the cohort dimensions (``index_rows``
    of the store's records)."""
    return index_rows(db.records(), basis).order_by(list(DIMENSIONS))


def index_rows(records: Any, basis: Basis, observed: Sequence[int] | None = None) -> Any:
    """The index's rows of ``records`` (an ibis table of canonical records, on any backend):
    the cohort dimensions, and each measure in ``basis`` dollars where the record's source
    measures it (null where it does not: an aijobs.net posting's pay is base salary, never
    total comp), and the posting key of sources counted once. ``observed``: the records'
    observed years, when known (else found by a query)."""
    years = records.years_experience.floor().clip(lower=0, upper=50).cast("int16")
    columns = {dim: records[dim] for dim in DIMENSIONS if dim != "years_bucket"}
    columns["years_bucket"] = years.fill_null(-1)
    factors = basis.factors(store_module.observed_years(records) if observed is None else observed)
    for measure in MEASURES:
        value = store_module.scaled(records, measure, factors)
        columns[measure] = registry.measured(records, measure).ifelse(value, ibis.null())
    once = sorted(registry.counted_once())
    columns[POSTING] = records.source.isin(once).ifelse(records.source_id, ibis.null())
    return records.select(**columns)


def cache_path(db: Store, basis: Basis) -> Path:
    """Beside the store, named by what it was built from."""
    name = f"cohort-index-{db.fingerprint()}-{basis.key}-v{INDEX_VERSION}.npz"
    return db.path.with_name(db.path.name + ".cache") / name


def cohort_index(db: Store, basis: Basis, *, prune: bool = True) -> CohortIndex:
    """The index for this store's contents: from the disk cache, or built now and cached.
    ``prune``: remove the cached indexes of the store's earlier contents (a writer preparing
    the contents it is about to commit does not: readers may still be on the earlier ones)."""
    path = cache_path(db, basis)
    try:
        index = CohortIndex.load(path)
    except (OSError, ValueError, zipfile.BadZipFile):
        # Not there (or removed meanwhile as a cache of other contents): build it.
        index = CohortIndex.build(db, basis)
        index.save(path)
    if prune:
        store_module.prune_caches(db, "cohort-index")
    return index


def prepare(db: Store) -> None:
    """Learn the pay index and build the cohort index (on the default basis) of the contents
    ``db`` holds, before a writer commits them: a server that sees the new store then reads
    both from disk instead of rebuilding them while requests wait."""
    basis = pay_index.basis_with(pay_index.of_contents(db))
    cohort_index(db, basis, prune=False)


#: The indexes of the latest stores and bases asked about, while each store's file is unchanged.
_MEMORY: ContentsMemo[CohortIndex] = ContentsMemo(entries=4)


@lru_cache(maxsize=64)
def _resolved(path: Path) -> str:
    """``path.resolve()`` (an absolute path), remembered: it costs several system calls."""
    return str(path.resolve())


def index_for_store(path: Path, basis_name: str = "pay-index") -> CohortIndex:
    """The index of the store at ``path`` on a basis (in the basis's default year's dollars),
    kept in memory while the store file is unchanged.

    Answering from memory needs no connection to the store at all, which keeps a cohort query
    in the low milliseconds; any write to the store changes the file and so the key.
    """
    resolved = Path(_resolved(path.absolute()))
    return _MEMORY.get(resolved, basis_name, lambda: _read_or_build(path, basis_name))


def _read_or_build(path: Path, basis_name: str) -> CohortIndex:
    basis = pay_index.basis_for(path, basis_name)
    with Store(path) as db:
        index = cohort_index(db, basis)
    index.pay_index = basis.index
    return index
