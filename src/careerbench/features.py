"""What the pay model sees of a record: its features, per source, and the defaults of a profile.

The model is trained on canonical records (``schema.RECORD_SCHEMA``), one model per source,
because the sources describe pay differently: aijobs.net rows are posted salary ranges with a
title, an experience band, a country, a company size and a remote ratio; Levels.fyi reports carry
a company, its own level string, a city and years of experience. Each source's model uses only the
features that source records (its spec's ``ModelSpec``).

What each source's model reads is declared in the source's spec (``sources/spec.py``:
``ModelSpec``). A record from elsewhere (a user's CSV row, a profile typed on the command line) is
answered by the model whose features it has: a source's ``profile_signals`` (for Levels.fyi: a
company, a tier, a US metro or state, or years of experience) send a profile to it; otherwise the
source without signals answers (aijobs.net, which covers more countries, titles and recent years)
(``model_source``).

A profile names fewer fields than a record has (a role family, not a job title). The fields it
leaves out are filled as the source's spec says (``ModelSpec.fills``): with the most common value
(or the median) among the training records of the same kind (``ProfileDefaults``), and the
estimate lists every value it assumed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from careerbench.schema import ML_FAMILIES, RECORD_COLUMNS, Tier
from careerbench.sources.registry import modelled
from careerbench.sources.spec import ProfileFill

MODELLED: tuple[str, ...] = tuple(modelled())


def cell_keys(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Each row's values of ``columns`` as one text key, ``"|"``-joined (a missing value is
    empty): a cell to group by. Built a column at a time; a row at a time took most of a
    training's minute."""
    text = frame[columns].astype(str).fillna("")  # missing values stay missing, then empty
    keys = text[columns[0]]
    for column in columns[1:]:
        keys = keys + "|" + text[column]
    return keys


def features(source: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(categorical, numeric) features of ``source``'s model."""
    spec = modelled()[source]
    return spec.categorical, spec.numeric


#: Plain names of features, for the drivers of an estimate.
FEATURE_NAMES = {
    "role_family": "role",
    "level": "level",
    "raw_level": "level",
    "company_level": "level",
    "raw_title": "title",
    "company": "company",
    "tier": "tier",
    "country": "country",
    "state": "state",
    "metro_code": "metro",
    "remote": "remote",
    "employment_type": "employment",
    "currency": "currency",
    "company_size": "company size",
    "tag": "specialty",
    "education": "education",
    "observed_year": "year",
    "years_experience": "years of experience",
    "years_at_company": "years at company",
}

#: The record column whose value a driver names, per plain feature name.
DRIVER_VALUE = {
    "role": "role_family", "level": "level", "title": "raw_title", "company": "company",
    "tier": "tier", "country": "country", "state": "state", "metro": "metro_name",
    "remote": "remote", "employment": "employment_type", "currency": "currency",
    "company size": "company_size", "specialty": "tag", "education": "education",
    "year": "observed_year", "years of experience": "years_experience",
    "years at company": "years_at_company",
}  # fmt: skip

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def row_weight(records: pd.DataFrame) -> FloatArray:
    """How many source rows each record stands for: duplicates, and both rows of a posted range."""
    pairs = np.where(records["range_low"].notna().to_numpy(), 2, 1)
    weights: FloatArray = records["weight"].to_numpy(dtype=float) * pairs
    return weights


def with_derived(records: pd.DataFrame) -> pd.DataFrame:
    """``records`` with every canonical column (missing ones empty) and the derived feature
    ``company_level`` (a company's own level string)."""
    out = records.copy()
    for column in RECORD_COLUMNS:
        if column not in out.columns:
            out[column] = None
    company = out["company"].fillna(out["raw_company"])
    level = out["raw_level"].astype("string").str.strip().str.upper()
    out["company_level"] = (company.astype("string") + "|" + level).where(
        company.notna() & level.notna() & (level != "")
    )
    return out


def company_level(company: str | None, raw_level: str | None) -> str | None:
    """``company_level`` of one record (as ``with_derived`` makes it for a frame)."""
    if not company or not isinstance(raw_level, str) or not raw_level.strip():
        return None
    return f"{company}|{raw_level.strip().upper()}"


def is_ml(records: pd.DataFrame) -> BoolArray:
    """Records of the ML role families (the 'ML-roles slice')."""
    mask: BoolArray = records["role_family"].isin([f.value for f in ML_FAMILIES]).to_numpy()
    return mask


def _signals(records: pd.DataFrame, columns: tuple[str, ...]) -> BoolArray:
    """Rows that give any of ``columns`` (a tier counts only when known)."""
    found = np.zeros(len(records), dtype=bool)
    for column in columns:
        values = records[column] if column in records else pd.Series(None, index=records.index)
        if column == "tier":
            values = values.where(values != Tier.UNKNOWN.value)
        found |= values.notna().to_numpy()
    return found


def model_source(records: pd.DataFrame) -> pd.Series:
    """Which source's model answers each record (see the module docstring)."""
    specs = modelled()
    default = next((name for name, s in specs.items() if not s.profile_signals), MODELLED[0])
    chosen = np.full(len(records), default, dtype=object)
    claimed = np.zeros(len(records), dtype=bool)
    for name, spec in specs.items():
        if spec.profile_signals:
            mine = _signals(records, spec.profile_signals) & ~claimed
            chosen[mine] = name
            claimed |= mine
    own = records["source"]
    return pd.Series(np.where(own.isin(MODELLED), own, chosen), index=records.index)


def encode(
    records: pd.DataFrame, source: str, categories: dict[str, pd.Index]
) -> tuple[FloatArray, list[str]]:
    """The feature matrix of ``records`` for ``source``'s model, and its column names.

    Categorical features become their code in ``categories`` (fixed at training); a value the
    training data never had becomes missing, which the model treats as "none of the values it
    split on". Numeric features are floats, missing as NaN.
    """
    cat_cols, num_cols = features(source)
    columns: list[FloatArray] = []
    for name in cat_cols:
        values = records[name] if name in records else pd.Series(None, index=records.index)
        codes = categories[name].get_indexer(pd.Index(values.astype("object"))).astype(float)
        codes[codes < 0] = np.nan
        columns.append(codes)
    for name in num_cols:
        values = records[name] if name in records else pd.Series(np.nan, index=records.index)
        columns.append(pd.to_numeric(values, errors="coerce").to_numpy(dtype=float))
    matrix: FloatArray = np.column_stack(columns) if columns else np.zeros((len(records), 0))
    return matrix, [*cat_cols, *num_cols]


def categories_of(records: pd.DataFrame, source: str, min_count: int = 1) -> dict[str, list[str]]:
    """The categories of each categorical feature in the training records."""
    out: dict[str, list[str]] = {}
    for name in features(source)[0]:
        counts = records[name].dropna().astype(str).value_counts()
        out[name] = sorted(counts[counts >= min_count].index.tolist())
    return out


# ---- profiles ------------------------------------------------------------------------
@dataclass
class ProfileDefaults:
    """The most common value of each field a profile may leave out, learned at training.

    Keys are ``"source|field|context"`` strings (JSON-friendly), e.g.
    ``"aijobs|raw_title|ml-engineer|senior"`` -> ``"Machine Learning Engineer"``.
    """

    values: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def learn(cls, records: pd.DataFrame) -> ProfileDefaults:
        found: dict[str, Any] = {}
        weights = pd.Series(row_weight(records), index=records.index)

        def learn_one(source: str, fill: ProfileFill, by: list[str]) -> None:
            part = records[(records["source"] == source) & records[fill.column].notna()]
            if part.empty:
                return
            keyed = cell_keys(part, by) if by else ""
            if fill.statistic == "median":
                medians = pd.to_numeric(part[fill.column]).groupby(keyed).median()
                for key, value in medians.items():
                    if value == value:
                        found["|".join(filter(None, (source, fill.column, str(key))))] = float(
                            value
                        )
                return
            table = pd.DataFrame(
                {"key": keyed, "value": part[fill.column], "w": weights[part.index]}
            )
            totals = table.groupby(["key", "value"], sort=True)["w"].sum().reset_index()
            best = totals.sort_values(["key", "w"], ascending=[True, False]).drop_duplicates("key")
            for key, value in zip(best["key"], best["value"], strict=True):
                found["|".join(filter(None, (source, fill.column, key)))] = _plain(value)

        for source, spec in modelled().items():
            for fill in spec.fills:
                for cut in range(len(fill.context), fill.least - 1, -1):
                    learn_one(source, fill, list(fill.context[:cut]))
        return cls(found)

    def lookup(self, source: str, column: str, *contexts: str | None, least: int = 0) -> Any:
        """The default for the most specific context known (contexts broadest first).

        ``least`` is how many contexts must match at least (0: the source-wide value will do).
        """
        keys = ["" if c is None else str(c) for c in contexts]
        for cut in range(len(keys), least - 1, -1):
            key = "|".join(filter(None, (source, column, "|".join(keys[:cut]))))
            if key in self.values:
                return self.values[key]
        return None


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def complete_profile(
    profile: dict[str, Any], source: str, defaults: ProfileDefaults
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A profile's record for ``source``'s model, and the values that were assumed.

    A title is only assumed where the source has the profile's role: another role's title would
    mislead (the fills of a title need at least the role as context).
    """
    spec = modelled()[source]
    record = dict(profile)
    assumed: dict[str, Any] = {}
    if record.get("raw_level") is None:
        record["raw_level"] = spec.raw_level_for(record.get("level"))
    for fill in spec.fills:
        if record.get(fill.column) is not None:
            continue
        contexts = [record.get(c) for c in fill.context]
        value = defaults.lookup(source, fill.column, *contexts, least=fill.least)
        if value is not None:
            record[fill.column] = value
            assumed[fill.column] = value
    return record, assumed
