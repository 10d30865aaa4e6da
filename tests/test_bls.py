"""The BLS OEWS May 2025 reference, checked against published values."""

from __future__ import annotations

import pytest

from careerbench.errors import InvalidValue
from careerbench.reference.bls import bls_table, bls_wages, soc_for_role


def test_national_median_of_data_scientists_is_the_published_value() -> None:
    wages = bls_wages("15-2051")
    assert wages is not None
    assert wages.p50 == 120_230  # BLS OEWS May 2025, 15-2051 Data Scientists, national
    assert wages.area_type == "national" and wages.soc_title == "Data Scientists"
    assert wages.p10 is not None and wages.p90 is not None and wages.p10 < wages.p50 < wages.p90


def test_metro_then_state_then_national() -> None:
    metro = bls_wages("15-1252", metro_code="41940", state="CA")
    assert metro is not None and metro.area_type == "metro"
    assert metro.area_name == "San Jose-Sunnyvale-Santa Clara, CA"
    state = bls_wages("15-1252", metro_code="99999", state="WA")
    assert state is not None and state.area_type == "state" and state.area_name == "Washington"
    national = bls_wages("15-1252", state="ZZ")
    assert national is not None and national.area_type == "national"
    assert bls_wages("99-9999") is None


def test_every_role_family_has_a_reference_and_the_extract_covers_all_areas() -> None:
    from careerbench.schema import RoleFamily

    for family in RoleFamily:
        assert bls_wages(soc_for_role(family.value)) is not None
    with pytest.raises(InvalidValue):
        soc_for_role("astronaut")
    table = bls_table()
    areas = set(table.column("area_type").to_pylist())
    assert areas == {"national", "state", "metro"}
    states = {s for s in table.column("state").to_pylist() if s}
    assert len(states) >= 50
