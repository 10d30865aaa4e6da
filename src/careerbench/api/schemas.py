"""Request and response models of the REST API, separate from the library's own types.

Query models bound every input (lengths, ranges), so a request can never ask the library for an
unbounded amount of work. Response models name the fields clients rely on; nested documents the
library produces stay open (``extra="allow"``) so that adding a field is not a breaking change.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from careerbench import cohort
from careerbench.benchmark import DEFAULT_K, PRIVACY_FLOOR
from careerbench.cohort import Cohort, parse_cohort, texts_of

Text = Annotated[str, Field(min_length=1, max_length=100)]
Pay = Annotated[float, Field(gt=0, lt=1e9)]
Year = Annotated[int, Field(ge=2000, le=2100)]


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


def cohort_fields(names: tuple[str, ...], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """Query fields for the named cohort fields, from their one declaration (``cohort.FIELDS``)."""
    out: dict[str, Any] = {}
    for name in names:
        spec = cohort.field(name)
        text = Annotated[
            str,
            Field(
                min_length=1,
                max_length=spec.max_length,
                description=spec.help,
                examples=[spec.example] if spec.example else None,
            ),
        ]
        out[name] = (text, ...) if name in required else (text | None, None)
    return out


def cohort_of(query: BaseModel) -> Cohort:
    """The cohort a query's cohort fields choose (parsed by the one parser)."""
    names = [n for n in cohort.COHORT if n in type(query).model_fields]
    return parse_cohort(texts_of(query.model_dump(), names))


BenchmarkQuery = create_model(
    "BenchmarkQuery",
    __config__=ConfigDict(extra="forbid"),
    **cohort_fields(cohort.COHORT),
    tc=(Pay | None, None),
    base=(Pay | None, None),
    k=(Annotated[int, Field(ge=PRIVACY_FLOOR, le=10_000)], DEFAULT_K),
    currency_year=(Year | None, None),
)


class QuantilesOut(BaseModel):
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float


class RelaxationOut(BaseModel):
    step: str
    detail: str
    n_before: int
    n_after: int


class BenchmarkOut(BaseModel):
    n: int
    k: int
    filters: dict[str, Any]
    requested: dict[str, Any]
    relaxed: list[RelaxationOut]
    currency_year: int
    currency: str
    method: str
    suppressed: bool
    total_comp: QuantilesOut | None
    components: dict[str, Open]
    sources: dict[str, int]
    years: dict[str, int]
    pay: float | None
    pay_measure: str | None
    percentile: float | None
    verdict: Open | None
    bls: Open | None
    notes: list[str]


class LoadOut(BaseModel):
    load_key: str
    source: str
    origin: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    records: int
    loaded_at: str


class SourcesOut(BaseModel):
    loads: list[LoadOut]
    licences: dict[str, str]


class TaxQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: Text
    wages: Annotated[float, Field(ge=0, lt=1e9)]
    year: Annotated[int, Field(ge=2000, le=2100)] = 2025
    filing: Text = "single"
    locality: Text | None = None


class VestQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grant: Annotated[float, Field(gt=0, lt=1e10)]
    schedule: Text = "even-4y-quarterly"
    years: Annotated[int, Field(ge=1, le=10)] = 4
    cliff_months: Annotated[int | None, Field(ge=0, le=60)] = None
    growth: Annotated[float, Field(ge=-0.9, le=2.0)] = 0.0


class OffersRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    offers: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=6)]
    years: Annotated[int, Field(ge=1, le=5)] = 4
    reference_place: Text | None = None
    paths: Annotated[int, Field(ge=100, le=20_000)] = 2_000
    seed: Annotated[int, Field(ge=0, le=2**31)] = 0


class SwitchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current: dict[str, Any]
    offer: dict[str, Any]
    years: Annotated[int, Field(ge=1, le=5)] = 4
    reference_place: Text | None = None
    paths: Annotated[int, Field(ge=100, le=20_000)] = 2_000
    seed: Annotated[int, Field(ge=0, le=2**31)] = 0


#: An offer document as in an offer file (``money/offer.py`` validates its fields).
OfferDocument = Annotated[dict[str, Any], Field(max_length=40)]


class NegotiateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    offer: OfferDocument
    competing: Annotated[list[OfferDocument], Field(max_length=5)] = []
    current: OfferDocument | None = None
    years: Annotated[int, Field(ge=1, le=5)] = 4


class NegotiateComponentOut(BaseModel):
    name: str
    offer: float
    percentile: float | None
    cohort_p50: float | None
    cohort_p75: float | None
    room_to_p75: float | None
    n: int


class CompetingOut(BaseModel):
    offer: str
    after_tax_col_total: Open


class EvidenceOut(BaseModel):
    point: str
    n: int | None
    source: str
    year: str | None


class AdviceOut(BaseModel):
    id: str
    claim: str
    source: str


class NegotiateOut(Open):
    """The plan, as ``careerbench negotiate --json``; open, so new fields pass through."""

    offer: str
    cohort: dict[str, Any]
    n: int
    relaxed: list[str]
    currency_year: int
    sources: dict[str, int]
    years: dict[str, int]
    components: list[NegotiateComponentOut]
    cohort_total_comp: QuantilesOut
    target: float
    target_basis: str
    walk_away: float
    walk_away_basis: str
    most_room: str | None
    competing: list[CompetingOut]
    reference_place: Open | None
    horizon_years: int
    unvested_cover: float | None
    estimate: Any
    talking_points: list[str]
    evidence: list[EvidenceOut]
    advice: list[AdviceOut]
    notes: list[str]


class SimulateQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    track: Text
    start_level: Text = "mid"
    tier: Text | None = None
    state: Text | None = None
    metro: Text | None = None
    years: Annotated[int, Field(ge=1, le=40)] = 10
    paths: Annotated[int, Field(ge=100, le=100_000)] = 10_000
    seed: Annotated[int, Field(ge=0, le=2**31)] = 0
    scenario: Text | None = None
    vs: Text | None = None
    vs_tier: Text | None = None
    vs_scenario: Text | None = None


class FitQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    work_content: Text
    credentials: Text
    recognition: Text
    optionality: Text
    publications: Text
    shipped: Text


class SkillsQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    have: Annotated[str, Field(max_length=500)] = ""
    not_yet: Annotated[str, Field(max_length=500)] = ""
    clusters: Annotated[str, Field(max_length=500)] = ""
    role: Text | None = None
    level: Text | None = None
    country: Text | None = "US"
    tc: Pay | None = None
    measure: bool = False


EstimateQuery = create_model(
    "EstimateQuery",
    __doc__="A profile to estimate (as the options of ``careerbench estimate``).",
    __config__=ConfigDict(extra="forbid"),
    **cohort_fields(cohort.PROFILE, required=("role", "level")),
    year=(Year | None, None),
    source=(Annotated[str | None, Field(min_length=1, max_length=20)], None),
)


class DriverOut(BaseModel):
    feature: str
    value: str
    dollars: float
    text: str


class EstimateCohortOut(BaseModel):
    n: int
    filters: dict[str, Any]
    relaxed: list[RelaxationOut]


class EstimateOut(Open):
    """The estimate, as ``careerbench estimate --json``; open, so new fields pass through."""

    profile: dict[str, Any]
    year: int
    currency: str
    model: str
    total_comp: QuantilesOut
    base: QuantilesOut | None
    interval_coverage: dict[str, float]
    assumed: dict[str, Any]
    drivers: list[DriverOut]
    cohort: EstimateCohortOut
    trend_per_year: float
    data_years: list[int]
    notes: list[str]


#: One cell of a batch row: what a CSV cell holds, as JSON (numbers are read as their text).
BatchCell = Annotated[str, Field(max_length=1_000)] | int | float | bool | None
BatchRow = Annotated[dict[Annotated[str, Field(max_length=100)], BatchCell], Field(max_length=60)]
MAX_BATCH_ROWS = 10_000


class EstimateBatchRequest(BaseModel):
    """Rows of a file to estimate, one object per row with the file's column names as keys."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["csv", "aijobs", "levelsfyi"] = "csv"
    rows: Annotated[list[BatchRow], Field(min_length=1, max_length=MAX_BATCH_ROWS)]


class BatchResultOut(BaseModel):
    row: int
    p10: float | None
    p25: float | None
    p50: float | None
    p75: float | None
    p90: float | None
    model: str | None
    reason: str | None


class EstimateBatchOut(BaseModel):
    format: str
    rows: int
    estimated: int
    not_estimated: dict[str, int]
    results: list[BatchResultOut]
