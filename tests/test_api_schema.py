"""The OpenAPI schema lists the valid values of every closed-set query parameter, and the server
takes each value it lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from careerbench.api.app import create_app
from careerbench.cohort import parse_cohort
from careerbench.money.tax import ALL_STATES, compute_tax
from careerbench.paths.tracks import tracks
from careerbench.schema import Level, Remote, RoleFamily, Tier
from careerbench.taxonomy.places import resolve_state, state_codes


@pytest.fixture(scope="module")
def schema(store: Path) -> dict[str, Any]:
    document: dict[str, Any] = TestClient(create_app(store)).get("/openapi.json").json()
    return document


def enum_of(schema: dict[str, Any], path: str, name: str) -> list[str] | None:
    parameters = schema["paths"][path]["get"]["parameters"]
    found = next(p["schema"] for p in parameters if p["name"] == name)
    for branch in (found, *found.get("anyOf", [])):
        if "enum" in branch:
            return list(branch["enum"])
    return None


CLOSED = {
    "role": sorted(r.value for r in RoleFamily),
    "level": sorted(lv.value for lv in Level),
    "tier": sorted(t.value for t in Tier),
    "remote": sorted(r.value for r in Remote),
}


@pytest.mark.parametrize(
    ("path", "name", "kind"),
    [
        ("/api/benchmark", "role", "role"),
        ("/api/benchmark", "level", "level"),
        ("/api/benchmark", "tier", "tier"),
        ("/api/benchmark", "remote", "remote"),
        ("/api/benchmark", "state", "state"),
        ("/api/estimate", "role", "role"),
        ("/api/simulate", "track", "track"),
        ("/api/simulate", "vs", "track"),
        ("/api/simulate", "start_level", "level"),
        ("/api/simulate", "state", "state"),
        ("/api/skills/assess", "role", "role"),
        ("/api/tax", "state", "tax_state"),
    ],
)
def test_a_closed_set_parameter_lists_its_values(
    schema: dict[str, Any], path: str, name: str, kind: str
) -> None:
    listed = enum_of(schema, path, name)
    assert listed, f"{path} {name}: no enum"
    if kind == "track":
        assert sorted(listed) == sorted(tracks())
    elif kind == "state":
        assert listed == state_codes() and "DC" in listed
        assert all(resolve_state(code) == code for code in listed)
    elif kind == "tax_state":
        assert listed == sorted(ALL_STATES)
        assert all(compute_tax(state=code, wages=100_000).state == code for code in listed)
    else:
        assert sorted(listed) == CLOSED[kind]
        for value in listed:  # the server's parser takes every listed value as it is
            assert getattr(parse_cohort({kind: value}), kind) == value
