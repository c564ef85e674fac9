"""Feeds and CSV are always valid and safe (#18, points 4 and 10): crawled headlines carrying C0
control characters or spreadsheet formulas go through the real build and are served; the Atom
feed stays well-formed XML with every entry, and no CSV cell opens as a formula."""

import csv
import io
import json
import re
import shutil
import sqlite3
import sys
import xml.etree.ElementTree as ET

import feedparser
import httpx
import pytest

from db.csv_cells import TRIGGERS, _NUMBER
from tests.conftest import DatasetteServer, run

pytestmark = [pytest.mark.reliability, pytest.mark.serial]
# Values a crawler could deliver (JSON APIs carry any code point); stated on a reserved host, no policy fact.
HOSTILE = [
    ("c0", "Hikvision\x01 cameras\x0b removed\x1f", "The Federal Communications Commission\x01 banned Hikvision\x0b "
                                                     "equipment on 25 November 2022."),
    ("formula", '=HYPERLINK("https://evil.example/x","Hikvision banned")',
     "The Federal Communications Commission banned Dahua equipment on 25 November 2022."),
    ("at", "@SUM(1+1)*cmd|' /C calc'!A0", "+The Federal Communications Commission banned Hikvision cameras on "
                                          "25 November 2022."),
    ("tab", "\t-2+3 Hikvision", "-The Federal Communications Commission banned Hikvision equipment on 25 November 2022."),
]


def _document(key: str, title: str, text: str) -> dict:
    return {"id": f"news_feeds:{key}", "source": "news_feeds", "native_id": key, "kind": "news",
            "url": f"https://hostile.invalid/{key}", "title": title, "text": text, "published": "2022-11-25",
            "retrieved_at": "2026-01-01T00:00:00+00:00"}


@pytest.fixture(scope="module")
def hostile_site(built, tmp_path_factory):
    work = tmp_path_factory.mktemp("exports")
    crawl = work / "crawl"
    shutil.copytree(built["crawl"], crawl)
    docs = work / "hostile.jsonl"
    docs.write_text("".join(json.dumps(_document(*h)) + "\n" for h in HOSTILE))
    with open(crawl / "news_feeds.jsonl", "a") as out:
        out.write(docs.read_text())
    extracted = work / "extracted.jsonl"
    run([sys.executable, "-m", "nlp", "extract", str(docs), "-o", str(work / "hostile-x.jsonl")])
    extracted.write_text(built["extracted"].read_text() + (work / "hostile-x.jsonl").read_text())
    db = work / "tracker.db"
    run([sys.executable, "-m", "db", "build", "--crawl", str(crawl), "--extracted", str(extracted), "--out", str(db)])
    server = DatasetteServer(db)
    yield server, db
    server.stop()


def test_the_hostile_headlines_reach_the_timeline(hostile_site):
    _, db = hostile_site
    conn = sqlite3.connect(db)
    found = {r[0] for r in conn.execute("SELECT document_id FROM actions WHERE document_id LIKE 'news_feeds:%'")}
    assert {f"news_feeds:{key}" for key, *_ in HOSTILE} <= found


@pytest.mark.parametrize("query", ["?all=1", "?all=1&q=%01", "?vendor=hikvision&q=Hikvision%0B", "?q=%EF%BF%BE%1F"])
def test_the_feed_is_well_formed_xml_and_keeps_every_entry(hostile_site, query):
    """C0 characters in stored evidence or in the query never make the feed unreadable."""
    server, _ = hostile_site
    body = httpx.get(server.url + "/timeline.atom" + query).content
    ET.fromstring(body)  # raises on a character XML 1.0 forbids
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.bozo_exception
    page = httpx.get(server.url + "/timeline" + query).text
    total = int(re.search(r'role="status">(\d+) event', page).group(1))
    assert len(feed.entries) == min(100, total)
    if query == "?all=1":  # every event, the uncertain ones too (#14); the entry lists its sentences
        assert any("Federal Communications Commission banned Hikvision" in e.content[0].value for e in feed.entries)


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


@pytest.mark.parametrize("path", [
    "/tracker/timeline.csv?_size=max", "/tracker/documents.csv?_stream=on", "/tracker/documents.csv?_dl=1",
    "/tracker.csv?sql=select+title,+text+from+documents", "/tracker/whats_new.csv",
])
def test_no_csv_cell_opens_as_a_formula(hostile_site, path):
    """Every CSV the site sends: formula-like cells start with an apostrophe, numbers stay numbers."""
    server, _ = hostile_site
    r = httpx.get(server.url + path)
    assert r.status_code == 200, path
    cells = _cells(r.text)
    dangerous = [c for c in cells if c[:1] in TRIGGERS and not _NUMBER.fullmatch(c)]
    assert dangerous == [], dangerous[:3]
    if "documents" in path or "sql" in path:
        assert "'" + HOSTILE[1][1] in cells and "'" + HOSTILE[2][1] in cells
