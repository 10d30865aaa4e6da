"""``careerbench serve``: the web app and the REST API on this machine."""

from __future__ import annotations

from typing import Annotated

import typer

from careerbench.cli.common import StoreOption, console


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    store: StoreOption = None,
) -> None:
    """Serve the web app and the API (no access log: submitted pay is never logged)."""
    import uvicorn

    from careerbench.api.app import create_app

    console.print(f"careerbench is at http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(store), host=host, port=port, access_log=False, log_level="warning")
