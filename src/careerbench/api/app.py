"""The web application: the REST API under ``/api/``, the pages, and their safety rails.

- Every error the library raises on purpose becomes HTTP 422 with the field and the message
  (unknown values list the closest valid ones); a missing, damaged or busy store becomes 503,
  its message naming the store's file but not its folder, the interpreter or a process id.
  Any other failure is a 500 without detail: JSON under ``/api/``, an HTML page elsewhere.
  No stack traces.
- Request bodies are limited to ``MAX_BODY`` bytes (``BODY_LIMITS`` raises it for the routes
  that take files' worth of rows), also when sent in chunks without a length; query models
  bound every parameter.
- Every CSV the server sends has its formula-like text cells neutralized (a leading apostrophe
  before ``=``, ``+``, ``-``, ``@``; figures stay as they are), whichever route made it.
- A request that has not begun its answer within the time limit (``api.deadline``; a minute by
  default) is answered 503 with ``Retry-After``.
- HEAD is answered wherever GET is (the same status and headers, no body).
- The Host header must name this server when an allow-list is set (``allowed_hosts``, or
  ``$CAREERBENCH_ALLOWED_HOSTS``, comma-separated; ``careerbench serve`` always sets one: the
  loopback names, the address it listens on and its ``--allowed-host`` values), so a web page
  on another domain that resolves its name to this machine (DNS rebinding) cannot read it.
- Responses carry security headers (a strict Content-Security-Policy: pages load scripts and
  styles only from this server, the API documentation at ``/docs`` and ``/redoc`` included);
  CORS is off; nothing is fetched from elsewhere.
- Submitted pay is never logged or stored: the server runs without an access log, nothing
  a request carries is written anywhere, and the tax engine's logger (which writes the raw form
  inputs, wages included, at DEBUG) is held at WARNING whatever the host's logging setup. The
  bounded in-memory response cache of ``/api/benchmark`` (``api.cache``) never keeps a query
  that carries pay (``tc``, ``base``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Sequence
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from careerbench import __version__
from careerbench.api import (
    routes_estimate,
    routes_market,
    routes_money,
    routes_paths,
    routes_points,
)
from careerbench.api.cache import ResponseCache, configured_size
from careerbench.api.deadline import Deadline
from careerbench.api.docs import add_docs
from careerbench.config import request_seconds
from careerbench.errors import CareerbenchError, StoreError
from careerbench.formatting import spreadsheet_safe_csv
from careerbench.memory import limit_arenas
from careerbench.web import kit, site

MAX_BODY = 256 * 1024
#: Larger limits for some paths: a batch of 10,000 Levels.fyi rows with all 29 columns is
#: about 6 MB of JSON.
BODY_LIMITS = {"/api/estimate/batch": 8 * 1024 * 1024}
#: Third-party loggers that would write submitted pay at DEBUG or INFO.
QUIET_LOGGERS = ("tenforty",)
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class LimitsAndHeaders:
    """Pure ASGI middleware: reject oversized bodies, add the security headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = BODY_LIMITS.get(scope["path"], MAX_BODY)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _too_large(limit)(scope, receive, send)
            return
        if length is None and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            # No length given (a chunked body): read it here, up to the limit, then replay it.
            body = bytearray()
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away
                body += message.get("body", b"")
                if len(body) > limit:
                    await _too_large(limit)(scope, receive, send)
                    return
                if not message.get("more_body", False):
                    break
            receive = _replay(bytes(body), receive)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class SpreadsheetSafeCsv:
    """Pure ASGI middleware: a CSV response is held whole and sent with every text cell that a
    spreadsheet would run as a formula neutralized (``formatting.spreadsheet_safe_csv``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "HEAD":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body = bytearray()

        async def send_safe(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                kind = Headers(raw=message.get("headers", [])).get("content-type", "")
                if kind.startswith("text/csv"):
                    start = message  # sent with the body, once its length is known
                    return
            elif start is not None and message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                if message.get("more_body", False):
                    return
                try:
                    data = spreadsheet_safe_csv(body.decode("utf-8")).encode("utf-8")
                except UnicodeDecodeError:
                    data = bytes(body)
                MutableHeaders(scope=start)["content-length"] = str(len(data))
                await send(start)
                message = {"type": "http.response.body", "body": data, "more_body": False}
            await send(message)

        await self.app(scope, receive, send_safe)


class HeadAsGet:
    """Pure ASGI middleware: a HEAD request is answered as the GET would be, without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(dict(scope, method="GET"), receive, send_headers_only)


#: The names of this machine's loopback interface, always allowed as the Host.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
ALLOWED_HOSTS_ENV = "CAREERBENCH_ALLOWED_HOSTS"


def configured_hosts() -> list[str] | None:
    """The Host allow-list of ``$CAREERBENCH_ALLOWED_HOSTS`` (``None`` when it is not set)."""
    text = os.environ.get(ALLOWED_HOSTS_ENV)
    if text is None:
        return None
    return [host.strip() for host in text.split(",") if host.strip()]


def host_name(header: str) -> str:
    """The host of a Host header, without its port or an IPv6 address's brackets, lower case."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header[1:]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class AllowedHosts:
    """Pure ASGI middleware: a request whose Host is not on the allow-list is a 400.

    An entry is a host name or address (``[::1]`` and ``::1`` alike), ``*.example.com`` for
    any subdomain of it, or ``*`` for any host. The loopback names are always allowed.
    """

    def __init__(self, app: ASGIApp, hosts: Sequence[str]) -> None:
        self.app = app
        names = {host_name(h) for h in (*LOOPBACK_HOSTS, *hosts)}
        self.any = "*" in names
        self.suffixes = tuple(n[1:] for n in names if n.startswith("*."))
        self.names = {n for n in names if not n.startswith("*")}

    def allows(self, host: str) -> bool:
        return self.any or host in self.names or host.endswith(self.suffixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            host = host_name(Headers(scope=scope).get("host", ""))
            if not self.allows(host):
                response = JSONResponse(
                    {
                        "detail": [
                            {
                                "loc": ["header", "host"],
                                "msg": "this server does not answer for that host name; "
                                "start it with --allowed-host NAME to add one",
                            }
                        ]
                    },
                    status_code=400,
                    headers=SECURITY_HEADERS,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse(
        {"detail": [{"loc": ["body"], "msg": f"request body over {limit} bytes"}]},
        status_code=413,
        headers=SECURITY_HEADERS,
    )


def _replay(body: bytes, receive: Receive) -> Receive:
    """``receive`` that first gives ``body`` whole, then whatever the connection says next."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


#: An absolute path (POSIX or Windows) and a process id, as error texts write them.
_ABSOLUTE_PATH = re.compile(
    r"(?:\b[A-Za-z]:\\|(?<![\w.])/)(?:[^\s\"'()\\/]+[\\/])+([^\s\"'()\\/;,]+)"
)
_PROCESS_ID = re.compile(r"\s*\(?\bPID\s*\d+\)?", re.IGNORECASE)


def public_message(text: str) -> str:
    """``text`` as a client may see it: every absolute path cut to its file name (a store is
    still named, not where it lives or which interpreter holds it) and no process ids."""
    return _PROCESS_ID.sub("", _ABSOLUTE_PATH.sub(r"\1", text))


def _error_payload(request: Request, exc: CareerbenchError) -> dict[str, object]:
    field = getattr(exc, "field", None)
    where = "query" if request.method == "GET" else "body"
    return {
        "detail": [
            {
                "loc": [where, field] if field else ["request"],
                "msg": str(exc),
                "type": type(exc).__name__,
            }
        ]
    }


def _not_cancelled(record: logging.LogRecord) -> bool:
    return not (record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError))


def _too_slow_page(text: str) -> Response:
    return kit.status_page(503, "Too slow", text, site.PAGES)


def create_app(store: Path | None = None, allowed_hosts: Sequence[str] | None = None) -> FastAPI:
    """The application over the store at ``store`` (default: the configured store).

    ``allowed_hosts``: the Host names it answers for besides the loopback ones (default:
    ``$CAREERBENCH_ALLOWED_HOSTS``; when neither is given, any Host, as for an app mounted in
    another server that checks it).
    """
    app = FastAPI(
        title="careerbench",
        version=__version__,
        description="Pay and career decisions for AI/ML professionals, from real data points.",
        docs_url=None,  # served by ``api.docs``, from this server alone
        redoc_url=None,
    )
    limit_arenas()  # before the request threads start: see ``memory``
    app.state.store = store
    app.state.response_cache = ResponseCache(configured_size())
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    # Made in each server process after the server set up its logging: a request cancelled when
    # the server stops is counted once by the server, not logged with a traceback per request.
    server_log = logging.getLogger("uvicorn.error")
    if _not_cancelled not in server_log.filters:
        server_log.addFilter(_not_cancelled)

    app.add_middleware(SpreadsheetSafeCsv)
    app.add_middleware(HeadAsGet)
    seconds = request_seconds()
    if seconds is not None:
        app.add_middleware(Deadline, seconds=seconds, page=_too_slow_page)
    app.add_middleware(LimitsAndHeaders)
    hosts = configured_hosts() if allowed_hosts is None else list(allowed_hosts)
    if hosts is not None:
        app.add_middleware(AllowedHosts, hosts=hosts)

    @app.exception_handler(StoreError)
    async def store_missing(request: Request, exc: StoreError) -> JSONResponse:
        payload = _error_payload(request, exc)
        for item in payload["detail"]:  # type: ignore[attr-defined]
            item["msg"] = public_message(item["msg"])
        return JSONResponse(payload, status_code=503)

    @app.exception_handler(CareerbenchError)
    async def user_error(request: Request, exc: CareerbenchError) -> JSONResponse:
        return JSONResponse(_error_payload(request, exc), status_code=422)

    @app.exception_handler(ValueError)
    async def bad_value(_request: Request, exc: ValueError) -> JSONResponse:
        return JSONResponse(
            {"detail": [{"loc": ["request"], "msg": str(exc), "type": "ValueError"}]},
            status_code=422,
        )

    @app.exception_handler(Exception)
    async def server_error(request: Request, _exc: Exception) -> Response:
        # Outside the middleware: the security headers are added here.
        if request.url.path.startswith("/api/"):
            detail = {"detail": [{"loc": ["server"], "msg": "internal error", "type": "error"}]}
            return JSONResponse(detail, status_code=500, headers=SECURITY_HEADERS)
        page = kit.server_error_page(site.PAGES)
        page.headers.update(SECURITY_HEADERS)
        return page

    @app.get("/api/health", tags=["meta"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    add_docs(app)
    app.include_router(routes_market.router)
    app.include_router(routes_estimate.router)
    app.include_router(routes_points.router)
    app.include_router(routes_money.router)
    app.include_router(routes_paths.router)
    app.include_router(site.ROUTER)
    app.mount("/static", StaticFiles(directory=str(kit.STATIC)), name="static")
    return app
