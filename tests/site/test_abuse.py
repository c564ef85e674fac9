"""One client cannot take the site down (#18, points 1-3 and 11): the pages keep answering while
the SQL endpoint is abused, memory stays bounded whatever a query returns, every error is one log
line with the security headers, and no SQL reaches pointer or extension functions."""

import re
import statistics
import threading
import time

import httpx
import pytest

from tests.conftest import DatasetteServer

pytestmark = [pytest.mark.reliability, pytest.mark.serial, pytest.mark.timing]
HEAVY = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"
PAGES = ["/timeline", "/vendors/hikvision", "/timeline?q=Hikvision", "/tracker/actions?_size=10"]
PAGE_TIMEOUT = 60.0  # every page must answer; how fast is judged against the same machine when quiet
SLOWDOWN = 20  # before #18 the median page went from 9 ms to 7.3 s (800x) under five heavy-SQL clients


@pytest.fixture
def server(built, tmp_path):
    db = tmp_path / "tracker.db"
    db.write_bytes(built["db"].read_bytes())
    ds = DatasetteServer(db)
    yield ds
    ds.stop()


def peak_rss_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def server_pid(ds) -> int:
    return ds.process.pid  # `python -m db serve` execs Datasette in the same process


def loop(url, params, headers, out, stop):
    with httpx.Client(timeout=60, headers=headers) as client:
        while not stop.is_set():
            try:
                out.append(client.get(url, params=params).status_code)
            except httpx.HTTPError as exc:
                out.append(type(exc).__name__)


def probe(base, timings, stop):
    with httpx.Client(timeout=PAGE_TIMEOUT) as client:
        i = 0
        while not stop.is_set():
            path = PAGES[i % len(PAGES)]
            start = time.monotonic()
            try:
                status = client.get(base + path).status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            timings.append((path, status, time.monotonic() - start))
            i += 1


def test_pages_stay_responsive_while_the_sql_endpoint_is_abused(server, figures):
    """Heavy queries from one address and from several, 404 loops and huge results: every page answers."""
    quiet = []
    with httpx.Client(timeout=PAGE_TIMEOUT) as client:
        for path in PAGES * 5:
            start = time.monotonic()
            assert client.get(server.url + path).status_code == 200
            quiet.append(time.monotonic() - start)
    stop, attacks = threading.Event(), {"sql": [], "sql_spread": [], "missing": [], "large": []}
    sql = server.url + "/tracker.json"
    threads = [threading.Thread(target=loop, args=(sql, {"sql": HEAVY}, {}, attacks["sql"], stop)) for _ in range(5)]
    threads += [threading.Thread(target=loop, args=(sql, {"sql": HEAVY}, {"x-forwarded-for": f"203.0.113.{n}"},
                                                    attacks["sql_spread"], stop)) for n in range(5)]
    threads += [threading.Thread(target=loop, args=(server.url + "/no/such/page" + "/x" * 30, {}, {},
                                                    attacks["missing"], stop)) for _ in range(5)]
    big = "with r(n) as (select 1 union all select n + 1 from r where n < 20) select zeroblob(9000000) from r"
    threads.append(threading.Thread(target=loop, args=(sql, {"sql": big}, {"x-forwarded-for": "198.51.100.7"},
                                                       attacks["large"], stop)))
    for t in threads:
        t.start()
    timings: list = []
    try:
        time.sleep(1.5)
        prober = threading.Thread(target=probe, args=(server.url, timings, stop))
        prober.start()
        time.sleep(12)
    finally:
        stop.set()
        for t in threads:
            t.join()
    prober.join()
    answered = [t for t in timings if t[1] == 200]
    figures["sql_abuse"] = {
        "attack_clients": len(threads), "page_requests": len(timings), "pages_answered": len(answered),
        "page_p50_ms_quiet": round(statistics.median(quiet) * 1000, 1),
        "page_p50_ms_under_attack": round(statistics.median(t[2] for t in timings) * 1000, 1),
        "sql_answers": len(attacks["sql"]) + len(attacks["sql_spread"]),
        "sql_refused_429_503": sum(1 for s in attacks["sql"] + attacks["sql_spread"] if s in (429, 503)),
        "missing_page_answers": len(attacks["missing"]), "server_peak_mb": round(peak_rss_mb(server_pid(server)), 1)}
    assert timings and answered == timings, [t for t in timings if t[1] != 200][:5]
    # a ratio measured side by side, not a window of the clock: on a busy machine (make test-busy, other work)
    # a page can take seconds whoever serves it, quiet or not (a 5 s limit failed there, one page in four)
    quiet_p50 = max(statistics.median(quiet), 0.05)
    assert statistics.median(t[2] for t in timings) <= SLOWDOWN * quiet_p50, figures["sql_abuse"]
    assert set(attacks["missing"]) == {404}
    assert set(attacks["sql"] + attacks["sql_spread"]) <= {400, 429, 503}  # stopped by the time limit or queued out
    assert set(attacks["large"]) == {400}


def test_one_address_runs_one_sql_query_at_a_time(server):
    """A burst of queries from one address: one runs, a few wait their turn, the rest get 429 with Retry-After."""
    results = []

    def one():
        r = httpx.get(server.url + "/tracker.json", params={"sql": HEAVY}, timeout=60)
        results.append((r.status_code, r.headers.get("retry-after")))

    threads = [threading.Thread(target=one) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    refused = [r for r in results if r[0] == 429]
    assert refused and all(retry for _, retry in refused)
    assert {r[0] for r in results} <= {400, 429}


def test_memory_stays_bounded_whatever_a_query_returns(server, figures):
    """Huge values, many of them, or values that grow when escaped: a 400 naming the limit, never gigabytes."""
    cases = {
        "20 rows of 9 MB blobs": "with r(n) as (select 1 union all select n + 1 from r where n < 20) "
                                 "select zeroblob(9000000) from r",
        "one 2 GB blob": "select zeroblob(2000000000)",
        "control characters (6x when escaped)": "select printf('%.*c', 5000000, char(1)) as a, "
                                                "printf('%.*c', 3000000, char(1)) as b",
        "many rows of text": "select printf('%.*c', 100000, 'x') from documents, documents limit 1000",
    }
    refused = 0
    for name, sql in cases.items():
        for ext in (".json", ".csv", ""):
            r = httpx.get(server.url + "/tracker" + ext, params={"sql": sql}, timeout=60)
            assert r.status_code in (200, 400) and len(r.content) <= 24 * 2**20, (name, ext, r.status_code)
            if r.status_code == 400:
                refused += 1
                assert re.search(r"too big|over \d+ MB", r.text), (name, ext, r.text[:300])
            else:  # small enough to send: the HTML page truncates cells, CSV does not escape
                assert ext != ".json", name
    assert httpx.get(server.url + "/timeline", timeout=PAGE_TIMEOUT).status_code == 200
    peak = peak_rss_mb(server_pid(server))
    figures["memory_attacks"] = {"queries": len(cases) * 3, "refused": refused, "server_peak_mb": round(peak, 1)}
    assert peak < 400, peak


def test_errors_are_one_log_line_each_with_the_security_headers(server):
    """404s, odd methods, deep paths and bad SQL: the right status, the headers, no traceback in the log."""
    before = server.log_text()
    cases = [("GET", "/no-such-page", 404), ("GET", "/a/b/c/d/e/f/g", 404), ("TRACE", "/timeline", 405),
             ("PROPFIND", "/tracker", 405), ("DELETE", "/tracker/documents", 405), ("GET", "/tracker/nope", 404),
             ("GET", "/tracker.json?sql=selec+1", 400), ("GET", "/vendors/no-such-vendor", 404)]
    for method, path, status in cases:
        r = httpx.request(method, server.url + path, timeout=10)
        assert r.status_code == status, (method, path, r.status_code)
        assert r.headers["x-content-type-options"] == "nosniff" and "frame-ancestors" in \
            r.headers["content-security-policy"], (method, path)
    time.sleep(0.5)  # let the server flush its log
    new = server.log_text()[len(before):].splitlines()
    assert not [line for line in new if "Traceback" in line or "│" in line or "locals" in line]
    assert len(new) <= 2 * len(cases), new


def test_no_sql_reaches_pointer_or_extension_functions(server):
    """fts3_tokenizer() leaks (one argument) or plants (two) a pointer; it is refused like load_extension."""
    for sql in ("select hex(fts3_tokenizer('simple'))", "select fts3_tokenizer('x', x'0000000000000000')",
                "select load_extension('/tmp/x')", "select * from (select fts3_tokenizer('porter'))"):
        r = httpx.get(server.url + "/tracker.json", params={"sql": sql, "_shape": "array"}, timeout=10)
        assert r.status_code == 400 and "not authorized" in r.text, (sql, r.text[:200])


def test_the_feed_ignores_the_host_header(server):
    """The Host header is the client's to choose: it appears nowhere in the feed."""
    r = httpx.get(server.url + "/timeline.atom?vendor=hikvision", headers={"Host": "evil.example"})
    assert r.status_code == 200 and b"<entry>" in r.content
    assert b"evil.example" not in r.content
