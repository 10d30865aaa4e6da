"""``careerbench serve``: the web app and the REST API on this machine."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from careerbench.cli.common import StoreOption, console
from careerbench.config import store_path


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (one per core helps).")] = 1,
    store: StoreOption = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            help="Another host name the server answers for (besides localhost, 127.0.0.1, ::1 "
            "and --host), e.g. behind a proxy; may repeat; '*' for any. Also: "
            "$CAREERBENCH_ALLOWED_HOSTS, comma-separated.",
        ),
    ] = None,
) -> None:
    """Serve the web app and the API (no access log: submitted pay is never logged)."""
    import uvicorn  # the server: loaded only when serving

    # Workers build the app themselves: they find the store through the environment.
    os.environ["CAREERBENCH_STORE"] = str(store_path(store))
    # ... and the Host names they answer for (others are refused: DNS rebinding).
    hosts = [host, *(allowed_host or [])]
    earlier = os.environ.get("CAREERBENCH_ALLOWED_HOSTS", "")
    os.environ["CAREERBENCH_ALLOWED_HOSTS"] = ",".join([*hosts, *earlier.split(",")]).strip(",")
    console.print(f"careerbench is at http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(
        "careerbench.api.app:create_app", factory=True, host=host, port=port, workers=workers,
        access_log=False, log_level="warning",
    )  # fmt: skip
