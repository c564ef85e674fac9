"""CSV exports safe to open in a spreadsheet (#18).

A crawled headline such as ``=HYPERLINK("https://evil.example", "click")`` is a formula to
Excel, LibreOffice and Google Sheets. Every CSV the site sends (tables, views, canned and
user-written queries, streamed or not) passes through ``FormulaGuard``: a cell starting
with ``= + - @``, a tab or a carriage return gets a leading apostrophe (the OWASP advice),
unless the whole cell is a number such as ``-12.5``. Records with no such cell pass through
byte for byte; the stream is read record by record, so memory stays flat.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_CANDIDATE = re.compile(r'(?:^|,)"?[=+\-@\t\r]')


def safe_cell(value: str) -> str:
    if value[:1] in TRIGGERS and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_record(record: str) -> str:
    """One CSV record (with its line ending) with every formula-like cell neutralised."""
    if not _CANDIDATE.search(record):
        return record
    body = record.rstrip("\r\n")
    ending = record[len(body):]
    rows = list(csv.reader(io.StringIO(body, newline="")))
    if len(rows) != 1:
        return record
    cells = [safe_cell(cell) for cell in rows[0]]
    if cells == rows[0]:
        return record
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator=ending).writerow(cells)
    return out.getvalue()


class FormulaGuard:
    """Incremental: feed() bytes as they come, close() at the end; records are never split."""

    def __init__(self, encoding: str = "utf-8"):
        self.decoder = codecs.getincrementaldecoder(encoding)(errors="surrogateescape")
        self.encoding = encoding
        self.pending = ""  # the start of a record whose end has not arrived
        self.quotes = 0  # '"' characters in pending: odd means inside a quoted cell

    def feed(self, data: bytes, final: bool = False) -> bytes:
        text = self.decoder.decode(data, final)
        out = []
        for piece in text.splitlines(keepends=True):
            self.pending += piece
            self.quotes += piece.count('"')
            if piece.endswith("\n") and self.quotes % 2 == 0:
                out.append(safe_record(self.pending))
                self.pending, self.quotes = "", 0
        if final and self.pending:
            out.append(safe_record(self.pending))
            self.pending, self.quotes = "", 0
        return "".join(out).encode(self.encoding, errors="surrogateescape")

    def close(self) -> bytes:
        return self.feed(b"", final=True)


def is_csv(path: str, query: bytes, content_type: str) -> bool:
    if content_type.startswith("text/csv"):
        return True
    return content_type.startswith("text/plain") and (path.endswith(".csv") or b"_format=csv" in query)


def csv_guard(app):
    """ASGI middleware running every CSV response body through a FormulaGuard."""

    async def guarded(scope, receive, send):
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        guard = None

        async def wrapped(event):
            nonlocal guard
            if event["type"] == "http.response.start":
                headers = dict(event.get("headers", []))
                ctype = headers.get(b"content-type", b"").decode("latin-1").lower()
                if is_csv(scope.get("path", ""), scope.get("query_string", b""), ctype):
                    guard = FormulaGuard()
                    event = dict(event, headers=[(k, v) for k, v in event.get("headers", [])
                                                 if k.lower() != b"content-length"])
            elif event["type"] == "http.response.body" and guard is not None:
                more = event.get("more_body", False)
                event = dict(event, body=guard.feed(event.get("body", b""), final=not more))
            await send(event)

        await app(scope, receive, wrapped)

    return guarded
