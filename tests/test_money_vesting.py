"""Vesting schedules: presets pinned, custom lists, cliffs, bad input, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careerbench.errors import InputError, InvalidValue
from careerbench.money.vesting import parse_schedule, preset_names, vest

PINNED = {
    "even-4y-monthly": [100_000, 100_000, 100_000, 100_000],
    "even-4y-quarterly": [100_000, 100_000, 100_000, 100_000],
    "even-4y-annual": [100_000, 100_000, 100_000, 100_000],
    "5-15-40-40": [20_000, 60_000, 160_000, 160_000],
    "33-33-22-12": [132_000, 132_000, 88_000, 48_000],
    "25,25,25,25": [100_000, 100_000, 100_000, 100_000],
    "10,20,30,40": [40_000, 80_000, 120_000, 160_000],
}


@pytest.mark.parametrize(("name", "expected"), PINNED.items())
def test_presets_pinned(name: str, expected: list[float]) -> None:
    result = vest(400_000, parse_schedule(name), 4)
    assert result.yearly == pytest.approx(expected, abs=1e-6)
    assert result.unvested_after == pytest.approx(0)


def test_event_structure() -> None:
    monthly = parse_schedule("even-4y-monthly")
    assert monthly.events[0] == (12, pytest.approx(0.25))
    assert len(monthly.events) == 1 + 36
    quarterly = parse_schedule("even-4y-quarterly")
    assert [m for m, _ in quarterly.events[:3]] == [12, 15, 18]
    amazon = parse_schedule("5-15-40-40")
    assert [m for m, _ in amazon.events] == [12, 24, 30, 36, 42, 48]
    google = parse_schedule("33-33-22-12")
    assert google.events[0] == (1, pytest.approx(0.0275))


def test_cliff_override_and_frequency() -> None:
    no_cliff = parse_schedule("even-4y-monthly", cliff_months=0)
    assert no_cliff.vested_fraction(6) == pytest.approx(6 / 48)
    google_cliff = parse_schedule("33-33-22-12", cliff_months=12)
    assert google_cliff.vested_fraction(11) == 0
    assert google_cliff.vested_fraction(12) == pytest.approx(0.33)
    custom = parse_schedule("25,25,25,25", frequency="quarterly", cliff_months=12)
    assert custom.yearly_fractions() == pytest.approx([0.25] * 4)
    assert custom.vested_fraction(15) == pytest.approx(0.3125)


def test_horizon_shorter_and_longer_than_schedule() -> None:
    schedule = parse_schedule("5-15-40-40")
    short = vest(400_000, schedule, 2)
    assert short.yearly == pytest.approx([20_000, 60_000])
    assert short.unvested_after == pytest.approx(320_000)
    long = vest(400_000, schedule, 6)
    assert long.yearly[4:] == [0.0, 0.0]


def test_growth_values_each_event_at_its_price() -> None:
    result = vest(100_000, parse_schedule("even-4y-annual"), 4, growth=0.10)
    assert result.yearly == pytest.approx([25_000 * 1.1**y for y in (1, 2, 3, 4)])


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("25,25,25", InputError, "sum to 75%"),
        ("50,60", InputError, "sum to 110%"),
        ("-10,60,50", InputError, "positive"),
        ("even-4y-montly", InvalidValue, "even-4y-monthly"),
        ("", InputError, "empty"),
    ],
)
def test_bad_schedules(text: str, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        parse_schedule(text)


def test_bad_numbers() -> None:
    with pytest.raises(InputError, match="cliff"):
        parse_schedule("even-4y-monthly", cliff_months=-1)
    with pytest.raises(InputError, match="after the last vesting event"):
        parse_schedule("25,25,25,25", cliff_months=60)
    with pytest.raises(InvalidValue, match="frequency"):
        parse_schedule("25,25,25,25", frequency="weekly")
    with pytest.raises(InputError, match="grant"):
        vest(-5, parse_schedule("even-4y-monthly"))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=6).filter(
        lambda xs: sum(xs) > 0
    ),
    st.floats(min_value=1, max_value=5e6),
    st.sampled_from(["monthly", "quarterly", "semiannual", "annual"]),
    st.integers(min_value=0, max_value=12),
)
def test_vesting_sums_to_the_grant(
    weights: list[int], grant: float, frequency: str, cliff: int
) -> None:
    total = sum(weights)
    pct = [100 * w / total for w in weights]
    text = ",".join(repr(p) for p in pct)
    schedule = parse_schedule(text, frequency=frequency, cliff_months=cliff)
    result = vest(grant, schedule, schedule.years)
    assert sum(result.yearly) == pytest.approx(grant, rel=1e-9)
    assert all(v >= 0 for v in result.yearly)


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_sums_to_one(name: str) -> None:
    schedule = parse_schedule(name)
    assert sum(f for _, f in schedule.events) == pytest.approx(1.0)
    assert schedule.vested_fraction(schedule.months) == pytest.approx(1.0)
