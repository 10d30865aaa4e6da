"""Hostile input to every page, download and static route, and sequences of API calls.

- Every page's form fields (read from the page's own HTML form) get drawn values: valid ones,
  numbers at and past their bounds, and text built to break out of HTML text, attributes and
  templates. No answer may be a server error or a traceback, and the hostile text may only
  come back escaped. The CSV download of the same query may hold no formula cell.
- Path tricks on the static and download routes never reach a file outside them.
- A stateful sequence of API calls (questions with and without pay, your own data points, bad
  requests, in any order) gets the same answer to the same question whatever came before: the
  response cache never answers one question with another's answer, and nothing a request
  carries is kept.

Examples are derandomized (see conftest) and bounded; ``CASES`` counts the requests.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from careerbench.api.app import create_app
from careerbench.web import site

#: Text that would run, break an attribute or be evaluated if it came back unescaped: each with
#: the marker that must not appear in a response.
HOSTILE = {
    '"><script>alert(1)</script>': "<script>alert(1)",
    "' autofocus onfocus='alert(2)": "onfocus='alert(2)",
    '" onmouseover="alert(3)': 'onmouseover="alert(3)',
    "</textarea><img src=x onerror=alert(4)>": "<img src=x",
    "{{ 'abc' ~ 'xyz' }}": "abcxyz",
    "${7*191}{{7*191}}": "1337",
    "javascript:alert(5)": 'href="javascript:alert(5)',
}
NUMBERS = ["-1", "0", "1e308", "-1e308", "inf", "nan", "1e-320", "99999999999999999999", "2.5"]
ODD = ["", " ", "\x00", "a" * 3000, "é" * 50, "\u202eevil", '=HYPERLINK("http://x")', "-2+3"]
PAGE_EXAMPLES = 8
STATE_STEPS = 25
STATE_RUNS = 6
#: Requests sent by this module's fuzzing (counted as they are sent).
CASES: dict[str, int] = {}


class _FormFields(HTMLParser):
    """The names of a page's form fields and the values its selects, checkboxes and radios
    offer."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, set[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        name = found.get("name")
        if tag in ("input", "select", "textarea") and name:
            values = self.fields.setdefault(name, set())
            if found.get("value"):
                values.add(str(found["value"]))
            self._select = name if tag == "select" else self._select
        elif tag == "option" and self._select and found.get("value") is not None:
            self.fields[self._select].add(str(found["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


@pytest.fixture(scope="module")
def client(store: Path) -> TestClient:
    return TestClient(create_app(store), raise_server_exceptions=False)


def form_fields(client: TestClient, path: str) -> dict[str, list[str]]:
    parser = _FormFields()
    parser.feed(client.get(path).text)
    return {name: sorted(values) for name, values in parser.fields.items()}


def check_answer(response: Any, what: str) -> None:
    CASES[what] = CASES.get(what, 0) + 1
    text = response.text
    assert response.status_code < 500, (response.status_code, response.url, text[:300])
    assert "Traceback" not in text and 'File "/' not in text, (response.url, text[:300])
    if not response.headers.get("content-type", "").startswith("text/html"):
        # Plain text and JSON may repeat what was sent: a browser never runs them as a page.
        assert response.headers.get("x-content-type-options") == "nosniff", response.url
        return
    for marker in HOSTILE.values():
        assert marker not in text, (marker, str(response.url)[:300])


def check_csv(text: str, url: str) -> None:
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            formula = cell[:1] in ("=", "+", "@") or (
                cell[:1] == "-" and not re.fullmatch(r"-|-[\d.,$%]+", cell)
            )
            assert not formula, (cell, url[:300])


def values_for(offered: list[str]) -> st.SearchStrategy[str]:
    choices = [*offered, *NUMBERS, *ODD, *HOSTILE]
    return st.sampled_from(choices) | st.text(max_size=30)


#: Asked of a page without a form: a query it does not expect must not trouble it either.
UNEXPECTED = {"role": [], "since": [], "q": []}


@pytest.mark.parametrize("spec", site.PAGES, ids=[spec.name for spec in site.PAGES])
def test_every_page_and_its_download_take_hostile_values(client: TestClient, spec: Any) -> None:
    fields = form_fields(client, spec.path) or UNEXPECTED
    query = st.fixed_dictionaries({}, optional={name: values_for(v) for name, v in fields.items()})

    @given(params=query)
    @settings(
        max_examples=PAGE_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def probe(params: dict[str, str]) -> None:
        page = client.get(spec.path, params=params)
        check_answer(page, "pages")
        assert page.headers["content-type"].startswith("text/html")
        if spec.post:
            check_answer(client.post(spec.path, data=params), "pages")
        download = client.get(f"/download/{spec.name}.csv", params=params)
        check_answer(download, "downloads")
        if download.status_code == 200:
            check_csv(download.text, str(download.url))

    probe()


TRICKS = [
    "/static/../pyproject.toml",
    "/static/..%2f..%2f..%2fpyproject.toml",
    "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%5c..%5c..%5cetc%5cpasswd",
    "/static//etc/passwd",
    "/static/%252e%252e/%252e%252e/etc/passwd",
    "/static/style.css%00.py",
    "/static/..;/..;/etc/passwd",
    "/download/..%2f..%2fstore.duckdb",
    "/download/../../etc/passwd",
    "/download/%2e%2e%2fdata.csv",
    "/download/data.csv/../../etc/passwd",
    "/download/data.json%00.csv",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/api/../../../etc/passwd",
    "/api/%2e%2e/openapi.json/../../etc/passwd",
    "//etc/passwd",
    "/docs/../../etc/passwd",
]


@pytest.mark.parametrize("path", TRICKS)
def test_path_tricks_reach_no_file_outside_the_routes(client: TestClient, path: str) -> None:
    response = client.get(path)
    check_answer(response, "paths")
    assert response.status_code in (200, 400, 404, 405, 422), response.status_code
    for secret in ("root:x:0:0", "[project]", "DUCK", "careerbench.duckdb"):
        assert secret not in response.text
    if response.status_code == 200:  # the path resolved to one of the app's own routes
        assert response.headers["content-type"].split(";")[0] in ("text/html", "text/css")


#: Questions asked again and again: each must get the answer it got the first time.
QUESTIONS = [
    "/api/benchmark?role=ml-engineer&level=senior&country=US",
    "/api/benchmark?role=ml-engineer&level=senior&country=US&tc=250000",
    "/api/benchmark?role=ml-engineer&level=senior&country=US&tc=400000",
    "/api/benchmark?role=data-scientist&country=US&measure=base",
    "/api/benchmark?role=research-scientist&tier=big-tech",
    "/api/benchmark?role=ml-engineer&level=senior&country=US&basis=cpi",
    "/api/tax?state=CA&wages=200000",
    "/api/tax?state=NY&wages=200000",
    "/api/vest?grant=400000",
    "/api/sources",
    "/api/places/compare?pay=200000&place=Austin%2C%20TX&place=Seattle%2C%20WA",
]
POINTS = (
    "Company,Title,Level,Location,TC,Year\n"
    "Acme,ML Engineer,Senior,Seattle WA,{pay},2025\n"
    "Acme,ML Engineer,Senior,Seattle WA,{more},2025\n"
)


class ApiSequence(RuleBasedStateMachine):
    """Any order of questions, pasted data points and bad requests."""

    client: TestClient

    def __init__(self) -> None:
        super().__init__()
        self.first: dict[str, tuple[int, str]] = {}

    def _send(self, method: str, url: str, **body: Any) -> Any:
        response = self.client.request(method, url, **body)
        check_answer(response, "sequences")
        return response

    @rule(question=st.sampled_from(QUESTIONS))
    def ask(self, question: str) -> None:
        response = self._send("GET", question)
        answer = (response.status_code, response.text)
        assert self.first.setdefault(question, answer) == answer, question

    @rule(pay=st.integers(50_000, 900_000), more=st.integers(50_000, 900_000))
    def paste_points(self, pay: int, more: int) -> None:
        table = POINTS.format(pay=pay, more=more)
        response = self._send("POST", "/api/points", json={"points": table, "pay": pay})
        assert response.status_code in (200, 422), response.text[:300]

    @rule(value=st.sampled_from([*HOSTILE, *NUMBERS, *ODD]), name=st.sampled_from(
        ["role", "level", "tier", "company", "metro", "tc", "years", "since", "basis"]
    ))  # fmt: skip
    def ask_badly(self, name: str, value: str) -> None:
        self._send("GET", "/api/benchmark", params={"role": "ml-engineer", name: value})

    @rule(body=st.sampled_from(['{"offers": []}', "[" * 5000, "{}", "null", '{"a": 1e999}']))
    def post_junk(self, body: str) -> None:
        headers = {"content-type": "application/json"}
        self._send("POST", "/api/offers/compare", content=body, headers=headers)

    @invariant()
    def health(self) -> None:
        assert self.client.get("/api/health").status_code == 200


def test_api_sequences_answer_each_question_the_same(client: TestClient) -> None:
    ApiSequence.client = client
    run_state_machine_as_test(
        ApiSequence,
        settings=settings(
            max_examples=STATE_RUNS,
            stateful_step_count=STATE_STEPS,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    assert CASES.get("sequences", 0) >= STATE_RUNS * 5
