"""An ASGI guard in front of the public site: no one client takes it down (#18).

- Methods: GET and HEAD only (the site has no write path); anything else is 405.
- User-written SQL (``?sql=`` or ``?_where=``) runs at most one request at a time per
  client and at most ``sql_slots`` at a time in all, so Datasette's SQL threads are never
  all taken by time-limited queries and the pages keep answering. A client's further
  queries wait in a short queue; past it they get 429, and past the global wait 503.
- Responses are capped at ``max_response_bytes``: a whole body over the cap becomes a 400
  saying so; a streamed body is cut off by closing the connection (the client sees an
  incomplete response, never a silently short one).
- An exception that escapes the application becomes a 500 with one log line.
- The database download (``/<name>.db``, issue 17) is a file streamed from disk: not capped.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import defaultdict
from urllib.parse import parse_qsl

log = logging.getLogger("policy_tracker.site")
if not log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(levelname)-9s %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)
    log.propagate = False

METHODS = ("GET", "HEAD")
DOWNLOAD = re.compile(r"/[^/]+\.db")  # /tracker.db: the served database's file, not capped (#17)
SQL_PARAMS = ("sql", "_where")


class _Cut(BaseException):
    """Raised into the application when its response went over the size cap (a BaseException,
    so that no ``except Exception`` in Datasette turns it into an error page)."""


def is_user_sql(query_string: bytes) -> bool:
    """True when the request carries SQL written by the client."""
    if not query_string:
        return False
    return any(key in SQL_PARAMS for key, _ in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True))


def one_line(text: str) -> str:
    return " ".join(str(text).split())[:300]


async def plain(send, status: int, message: str, headers: tuple = ()) -> None:
    body = json.dumps({"ok": False, "status": status, "error": message}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        *headers]})
    await send({"type": "http.response.body", "body": body})


async def _refuse(send, status: int, message: str) -> None:
    """429 or 503 with Retry-After; the access log's line is the one line it gets."""
    await plain(send, status, message, ((b"retry-after", b"2"),))


class Guard:
    def __init__(self, app, sql_slots: int = 2, client_queue: int = 4, wait_seconds: float = 10.0,
                 max_response_bytes: int = 24 * 1024 * 1024):
        self.app = app
        self.sql_slots = asyncio.Semaphore(sql_slots)
        self.client_queue = client_queue
        self.wait_seconds = wait_seconds
        self.max_response_bytes = max_response_bytes
        self.clients: dict[str, asyncio.Semaphore] = {}
        self.pending: dict[str, int] = defaultdict(int)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in METHODS:
            await plain(send, 405, f"{scope['method']} is not allowed here", ((b"allow", b"GET, HEAD"),))
            return
        if is_user_sql(scope.get("query_string", b"")):
            await self._sql(scope, receive, send)
        elif DOWNLOAD.fullmatch(scope.get("path", "")) and not scope.get("query_string"):
            await self.app(scope, receive, send)  # the database file (#17): streamed from disk, as big as it is
        else:
            await self._run(scope, receive, send)

    async def _sql(self, scope, receive, send):
        client = (scope.get("client") or ("unknown",))[0]
        if self.pending[client] > self.client_queue:  # one running and client_queue waiting already
            return await _refuse(send, 429, "Too many SQL queries at once from your address; wait for the earlier ones.")
        mine = self.clients.setdefault(client, asyncio.Semaphore(1))
        self.pending[client] += 1
        got_mine = False
        try:
            got_mine = await self._acquire(mine)
            if not got_mine:
                return await _refuse(send, 429, "Your earlier SQL queries are still running; try again shortly.")
            if not await self._acquire(self.sql_slots):
                return await _refuse(send, 503, "The SQL endpoint is busy; try again shortly.")
            try:
                await self._run(scope, receive, send)
            finally:
                self.sql_slots.release()
        finally:
            if got_mine:
                mine.release()
            self.pending[client] -= 1
            if not self.pending[client]:
                del self.pending[client], self.clients[client]

    async def _acquire(self, semaphore: asyncio.Semaphore) -> bool:
        try:
            await asyncio.wait_for(semaphore.acquire(), self.wait_seconds)
            return True
        except asyncio.TimeoutError:
            return False

    async def _run(self, scope, receive, send):
        state = {"held": None, "started": False, "sent": 0, "cut": False}
        cap = self.max_response_bytes

        async def capped(event):
            if event["type"] == "http.response.start":
                state["held"] = event  # sent with the first body part, once its size is known
                return
            if event["type"] != "http.response.body":
                await send(event)
                return
            body = event.get("body", b"")
            state["sent"] += len(body)
            if not state["started"]:
                if state["sent"] > cap and not event.get("more_body"):
                    raise _Cut()
                state["started"] = True
                await send(state["held"])
            if state["sent"] > cap:
                state["cut"] = True
                raise _Cut()
            await send(event)

        try:
            await self.app(scope, receive, capped)
            if state["held"] is not None and not state["started"]:
                await send(state["held"])
        except _Cut:
            log.warning("%s %s: response cut at %d MB", scope["method"], scope["path"], cap // 2**20)
            if not state["cut"]:
                await plain(send, 400, f"The response would be over {cap // 2**20} MB; ask for fewer rows "
                                       "(_size=) or columns (_col=).")
            # after a cut mid-stream, returning without finishing makes the server close the connection
        except Exception as exc:  # noqa: BLE001 - the one place an escaped error becomes a 500
            log.error("%s %s 500 %s: %s", scope["method"], scope["path"], type(exc).__name__, one_line(exc))
            if not state["started"]:
                await plain(send, 500, "Internal error; it has been logged.")
