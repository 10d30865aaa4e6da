"""Vesting schedules: when the shares of a grant (RSUs or options) become yours.

A schedule is a list of *events* ``(month, fraction)``: ``month`` counts whole months after the
grant date and ``fraction`` is the share of the grant that vests then; fractions sum to 1.
Named presets live in ``vesting_presets.yaml`` (even 4-year monthly/quarterly/annual with a
1-year cliff, Amazon's 5-15-40-40, Google's 33-33-22-12); a custom schedule is a comma-separated
list of yearly percentages ("25,25,25,25") that must sum to 100.

Conventions: a vesting year ``y`` (1-based) is the months ``(12(y-1), 12y]`` after the grant, so
a 12-month cliff falls in year 1. Values are annual US dollars, nominal, before tax; with a
``growth`` rate the share price grows as ``(1 + growth) ** (month / 12)`` from the grant price.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from careerbench.errors import InputError, InvalidValue
from careerbench.knowledge import load_yaml

PRESETS_FILE = Path(__file__).with_name("vesting_presets.yaml")
FREQUENCIES: dict[str, int] = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}
_TOLERANCE = 1e-6


@dataclass(frozen=True)
class VestingSchedule:
    """A named list of vesting events: (months after grant, fraction of the grant)."""

    name: str
    events: tuple[tuple[int, float], ...]
    cliff_months: int
    description: str = ""

    @property
    def months(self) -> int:
        """Months from the grant to the last vesting event."""
        return max(m for m, _ in self.events)

    @property
    def years(self) -> int:
        """Vesting years the schedule spans (the last event's year)."""
        return math.ceil(self.months / 12)

    def yearly_fractions(self, years: int | None = None) -> list[float]:
        """Fraction of the grant vesting in each year 1..``years`` (default: the whole span)."""
        span = self.years if years is None else years
        out = [0.0] * span
        for month, fraction in self.events:
            year = max(1, math.ceil(month / 12))
            if year <= span:
                out[year - 1] += fraction
        return out

    def vested_fraction(self, months: float) -> float:
        """Fraction of the grant vested ``months`` after the grant date (events at or before)."""
        return min(1.0, sum(f for m, f in self.events if m <= months + 1e-9))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "cliff_months": self.cliff_months,
            "events": [[m, round(f, 10)] for m, f in self.events],
            "yearly_pct": [round(100 * f, 6) for f in self.yearly_fractions()],
        }


def _presets() -> dict[str, dict[str, Any]]:
    document: dict[str, Any] = load_yaml(PRESETS_FILE)
    presets: dict[str, dict[str, Any]] = document["presets"]
    return presets


def preset_names() -> list[str]:
    return list(_presets())


def preset_descriptions() -> dict[str, str]:
    """Each preset's description in words, by name."""
    return {name: str(p.get("description") or name) for name, p in _presets().items()}


def _apply_cliff(events: list[tuple[int, float]], cliff_months: int) -> list[tuple[int, float]]:
    held = sum(f for m, f in events if m < cliff_months)
    out = [(m, f) for m, f in events if m >= cliff_months]
    if held > 0:
        if out and out[0][0] == cliff_months:
            out[0] = (cliff_months, out[0][1] + held)
        else:
            out.insert(0, (cliff_months, held))
    return out


def _events_from_years(annual_pct: list[float], months_per_event: int) -> list[tuple[int, float]]:
    per_year = 12 // months_per_event
    events: list[tuple[int, float]] = []
    for year, pct in enumerate(annual_pct):
        for k in range(1, per_year + 1):
            events.append((12 * year + k * months_per_event, pct / 100.0 / per_year))
    return events


def _check_percentages(field: str, pct: list[float]) -> None:
    if not pct:
        raise InputError(field, "the schedule is empty; give yearly percentages like 25,25,25,25")
    if any(p < 0 or not math.isfinite(p) for p in pct):
        raise InputError(field, f"percentages must be zero or positive, got {pct}")
    total = sum(pct)
    if abs(total - 100.0) > 0.01:
        raise InputError(
            field,
            f"percentages sum to {total:g}%, they must sum to 100 (e.g. 25,25,25,25)",
        )


def parse_schedule(
    text: str,
    *,
    cliff_months: int | None = None,
    frequency: str | None = None,
    field: str = "schedule",
) -> VestingSchedule:
    """A preset name or a custom list of yearly percentages -> a schedule.

    ``cliff_months`` overrides the preset's cliff (0 = none); ``frequency`` (monthly, quarterly,
    semiannual, annual) overrides how often shares vest inside a year. A custom list vests
    annually unless ``frequency`` says otherwise and has no cliff beyond its first anniversary.
    """
    value = text.strip()
    if cliff_months is not None and not 0 <= cliff_months <= 120:
        raise InputError("cliff_months", f"{cliff_months} is not between 0 and 120 months")
    if frequency is not None and frequency not in FREQUENCIES:
        raise InvalidValue("frequency", frequency, FREQUENCIES)
    presets = _presets()
    if value in presets:
        spec = presets[value]
        description = str(spec.get("description", ""))
        if "events" in spec and frequency is None:
            raw = [(int(m), float(p) / 100.0) for m, p in spec["events"]]
        else:
            annual = [float(p) for p in spec.get("annual_pct") or _annual_of(spec["events"])]
            step = FREQUENCIES[frequency] if frequency else int(spec.get("months_per_event", 12))
            raw = _events_from_years(annual, step)
        cliff = int(spec.get("cliff_months", 0)) if cliff_months is None else cliff_months
        name = value
    else:
        parts = [p.strip().rstrip("%") for p in value.replace(";", ",").split(",") if p.strip()]
        try:
            pct = [float(p) for p in parts]
        except ValueError:
            raise InvalidValue(
                field,
                text,
                presets,
                hint="Or give yearly percentages that sum to 100, e.g. 25,25,25,25.",
            ) from None
        _check_percentages(field, pct)
        step = FREQUENCIES[frequency or "annual"]
        raw = _events_from_years(pct, step)
        cliff = cliff_months if cliff_months is not None else 0
        name = ",".join(f"{p:g}" for p in pct)
        description = f"custom: {name}% by year, {frequency or 'annual'} vesting"
    if cliff and cliff > max(m for m, _ in raw):
        raise InputError(
            "cliff_months", f"the cliff ({cliff}) is after the last vesting event; shorten it"
        )
    events = tuple((m, f) for m, f in _apply_cliff(sorted(raw), cliff) if f > _TOLERANCE / 100)
    return VestingSchedule(name=name, events=events, cliff_months=cliff, description=description)


def _annual_of(events: list[list[float]]) -> list[float]:
    years = math.ceil(max(float(m) for m, _ in events) / 12)
    out = [0.0] * years
    for m, p in events:
        out[max(1, math.ceil(float(m) / 12)) - 1] += float(p)
    return out


@dataclass(frozen=True)
class VestingResult:
    """What one grant vests, year by year (annual USD, nominal, before tax)."""

    grant_value: float
    schedule: VestingSchedule
    growth: float
    yearly: list[float]
    unvested_after: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "grant_value": self.grant_value,
            "growth": self.growth,
            "schedule": self.schedule.to_dict(),
            "years": [
                {"year": i + 1, "vested_value": round(v, 2)} for i, v in enumerate(self.yearly)
            ],
            "total_vested": round(sum(self.yearly), 2),
            "unvested_after_horizon": round(self.unvested_after, 2),
            "units": "USD, nominal, before tax; value at the grant price grown by `growth`",
        }


def vest(
    grant_value: float,
    schedule: VestingSchedule,
    years: int | None = None,
    *,
    growth: float = 0.0,
) -> VestingResult:
    """Value vesting in each year of a grant worth ``grant_value`` at the grant price."""
    if not math.isfinite(grant_value) or grant_value < 0:
        raise InputError("grant", f"{grant_value} must be a positive dollar amount")
    if years is not None and not 1 <= years <= 50:
        raise InputError("years", f"{years} is not between 1 and 50")
    if not -0.99 < growth < 10:
        raise InputError("growth", f"{growth} is not a yearly growth rate (e.g. 0.05 for 5%)")
    span = years if years is not None else schedule.years
    yearly = [0.0] * span
    unvested = 0.0
    for month, fraction in schedule.events:
        year = max(1, math.ceil(month / 12))
        value = grant_value * fraction * (1.0 + growth) ** (month / 12.0)
        if year <= span:
            yearly[year - 1] += value
        else:
            unvested += grant_value * fraction
    return VestingResult(grant_value, schedule, growth, yearly, unvested)
