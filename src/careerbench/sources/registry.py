"""Every source careerbench knows, by name: the one list to extend when adding a source."""

from __future__ import annotations

from ibis.expr.types import BooleanValue, Table

from careerbench.errors import InvalidValue
from careerbench.sources import aijobs, generic_csv, levelsfyi, postings
from careerbench.sources.spec import ModelSpec, SourceSpec

SPECS: dict[str, SourceSpec] = {
    s.name: s for s in (aijobs.SPEC, levelsfyi.SPEC, generic_csv.SPEC, postings.SPEC)
}


def spec(name: str) -> SourceSpec:
    """The spec of a source by name; ``InvalidValue`` lists the known ones."""
    found = SPECS.get(name)
    if found is None:
        raise InvalidValue("source", name, list(SPECS))
    return found


def modelled() -> dict[str, ModelSpec]:
    """The sources the pay model learns from, with their model specs, in registry order."""
    return {name: s.model for name, s in SPECS.items() if s.model is not None}


def batch_formats() -> tuple[str, ...]:
    """The file formats a batch of profiles may come in (sources with a batch spec)."""
    return tuple(name for name, s in SPECS.items() if s.batch is not None)


def measuring(measure: str) -> frozenset[str]:
    """The sources whose records measure ``measure``."""
    return frozenset(name for name, s in SPECS.items() if measure in s.measures)


def measured(records: Table, measure: str) -> BooleanValue:
    """Whether each record (a row of the store's records table) measures ``measure``: its
    source measures it, and a total comp is more than a base salary given alone."""
    sources = sorted(measuring(measure))
    mask = records.source.isin(sources) & records[measure].notnull()
    if measure != "total_comp":
        return mask
    lax = sorted(name for name in sources if SPECS[name].total_may_be_base_only)
    base_only = (
        records.source.isin(lax)
        & records.equity.isnull()
        & records.bonus.isnull()
        & (records.total_comp == records.base)
    )
    return mask & ~base_only.fill_null(False)


def counted_once() -> frozenset[str]:
    """The sources whose data points may be several records (one per place)."""
    return frozenset(name for name, s in SPECS.items() if s.one_record_per_place)


def licences() -> dict[str, str]:
    return {name: s.licence for name, s in SPECS.items()}
