"""What should I expect? Calibrated pay quantiles for any profile, also where the cohort is thin.

``estimate`` answers a profile (role, level, company or tier, place, years of experience, remote,
year) with P10/P25/P50/P75/P90 of total comp and of base salary from the pay model
(``pay_model.PayModel``), in nominal US dollars of the year asked for (default: the current
year; a year after the data is a projection along the trend learned from the data). Beside the
numbers it says how much data supports them (the nearest cohort of the benchmark engine, with
its relaxations), which values it assumed for the fields the profile left out, and the main
drivers, from the median model's own per-feature contributions.

The model is trained on the store's records and saved beside the store (in ``<store>.cache``)
as one part per source (``pay-part-<source>-<key>.json.gz``, keyed by the fingerprint of what the
part was trained from, ``pay_model.part_key``) and the model joining them
(``pay-model-<store fingerprint>-v<version>.json.gz``: the parts' keys, the data hash, seed and
profile defaults). Training after an ingest reuses the part of every source whose records did not
change and trains only the others; the files of earlier contents of the store are then removed.
``estimate`` trains the model on first use when the store has none (under a minute on the bundled
and Levels.fyi data), and loads it once per process. A server never trains inside a request:
``model_or_train_later`` gives the trained model or ``None`` at once, and starts one training
in a background thread (one per store and process) so that later requests get it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from careerbench.benchmark import MEASURE_WORDS, Quantiles
from careerbench.cohort import PROFILE, Cohort
from careerbench.cohort import field as cohort_field
from careerbench.config import home, store_path
from careerbench.errors import InputError, InvalidValue
from careerbench.features import (
    DRIVER_VALUE,
    FEATURE_NAMES,
    company_level,
    complete_profile,
    model_source,
)
from careerbench.formatting import ordinal, usd_k
from careerbench.pay_model import (
    MODEL_VERSION,
    PayModel,
    SourceModel,
    SourcePart,
    no_saved_parts,
    training_settings,
)
from careerbench.schema import RECORD_COLUMNS
from careerbench.sources import registry
from careerbench.sources.spec import MEASURES
from careerbench.store import ContentsMemo, Store, cache_folder, prune_caches

Progress = Callable[[str], None]
DEFAULT_SEED = 0
MAX_DRIVERS = 5


@dataclass(frozen=True)
class Driver:
    feature: str
    value: str
    dollars: float  # P50 with this feature's contribution minus P50 without it

    @property
    def text(self) -> str:
        return f"{self.feature} {self.value}: {usd_k(self.dollars)}"


@dataclass(frozen=True)
class ModelEvidence:
    """The pay model's calibrated quantiles of one measure for one profile, from one source's
    model, in nominal dollars of ``year``; ``assumed``: the fields it filled in."""

    measure: str
    source: str
    year: int
    quantiles: Quantiles
    assumed: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "source": self.source,
            "year": self.year,
            "quantiles": asdict(self.quantiles),
            "interval_coverage": {"p10_p90": 0.8, "p25_p75": 0.5},
            "assumed": self.assumed,
        }


@dataclass(frozen=True)
class Estimate:
    """The model's estimate for one profile (see the module docstring): each measure the
    models measure, and the drivers and assumptions of the model the profile is routed to."""

    profile: dict[str, Any]
    year: int
    model: str  # the source whose model the profile is routed to (drivers, assumptions)
    measures: dict[str, ModelEvidence]
    assumed: dict[str, Any]
    drivers: list[Driver]
    trend: float
    data_years: tuple[int, int]
    notes: list[str] = field(default_factory=list)

    def quantiles(self, measure: str) -> Quantiles | None:
        found = self.measures.get(measure)
        return None if found is None else found.quantiles

    def to_dict(self) -> dict[str, Any]:
        """The model part of the ``careerbench estimate --json`` document."""
        return {
            "profile": self.profile,
            "year": self.year,
            "currency": f"nominal USD of {self.year}",
            "model": self.model,
            "measures": {name: m.to_dict() for name, m in self.measures.items()},
            "assumed": self.assumed,
            "drivers": [asdict(d) | {"text": d.text} for d in self.drivers],
            "trend_per_year": round(self.trend, 4),
            "data_years": list(self.data_years),
            "notes": self.notes,
        }


def position(q: Quantiles, value: float) -> str:
    """Where ``value`` falls in an estimate: "about the 63rd percentile", "below P10", ..."""
    points = [(10, q.p10), (25, q.p25), (50, q.p50), (75, q.p75), (90, q.p90)]
    if value < q.p10:
        return "below the P10"
    if value > q.p90:
        return "above the P90"
    for (low_p, low_v), (high_p, high_v) in pairwise(points):
        if low_v <= value <= high_v:
            share = 0.0 if high_v == low_v else (value - low_v) / (high_v - low_v)
            return f"at about the {ordinal(round(low_p + share * (high_p - low_p)))} percentile"
    return "at the P90"


# ---- the model on disk ---------------------------------------------------------------
_LOADED: dict[Path, tuple[float, PayModel]] = {}
_HASHES: ContentsMemo[str] = ContentsMemo(entries=16)


def data_hash_of(path: Path) -> str:
    """The store's fingerprint, remembered while the store file is unchanged."""

    def fingerprint() -> str:
        with Store(path) as db:
            return db.fingerprint()

    return _HASHES.get(path, "fingerprint", fingerprint)


#: Names of the saved model's files beside the store (``store.prune_caches`` prefixes).
MODEL_PREFIX = "pay-model"
PART_PREFIX = "pay-part"


def model_path(store: Path | str | None = None) -> Path:
    """The file of the model of the store's current contents (naming its parts)."""
    path = store_path(store)
    name = f"{MODEL_PREFIX}-{data_hash_of(path)}-v{MODEL_VERSION}.json.gz"
    return cache_folder(path) / name


def part_path(store: Path, source: str, key: str) -> Path:
    return cache_folder(store) / f"{PART_PREFIX}-{source}-{key}.json.gz"


def records_frame(db: Store) -> pd.DataFrame:
    """Every canonical record of the store as a frame."""
    frame: pd.DataFrame = db.records().select(*RECORD_COLUMNS).to_pyarrow().to_pandas()
    return frame


def train(
    store: Path | str | None = None,
    *,
    seed: int = DEFAULT_SEED,
    reuse: bool = True,
    progress: Progress | None = None,
) -> tuple[PayModel, Path]:
    """Train the pay model on the store's records and save it; returns it and its path.

    A source whose part is saved for its current records (and seed and settings) is reused
    unless ``reuse`` is false; the files of other contents of the store are removed once the
    model is saved."""
    say = progress or (lambda _message: None)
    path = store_path(store)
    with Store(path) as db:
        data_hash = db.fingerprint()
        say("reading the store's records")
        records = records_frame(db)
    say(f"training on {len(records):,} records (seed {seed})")
    model = PayModel.fit(
        records,
        data_hash=data_hash,
        seed=seed,
        saved=(lambda s, key: saved_part(path, s, key)) if reuse else no_saved_parts,
    )
    for source in model.trained:
        part = model.parts[source]
        save(part.to_document(), part_path(path, source, part.key))
    target = cache_folder(path) / f"{MODEL_PREFIX}-{data_hash}-v{MODEL_VERSION}.json.gz"
    save(model.to_document(), target)
    _LOADED.pop(target, None)
    with Store(path) as db:
        prune_caches(db, MODEL_PREFIX)
        keep = {part_path(path, s, part.key).name for s, part in model.parts.items()}
        prune_caches(db, PART_PREFIX, keep=keep)
    _remove_models_of_earlier_versions()
    reused = [s for s in model.parts if s not in model.trained]
    say(
        f"trained {', '.join(model.trained) or 'nothing'}"
        + (f" (reused {', '.join(reused)})" if reused else "")
        + f" in {model.seconds:.1f} s; saved {target}"
    )
    return model, target


def _remove_models_of_earlier_versions() -> None:
    """careerbench 0.1's first builds kept one model per store version in
    ``<home>/models/pay-<fingerprint>.json.gz`` and never removed them (24 MB each)."""
    folder = home() / "models"
    for earlier in folder.glob("pay-*.json.gz"):
        earlier.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        folder.rmdir()  # only when nothing else is in it


def save(document: dict[str, Any], path: Path) -> None:
    """Write atomically: a unique temporary file beside ``path``, then renamed over it, so two
    processes training at once (e.g. two server workers) never interleave their writes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    os.close(handle)
    partial = Path(name)
    try:
        with gzip.open(partial, "wt", compresslevel=3) as out:
            json.dump(document, out)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def read_document(path: Path) -> dict[str, Any] | None:
    """A saved document, or ``None`` when it is not there (or removed as we read it)."""
    try:
        with gzip.open(path, "rt") as handle:
            document: dict[str, Any] = json.load(handle)
    except (OSError, ValueError):
        return None
    return document if document.get("version") == MODEL_VERSION else None


def saved_part(store: Path, source: str, key: str) -> SourcePart | None:
    """``source``'s part saved beside the store under ``key``, if any."""
    document = read_document(part_path(store, source, key))
    return None if document is None else SourcePart.from_document(document)


def trained_model(store: Path | str | None = None) -> PayModel | None:
    """The store's model from memory or disk; ``None`` when none is trained yet (never trains)."""
    path = model_path(store)
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return None
    cached = _LOADED.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    document = read_document(path)
    if document is None or document.get("training") != training_settings().key:
        return None
    parts = {s: saved_part(store_path(store), s, key) for s, key in document["parts"].items()}
    found = {s: part for s, part in parts.items() if part is not None}
    if len(found) < len(parts):
        return None
    model = PayModel.from_document(document, found)
    _LOADED[path] = (stamp, model)
    return model


#: One lock per process: a model is trained at most once, whichever thread asks first; threads
#: asking meanwhile wait for that one training instead of starting their own.
MODEL_LOCK = threading.Lock()


def load_model(store: Path | str | None = None, *, progress: Progress | None = None) -> PayModel:
    """The store's model: from memory, from disk, or trained now when there is none."""
    found = trained_model(store)
    if found is not None:
        return found
    with MODEL_LOCK:
        found = trained_model(store)
        if found is not None:
            return found
        say = progress or (lambda _message: None)
        say("no pay model for this store yet: training one (under a minute)")
        model, path = train(store, progress=progress)
        _LOADED[path] = (path.stat().st_mtime, model)
        return model


#: A rough wait for a model being trained in the background (seconds), for ``Retry-After``.
TRAINING_SECONDS = 60
_TRAINING: dict[Path, threading.Thread] = {}
#: The stores whose last background training failed, with their fingerprint then: not retried
#: until the store changes.
_FAILED: dict[Path, str] = {}
_TRAINING_GUARD = threading.Lock()
_LOG = logging.getLogger(__name__)


def model_or_train_later(store: Path | str | None = None) -> PayModel | None:
    """The store's trained model, or ``None`` at once when there is none yet: then one training
    starts in a background thread (``start_training``) so that later calls get the model."""
    found = trained_model(store)
    if found is None:
        start_training(store)
    return found


def start_training(store: Path | str | None = None) -> threading.Thread | None:
    """Train the store's model in a daemon thread unless one is already training it in this
    process (that one is returned) or the last one failed on the same data (``None``)."""
    path = store_path(store)
    with _TRAINING_GUARD:
        running = _TRAINING.get(path)
        if running is not None and running.is_alive():
            return running
        if path in _FAILED and _FAILED[path] == data_hash_of(path):
            return None
        thread = threading.Thread(
            target=_train_in_background, args=(path,), name=f"train {path.name}", daemon=True
        )
        _TRAINING[path] = thread
        thread.start()
        return thread


def training(store: Path | str | None = None) -> threading.Thread | None:
    """The background training of the store's model under way in this process, if any."""
    running = _TRAINING.get(store_path(store))
    return running if running is not None and running.is_alive() else None


def _train_in_background(path: Path) -> None:
    try:
        load_model(path)
    except Exception:
        _LOG.exception("training the pay model in the background failed")
        try:
            _FAILED[path] = data_hash_of(path)
        except Exception:
            _LOG.exception("the store cannot be read")


# ---- one profile ---------------------------------------------------------------------
def check_year(year: int | None) -> int:
    value = dt.date.today().year if year is None else year
    if not 2000 <= value <= 2100:
        raise InputError("year", f"{value} is not a year; give a year from 2000 to 2100")
    return value


def estimate(
    cohort: Cohort,
    *,
    year: int | None = None,
    source: str | None = None,
    store: Path | str | None = None,
    progress: Progress | None = None,
    model: PayModel | None = None,
) -> Estimate:
    """The model's estimate for one profile (see the module docstring), in nominal dollars of
    ``year`` (default: the current year).

    The profile's years of experience are the middle of the cohort's range of years.
    """
    if cohort.role is None or cohort.level is None:
        raise InputError("role/level", "an estimate needs both a role and a level")
    target_year = check_year(year)
    profile = cohort.record(year=target_year)
    chosen_model = model or load_model(store, progress=progress)
    routed = choose_source(profile, source, chosen_model)
    return estimate_with(chosen_model, profile, routed)


def choose_source(profile: dict[str, Any], source: str | None, model: PayModel) -> str:
    """The model that answers: the one asked for, else the one whose features the profile has."""
    if source is not None:
        if source not in model.models:
            raise InvalidValue("source", source, list(model.models))
        return source
    frame = pd.DataFrame([profile | {"source": "profile"}])
    chosen = str(model_source(frame).iloc[0])
    return chosen if chosen in model.models else next(iter(model.models))


def _target(model: PayModel, source: str, measure: str) -> SourceModel | None:
    """``source``'s model of ``measure``: its total-comp model measures total comp; its base
    model measures base, and a source that reports base only (its total-comp column holds its
    base) answers base with its one model."""
    spec = registry.spec(source)
    if measure not in spec.measures or source not in model.models:
        return None
    by_target = model.models[source]
    if measure == "total_comp":
        return by_target.get("total_comp")
    if measure == "base":
        if "base" in by_target:
            return by_target["base"]
        return by_target.get("total_comp") if "total_comp" not in spec.measures else None
    return None


#: The measures a profile's estimate answers.
ESTIMATE_MEASURES = ("total_comp", "base")

#: The record columns of the profile fields a question may give; a model answers "this exact
#: profile" only when it reads every one the question gives.
PROFILE_FIELDS = tuple(cohort_field(name).column for name in PROFILE)


def coverage_gap(source_model: SourceModel, profile: dict[str, Any]) -> str | None:
    """Why the model does not answer for the profile from data like it (``None``: it does).

    It must read every field the profile gives (a model without a tier or a place among its
    features would answer a question about them as if they were not asked), the profile must
    give what the model needs (``ModelSpec.needs_us_place``), and the model must have seen the
    profile's role family, level and tier in training (asked about a role it never saw, it
    answers from its structure, not from data like it)."""
    features = registry.spec(source_model.source).model
    read = set(features.features) if features else set()
    unread = [f for f in PROFILE_FIELDS if profile.get(f) is not None and f not in read]
    if unread:
        return f"it does not read {', '.join(unread)}"
    in_us = profile.get("country") in (None, "US")
    if features and features.needs_us_place and in_us and profile.get("state") is None:
        return "it needs a US state or metro"
    for column in ("role_family", "level", "tier"):
        value = profile.get(column)
        known = source_model.categories.get(column)
        if value is not None and known is not None and value not in known:
            return f"it has not seen {column} {value}"
    return None


def covers(source_model: SourceModel, profile: dict[str, Any]) -> bool:
    return coverage_gap(source_model, profile) is None


def model_evidence(
    model: PayModel,
    profile: dict[str, Any],
    measure: str,
    *,
    routed: str | None = None,
    only: Sequence[str] | None = None,
) -> ModelEvidence | None:
    """The calibrated quantiles of ``measure`` for a profile (canonical record fields), from
    the model of the routed source when it measures ``measure`` and covers the profile, else of
    the first source that does (of the sources in ``only``, when given); ``None`` when none
    does."""
    if routed is None:
        routed = choose_source(profile, None, model)
    candidates = [
        s
        for s in model.models
        if _target(model, s, measure) is not None and (only is None or s in only)
    ]
    if routed in candidates:
        candidates.remove(routed)
        candidates.insert(0, routed)
    for source in candidates:
        source_model = _target(model, source, measure)
        if source_model is None or not covers(source_model, profile):
            continue
        record, assumed = _record(profile, source, model)
        values = source_model.predict_record(record)
        quantiles = Quantiles(*(float(v) for v in values))
        return ModelEvidence(measure, source, int(profile["observed_year"]), quantiles, assumed)
    return None


def _record(
    profile: dict[str, Any], source: str, model: PayModel
) -> tuple[dict[str, Any], dict[str, Any]]:
    record, assumed = complete_profile(profile, source, model.defaults)
    record["company_level"] = company_level(
        record.get("company") or record.get("raw_company"), record.get("raw_level")
    )
    return record, assumed


def estimate_with(model: PayModel, profile: dict[str, Any], source: str) -> Estimate:
    """``estimate`` with the model and the routed source already at hand."""
    record, assumed = _record(profile, source, model)
    routed_model = model.model(source)
    measures = {
        measure: found
        for measure in MEASURES
        if (found := model_evidence(model, profile, measure, routed=source)) is not None
    }
    year = int(profile["observed_year"])
    notes = []
    for measure in ESTIMATE_MEASURES:
        found = measures.get(measure)
        if found is not None:
            spec = registry.spec(found.source)
            notes.append(f"{MEASURE_WORDS[measure]}: the {spec.title} model ({spec.pay_note})")
            continue
        gaps = [
            f"the {registry.spec(s).title} model: {gap}"
            for s in model.models
            if (target := _target(model, s, measure)) is not None
            and (gap := coverage_gap(target, profile)) is not None
        ]
        if gaps:
            notes.append(
                f"{MEASURE_WORDS[measure]}: no model answers this profile ({'; '.join(gaps)})"
            )
    first, last = routed_model.years
    if year > last:
        forward = routed_model.forward_trend
        rate = routed_model.trend if forward is None else forward
        notes.append(
            f"{year} is after the model's data ({first}-{last}): projected {year - last} "
            f"year(s) along the learned trend of {rate:+.1%} a year"
        )
    p50 = float(routed_model.predict_record(record)[2])
    return Estimate(
        profile={k: v for k, v in profile.items() if v is not None},
        year=year,
        model=source,
        measures=measures,
        assumed=assumed,
        drivers=drivers(routed_model, record, p50),
        trend=routed_model.trend,
        data_years=routed_model.years,
        notes=notes,
    )


def drivers(source_model: SourceModel, record: dict[str, Any], p50: float) -> list[Driver]:
    """The largest per-feature contributions to the median, in dollars of the estimate.

    Each is the median booster's TreeSHAP contribution of one feature (features about the same
    thing, such as a level and the company's own level string, added up), turned into dollars
    as the estimate minus the estimate without it: relative to the average training record.
    """
    grouped: dict[str, float] = {}
    for column, effect in source_model.contributions(record).items():
        if column == "expected":
            continue
        name = FEATURE_NAMES.get(column.removeprefix("mean_"), column)
        grouped[name] = grouped.get(name, 0.0) + effect
    out = []
    for name, log_effect in grouped.items():
        dollars = p50 * (1 - float(np.exp(-log_effect)))
        if abs(dollars) < 1000:
            continue
        value = record.get(DRIVER_VALUE.get(name, ""))
        shown = "unknown" if value is None or value != value else _shown(value)
        out.append(Driver(name, shown, dollars))
    out.sort(key=lambda d: -abs(d.dollars))
    return out[:MAX_DRIVERS]


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
