"""The web application: the REST API under ``/api/``, the pages, and their safety rails.

- Every error the library raises on purpose becomes HTTP 422 with the field and the message
  (unknown values list the closest valid ones); a missing store becomes 503. No stack traces.
- Request bodies are limited to ``MAX_BODY`` bytes; query models bound every parameter.
- Responses carry security headers (a strict Content-Security-Policy: pages load scripts and
  styles only from this server); CORS is off; nothing is fetched from elsewhere.
- Submitted pay is never logged or stored: the server runs without an access log, and nothing
  a request carries is written anywhere.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from careerbench import __version__
from careerbench.errors import CareerbenchError, StoreError

MAX_BODY = 256 * 1024
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


def _error_payload(exc: CareerbenchError) -> dict[str, object]:
    field = getattr(exc, "field", None)
    return {
        "detail": [
            {
                "loc": ["query", field] if field else ["request"],
                "msg": str(exc),
                "type": type(exc).__name__,
            }
        ]
    }


def create_app(store: Path | None = None) -> FastAPI:
    """The application over the store at ``store`` (default: the configured store)."""
    from careerbench.api import routes_market, routes_money, routes_paths
    from careerbench.web import pages

    app = FastAPI(
        title="careerbench",
        version=__version__,
        description="Pay and career decisions for AI/ML professionals, from real data points.",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.store = store

    @app.middleware("http")
    async def limits_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            return JSONResponse(
                {"detail": [{"loc": ["body"], "msg": f"request body over {MAX_BODY} bytes"}]},
                status_code=413,
            )
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(StoreError)
    async def store_missing(_request: Request, exc: StoreError) -> JSONResponse:
        return JSONResponse(_error_payload(exc), status_code=503)

    @app.exception_handler(CareerbenchError)
    async def user_error(_request: Request, exc: CareerbenchError) -> JSONResponse:
        return JSONResponse(_error_payload(exc), status_code=422)

    @app.exception_handler(ValueError)
    async def bad_value(_request: Request, exc: ValueError) -> JSONResponse:
        return JSONResponse(
            {"detail": [{"loc": ["request"], "msg": str(exc), "type": "ValueError"}]},
            status_code=422,
        )

    @app.get("/api/health", tags=["meta"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    app.include_router(routes_market.router)
    app.include_router(routes_money.router)
    app.include_router(routes_paths.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(pages.STATIC)), name="static")
    return app
