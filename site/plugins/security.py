"""Security headers on every response and SQLite limits on every connection.

- Our own pages (no inline script) get a strict Content-Security-Policy;
  Datasette's pages (which carry inline scripts) get one without script-src.
- Every response: nosniff, a Referrer-Policy, frame-ancestors 'none'.
- SQLite run-time limits stop one query from allocating gigabytes (a
  progress handler bounds time, not memory; RELIABILITY.md §1.2).
"""

from __future__ import annotations

import sqlite3

from datasette import hookimpl

OUR_PAGES = ("/", "/timeline", "/sources")
OUR_PREFIXES = ("/vendors/", "/organisations/", "/events/")
STRICT = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
          "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
RELAXED = "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
MAX_LENGTH = 10_000_000  # bytes in one string or blob
MAX_SQL_LENGTH = 100_000


def _csp(path: str) -> str:
    return STRICT if path in OUR_PAGES or path.startswith(OUR_PREFIXES) else RELAXED


@hookimpl
def asgi_wrapper():
    def wrap(app):
        async def add_headers(scope, receive, send):
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            path = scope.get("path", "")

            async def wrapped_send(event):
                if event["type"] == "http.response.start":
                    headers = [(k, v) for k, v in event.get("headers", [])
                               if k.lower() not in (b"content-security-policy", b"x-content-type-options",
                                                    b"referrer-policy", b"x-frame-options")]
                    headers += [
                        (b"content-security-policy", _csp(path).encode()),
                        (b"x-content-type-options", b"nosniff"),
                        (b"referrer-policy", b"no-referrer"),
                        (b"x-frame-options", b"DENY"),
                    ]
                    event = dict(event, headers=headers)
                await send(event)

            await app(scope, receive, wrapped_send)

        return add_headers

    return wrap


@hookimpl
def prepare_connection(conn):
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_LENGTH)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_LENGTH)
    conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
