"""``careerbench serve``: the web app and the REST API on this machine.

A request's line and headers are limited to ``MAX_HEAD_BYTES``. Stopping is bounded: on SIGTERM
(or Ctrl-C) the server stops taking connections, lets the requests in flight finish for
``GRACE_SECONDS``, then cancels them; a single-process server that is still running
``HARD_EXIT_SECONDS`` after the signal (a request's work in a thread cannot be cancelled) ends
its process there; with ``--workers N`` the supervisor ends the workers still running then.
Nothing is lost: the store is only read by the server.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from careerbench.cli.common import StoreOption, console
from careerbench.config import (
    DEFAULT_REQUEST_SECONDS,
    REQUEST_SECONDS_ENV,
    request_seconds,
    store_path,
)

if TYPE_CHECKING:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

#: The most bytes of a request's line and headers: a larger head is refused (400) before it
#: is read whole (the pure-Python HTTP parser is the one that enforces a limit).
MAX_HEAD_BYTES = 64 * 1024
#: Seconds the requests in flight get to finish after the signal to stop.
GRACE_SECONDS = 3
#: Seconds after the signal to stop when the process ends, whatever is still running.
HARD_EXIT_SECONDS = 6


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
    time_limit: Annotated[
        float | None,
        typer.Option(
            min=0,
            help="Seconds a request may take before it is answered 'too slow' (503); 0: no "
            f"limit. Default: ${REQUEST_SECONDS_ENV}, else {DEFAULT_REQUEST_SECONDS:g}.",
        ),
    ] = None,
) -> None:
    """Serve the web app and the API (no access log: submitted pay is never logged)."""
    import uvicorn  # the server: loaded only when serving

    if time_limit is not None:
        os.environ[REQUEST_SECONDS_ENV] = f"{time_limit:g}"
    request_seconds()  # a wrong value in the environment is named here, before serving

    # Workers build the app themselves: they find the store through the environment.
    os.environ["CAREERBENCH_STORE"] = str(store_path(store))
    # ... and the Host names they answer for (others are refused: DNS rebinding).
    hosts = [host, *(allowed_host or [])]
    earlier = os.environ.get("CAREERBENCH_ALLOWED_HOSTS", "")
    os.environ["CAREERBENCH_ALLOWED_HOSTS"] = ",".join([*hosts, *earlier.split(",")]).strip(",")
    console.print(f"careerbench is at http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    options = {
        "factory": True, "host": host, "port": port, "access_log": False,
        "log_level": "warning", "timeout_graceful_shutdown": GRACE_SECONDS,
        "http": "h11", "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
    }  # fmt: skip
    config = uvicorn.Config(
        "careerbench.api.app:create_app",
        workers=workers,
        **options,  # type: ignore[arg-type]
    )
    if workers > 1:
        bounded_workers(config).run()
    else:
        bounded_server(config).run()


def bounded_server(config: uvicorn.Config) -> uvicorn.Server:
    """A server whose process ends ``HARD_EXIT_SECONDS`` after a signal to stop at the latest."""
    import uvicorn  # the server: loaded only when serving

    class BoundedServer(uvicorn.Server):
        deadline: threading.Timer | None = None

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            super().handle_exit(sig, frame)
            if self.deadline is None:
                self.deadline = threading.Timer(HARD_EXIT_SECONDS, _hard_exit)
                self.deadline.daemon = True
                self.deadline.start()

    return BoundedServer(config)


def bounded_workers(config: uvicorn.Config) -> Multiprocess:
    """Worker processes under a supervisor that, once told to stop, waits for them
    ``HARD_EXIT_SECONDS`` at most and then ends the ones still running."""
    from uvicorn.supervisors import Multiprocess

    class BoundedWorkers(Multiprocess):
        def join_all(self) -> None:
            deadline = time.monotonic() + HARD_EXIT_SECONDS
            for worker in self.processes:
                worker.process.join(max(0.0, deadline - time.monotonic()))
            for worker in self.processes:
                if worker.process.is_alive():
                    worker.kill()
                    worker.join()
                    sys.stderr.write(_HARD_EXIT_MESSAGE)

    return BoundedWorkers(config, sockets=[config.bind_socket()])


_HARD_EXIT_MESSAGE = (
    f"careerbench: stopped {HARD_EXIT_SECONDS} s after the signal to stop; work still running "
    "in a request was abandoned\n"
)


def _hard_exit() -> None:
    sys.stderr.write(_HARD_EXIT_MESSAGE)
    sys.stderr.flush()
    os._exit(1)
