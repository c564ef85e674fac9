"""Security headers on every response, the request guard, and limits on every connection.

- Every response, errors included: a Content-Security-Policy (strict on our pages, which
  have no script; Datasette's inline scripts allowed by hash on its pages), nosniff, a
  Referrer-Policy, frame-ancestors 'none'.
- The guard (db/guard.py): GET and HEAD only, one SQL query at a time per client, SQL
  slots kept below Datasette's thread count, a response-size cap.
- CSV exports neutralise spreadsheet formulas (db/csv_cells.py).
- Connection limits (db/connection_limits.py): value and SQL sizes, no pointer or
  extension functions, a byte budget per query result.
"""

from __future__ import annotations

from datasette import hookimpl

from db import connection_limits, csp
from db.csv_cells import csv_guard
from db.guard import Guard

SECURITY_HEADERS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"))
REPLACED = {b"content-security-policy", b"x-content-type-options", b"referrer-policy", b"x-frame-options"}


def with_headers(app):
    async def add_headers(scope, receive, send):
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        policy = csp.policy(scope.get("path", "")).encode()

        async def wrapped_send(event):
            if event["type"] == "http.response.start":
                headers = [(k, v) for k, v in event.get("headers", []) if k.lower() not in REPLACED]
                headers += [(b"content-security-policy", policy), *SECURITY_HEADERS]
                event = dict(event, headers=headers)
            await send(event)

        await app(scope, receive, wrapped_send)

    return add_headers


@hookimpl
def asgi_wrapper(datasette):
    sql_slots = max(1, datasette.setting("num_sql_threads") // 2)

    def wrap(app):
        return with_headers(Guard(csv_guard(app), sql_slots=sql_slots))

    return wrap


@hookimpl
def prepare_connection(conn):
    connection_limits.limit(conn)
