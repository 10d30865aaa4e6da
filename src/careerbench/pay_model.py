"""The pay model: calibrated quantiles of pay for a record's features, one model per source.

For each source and target (``total_comp``; ``base`` where it differs) the model is:

1. a **time trend** learned from the data: the within-cohort yearly change of log pay (a
   fixed-effects slope: log pay and year are demeaned within cells of the source's main
   features, then regressed), so a forecast for a later year than the data grows with the
   market as measured, not only with CPI;
2. **quantile gradient boosting** (LightGBM, one booster per quantile P10/P25/P50/P75/P90) of
   detrended log pay on the source's features (its spec's ``ModelSpec``), each record weighted by
   the number of source rows it stands for;
3. **split-conformal calibration** (conformalized quantile regression): the boosters are trained
   on 80% of the records and the intervals P10-P90 and P25-P75 are widened (or narrowed) by the
   weighted (1 - alpha) quantile of the conformity scores on the other 20%, separately for the ML
   role families and the rest (Mondrian), so each interval contains the truth as often as it
   claims on records like the training ones;
4. **monotone quantiles**: the five values of each prediction are sorted (rearrangement), so P10
   <= P25 <= P50 <= P75 <= P90 always.

Each booster stops adding rounds when its own pinball loss on the calibration records has not
improved for ``Training.patience`` rounds (early stopping) and keeps its best round; the
evaluation (``benchmarks/bench_training.py``) shows this loses no accuracy on held-out records
(it saves a third to a half of the aijobs.net rounds; most Levels.fyi boosters still improve at
the last round). The quantiles of a model train side by side, one thread each.

A source's models (``SourcePart``) depend only on that source's records, its spec, the seed and
the training settings; ``part_key`` fingerprints those, so a source whose records did not change
keeps its trained part. What joins the sources (the profile defaults and the forward trend) is
assembled after the parts, from all of them.

Predictions are annual pay in nominal US dollars of the year asked for (a record's
``observed_year``). Training is deterministic for a given seed and data (LightGBM's
``deterministic`` mode, one thread per booster).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from careerbench.config import training_rounds
from careerbench.errors import StoreError
from careerbench.features import (
    MODELLED,
    ProfileDefaults,
    categories_of,
    cell_keys,
    encode,
    features,
    is_ml,
    row_weight,
    with_derived,
)
from careerbench.schema import ML_FAMILIES
from careerbench.sources.registry import modelled

QUANTILES = (0.10, 0.25, 0.50, 0.75, 0.90)
INTERVALS = {"80": (0, 4, 0.80), "50": (1, 3, 0.50)}  # name: (low index, high index, coverage)
MODEL_VERSION = 2
CALIBRATION_SHARE = 0.2
MIN_GROUP = 200  # calibration records a Mondrian group needs; smaller groups use the source's

#: Smoothing of the target means of a source's ``target_encoded`` features (out-of-fold in
#: training): a key's mean is shrunk towards the prior as if it had ``TE_PRIOR`` more records.
TE_PRIOR = 20.0
TE_FOLDS = 5
TREND_BOUNDS = (-0.05, 0.15)

FloatArray = npt.NDArray[np.float64]
ML_VALUES = frozenset(f.value for f in ML_FAMILIES)

#: LightGBM's parameters that ``Training`` does not set.
LGB_PARAMS: dict[str, Any] = {
    "objective": "quantile",
    "min_data_in_leaf": 10,
    "cat_smooth": 5.0,
    "min_data_per_group": 5,
    "max_cat_to_onehot": 8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "feature_fraction": 0.5,
    "deterministic": True,
    "force_col_wise": True,
    "verbose": -1,
}
#: Threads of a prediction over many records (one record is predicted on one thread).
PREDICT_THREADS = 2


@dataclass(frozen=True)
class Training:
    """How each quantile's booster is trained.

    ``rounds``: at most this many boosting rounds; ``patience``: stop when the booster's pinball
    loss on the calibration records has not improved for this many rounds and keep its best
    round (``None``: always train every round). ``workers``: how many quantiles train at once;
    ``threads``: each booster's threads. A booster's threads wait for each other at every split,
    so two one-thread boosters keep two cores busier than one two-thread booster, and do not
    stall when the machine is busy.
    """

    rounds: int = 400
    patience: int | None = 40
    learning_rate: float = 0.06
    num_leaves: int = 63
    workers: int = 2
    threads: int = 1

    def params(self) -> dict[str, Any]:
        return LGB_PARAMS | {
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "num_threads": self.threads,
        }

    @property
    def key(self) -> str:
        """What of the settings changes the boosters (neither workers nor threads do:
        LightGBM's deterministic mode gives the same boosters on any number of threads)."""
        return f"r{self.rounds}-p{self.patience}-lr{self.learning_rate}-l{self.num_leaves}"


def training_settings() -> Training:
    """The settings the pay model is trained with: ``Training()``, with at most
    ``$CAREERBENCH_TRAINING_ROUNDS`` rounds when that is set (the test suite sets it to train a
    small model quickly)."""
    rounds = training_rounds()
    return Training() if rounds is None else replace(Training(), rounds=rounds)


def lightgbm() -> Any:
    try:
        import lightgbm as lgb  # a large native library: loaded when a model is trained or used
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise StoreError("the pay model needs lightgbm: pip install lightgbm") from exc
    return lgb


def weighted_quantile(values: FloatArray, weights: FloatArray, q: float) -> float:
    """The ``q`` quantile of ``values`` weighted by ``weights`` (inverse of the weighted CDF)."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    position = min(int(np.searchsorted(cumulative, q * cumulative[-1])), len(values) - 1)
    return float(values[order][position])


def yearly_trend(log_pay: FloatArray, years: FloatArray, cells: pd.Series, w: FloatArray) -> float:
    """The fixed-effects slope of log pay on year within ``cells`` (weighted, bounded)."""
    frame = pd.DataFrame({"y": log_pay, "t": years, "w": w, "cell": cells.to_numpy()})
    sums = frame.assign(wy=frame.y * frame.w, wt=frame.t * frame.w).groupby("cell")
    mean_y = sums["wy"].transform("sum") / sums["w"].transform("sum")
    mean_t = sums["wt"].transform("sum") / sums["w"].transform("sum")
    dy, dt = frame.y - mean_y, frame.t - mean_t
    denominator = float((w * dt * dt).sum())
    if denominator <= 0:
        return 0.0
    slope = float((w * dy * dt).sum()) / denominator
    return float(np.clip(slope, *TREND_BOUNDS))


@dataclass
class SourceModel:
    """Quantile boosters, trend and conformal offsets for one source and target."""

    source: str
    target: str
    categories: dict[str, list[str]]
    boosters: list[Any]
    trend: float
    reference_year: int
    years: tuple[int, int]
    offsets: dict[str, dict[str, float]]  # group ("ml", "other", "all") -> interval -> offset
    n_train: int
    n_calibration: int
    encoders: dict[str, dict[str, float]] = field(default_factory=dict)
    prior: float = 0.0
    forward_trend: float | None = None  # growth after the last year of the data (None: own)
    seconds: list[float] = field(default_factory=list)  # each quantile's training time
    _category_index: dict[str, pd.Index] = field(default_factory=dict, repr=False)
    _encoder_series: dict[str, pd.Series] = field(default_factory=dict, repr=False)
    _category_codes: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)

    # ---- fitting -----------------------------------------------------------------------
    @classmethod
    def fit(
        cls,
        records: pd.DataFrame,
        source: str,
        target: str,
        *,
        seed: int,
        settings: Training | None = None,
    ) -> SourceModel:
        """Train on ``records`` of ``source`` that report ``target`` (see the module docstring)."""
        settings = settings or training_settings()
        data = records[(records["source"] == source) & (records[target] > 0)]
        if len(data) < 50:
            raise StoreError(
                f"{source}: only {len(data)} records with {target}; the model needs at least 50"
            )
        rng = np.random.default_rng(seed)
        calibrate = rng.random(len(data)) < CALIBRATION_SHARE
        train, held = data[~calibrate], data[calibrate]
        weights = row_weight(train)
        years = train["observed_year"].to_numpy(dtype=float)
        log_pay = np.log(train[target].to_numpy(dtype=float))
        trend_cells = list(modelled()[source].trend_cells)
        cells = cell_keys(train, trend_cells)
        trend = yearly_trend(log_pay, years, cells, weights)
        reference = int(years.max())
        model = cls(
            source=source, target=target, categories=categories_of(train, source), boosters=[],
            trend=trend, reference_year=reference, years=(int(years.min()), reference),
            offsets={}, n_train=len(train), n_calibration=len(held),
        )  # fmt: skip
        detrended = log_pay - trend * (years - reference)
        lgb = lightgbm()
        model.prior = float(np.average(detrended, weights=weights))
        matrix, names = model._matrix(train, out_of_fold=(detrended, rng))
        categorical = list(range(len(features(source)[0])))
        stops = settings.patience is not None and not held.empty
        held_matrix = model._matrix(held)[0] if stops else None
        held_years = held["observed_year"].to_numpy(dtype=float)
        held_target = np.log(held[target].to_numpy(dtype=float)) - trend * (held_years - reference)
        held_weights = row_weight(held)

        def train_quantile(i: int, q: float) -> tuple[Any, float]:
            """One quantile's booster on one thread, with its own binned dataset (LightGBM's
            datasets are not shared between threads)."""
            started = time.perf_counter()
            dataset = lgb.Dataset(
                matrix, detrended, weight=weights, feature_name=names,
                categorical_feature=categorical, free_raw_data=False,
            )  # fmt: skip
            validation = []
            if stops:
                validation = [
                    lgb.Dataset(
                        held_matrix, held_target, weight=held_weights, reference=dataset,
                        free_raw_data=False,
                    )
                ]  # fmt: skip
            params = settings.params() | {"alpha": q, "seed": seed + i}
            callbacks = [lgb.early_stopping(settings.patience, verbose=False)] if stops else []
            booster = lgb.train(
                params, dataset, num_boost_round=settings.rounds, valid_sets=validation,
                callbacks=callbacks,
            )  # fmt: skip
            if stops:  # keep the best round only (what is saved and predicted)
                booster = lgb.Booster(model_str=booster.model_to_string())
            return booster, time.perf_counter() - started

        with ThreadPoolExecutor(max_workers=settings.workers) as pool:
            trained = list(pool.map(train_quantile, range(len(QUANTILES)), QUANTILES))
        model.boosters = [booster for booster, _ in trained]
        model.seconds = [seconds for _, seconds in trained]
        model.offsets = model._calibrate(held)
        return model

    @property
    def rounds(self) -> list[int]:
        """The rounds each quantile's booster kept."""
        return [int(b.current_iteration()) for b in self.boosters]

    def _calibrate(self, held: pd.DataFrame) -> dict[str, dict[str, float]]:
        """Conformal offsets (log scale) per Mondrian group and interval."""
        if held.empty:
            return {"all": {name: 0.0 for name in INTERVALS}}
        raw = self._raw(self._matrix(held)[0], held["observed_year"].to_numpy(dtype=float))
        truth = np.log(held[self.target].to_numpy(dtype=float))
        weights = row_weight(held)
        ml = is_ml(held)
        groups = {"all": np.ones(len(held), dtype=bool), "ml": ml, "other": ~ml}
        offsets: dict[str, dict[str, float]] = {}
        for group, mask in groups.items():
            if group != "all" and mask.sum() < MIN_GROUP:
                continue
            offsets[group] = {}
            for name, (low, high, coverage) in INTERVALS.items():
                scores = np.maximum(raw[mask, low] - truth[mask], truth[mask] - raw[mask, high])
                n = int(mask.sum())
                level = min(1.0, coverage * (1 + 1 / n))
                offsets[group][name] = weighted_quantile(scores, weights[mask], level)
        return offsets

    def _matrix(
        self,
        records: pd.DataFrame,
        out_of_fold: tuple[FloatArray, np.random.Generator] | None = None,
    ) -> tuple[FloatArray, list[str]]:
        """The boosters' input: encoded features plus target means of the spec's
        ``target_encoded`` features.

        With ``out_of_fold`` (the training target and a generator) the encoders are learned
        here, and each training record's mean leaves out its own fold.
        """
        matrix, names = encode(records, self.source, self.category_index)
        year = names.index("observed_year")
        matrix[:, year] = np.clip(matrix[:, year], *self.years)
        extra: list[FloatArray] = []
        for column in modelled()[self.source].target_encoded:
            keys = records[column].astype("object").where(records[column].notna(), None)
            if out_of_fold is not None:
                target, rng = out_of_fold
                folds = rng.integers(0, TE_FOLDS, len(records))
                encoded = np.empty(len(records))
                for fold in range(TE_FOLDS):
                    inside = folds == fold
                    means = pd.Series(self._means(keys[~inside], target[~inside]), dtype=float)
                    encoded[inside] = keys[inside].map(means).fillna(self.prior).to_numpy()
                self.encoders[column] = self._means(keys, target)
                self._encoder_series.pop(column, None)
            else:
                encoded = (
                    keys.map(self.encoder_series(column)).fillna(self.prior).to_numpy(dtype=float)
                )
            extra.append(encoded)
            names.append(f"mean_{column}")
        if extra:
            matrix = np.column_stack([matrix, *extra])
        return matrix, names

    @property
    def category_index(self) -> dict[str, pd.Index]:
        """The categories as indexes (built once: looking values up is the hot path)."""
        if not self._category_index:
            self._category_index = {
                k: pd.Index(v, dtype=object) for k, v in self.categories.items()
            }
        return self._category_index

    def encoder_series(self, column: str) -> pd.Series:
        if column not in self._encoder_series:
            self._encoder_series[column] = pd.Series(self.encoders[column], dtype=float)
        return self._encoder_series[column]

    def _means(self, keys: pd.Series, target: FloatArray) -> dict[str, float]:
        """Smoothed mean of ``target`` per key (shrunk towards the prior by ``TE_PRIOR``)."""
        frame = pd.DataFrame({"key": keys.to_numpy(), "y": target}).dropna(subset=["key"])
        sums = frame.groupby("key")["y"].agg(["sum", "count"])
        means = (sums["sum"] + TE_PRIOR * self.prior) / (sums["count"] + TE_PRIOR)
        return {str(k): float(v) for k, v in means.items()}

    @property
    def category_codes(self) -> dict[str, dict[str, int]]:
        """Each categorical feature's value -> code (built once, for one record at a time)."""
        if not self._category_codes:
            self._category_codes = {
                name: {value: code for code, value in enumerate(values)}
                for name, values in self.categories.items()
            }
        return self._category_codes

    def record_matrix(self, record: Mapping[str, Any]) -> tuple[FloatArray, list[str]]:
        """``_matrix`` for one record given as a mapping: the fast path of one estimate."""
        categorical, numeric = features(self.source)
        codes = self.category_codes
        row: list[float] = []
        for name in categorical:
            value = record.get(name)
            row.append(float(codes[name].get(value, np.nan)) if isinstance(value, str) else np.nan)
        for name in numeric:
            value = record.get(name)
            row.append(np.nan if value is None else float(value))
        names = [*categorical, *numeric]
        year = names.index("observed_year")
        row[year] = float(np.clip(row[year], *self.years))
        for column in modelled()[self.source].target_encoded:
            value = record.get(column)
            known = self.encoders[column].get(value) if isinstance(value, str) else None
            row.append(self.prior if known is None else known)
            names.append(f"mean_{column}")
        return np.array([row], dtype=float), names

    # ---- predicting --------------------------------------------------------------------
    def _raw(self, features: FloatArray, years: FloatArray) -> FloatArray:
        """Uncalibrated, unsorted log-pay quantiles in each record's observed year."""
        threads = 1 if len(features) < 1000 else PREDICT_THREADS
        raw = np.column_stack([b.predict(features, num_threads=threads) for b in self.boosters])
        return raw + self.year_shift(years)[:, None]

    def _calibrated(self, raw: FloatArray, ml: npt.NDArray[np.bool_]) -> FloatArray:
        """Conformal offsets applied, then the quantiles sorted."""
        for name, (low, high, _) in INTERVALS.items():
            offset = np.where(
                ml,
                self.offsets.get("ml", self.offsets["all"])[name],
                self.offsets.get("other", self.offsets["all"])[name],
            )
            raw[:, low] -= offset
            raw[:, high] += offset
        calibrated: FloatArray = np.sort(raw, axis=1)
        return calibrated

    def year_shift(self, years: FloatArray) -> FloatArray:
        """Log-pay change from the reference year: own trend within the data, then forward."""
        forward = self.trend if self.forward_trend is None else self.forward_trend
        last = self.years[1]
        shift: FloatArray = self.trend * (np.minimum(years, last) - self.reference_year)
        return shift + forward * np.maximum(years - last, 0)

    def predict_log(self, records: pd.DataFrame) -> FloatArray:
        """Calibrated, monotone log-pay quantiles (one row per record, columns ``QUANTILES``)."""
        features, _ = self._matrix(records)
        years = pd.to_numeric(records["observed_year"], errors="coerce").to_numpy(dtype=float)
        return self._calibrated(self._raw(features, years), is_ml(records))

    def predict(self, records: pd.DataFrame) -> FloatArray:
        """Calibrated quantiles in nominal dollars of each record's ``observed_year``."""
        dollars: FloatArray = np.exp(self.predict_log(records))
        return dollars

    def predict_record(self, record: Mapping[str, Any]) -> FloatArray:
        """``predict`` for one record given as a mapping."""
        features, _ = self.record_matrix(record)
        years = np.array([float(record["observed_year"])])
        ml = np.array([record.get("role_family") in ML_VALUES])
        dollars: FloatArray = np.exp(self._calibrated(self._raw(features, years), ml))[0]
        return dollars

    def contributions(self, record: Mapping[str, Any]) -> dict[str, float]:
        """The median booster's own per-feature contributions for one record (log, TreeSHAP)."""
        features, names = self.record_matrix(record)
        median = self.boosters[QUANTILES.index(0.5)]
        values = median.predict(features, pred_contrib=True, num_threads=1)[0]
        return dict(zip([*names, "expected"], (float(v) for v in values), strict=True))

    # ---- persistence ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "target": self.target, "categories": self.categories,
            "boosters": [b.model_to_string() for b in self.boosters], "trend": self.trend,
            "reference_year": self.reference_year, "years": list(self.years),
            "offsets": self.offsets, "n_train": self.n_train, "n_calibration": self.n_calibration,
            "encoders": self.encoders, "prior": self.prior, "forward_trend": self.forward_trend,
            "seconds": self.seconds,
        }  # fmt: skip

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> SourceModel:
        lgb = lightgbm()
        return cls(
            source=doc["source"], target=doc["target"], categories=doc["categories"],
            boosters=[lgb.Booster(model_str=s) for s in doc["boosters"]], trend=doc["trend"],
            reference_year=doc["reference_year"], years=tuple(doc["years"]),
            offsets=doc["offsets"], n_train=doc["n_train"], n_calibration=doc["n_calibration"],
            encoders=doc["encoders"], prior=doc["prior"], forward_trend=doc["forward_trend"],
            seconds=doc["seconds"],
        )  # fmt: skip


def part_key(records: pd.DataFrame, source: str, seed: int, settings: Training) -> str:
    """The fingerprint of what ``source``'s models are trained from: its records (in order;
    the knowledge they depend on was applied to them at ingest), its spec, the seed, the
    training settings and the model version."""
    own = records[records["source"] == source]
    digest = hashlib.sha256()
    digest.update(f"{MODEL_VERSION}|{source}|{seed}|{settings.key}|".encode())
    digest.update(repr(modelled()[source]).encode())
    digest.update(repr(list(own.columns)).encode())
    digest.update(pd.util.hash_pandas_object(own, index=False).to_numpy().tobytes())
    return digest.hexdigest()[:16]


@dataclass
class SourcePart:
    """One source's models (per target), trained from that source's records alone, and the
    fingerprint of what they were trained from (``part_key``)."""

    source: str
    key: str
    models: dict[str, SourceModel]  # target -> model
    seconds: float

    @classmethod
    def fit(
        cls, records: pd.DataFrame, source: str, *, key: str, seed: int, settings: Training
    ) -> SourcePart:
        """Train ``source``'s models on its records (with derived features)."""
        started = time.perf_counter()
        part = records[records["source"] == source]
        models = {
            "total_comp": SourceModel.fit(part, source, "total_comp", seed=seed, settings=settings)
        }
        # A source without separate base figures (aijobs.net: its pay is base salary) has
        # its base model in its total-comp model.
        if modelled()[source].separate_base and int((part["base"] > 0).sum()) >= 50:
            models["base"] = SourceModel.fit(part, source, "base", seed=seed, settings=settings)
        return cls(source, key, models, time.perf_counter() - started)

    def to_document(self) -> dict[str, Any]:
        return {
            "version": MODEL_VERSION, "source": self.source, "key": self.key,
            "seconds": self.seconds,
            "models": {t: m.to_dict() for t, m in self.models.items()},
        }  # fmt: skip

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> SourcePart:
        if doc.get("version") != MODEL_VERSION:
            raise StoreError("the saved model is from another version; run `careerbench train`")
        models = {t: SourceModel.from_dict(m) for t, m in doc["models"].items()}
        return cls(doc["source"], doc["key"], models, doc["seconds"])


#: A saved part by source and key, if there is one (``None``: train it).
SavedParts = Callable[[str, str], SourcePart | None]


def no_saved_parts(_source: str, _key: str) -> SourcePart | None:
    return None


@dataclass
class PayModel:
    """Every source's models, the profile defaults, and what they were trained on."""

    parts: dict[str, SourcePart]  # source -> its models
    defaults: ProfileDefaults
    data_hash: str
    seed: int
    training: str  # ``Training.key`` of the settings
    seconds: float = 0.0
    version: int = MODEL_VERSION
    trained_at: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    trained: tuple[str, ...] = ()  # the sources whose parts this fit trained (not reused)

    @classmethod
    def fit(
        cls,
        records: pd.DataFrame,
        *,
        data_hash: str,
        seed: int = 0,
        settings: Training | None = None,
        saved: SavedParts = no_saved_parts,
    ) -> PayModel:
        """Train on canonical records (every modelled source present in them); a source
        whose part ``saved`` has under its current key is reused, not trained."""
        settings = settings or training_settings()
        started = time.perf_counter()
        data = with_derived(records)
        parts: dict[str, SourcePart] = {}
        trained: list[str] = []
        for source in MODELLED:
            if int((data["source"] == source).sum()) < 50:
                continue
            key = part_key(records, source, seed, settings)
            found = saved(source, key)
            if found is None:
                found = SourcePart.fit(data, source, key=key, seed=seed, settings=settings)
                trained.append(source)
            parts[source] = found
        if not parts:
            raise StoreError("the store has too few records to train on; run `careerbench ingest`")
        model = cls(
            parts=parts,
            defaults=ProfileDefaults.learn(data),
            data_hash=data_hash,
            seed=seed,
            training=settings.key,
            trained_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            counts={s: int((data["source"] == s).sum()) for s in parts},
            trained=tuple(trained),
        )
        model.join_trends()
        model.seconds = time.perf_counter() - started
        return model

    def join_trends(self) -> None:
        """After its last year a source's pay moves with the trend of the most recent data."""
        latest = max(self.models.values(), key=lambda by: by["total_comp"].years[1])["total_comp"]
        for by_target in self.models.values():
            for model in by_target.values():
                behind = model.years[1] < latest.years[1]
                model.forward_trend = latest.trend if behind else None

    @property
    def models(self) -> dict[str, dict[str, SourceModel]]:
        """source -> target -> model."""
        return {source: part.models for source, part in self.parts.items()}

    def model(self, source: str, target: str = "total_comp") -> SourceModel:
        by_target = self.models[source]
        return by_target.get(target, by_target["total_comp"])

    def predict(self, records: pd.DataFrame, source: str, target: str = "total_comp") -> FloatArray:
        return self.model(source, target).predict(with_derived(records))

    # ---- persistence ------------------------------------------------------------------
    def to_document(self) -> dict[str, Any]:
        """A JSON-ready document of the model without its parts (saved on their own, see
        ``SourcePart.to_document``): which part each source has, by key."""
        return {
            "version": self.version, "data_hash": self.data_hash, "seed": self.seed,
            "training": self.training, "seconds": self.seconds, "trained_at": self.trained_at,
            "counts": self.counts, "defaults": self.defaults.values,
            "parts": {s: part.key for s, part in self.parts.items()},
        }  # fmt: skip

    @classmethod
    def from_document(cls, doc: dict[str, Any], parts: Mapping[str, SourcePart]) -> PayModel:
        """The model of ``doc`` with its ``parts`` (by source, as ``doc`` names them)."""
        if doc.get("version") != MODEL_VERSION:
            raise StoreError("the saved model is from another version; run `careerbench train`")
        model = cls(
            parts=dict(parts),
            defaults=ProfileDefaults(doc["defaults"]),
            data_hash=doc["data_hash"],
            seed=doc["seed"],
            training=doc["training"],
            seconds=doc["seconds"],
            trained_at=doc["trained_at"],
            counts=doc["counts"],
        )
        model.join_trends()
        return model
