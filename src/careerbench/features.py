"""What the pay model sees of a record: its features, per source, and the defaults of a profile.

The model is trained on canonical records (``schema.RECORD_SCHEMA``), one model per source,
because the sources describe pay differently: aijobs.net rows are posted salary ranges with a
title, an experience band, a country, a company size and a remote ratio; Levels.fyi reports carry
a company, its own level string, a city and years of experience. Each source's model uses only the
features that source records (``FEATURES``).

A record from elsewhere (a user's CSV row, a profile typed on the command line) is answered by the
model whose features it has: a company, a tier, a US metro or state, or years of experience point to
the Levels.fyi model; otherwise the aijobs.net model, which covers more countries, titles and
recent years (``model_source``).

A profile names fewer fields than a record has (a role family, not a job title). The fields it
leaves out are filled with the most common value among the training records of the same kind
(``ProfileDefaults``), and the estimate lists every value it assumed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from careerbench.schema import ML_FAMILIES, RECORD_COLUMNS, Source

MODELLED = (Source.AIJOBS.value, Source.LEVELSFYI.value)

#: Per source: categorical features, numeric features.
FEATURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Source.AIJOBS.value: (
        ("role_family", "level", "raw_level", "raw_title", "country", "remote",
         "employment_type", "currency", "company_size"),
        ("observed_year",),
    ),
    Source.LEVELSFYI.value: (
        ("role_family", "level", "raw_level", "company_level", "raw_title", "company", "tier",
         "country", "state", "metro_code", "tag", "education"),
        ("observed_year", "years_experience", "years_at_company"),
    ),
}  # fmt: skip

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

#: aijobs.net experience bands of the common levels (the inverse of the adapter's mapping).
AIJOBS_BAND = {
    "intern": "EN",
    "entry": "EN",
    "mid": "MI",
    "senior": "SE",
    "staff": "SE",
    "principal": "SE",
    "director+": "EX",
}


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


def model_source(records: pd.DataFrame) -> pd.Series:
    """Which source's model answers each record (see the module docstring)."""
    own = records["source"]
    levels_like = (
        records["company"].notna()
        | (records["tier"].fillna("unknown") != "unknown")
        | records["metro_code"].notna()
        | records["state"].notna()
        | records["years_experience"].notna()
    )
    fallback = np.where(levels_like, Source.LEVELSFYI.value, Source.AIJOBS.value)
    return pd.Series(np.where(own.isin(MODELLED), own, fallback), index=records.index)


def encode(
    records: pd.DataFrame, source: str, categories: dict[str, pd.Index]
) -> tuple[FloatArray, list[str]]:
    """The feature matrix of ``records`` for ``source``'s model, and its column names.

    Categorical features become their code in ``categories`` (fixed at training); a value the
    training data never had becomes missing, which the model treats as "none of the values it
    split on". Numeric features are floats, missing as NaN.
    """
    cat_cols, num_cols = FEATURES[source]
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
    for name in FEATURES[source][0]:
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

        def modes(source: str, column: str, by: list[str]) -> None:
            part = records[(records["source"] == source) & records[column].notna()]
            if part.empty:
                return
            keyed = part[by].fillna("").astype(str).agg("|".join, axis=1) if by else ""
            table = pd.DataFrame({"key": keyed, "value": part[column], "w": weights[part.index]})
            totals = table.groupby(["key", "value"], sort=True)["w"].sum().reset_index()
            best = totals.sort_values(["key", "w"], ascending=[True, False]).drop_duplicates("key")
            for key, value in zip(best["key"], best["value"], strict=True):
                found["|".join(filter(None, (source, column, key)))] = _plain(value)

        for source in MODELLED:
            for by in (["role_family", "level"], ["role_family"], []):
                modes(source, "raw_title", by)
            modes(source, "tag", ["role_family"])
        for column in ("currency", "company_size", "remote", "employment_type"):
            modes(Source.AIJOBS.value, column, ["country"])
            modes(Source.AIJOBS.value, column, [])
        modes(Source.LEVELSFYI.value, "raw_level", ["company", "level"])
        modes(Source.LEVELSFYI.value, "country", [])
        levels = records[records["source"] == Source.LEVELSFYI.value]
        for level, years in levels.groupby("level")["years_experience"].median().items():
            if years == years:
                found[f"levelsfyi|years_experience|{level}"] = float(years)
        return cls(found)

    def lookup(self, source: str, column: str, *contexts: str | None, least: int = 0) -> Any:
        """The default for the most specific context known (contexts broadest first).

        ``least`` is how many contexts must match at least (0: the source-wide value will do).
        """
        keys = [c or "" for c in contexts]
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
    """A profile's record for ``source``'s model, and the values that were assumed."""
    record = dict(profile)
    assumed: dict[str, Any] = {}

    def fill(column: str, *contexts: str | None, least: int = 0) -> None:
        if record.get(column) is None:
            value = defaults.lookup(source, column, *contexts, least=least)
            if value is not None:
                record[column] = value
                assumed[column] = value

    role, level = record.get("role_family"), record.get("level")
    # A title only where the source has the role: another role's title would mislead.
    fill("raw_title", role, level, least=1)
    if source == Source.AIJOBS.value:
        if record.get("raw_level") is None and level is not None:
            record["raw_level"] = AIJOBS_BAND.get(str(level))
        country = record.get("country") or "US"
        record["country"] = country
        for column in ("currency", "company_size", "remote", "employment_type"):
            fill(column, country)
    else:
        fill("tag", role)
        fill("country")
        fill("raw_level", record.get("company"), level)
        if record.get("years_experience") is None and level is not None:
            fill("years_experience", level)
    return record, assumed
