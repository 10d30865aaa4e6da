"""What a source is: its licence, what its pay fields measure, and how the pay model reads it.

Each adapter module declares one ``SourceSpec`` (``SPEC``); ``sources.registry`` lists them. Every
other module asks the spec instead of knowing a source by name:

- ``measures``: the measures the source's records really measure. aijobs.net rows are posted
  salary ranges, so their ``total_comp`` column holds base salary and they measure ``base`` only;
  a Levels.fyi report measures total comp (and base, equity and bonus where it has them).
- ``title``: the source's name for people; ``pay_note``: how to read its pay, for notes beside
  figures ("<title> data points are <pay_note>").
- ``model``: the pay model's view of the source (``None``: not modelled): its categorical and
  numeric features, the high-cardinality features also given as target means, the cells within
  which the yearly trend is measured, the last year of the evaluation's time split, the profile
  fields that send a profile to this source's model (``profile_signals``; a source without any
  answers the profiles no other source claims), the source's own level codes (``raw_levels``,
  code -> common level; a profile's code is derived from its level), and how a profile's missing
  fields are filled (``fills``).
- ``batch``: the columns a file of profiles in the source's own format must have, defaults for
  the optional ones, and ``profiles``: the function that turns such rows into canonical records.
- ``one_record_per_place``: a data point naming several places (an employer's posting for
  three offices) is one record per place, all with its ``source_id``; statistics count it once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from careerbench.schema import Level

#: The measures of pay a record may carry (columns of the canonical record).
MEASURES: tuple[str, ...] = ("total_comp", "base", "equity", "bonus")

#: rows (strings, one column per input column), a column mapping, where they come from ->
#: (canonical profile records of the rows that can be described, a reason per input row).
Profiles = Callable[[pd.DataFrame, Mapping[str, str], str], tuple[pd.DataFrame, pd.Series]]


@dataclass(frozen=True)
class ProfileFill:
    """A field a profile may leave out, filled with its most common value (or median) among the
    source's records that share the profile's ``context`` fields; the most specific context
    known wins, down to ``least`` context fields (0: the source-wide value will do)."""

    column: str
    context: tuple[str, ...] = ()
    least: int = 0
    statistic: str = "mode"  # or "median"


@dataclass(frozen=True)
class ModelSpec:
    categorical: tuple[str, ...]
    numeric: tuple[str, ...]
    target_encoded: tuple[str, ...] = ()
    trend_cells: tuple[str, ...] = ()
    last_training_year: int = 0
    profile_signals: tuple[str, ...] = ()
    separate_base: bool = False
    raw_levels: Mapping[str, str] = field(default_factory=dict)
    fills: tuple[ProfileFill, ...] = ()
    #: The model answers a question about someone in the US only when it names a US state (or
    #: a metro): its US training rows nearly all have one, and a row without one stands for
    #: another population (outside the US), so a question that leaves the place out would be
    #: answered for that population.
    needs_us_place: bool = False

    @property
    def features(self) -> tuple[str, ...]:
        return (*self.categorical, *self.numeric)

    def raw_level_for(self, level: str | None) -> str | None:
        """The source's own level code for a common level: the code of the highest level at or
        below it (the lowest code for a level below them all); ``None`` without codes."""
        if level is None or not self.raw_levels:
            return None
        ranks = {lv.value: lv.rank for lv in Level}
        rank = ranks.get(level)
        if rank is None:
            return None
        by_rank = sorted(self.raw_levels.items(), key=lambda item: ranks[item[1]])
        below = [code for code, lv in by_rank if ranks[lv] <= rank]
        return below[-1] if below else by_rank[0][0]


@dataclass(frozen=True)
class BatchSpec:
    required: tuple[str, ...]
    profiles: Profiles
    defaults: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceSpec:
    name: str
    title: str
    licence: str
    measures: frozenset[str]
    pay_note: str
    model: ModelSpec | None = None
    batch: BatchSpec | None = None
    one_record_per_place: bool = False
    #: Total comp may be filled from base alone: a record whose total is its base, with no
    #: equity or bonus, is a base salary only and does not measure total comp.
    total_may_be_base_only: bool = False

    def measures_(self, measure: str) -> bool:
        """Whether this source's records measure ``measure`` (``total_comp``, ``base``, ...)."""
        return measure in self.measures
