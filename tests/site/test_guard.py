"""The request guard and the CSV formula guard on their own (#18): real ASGI applications driven
through the ASGI interface, and Hypothesis over CSV cells and chunkings."""

import asyncio
import csv
import io
import logging
from concurrent.futures import ThreadPoolExecutor

from hypothesis import given, settings, strategies as st

from db.csv_cells import TRIGGERS, FormulaGuard, _NUMBER, safe_cell
from db.guard import Guard, is_user_sql, log


def arun(coro):
    """asyncio.run in a thread of its own (the browser tests keep an event loop in the main thread)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def call(app, path="/", method="GET", query=b"", client=("192.0.2.1", 1)) -> list[dict]:
    """Run one request through an ASGI app; returns the messages it sent."""
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "query_string": query, "headers": [], "client": client}
    arun(app(scope, receive, send))
    return sent


def streaming_app(parts: int, size: int):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        for _ in range(parts):
            await send({"type": "http.response.body", "body": b"x" * size, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    return app


def test_an_escaped_exception_is_a_500_and_one_log_line():
    async def broken(scope, receive, send):
        raise ValueError("boom\nsecond line")

    records = []
    handler = logging.Handler()
    handler.emit = records.append
    log.addHandler(handler)
    try:
        sent = call(Guard(broken))
    finally:
        log.removeHandler(handler)
    assert sent[0]["status"] == 500 and b"logged" in sent[1]["body"]
    assert [r.getMessage() for r in records] == ["GET / 500 ValueError: boom second line"]


def test_a_whole_body_over_the_cap_becomes_a_400():
    sent = call(Guard(_whole(2000), max_response_bytes=1000))
    assert sent[0]["status"] == 400 and b"over" in sent[1]["body"]


def _whole(size):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"y" * size})
    return app


def test_a_stream_over_the_cap_is_cut_without_a_clean_end():
    """The client must see an incomplete response, never a complete but short one."""
    sent = call(Guard(streaming_app(10, 300), max_response_bytes=1000))
    bodies = [m for m in sent if m["type"] == "http.response.body"]
    assert sent[0]["status"] == 200 and sum(len(m["body"]) for m in bodies) <= 1000
    assert all(m.get("more_body") for m in bodies)


def test_a_stream_under_the_cap_is_untouched():
    sent = call(Guard(streaming_app(3, 300), max_response_bytes=1000))
    assert b"".join(m.get("body", b"") for m in sent[1:]) == b"x" * 900 and not sent[-1].get("more_body")


def test_only_get_and_head_are_served():
    for method in ("POST", "PUT", "DELETE", "TRACE", "PROPFIND", "OPTIONS"):
        sent = call(Guard(_whole(1)), method=method)
        assert sent[0]["status"] == 405 and (b"allow", b"GET, HEAD") in sent[0]["headers"]


def test_user_sql_is_recognised_in_any_form():
    assert is_user_sql(b"sql=select+1") and is_user_sql(b"_where=1%3D1&_size=1") and is_user_sql(b"a=1&sql=")
    assert not is_user_sql(b"") and not is_user_sql(b"q=sql") and not is_user_sql(b"_search=sql")


def test_a_clients_queries_run_one_at_a_time():
    """Ten concurrent requests from one address: never two running, and the queue is bounded."""
    running, most, statuses = [0], [0], []

    async def slow(scope, receive, send):
        running[0] += 1
        most[0] = max(most[0], running[0])
        await asyncio.sleep(0.01)
        running[0] -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    guard = Guard(slow, sql_slots=2, client_queue=4)

    async def one(client):
        sent = []

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": "/db.json", "query_string": b"sql=select+1",
                 "headers": [], "client": (client, 1)}
        await guard(scope, None, send)
        statuses.append(sent[0]["status"])

    async def burst():
        await asyncio.gather(*(one("192.0.2.1") for _ in range(10)), *(one(f"198.51.100.{n}") for n in range(6)))

    arun(burst())
    assert most[0] <= 2  # the global slots
    assert statuses.count(429) == 5 and statuses.count(200) == 11  # 1 running + 4 waiting per address


def _csv(rows) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_formula_cells_are_neutralised_and_numbers_kept():
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")' and safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\t=1") == "'\t=1" and safe_cell("-2+3") == "'-2+3" and safe_cell("+") == "'+"
    assert safe_cell("-12.5") == "-12.5" and safe_cell("+3e4") == "+3e4" and safe_cell("a=b") == "a=b"


def test_records_without_formulas_pass_byte_for_byte():
    data = _csv([["id", "title", "n"], ["1", "plain, quoted \"text\"", "-5"], ["2", "multi\r\nline", ""]])
    guard = FormulaGuard()
    assert guard.feed(data) + guard.close() == data


CELL = st.text(alphabet=st.sampled_from(list("=+-@\t\r\n\",ab1. '")), max_size=8)


@settings(max_examples=400, deadline=None)
@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=4), min_size=1, max_size=6), cut=st.integers(1, 17))
def test_any_chunking_gives_the_same_safe_cells(rows, cut):
    """Whatever the cells and wherever the stream is split, each cell comes back as safe_cell(cell)."""
    data = _csv(rows)
    guard = FormulaGuard()
    out = b"".join(guard.feed(data[i:i + cut]) for i in range(0, len(data), cut)) + guard.close()
    back = list(csv.reader(io.StringIO(out.decode(), newline="")))
    assert back == [[safe_cell(c) for c in row] for row in list(csv.reader(io.StringIO(data.decode(), newline="")))]
    assert not [c for row in back for c in row if c[:1] in TRIGGERS and not _NUMBER.fullmatch(c)]
