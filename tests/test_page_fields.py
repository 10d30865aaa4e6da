"""Number fields of the pages and their downloads: a value out of range is the page's error
(422) naming the field, never a server error; any pay has a percentile."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from careerbench import benchmark as bench
from careerbench import pay_index
from careerbench.api.app import create_app
from careerbench.cohort_index import cohort_index
from careerbench.store import Store


@pytest.fixture(scope="module")
def client(store: Path) -> TestClient:
    return TestClient(create_app(store), raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("path", "field", "value"),
    [
        ("/simulate", "paths", "inf"),
        ("/simulate", "years", "inf"),
        ("/simulate", "seed", "inf"),
        ("/simulate", "paths", "1e300"),
        ("/simulate", "seed", "1e300"),
        ("/simulate", "seed", "-5"),
        ("/simulate", "paths", "2500.5"),
        ("/offers", "years", "inf"),
        ("/offers", "years", "1e300"),
        ("/switch", "c_months", "inf"),
        ("/switch", "c_months", "1e20"),
        ("/negotiate", "c_months", "inf"),
        ("/", "since", "inf"),
        ("/download/simulate.csv", "paths", "inf"),
        ("/download/simulate.csv", "seed", "1e300"),
    ],
)
def test_an_integer_field_out_of_range_is_the_pages_error(
    client: TestClient, path: str, field: str, value: str
) -> None:
    response = client.get(path, params={field: value})
    assert response.status_code == 422, response.text[:300]
    assert "Traceback" not in response.text
    body = response.text if path.startswith("/download/") else str(escape(response.text))
    # Beside the field it is about on a page's form, else naming it.
    named = f"{field.replace('_', ' ')}: " in body.lower() or f"{field}: " in body
    assert named or f'id="e-{field}"' in response.text
    assert "0000000000" not in body  # a huge number is not written out in full


def test_a_fraction_is_not_truncated(client: TestClient) -> None:
    response = client.get("/simulate", params={"paths": "2500.5"})
    assert "2500.5" in response.text and "is not a whole number" in response.text


def test_a_tiny_or_huge_pay_has_a_percentile_in_a_sketched_cohort(store: Path) -> None:
    with Store(store) as db:
        index = cohort_index(db, pay_index.basis_for(store))
    cells = index.select({"role_family": "data-scientist"})
    for pay, expected in ((5e-324, 0.0), (0.01, 0.0), (1e12, 100.0)):
        exact = index.stats(cells, "base", bench.PROBABILITIES, pay=pay)
        sketch = index.stats(cells, "base", bench.PROBABILITIES, pay=pay, exact_max=0)
        assert sketch.method == "sketch"
        assert exact.percentile == expected
        assert sketch.percentile == pytest.approx(expected)
