"""The server's rails around every route: HEAD answered like GET, the Host allow-list that
keeps a web page on another domain (DNS rebinding) from reading the local server, and a stop
bounded in time whatever the server is doing."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from careerbench.api.app import ALLOWED_HOSTS_ENV, create_app
from careerbench.config import REQUEST_SECONDS_ENV
from tests.conftest import CLI, serving


@pytest.fixture(scope="module")
def client(store: Path) -> TestClient:
    return TestClient(create_app(store))


@pytest.mark.parametrize(
    "path", ["/", "/data", "/offers", "/api/health", "/api/sources", "/download/data.csv"]
)
def test_head_is_answered_like_get(client: TestClient, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert got.status_code == 200
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert int(head.headers["content-length"]) == len(got.content)


def test_a_host_off_the_allow_list_is_refused(store: Path) -> None:
    client = TestClient(create_app(store, allowed_hosts=["careers.example.com"]))
    for host in ("localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "::1",
                 "careers.example.com", "CAREERS.example.com:443"):  # fmt: skip
        assert client.get("/api/health", headers={"host": host}).status_code == 200, host
    for host in ("evil.example", "careers.example.com.evil.example", "localhost.evil", ""):
        response = client.get("/data", headers={"host": host})
        assert response.status_code == 400, host
        assert "--allowed-host" in response.text and "<" not in response.text


def test_the_allow_list_comes_from_the_environment(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ALLOWED_HOSTS_ENV, "pay.example, *.corp.example")
    client = TestClient(create_app(store))
    assert client.get("/api/health", headers={"host": "pay.example"}).status_code == 200
    assert client.get("/api/health", headers={"host": "hr.corp.example"}).status_code == 200
    assert client.get("/api/health", headers={"host": "evil.example"}).status_code == 400


def status(port: int, host: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/health", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_serve_answers_for_its_own_names_and_allowed_hosts_only(store: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != ALLOWED_HOSTS_ENV}
    with serving(store, "--allowed-host", "careers.example.com", env=env) as (port, _):
        assert status(port, f"127.0.0.1:{port}") == 200
        assert status(port, f"localhost:{port}") == 200
        assert status(port, "careers.example.com") == 200
        assert status(port, "rebound.evil.example") == 400


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_stops_soon_after_sigterm_with_requests_in_flight(
    store: Path, tmp_path: Path, workers: str
) -> None:
    # A copy of the store without the caches beside it: no pay model trained yet, so the
    # estimate below starts training one.
    copy = tmp_path / "store.duckdb"
    shutil.copyfile(store, copy)
    env = dict(os.environ, CAREERBENCH_HOME=str(tmp_path / "home"))
    with serving(copy, "--workers", workers, env=env, stderr=subprocess.PIPE) as (port, server):
        assert status(port, "localhost") == 200
        # A client that sends half of its body and then nothing more.
        stalled = socket.create_connection(("127.0.0.1", port), timeout=30)
        stalled.sendall(
            b"POST /api/points HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
            b"Content-Length: 10000\r\n\r\n" + b"x" * 5000
        )
        # A request that needs the pay model: answered at once (503, Retry-After) while the
        # server trains the model in the background.
        asked = f"http://127.0.0.1:{port}/api/estimate?role=ml-engineer&level=senior&country=US"
        try:
            with urllib.request.urlopen(asked, timeout=60) as response:
                answered = int(response.status)
        except urllib.error.HTTPError as exc:
            answered = exc.code
        time.sleep(1.0)  # the training is under way
        server.send_signal(signal.SIGTERM)
        started = time.monotonic()
        server.wait(timeout=20)
        stopped_after = time.monotonic() - started
        stalled.close()
        assert server.stderr is not None and "Traceback" not in server.stderr.read()
    assert answered == 503
    assert stopped_after < 10, stopped_after


def test_serve_refuses_an_oversized_request_head_and_keeps_answering(store: Path) -> None:
    with serving(store) as (port, _):
        head = b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Padding: %s\r\n\r\n"
        for size, refused in ((8 * 1024, False), (4 * 1024 * 1024, True)):
            with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
                try:
                    client.sendall(head % (b"a" * size))
                    answer = client.recv(64)
                except ConnectionResetError:
                    answer = b""  # refused while the client was still sending
            assert answer.startswith(b"HTTP/1.1 200") != refused, (size, answer)
        assert status(port, "localhost") == 200


def test_a_request_past_the_time_limit_is_answered_too_slow(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(REQUEST_SECONDS_ENV, "0.001")
    slow = TestClient(create_app(store))
    api = slow.get("/api/simulate?track=ml-engineer&years=10&paths=5000&seed=3")
    assert api.status_code == 503 and api.headers["retry-after"] == "30"
    assert "longer than the server's limit of 0.001 s" in api.json()["detail"][0]["msg"]
    page = slow.get("/simulate?track=ml-engineer&years=10&paths=5000&seed=3")
    assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
    assert "Too slow" in page.text and "Content-Security-Policy" in page.headers
    monkeypatch.setenv(REQUEST_SECONDS_ENV, "0")  # no limit: the same question is answered
    unlimited = TestClient(create_app(store))
    assert unlimited.get("/api/simulate?track=ml-engineer&years=10&paths=5000&seed=3").is_success


@pytest.mark.parametrize("value", ["soon", "-1", "inf"])
def test_serve_names_a_wrong_time_limit(store: Path, value: str) -> None:
    env = dict(os.environ, **{REQUEST_SECONDS_ENV: value})
    done = subprocess.run(
        [*CLI, "serve", "--store", str(store)], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    message = " ".join(done.stderr.split())
    assert f"{REQUEST_SECONDS_ENV}: {value!r} is not a number" in message
    assert "give e.g. 60, or 0 for none" in message
