"""Request and response models of the REST API, separate from the library's own types.

Query models bound every input (lengths, ranges), so a request can never ask the library for an
unbounded amount of work. Response models name the fields clients rely on; nested documents the
library produces stay open (``extra="allow"``) so that adding a field is not a breaking change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from careerbench import cohort
from careerbench.benchmark import DEFAULT_K, PRIVACY_FLOOR
from careerbench.cohort import Cohort, parse_cohort, texts_of
from careerbench.limits import (
    CAREER_PATHS,
    CAREER_YEARS,
    OFFER_YEARS,
    PAY,
    SEED,
    VEST_YEARS,
    YEAR,
)
from careerbench.points_table import MAX_BYTES, MAX_ROWS
from careerbench.taxonomy import places

Text = Annotated[str, Field(min_length=1, max_length=100)]


def listing(values: Callable[[], Iterable[str]]) -> Callable[[dict[str, Any]], None]:
    """A JSON-schema hook that lists a closed set's valid values as the field's ``enum`` (read
    when the schema is made). The parsers also take aliases ("Big Tech", "California")."""

    def add(schema: dict[str, Any]) -> None:
        schema["enum"] = list(values())

    return add


def _track_names() -> list[str]:
    from careerbench.paths.tracks import tracks  # the track files: read for the schema only

    return list(tracks())


def _tax_states() -> list[str]:
    from careerbench.money.tax import ALL_STATES  # the tax rules: read for the schema only

    return sorted(ALL_STATES)


def _choice_values(name: str) -> Callable[[], list[str]]:
    def values() -> list[str]:
        choices = cohort.field(name).choices
        return [] if choices is None else [c.value for c in choices()]

    return values


#: The closed sets of values that fields take, by kind.
CLOSED: dict[str, Callable[[], Iterable[str]]] = {
    "role": _choice_values("role"),
    "level": _choice_values("level"),
    "tier": _choice_values("tier"),
    "remote": _choice_values("remote"),
    "state": places.state_codes,
    "track": _track_names,
    "tax_state": _tax_states,
}


# Text fields whose valid values the schema lists.
RoleText = Annotated[
    str, Field(min_length=1, max_length=100, json_schema_extra=listing(CLOSED["role"]))
]
LevelText = Annotated[
    str, Field(min_length=1, max_length=100, json_schema_extra=listing(CLOSED["level"]))
]
TierText = Annotated[
    str, Field(min_length=1, max_length=100, json_schema_extra=listing(CLOSED["tier"]))
]
StateText = Annotated[
    str, Field(min_length=1, max_length=100, json_schema_extra=listing(CLOSED["state"]))
]
TaxStateText = Annotated[
    str, Field(min_length=1, max_length=100, json_schema_extra=listing(CLOSED["tax_state"]))
]
TrackText = Annotated[
    str, Field(min_length=1, max_length=100, json_schema_extra=listing(CLOSED["track"]))
]
Pay = Annotated[float, PAY.field()]
Year = Annotated[int, YEAR.field()]


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
                json_schema_extra=listing(CLOSED[name]) if name in CLOSED else None,
            ),
        ]
        out[name] = (text, ...) if name in required else (text | None, None)
    return out


def cohort_of(query: BaseModel) -> Cohort:
    """The cohort a query's cohort fields choose (parsed by the one parser)."""
    names = [n for n in cohort.COHORT if n in type(query).model_fields]
    return parse_cohort(texts_of(query.model_dump(), names))


Measure = Literal["total_comp", "base", "equity", "bonus"]
BasisName = Literal["pay-index", "cpi"]

BenchmarkQuery = create_model(
    "BenchmarkQuery",
    __config__=ConfigDict(extra="forbid"),
    **cohort_fields(cohort.COHORT),
    tc=(Pay | None, None),
    base=(Pay | None, None),
    measure=(Measure | None, None),
    k=(Annotated[int, Field(ge=PRIVACY_FLOOR, le=10_000)], DEFAULT_K),
    year=(Year | None, None),
    basis=(BasisName, "pay-index"),
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


class EvidenceOut(BaseModel):
    """One measure over one cohort."""

    measure: str
    n: int
    method: str
    quantiles: QuantilesOut | None
    sources: dict[str, int]
    years: dict[str, int]
    percentile: float | None


class CohortOut(BaseModel):
    """A cohort relaxed for one measure, with every measure over the cohort applied."""

    measure: str
    n: int
    k: int
    filters: dict[str, Any]
    requested: dict[str, Any]
    relaxed: list[RelaxationOut]
    currency_year: int
    basis: str
    quantiles: QuantilesOut | None
    sources: dict[str, int]
    years: dict[str, int]
    measures: dict[str, EvidenceOut]
    pay: float | None
    percentile: float | None
    bls: Open | None
    notes: list[str]


class ModelEvidenceOut(BaseModel):
    measure: str
    source: str
    year: int
    quantiles: QuantilesOut
    interval_coverage: dict[str, float]
    assumed: dict[str, Any]


class NeighborOut(EvidenceOut):
    change: str
    filters: dict[str, Any]


class MarketAnswerOut(BaseModel):
    """The market's answer for a profile, measure and year, with its evidence."""

    profile: dict[str, Any]
    measure: str
    year: int
    basis: str
    rule: str
    k: int
    answered_by: str
    quantiles: QuantilesOut | None
    evidence: str
    exact: EvidenceOut
    relaxed: CohortOut
    model: ModelEvidenceOut | None
    model_note: str | None
    neighbors: list[NeighborOut]
    notes: list[str]


class StandingOut(BaseModel):
    """Where a profile's pay stands (as ``careerbench benchmark --json``)."""

    headline: str
    measure: str
    pay: float | None
    percentile: float | None
    verdict: Open | None
    answer: MarketAnswerOut
    context: MarketAnswerOut | None
    bls: Open | None
    read_as: dict[str, str] = Field(
        description="What a typed company or metro was read as when it was not its own name "
        "(field -> note, e.g. 'FB → Meta')."
    )


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

    state: TaxStateText
    wages: Annotated[float, Field(ge=0, lt=1e9)]
    year: Year = 2025
    filing: Text = "single"
    locality: Text | None = None
    deduction: Text = "larger"
    property_tax: Annotated[float, Field(ge=0, lt=1e8)] = 0.0
    mortgage_interest: Annotated[float, Field(ge=0, lt=1e8)] = 0.0
    charitable_cash: Annotated[float, Field(ge=0, lt=1e8)] = 0.0


class VestQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grant: Annotated[float, Field(gt=0, lt=1e10)]
    schedule: Text = "even-4y-quarterly"
    years: Annotated[int, VEST_YEARS.field()] = 4
    cliff_months: Annotated[int | None, Field(ge=0, le=60)] = None
    growth: Annotated[float, Field(ge=-0.9, le=2.0)] = 0.0


class OffersRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    offers: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=6)]
    years: Annotated[int, OFFER_YEARS.field()] = 4
    reference_place: Text | None = None
    paths: Annotated[int, Field(ge=100, le=20_000)] = 2_000
    seed: Annotated[int, SEED.field()] = 0


class SwitchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current: dict[str, Any]
    offer: dict[str, Any]
    years: Annotated[int, OFFER_YEARS.field()] = 4
    reference_place: Text | None = None
    paths: Annotated[int, Field(ge=100, le=20_000)] = 2_000
    seed: Annotated[int, SEED.field()] = 0


#: An offer document as in an offer file (``money/offer.py`` validates its fields).
OfferDocument = Annotated[dict[str, Any], Field(max_length=40)]


class NegotiateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    offer: OfferDocument
    competing: Annotated[list[OfferDocument], Field(max_length=5)] = []
    current: OfferDocument | None = None
    years: Annotated[int, OFFER_YEARS.field()] = 4


class NegotiateComponentOut(BaseModel):
    name: str
    offer: float
    percentile: float | None
    market_p50: float | None
    market_p75: float | None
    room_to_p75: float | None
    n: int


class CompetingOut(BaseModel):
    offer: str
    after_tax_col_total: Open


class PointEvidenceOut(BaseModel):
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
    measure: str
    answered_by: str
    evidence_text: str
    basis: str
    market: QuantilesOut
    target: float
    target_basis: str
    walk_away: float
    walk_away_basis: str
    most_room: str | None
    competing: list[CompetingOut]
    reference_place: Open | None
    horizon_years: int
    unvested_cover: float | None
    talking_points: list[str]
    evidence: list[PointEvidenceOut]
    advice: list[AdviceOut]
    notes: list[str]


class SimulateQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    track: TrackText
    start_level: LevelText = "mid"
    tier: TierText | None = None
    state: StateText | None = None
    metro: Text | None = None
    years: Annotated[int, CAREER_YEARS.field()] = 10
    paths: Annotated[int, CAREER_PATHS.field()] = 10_000
    seed: Annotated[int, SEED.field()] = 0
    scenario: Text | None = None
    vs: TrackText | None = None
    vs_tier: TierText | None = None
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
    role: RoleText | None = None
    level: LevelText | None = None
    country: Text | None = "US"
    tc: Pay | None = None
    measure: bool = False


EstimateQuery = create_model(
    "EstimateQuery",
    __doc__="A profile to estimate (as the options of ``careerbench estimate``).",
    __config__=ConfigDict(extra="forbid"),
    **cohort_fields(cohort.PROFILE, required=("role", "level")),
    year=(Year | None, None),
    basis=(BasisName, "pay-index"),
    source=(Annotated[str | None, Field(min_length=1, max_length=20)], None),
)


class EstimateOut(BaseModel):
    """The estimate, as ``careerbench estimate --json``: the market's answers for total comp and
    base, and the pay model's own estimate as evidence."""

    headline: str
    answers: dict[str, MarketAnswerOut]
    model: Open | None
    model_note: str | None


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


class PointsRequest(BaseModel):
    """Your own data points: a table as text (CSV, TSV or copied from a web page or a
    spreadsheet, with a header row) and, optionally, your own pay."""

    model_config = ConfigDict(extra="forbid")

    points: Annotated[
        str,
        Field(
            max_length=MAX_BYTES,
            description=f"The table, with a header row; at most {MAX_BYTES // 1024} KiB and "
            f"{MAX_ROWS} rows.",
            examples=["Company\tTitle\tLevel\tLocation\tTC\tYear\nAcme\tML Engineer\tSenior\t"
                      "Seattle, WA\t$250K\t2025"],
        ),
    ]  # fmt: skip
    tc: Pay | None = None
    base: Pay | None = None
    year: Year | None = None


class PointOut(Open):
    """One data point as understood (pay as given: annual USD of its year)."""

    line: int
    company: str | None
    tier: str | None
    title: str | None
    role: str | None
    level: str | None
    place: str | None
    year: int
    total_comp: float | None
    base: float | None
    notes: list[str]


class RejectedRowOut(BaseModel):
    line: int
    text: str
    reason: str


class PointsReadingOut(BaseModel):
    """What was read: ``rows`` = ``understood`` + ``rejected``."""

    separator: str
    rows: int
    understood: int
    rejected: int
    columns: list[Open]
    points: list[PointOut]
    rejected_rows: list[RejectedRowOut]
    skipped_lines: list[Open]
    default_year: int
    remarks: list[str]


class PointsStatisticsOut(BaseModel):
    measure: str
    n: int
    quantiles: dict[str, float] | None
    intervals: dict[str, list[float]] | None
    years: dict[str, int]
    withheld: str | None


class PointsMeasureOut(BaseModel):
    points: PointsStatisticsOut
    market: MarketAnswerOut | None
    sentence: str


class PointsOut(BaseModel):
    """The answer for your data points (as ``careerbench points --json``, without ``added``)."""

    headline: str
    year: int
    basis: str
    basis_note: str
    factors: dict[str, float]
    cohort: Open
    measures: dict[str, PointsMeasureOut]
    you: Open | None
    reading: PointsReadingOut
    method: Open
