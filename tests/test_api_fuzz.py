"""Property-based fuzzing of every API operation from our own OpenAPI document.

schemathesis turns each operation of the schema into a hypothesis strategy of requests (valid
and invalid); every generated request is sent to the app over ASGI against the real store, and
no answer may be a server error (5xx). Examples are derandomized (see conftest) and bounded
per operation so the suite stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from careerbench.api.app import create_app

EXAMPLES = 12


def _operations(store: Path) -> list[Any]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(store))
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_answers_without_server_errors(store: Path) -> None:
    operations = _operations(store)
    assert len(operations) >= 12
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def probe(case: Any) -> None:
            response = case.call()
            if response.status_code >= 500:
                failures.append(
                    f"{case.operation.label}: {response.status_code} for {case.as_curl_command()}"
                )

        probe()
    assert not failures, "\n".join(failures[:10])


@pytest.mark.parametrize(
    "path", ["/api/benchmark?k=1", "/api/vest?grant=1e30", "/api/tax?state=CA&wages=-1"]
)
def test_out_of_range_inputs_are_rejected(store: Path, path: str) -> None:
    from fastapi.testclient import TestClient

    assert TestClient(create_app(store)).get(path).status_code == 422
