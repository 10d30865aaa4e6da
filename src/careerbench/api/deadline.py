"""A time limit on every request: a question that has not begun its answer within the limit is
answered 503 with ``Retry-After`` (JSON under ``/api/``, a page elsewhere), so that a client
never waits without end and a slow question cannot hold a connection open.

The work itself cannot be stopped midway (it runs in a worker thread, which Python cannot
interrupt): it finishes in the background and its answer is dropped. The worker threads are a
bounded pool, so abandoned work cannot pile up beyond it.

The limit is ``config.request_seconds()``: ``$CAREERBENCH_REQUEST_SECONDS`` (``careerbench serve
--time-limit``), a minute by default, ``0`` for none.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: What a client is told to wait before asking again.
RETRY_AFTER_SECONDS = 30
_LOG = logging.getLogger(__name__)


#: Makes the page for a page route's request that ran out of time, from the message.
PageMaker = Callable[[str], Response]


def too_slow(path: str, seconds: float, page: PageMaker) -> Response:
    message = (
        f"This question took longer than the server's limit of {seconds:g} s and was stopped. "
        "Ask a narrower question, or try again later."
    )
    if path.startswith("/api/"):
        detail = {"detail": [{"loc": ["server"], "msg": message, "type": "timeout"}]}
        response: Response = JSONResponse(detail, status_code=503)
    else:
        response = page(message)
        response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class Deadline:
    """Pure ASGI middleware: a request whose answer has not started after ``seconds`` gets
    ``too_slow`` instead (page routes get the page ``page`` makes); an answer that has started
    is left to finish."""

    def __init__(self, app: ASGIApp, seconds: float, page: PageMaker) -> None:
        self.app = app
        self.seconds = seconds
        self.page = page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        abandoned = False

        async def send_unless_abandoned(message: Message) -> None:
            nonlocal started
            if abandoned:
                return
            started = True
            await send(message)

        work = asyncio.ensure_future(self.app(scope, receive, send_unless_abandoned))
        try:
            done, _ = await asyncio.wait({work}, timeout=self.seconds)
        except asyncio.CancelledError:  # the server is stopping: so is the request
            work.cancel()
            raise
        if done or started:
            await work  # finished, or answering: let it end (its errors are its own)
            return
        abandoned = True
        work.add_done_callback(_drop)
        await too_slow(scope["path"], self.seconds, self.page)(scope, receive, send)


def _drop(work: asyncio.Future[None]) -> None:
    """Collect an abandoned request's outcome, so that its failure is logged (without the
    request's content) instead of warned about as never retrieved."""
    if not work.cancelled() and work.exception() is not None:
        _LOG.warning("a request abandoned at the time limit failed afterwards")
