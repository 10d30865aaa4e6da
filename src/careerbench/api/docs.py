"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), served from this server alone.

Their scripts and styles come from the ``fastapi-offline`` package, mounted at ``ASSETS``, and
Swagger UI is started by a script file of ours (``web/static/docs.js``) rather than an inline
script: the pages load nothing from elsewhere and run under the app's Content-Security-Policy
(scripts only from this server). ReDoc's sidebar asks for its maker's logo from a CDN: the policy
blocks it and ReDoc then leaves it out.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

#: Where the documentation's scripts and styles are served.
ASSETS = "/docs-assets"
ASSET_DIR = Path(fastapi_offline.__file__).parent / "static"


def _page(head: str, body: str) -> str:
    """A documentation page: the shared head (title, no favicon request), then ``body``;
    ``{title}`` and ``{openapi}`` are filled per app."""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · API</title>
<link rel="icon" href="data:,">
{head}</head>
<body>
{body}</body>
</html>
"""


SWAGGER = _page(
    f'<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">\n',
    '<main id="swagger-ui" data-openapi="{openapi}"></main>\n'
    f'<script src="{ASSETS}/swagger-ui-bundle.js"></script>\n'
    '<script src="/static/docs.js"></script>\n',
)
REDOC = _page(
    "",
    '<redoc spec-url="{openapi}" disable-search="true"></redoc>\n'
    f'<script src="{ASSETS}/redoc.standalone.js"></script>\n',
)


def add_docs(app: FastAPI) -> None:
    """Serve ``/docs`` and ``/redoc`` for ``app`` (created with ``docs_url=None``,
    ``redoc_url=None``) and their assets."""
    routes = APIRouter(include_in_schema=False)
    openapi = app.openapi_url or "/openapi.json"

    @routes.get("/docs", response_class=HTMLResponse)
    def swagger() -> HTMLResponse:
        return HTMLResponse(SWAGGER.format(title=app.title, openapi=openapi))

    @routes.get("/redoc", response_class=HTMLResponse)
    def redoc() -> HTMLResponse:
        return HTMLResponse(REDOC.format(title=app.title, openapi=openapi))

    app.include_router(routes)
    app.mount(ASSETS, StaticFiles(directory=str(ASSET_DIR)), name="docs-assets")
