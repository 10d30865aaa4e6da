"""A job offer (or your current job) as data: a YAML/JSON file or library objects.

Money is annual US dollars, nominal, before tax. Percentages are written as percent (15 = 15%);
growth rates and volatilities as fractions (0.05 = 5% a year). Months count from today: an offer
starts at month 0; for a current job, ``granted_months_ago`` says how far back a grant started.

A minimal file::

    employer: Acme AI
    place: San Francisco, CA        # or "remote:Austin, TX" (taxed and priced where you live)
    base: 260000
    bonus_target_pct: 15
    sign_on: [{amount: 50000, year: 1, clawback_months: 12}]
    rsu: [{value: 400000, schedule: even-4y-quarterly}]
    refreshers: {value: 100000, schedule: even-4y-quarterly, first_grant_month: 12}
    stock: {growth: 0.05, company_type: big-tech}

See ``tests/fixtures/offers/`` for complete examples (startup options, 401(k), ESPP).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from careerbench.cohort import Cohort, parse_cohort
from careerbench.errors import InputError, InvalidValue, closest
from careerbench.limits import BONUS_PCT, GRANT_MONTHS, OFFER_BASE
from careerbench.money.geo import locate
from careerbench.money.itemized import Itemized
from careerbench.money.payroll import Filing, parse_filing
from careerbench.money.vesting import VestingSchedule, parse_schedule

MAX_YEARS = 10
#: IRS section 423 limit: $25,000 of stock (at the offering-date price) a year.
ESPP_STOCK_LIMIT = 25_000.0


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SignOn(_Model):
    amount: float = Field(ge=0)
    year: int = Field(default=1, ge=1, le=MAX_YEARS)
    clawback_months: int = Field(default=0, ge=0, le=60)


class Grant(_Model):
    """An RSU grant: its value at today's price (``value``, or ``shares`` x ``price``)."""

    name: str = "initial grant"
    value: float | None = Field(default=None, ge=0)
    shares: float | None = Field(default=None, ge=0)
    price: float | None = Field(default=None, gt=0)
    schedule: str = "even-4y-quarterly"
    cliff_months: int | None = Field(default=None, ge=0, le=120)
    frequency: str | None = None
    granted_months_ago: int = GRANT_MONTHS.field(default=0)

    @model_validator(mode="after")
    def _value_given(self) -> Grant:
        if self.value is None and (self.shares is None or self.price is None):
            raise ValueError("give `value` (USD at today's price) or both `shares` and `price`")
        self.vesting()
        return self

    @property
    def dollars(self) -> float:
        if self.value is not None:
            return self.value
        assert self.shares is not None and self.price is not None
        return self.shares * self.price

    def vesting(self) -> VestingSchedule:
        return parse_schedule(
            self.schedule, cliff_months=self.cliff_months, frequency=self.frequency
        )


class Refreshers(_Model):
    """Yearly refresher grants of ``value`` USD each (at the price on their grant date)."""

    value: float = Field(ge=0)
    schedule: str = "even-4y-quarterly"
    cliff_months: int | None = Field(default=0, ge=0, le=120)
    frequency: str | None = None
    first_grant_month: int = Field(default=12, ge=0, le=120)
    every_months: int = Field(default=12, ge=1, le=60)

    @model_validator(mode="after")
    def _schedule_ok(self) -> Refreshers:
        self.vesting()
        return self

    def vesting(self) -> VestingSchedule:
        return parse_schedule(
            self.schedule, cliff_months=self.cliff_months, frequency=self.frequency
        )


class Stock(_Model):
    growth: float = Field(default=0.0, gt=-0.9, lt=2.0)
    volatility: float | None = Field(default=None, ge=0, le=3.0)
    company_type: str = "big-tech"


class Retirement(_Model):
    """Employer 401(k) match: ``match_pct`` of what you save, up to ``match_limit_pct`` of base."""

    match_pct: float = Field(default=0.0, ge=0, le=400)
    match_limit_pct: float = Field(default=0.0, ge=0, le=100)
    match_amount: float | None = Field(default=None, ge=0)

    def annual(self, base: float) -> float:
        if self.match_amount is not None:
            return self.match_amount
        return base * self.match_limit_pct / 100 * self.match_pct / 100


class Espp(_Model):
    contribution_pct: float = Field(ge=0, le=100)
    discount_pct: float = Field(default=15.0, ge=0, lt=100)

    def annual_gain(self, base: float) -> float:
        """Discount gain a year, contributions capped by the $25,000 stock limit."""
        discount = self.discount_pct / 100
        contribution = min(base * self.contribution_pct / 100, ESPP_STOCK_LIMIT * (1 - discount))
        return contribution * discount / (1 - discount) if discount < 1 else 0.0


class ExitScenario(_Model):
    probability: float = Field(ge=0, le=1)
    value: float = Field(ge=0)


class Exit(_Model):
    """How the company may exit: probability of an exit by ``year`` and its value."""

    probability: float = Field(default=0.25, ge=0, le=1)
    year: int = Field(default=5, ge=1, le=MAX_YEARS)
    value_p50: float | None = Field(default=None, gt=0)
    value_sigma: float = Field(default=1.0, ge=0, le=3)
    scenarios: list[ExitScenario] | None = None

    @model_validator(mode="after")
    def _value_given(self) -> Exit:
        if self.scenarios:
            total = sum(s.probability for s in self.scenarios)
            if total > 1 + 1e-9:
                raise ValueError(f"scenario probabilities sum to {total:g}; at most 1")
        elif self.value_p50 is None:
            raise ValueError("give `value_p50` (median exit value, USD) or `scenarios`")
        return self


class Options(_Model):
    """Startup stock options and the company's capital structure."""

    shares: float = Field(gt=0)
    strike: float = Field(ge=0)
    preferred_price: float | None = Field(default=None, gt=0)
    fmv_409a: float | None = Field(default=None, ge=0)
    fully_diluted_shares: float = Field(gt=0)
    schedule: str = "even-4y-monthly"
    cliff_months: int | None = Field(default=None, ge=0, le=120)
    dilution_per_round: float = Field(default=0.15, ge=0, lt=1)
    rounds_before_exit: int = Field(default=2, ge=0, le=10)
    liquidation_preference: float = Field(default=0.0, ge=0)
    participating: bool = False
    preferred_ownership: float = Field(default=0.5, ge=0, lt=1)
    exit: Exit

    @model_validator(mode="after")
    def _consistent(self) -> Options:
        if self.shares > self.fully_diluted_shares:
            raise ValueError("`shares` is more than `fully_diluted_shares`")
        parse_schedule(self.schedule, cliff_months=self.cliff_months)
        return self

    def vesting(self) -> VestingSchedule:
        return parse_schedule(self.schedule, cliff_months=self.cliff_months)


PayPolicy = Literal["national", "location-based", "hub-band"]


class Offer(_Model):
    employer: str = Field(min_length=1)
    place: str = Field(min_length=1)
    base: float = OFFER_BASE.field()
    label: str | None = None
    pay_policy: PayPolicy | None = None
    filing: str = "single"
    locality: str | None = None
    role: str | None = None
    level: str | None = None
    country: str | None = None
    raise_pct: float = Field(default=0.0, ge=-50, le=100)
    bonus_target_pct: float = BONUS_PCT.field(default=0.0)
    sign_on: list[SignOn] = Field(default_factory=list)
    rsu: list[Grant] = Field(default_factory=list)
    refreshers: Refreshers | None = None
    stock: Stock = Field(default_factory=Stock)
    retirement: Retirement = Field(default_factory=Retirement)
    espp: Espp | None = None
    options: Options | None = None
    tenure_months: int = Field(default=0, ge=0, le=600)
    #: Payments Schedule A can deduct (``money.itemized.Itemized`` fields); the tax of each
    #: year itemizes them where that is larger than the standard deduction.
    itemized: dict[str, float] | None = None

    @field_validator("itemized")
    @classmethod
    def _itemized(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        try:
            Itemized.from_dict(value)
        except InputError as exc:  # pydantic names the field; the problem says the rest
            raise ValueError(exc.problem) from None
        return value

    @field_validator("sign_on", mode="before")
    @classmethod
    def _sign_on_forms(cls, value: Any) -> Any:
        if isinstance(value, int | float):
            return [{"amount": value}]
        if isinstance(value, dict):
            return [value]
        return value

    @field_validator("filing")
    @classmethod
    def _filing(cls, value: str) -> str:
        return parse_filing(value).value

    @property
    def name(self) -> str:
        return self.label or self.employer

    @property
    def filing_status(self) -> Filing:
        return Filing(self.filing)


@dataclass(frozen=True)
class VestEvent:
    """``dollars`` of a grant (at its grant-date price) vesting ``month`` months from today."""

    grant: str
    month: int
    grant_month: int
    dollars: float

    @property
    def year(self) -> int:
        return max(1, math.ceil(self.month / 12))


def vest_events(offer: Offer, years: int) -> list[VestEvent]:
    """Every future RSU vesting event within ``years`` years from today, by grant."""
    horizon = 12 * years
    events: list[VestEvent] = []
    for i, grant in enumerate(offer.rsu):
        unique = sum(g.name == grant.name for g in offer.rsu) == 1
        name = grant.name if unique else f"{grant.name} {i + 1}"
        start = -grant.granted_months_ago
        for month, fraction in grant.vesting().events:
            at = start + month
            if 0 < at <= horizon:
                events.append(VestEvent(name, at, 0, grant.dollars * fraction))
    refreshers = offer.refreshers
    if refreshers is not None and refreshers.value > 0:
        schedule = refreshers.vesting()
        granted = refreshers.first_grant_month
        while granted < horizon:
            name = f"refresher (month {granted})"
            for month, fraction in schedule.events:
                at = granted + month
                if 0 < at <= horizon:
                    events.append(VestEvent(name, at, granted, refreshers.value * fraction))
            granted += refreshers.every_months
    return events


def unvested_value(offer: Offer) -> float:
    """RSU value not yet vested today, at today's price (what leaving now walks away from)."""
    total = 0.0
    for grant in offer.rsu:
        vested = grant.vesting().vested_fraction(grant.granted_months_ago)
        total += grant.dollars * (1.0 - vested)
    return total


def _location_of_error(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "offer"


_FIXES = {
    "extra_forbidden": "remove it or check its spelling (see tests/fixtures/offers/)",
    "missing": "add it",
    "greater_than": "amounts are annual US dollars and must be positive",
    "greater_than_equal": "amounts, counts and rates cannot be negative",
    "less_than_equal": "check the figure and its unit (percent as 15, rates as 0.05)",
    "float_parsing": "write a plain number such as 150000",
}


_SECTIONS: dict[str, type[BaseModel]] = {
    "sign_on": SignOn, "rsu": Grant, "refreshers": Refreshers, "stock": Stock,
    "retirement": Retirement, "espp": Espp, "options": Options, "exit": Exit,
    "scenarios": ExitScenario,
}  # fmt: skip


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel]:
    """The model whose field sits at ``loc`` (the innermost named section before the field)."""
    model: type[BaseModel] = Offer
    for part in loc[:-1]:
        if isinstance(part, str) and part in _SECTIONS:
            model = _SECTIONS[part]
    return model


def offer_from_dict(data: Any, source: str = "offer") -> Offer:
    """Validate a parsed document; problems raise ``InputError`` naming the field and the fix."""
    if not isinstance(data, dict):
        raise InputError(
            source, "an offer must be a mapping of fields (employer, place, base, ...)"
        )
    try:
        offer = Offer.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = _location_of_error(tuple(first["loc"]))
        message = str(first["msg"]).removeprefix("Value error, ")
        fix = _FIXES.get(str(first["type"]), "")
        if first["type"] == "less_than_equal":
            where = _model_at(tuple(first["loc"])).model_fields.get(str(first["loc"][-1]))
            fix = (where.description if where is not None else None) or fix
        if first["type"] == "extra_forbidden":
            close = closest(str(first["loc"][-1]), _model_at(tuple(first["loc"])).model_fields)
            if close:
                fix = f"did you mean {close[0]!r}?"
        raise InputError(f"{source}: {field}", message + (f"; {fix}" if fix else "")) from None
    try:
        locate(offer.place)
    except InvalidValue as exc:
        raise InvalidValue(f"{source}: place", offer.place, exc.valid) from None
    except InputError as exc:
        raise InputError(f"{source}: place", exc.problem) from None
    return offer


def load_offer(path: str | Path) -> Offer:
    """Read an offer from a YAML or JSON file."""
    file = Path(path)
    if not file.is_file():
        raise InputError(str(path), "no such file; give the path of an offer YAML or JSON file")
    text = file.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if file.suffix.lower() == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f" at line {mark.line + 1}, column {mark.column + 1}"
        elif isinstance(exc, json.JSONDecodeError):
            where = f" at line {exc.lineno}, column {exc.colno}"
        raise InputError(
            file.name, f"not valid {'JSON' if file.suffix == '.json' else 'YAML'}{where}; fix it"
        ) from None
    return offer_from_dict(data, file.name)


def offer_cohort(offer: Offer) -> Cohort:
    """The offer's cohort: its role, level and place (errors name the offer's field)."""
    if not offer.role or not offer.level:
        raise InputError(
            "offer: role", "add role and level to the offer file to place it in its cohort"
        )
    location = locate(offer.place)
    try:
        return parse_cohort(
            role=offer.role,
            level=offer.level,
            country=offer.country or "US",
            state=location.state,
            metro=location.metro_code,
        )
    except InvalidValue as exc:
        raise InvalidValue(f"offer: {exc.field}", exc.value, exc.valid) from None
    except InputError as exc:
        raise InputError(f"offer: {exc.field}", exc.problem) from None
