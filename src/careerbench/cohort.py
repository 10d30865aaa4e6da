"""A cohort (or a profile): role, level, employer, place, experience; its fields declared once.

``FIELDS`` is the one table of the fields that choose a cohort: each field's name (the command
line's ``--name``, the API's query parameter, the web form's field), the canonical record column it
filters, its label and help text, an example, its valid values (for closed sets, with a label for
people) and the parser that turns what a person typed into the canonical value (aliases included:
"Big Tech" is ``big-tech``, "sr" is ``senior``, "Bay Area" is the San Francisco metro). The command
line options, the API query models and the web form fields are all made from this table, and
``parse_cohort`` applies it, so every face accepts and rejects the same input with the same message.

A ``Cohort`` holds canonical values (``None``: any). ``years`` is a range of years of experience
(a single number is a range of one); a profile's years of experience is the middle of the range.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from dataclasses import field as dataclass_field
from enum import Enum
from functools import lru_cache
from typing import Any

from careerbench.errors import InputError, InvalidValue
from careerbench.schema import Level, Remote, RoleFamily, Tier
from careerbench.taxonomy import companies, places
from careerbench.taxonomy.levels import resolve_level

YEAR_RANGE = (2000, 2100)
YEARS_OF_EXPERIENCE = (0, 60)

Years = tuple[float | None, float | None]


@dataclass(frozen=True)
class Cohort:
    """The filters of a cohort, as canonical values (``None``: any)."""

    role: str | None = None
    level: str | None = None
    tier: str | None = None
    company: str | None = None
    country: str | None = None
    state: str | None = None
    metro: str | None = None
    metro_name: str | None = None
    remote: str | None = None
    years: Years | None = None
    since: int | None = None
    #: What a typed company or metro was read as, when not its own name (field -> note, e.g.
    #: "company": "FB → Meta"): every face shows it.
    read_as: dict[str, str] = dataclass_field(default_factory=dict, compare=False)

    @property
    def company_tier(self) -> str | None:
        """The tier of the cohort's company (``None``: no company, or one of unknown tier)."""
        return companies.tier_of(self.company) if self.company else None

    @property
    def place_state(self) -> str | None:
        """The state of the cohort: given, or the metro's (its first state)."""
        if self.state:
            return self.state
        match = re.search(r",\s*([A-Z]{2})", self.metro_name or "")
        return match.group(1) if match else None

    @property
    def years_experience(self) -> float | None:
        """A profile's years of experience: the middle of the range (``None``: not given)."""
        if self.years is None:
            return None
        known = [v for v in self.years if v is not None]
        return sum(known) / len(known) if known else None

    def index_filters(self) -> dict[str, object]:
        """The cohort as filters of the cohort index (whole years of experience)."""
        years = None
        if self.years is not None:
            low, high = self.years
            years = (
                None if low is None else math.floor(low),
                None if high is None else math.floor(high),
            )
        return {
            "role_family": self.role,
            "level": self.level,
            "tier": self.tier,
            "company": self.company,
            "country": self.country,
            "state": self.state,
            "metro_code": self.metro,
            "remote": self.remote,
            "years_bucket": years,
            "observed_year": None if self.since is None else (self.since, None),
        }

    def record(self, *, year: int) -> dict[str, Any]:
        """The canonical record fields a profile gives, for the pay model (``None``: not given)."""
        return {
            "role_family": self.role,
            "level": self.level,
            "company": self.company,
            "tier": self.tier or self.company_tier,
            "country": self.country,
            "state": self.place_state,
            "metro_code": self.metro,
            "metro_name": self.metro_name,
            "remote": self.remote,
            "years_experience": self.years_experience,
            "observed_year": year,
        }

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "read_as"}
        out["years"] = None if self.years is None else list(self.years)
        return {k: v for k, v in out.items() if v is not None}

    def texts(self) -> dict[str, str]:
        """The cohort as field texts that ``parse_cohort`` reads back to the same cohort."""
        out = {}
        for name, value in self.to_dict().items():
            if name == "metro_name":
                continue
            if name == "metro":
                value = self.metro_name or value
            if name == "years":
                value = format_years(self.years)
            out[name] = str(value)
        return out

    def without(self, *names: str) -> Cohort:
        """The cohort with the named fields set to any."""
        changes: dict[str, Any] = dict.fromkeys(names)
        if "metro" in names:
            changes["metro_name"] = None
        return replace(self, **changes)


# ---- the fields ------------------------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class CohortField:
    """One field that chooses a cohort (see the module docstring)."""

    name: str
    column: str
    label: str
    help: str
    parse: Callable[[str], Any]
    example: str = ""
    choices: Callable[[], tuple[Choice, ...]] | None = None
    max_length: int = 100


def slug(text: str) -> str:
    """How closed-set values are matched: "Big Tech", "big_tech" and "big-tech" alike."""
    return re.sub(r"[\s_]+", "-", text.strip().lower())


def _enum_parser(name: str, enum: type[Enum]) -> Callable[[str], str]:
    values = {str(m.value) for m in enum}

    def parse(text: str) -> str:
        value = slug(text)
        if value not in values:
            raise InvalidValue(name, text, values)
        return value

    return parse


def _enum_choices(
    enum: type[Enum], labels: Mapping[str, str] | None = None
) -> Callable[[], tuple[Choice, ...]]:
    def choices() -> tuple[Choice, ...]:
        names = labels or {}
        return tuple(
            Choice(str(m.value), names.get(str(m.value), str(m.value).replace("-", " ")))
            for m in enum
        )

    return choices


def _parse_level(text: str) -> str:
    return resolve_level(text).value


def _parse_tier(text: str) -> str:
    return companies.resolve_tier(text).value


def _parse_company(text: str) -> str | None:
    """Listed companies by name or alias; another name is kept, cleaned, to match the data."""
    found = companies.normalize_company(text)
    return found.name if found else None


def _parse_metro(text: str) -> tuple[str, str]:
    return places.resolve_metro(text)


def parse_years(text: str | None) -> Years | None:
    """'3-5', '3-', '-5', '4' or '6.5' -> an inclusive range of years of experience."""
    if text is None or str(text).strip() == "":
        return None
    number = r"(\d+(?:\.\d+)?)"
    match = re.fullmatch(rf"\s*{number}?\s*(-)?\s*{number}?\s*", str(text))
    if not match or not (match.group(1) or match.group(3)):
        raise InputError("years", f"{text!r} is not a range; write MIN-MAX such as 3-5, 3- or -5")
    low = _whole(match.group(1))
    high = _whole(match.group(3))
    if not match.group(2):
        high = low
    lowest, highest = YEARS_OF_EXPERIENCE
    for bound in (low, high):
        if bound is not None and not lowest <= bound <= highest:
            raise InputError(
                "years", f"{text!r}: years of experience go from {lowest} to {highest}"
            )
    if low is not None and high is not None and low > high:
        raise InputError("years", f"{text!r}: the minimum is above the maximum")
    return (low, high)


def _whole(text: str | None) -> float | None:
    if text is None:
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


def format_years(years: Years | None) -> str:
    """A range of years as ``parse_years`` reads it: '3-5', '4', '3-', '-5'."""
    if years is None:
        return ""
    low, high = years
    if low == high:
        return f"{low:g}"
    return f"{'' if low is None else f'{low:g}'}-{'' if high is None else f'{high:g}'}"


def parse_since(text: str) -> int:
    try:
        value = float(str(text).strip())
    except ValueError:
        raise InputError("since", f"{text!r} is not a year; give a year such as 2024") from None
    if not value.is_integer() or not YEAR_RANGE[0] <= value <= YEAR_RANGE[1]:
        raise InputError("since", f"{text} is not a year; give a year such as 2024")
    return int(value)


LEVEL_LABELS = {"director+": "director and above"}
TIER_LABELS = {
    "frontier-lab": "frontier lab",
    "big-tech": "big tech",
    "ai-unicorn": "AI unicorn",
    "tier2-tech": "other tech",
    "finance-quant": "finance and quant",
    "academia-gov": "academia and government",
}
ROLE_LABELS = {
    "ml-engineer": "ML engineer",
    "ai-engineer": "AI engineer",
    "mlops-engineer": "MLOps engineer",
}

FIELDS: tuple[CohortField, ...] = (
    CohortField(
        "role", "role_family", "Role", "Role family, e.g. ml-engineer.",
        _enum_parser("role", RoleFamily), "ml-engineer", _enum_choices(RoleFamily, ROLE_LABELS),
    ),
    CohortField(
        "level", "level", "Level", "Common level: entry, mid, senior, staff, ...",
        _parse_level, "senior", _enum_choices(Level, LEVEL_LABELS),
    ),
    CohortField(
        "tier", "tier", "Company tier", "Company tier, e.g. big-tech.",
        _parse_tier, "big-tech", _enum_choices(Tier, TIER_LABELS),
    ),
    CohortField("company", "company", "Company", "Company, e.g. Google.", _parse_company, "Google"),
    CohortField(
        "country", "country", "Country", "Country (ISO-2 or name).", places.resolve_country, "US"
    ),
    CohortField(
        "state", "state", "US state", "US state (code or name).", places.resolve_state, "CA"
    ),
    CohortField(
        "metro", "metro_code", "Metro area", "Metro area (name or CBSA code).", _parse_metro,
        "Seattle",
    ),
    CohortField(
        "remote", "remote", "Remote", "onsite, hybrid or remote.",
        _enum_parser("remote", Remote), "remote", _enum_choices(Remote),
    ),
    CohortField(
        "years", "years_experience", "Years of experience",
        "Years of experience: a number, or MIN-MAX (e.g. 3-5).", parse_years, "3-6", max_length=20,
    ),
    CohortField(
        "since", "observed_year", "Data since year", "Only data points from this year on.",
        parse_since, "2024", max_length=4,
    ),
)  # fmt: skip
BY_NAME: dict[str, CohortField] = {f.name: f for f in FIELDS}
PROFILE = ("role", "level", "tier", "company", "country", "state", "metro", "remote", "years")
COHORT = (*PROFILE, "since")


def field(name: str) -> CohortField:
    return BY_NAME[name]


def parse_cohort(texts: Mapping[str, object] | None = None, /, **more: object) -> Cohort:
    """A cohort from what a person typed (field name -> text; blank or ``None``: any).

    Unknown values raise ``InvalidValue`` naming the field and the closest valid values; a
    malformed one ``InputError``. A state or metro implies the country US.
    """
    given = dict(texts or {}) | more
    unknown = sorted(set(given) - set(BY_NAME))
    if unknown:
        raise InputError(unknown[0], f"not a cohort field; the fields are {', '.join(COHORT)}")
    key = tuple(_text(given.get(name)) for name in COHORT)
    return _parse(key)


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


@lru_cache(maxsize=4096)
def _parse(key: tuple[str | None, ...]) -> Cohort:
    """``parse_cohort``, remembered: a pure function of the texts (errors are not remembered)."""
    values: dict[str, Any] = {}
    for name, text in zip(COHORT, key, strict=True):
        if text is None:
            continue
        spec = BY_NAME[name]
        if len(text) > spec.max_length:
            raise InputError(name, f"at most {spec.max_length} characters")
        values[name] = spec.parse(text)
    metro = values.pop("metro", None)
    if metro is not None:
        values["metro"], values["metro_name"] = metro
    texts = dict(zip(COHORT, key, strict=True))
    notes = {
        "company": companies.match_company(texts["company"]).note if texts["company"] else "",
        "metro": places.metro_note(texts["metro"], *metro) if metro and texts["metro"] else "",
    }
    values["read_as"] = {name: note for name, note in notes.items() if note}
    if (values.get("state") or values.get("metro")) and values.get("country") is None:
        values["country"] = "US"
    return Cohort(**values)


def labels(name: str) -> dict[str, str]:
    """Value -> label of a closed field's values (empty for an open field)."""
    spec = BY_NAME[name]
    return {} if spec.choices is None else {c.value: c.label for c in spec.choices()}


def texts_of(values: Mapping[str, object], names: Iterable[str] = COHORT) -> dict[str, str | None]:
    """The cohort fields among ``values`` (e.g. a query model's fields), as texts."""
    return {name: _text(values.get(name)) for name in names}
