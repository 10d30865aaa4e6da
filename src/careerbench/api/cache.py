"""A small in-memory cache of whole API answers, one per application (so per worker process).

For GET routes whose answer is a function of the query string and the store alone (today:
``/api/benchmark``), declared with ``route_class_override=StoreCachedRoute``:

- An entry is a 200 answer's JSON body, keyed by the route and the exact query string, under
  the store file's stamp (size and modification time of the file and its write-ahead log). Any
  write to the store changes the stamp, and the first request that sees the new stamp drops
  every entry; so does the pay model's training, which changes answers. A hit skips
  validation too: the same query string validates to the same query.
- At most ``size`` entries, least recently used dropped first; query strings over
  ``MAX_QUERY`` bytes and bodies over ``MAX_BODY`` bytes are not kept, so the cache holds at most
  about ``size`` x 4 kB in practice (``DEFAULT_SIZE``: a few MB). ``CAREERBENCH_RESPONSE_CACHE``
  sets the size; 0 turns the cache off.
- A query that carries the user's own pay (``tc``, ``base``) is never kept: careerbench does not
  store submitted pay, not even in memory beyond the request that uses it.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Coroutine, Hashable
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from careerbench.config import store_path
from careerbench.estimate import model_path
from careerbench.store import file_stamp

DEFAULT_SIZE = 1024
ENV = "CAREERBENCH_RESPONSE_CACHE"
MAX_QUERY = 2048
MAX_BODY = 64 * 1024
#: Query parameters that are the user's own pay: answers to them are never cached.
PAY_PARAMETERS = frozenset({"tc", "base"})


def configured_size() -> int:
    """Entries, from ``$CAREERBENCH_RESPONSE_CACHE`` (0: off), else ``DEFAULT_SIZE``."""
    text = os.environ.get(ENV, "").strip()
    if not text:
        return DEFAULT_SIZE
    if not text.isdigit():
        raise ValueError(f"{ENV} must be a number of entries (0 turns the cache off), not {text!r}")
    return int(text)


class ResponseCache:
    """Least-recently-used bodies, all under one store stamp (see the module docstring)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._stamp: Hashable = None
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, stamp: Hashable, key: Hashable) -> bytes | None:
        with self._lock:
            if stamp != self._stamp:
                self._entries.clear()  # the store changed: nothing kept can be trusted
                self._stamp = stamp
                self.misses += 1
                return None
            body = self._entries.get(key)
            if body is None:
                self.misses += 1
            else:
                self.hits += 1
                self._entries.move_to_end(key)
            return body

    def put(self, stamp: Hashable, key: Hashable, body: bytes) -> None:
        if not self.enabled:
            return
        with self._lock:
            if stamp != self._stamp:
                return  # the store changed while this answer was computed
            self._entries[key] = body
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


def model_ready(store: Path) -> bool:
    """Whether the store's pay model is trained (its file is there)."""
    return model_path(store).is_file()


class StoreCachedRoute(APIRoute):
    """A GET route whose 200 answers are kept in the app's ``response_cache``.

    Only for routes whose answer depends on nothing but the query string and the store.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        path = self.path

        async def cached_handler(request: Request) -> Response:
            cache: ResponseCache | None = getattr(request.app.state, "response_cache", None)
            query: bytes = request.scope["query_string"]
            if (
                cache is None
                or not cache.enabled
                or len(query) > MAX_QUERY
                or any(name in PAY_PARAMETERS for name in request.query_params)
            ):
                return await handler(request)
            store = store_path(request.app.state.store)
            files = file_stamp(store)
            # An answer given before the pay model was trained is not kept once it is.
            stamp = (str(store), files, bool(files) and model_ready(store))
            key = (path, query)
            body = cache.get(stamp, key)
            if body is not None:
                return Response(body, media_type="application/json")
            response = await handler(request)
            sent = getattr(response, "body", None)  # a streamed answer has none
            if (
                files  # the store exists
                and response.status_code == 200
                and response.media_type == "application/json"
                and isinstance(sent, bytes)
                and len(sent) <= MAX_BODY
            ):
                cache.put(stamp, key, sent)
            return response

        return cached_handler
