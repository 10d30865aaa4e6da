"""Every source careerbench knows, by name: the one list to extend when adding a source."""

from __future__ import annotations

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


def counted_once() -> frozenset[str]:
    """The sources whose data points may be several records (one per place)."""
    return frozenset(name for name, s in SPECS.items() if s.one_record_per_place)


def licences() -> dict[str, str]:
    return {name: s.licence for name, s in SPECS.items()}
