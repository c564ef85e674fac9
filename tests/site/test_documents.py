"""A document's page (/documents/<id>, issue 17): metadata, its text with the evidence marked, what was
extracted from it, links to the source and the archived response; over real HTTP on loopback."""

import html
import json
import re
import sqlite3
from urllib.parse import quote

import httpx
import pytest

from crawlers.replay import Recordings

pytestmark = pytest.mark.serial


@pytest.fixture(scope="module")
def db(built):
    conn = sqlite3.connect(f"file:{built['db']}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def _page(ds_server, doc_id: str) -> str:
    r = httpx.get(ds_server.url + "/documents/" + quote(doc_id))
    assert r.status_code == 200, doc_id
    return r.text


def test_every_document_has_a_page_with_its_evidence_marked(ds_server, db):
    for doc in db.execute("SELECT id, title, text FROM documents"):
        text = _page(ds_server, doc["id"])
        assert f"<h1>{html.escape(doc['title'], quote=False)}</h1>" in text.replace("&#39;", "'").replace("&#34;", '"')
        marks = [re.sub(r"<sup>.*?</sup>", "", m) for m in re.findall(r"<mark[^>]*>(.*?)</mark>", text, re.S)]
        shown = html.unescape("".join(marks))
        for (evidence,) in db.execute("SELECT evidence FROM actions WHERE document_id = ?", (doc["id"],)):
            plain = evidence.replace("``", "\u201c").replace("''", "\u201d")
            assert plain in shown or all(part in shown for part in plain.split("\u201c")), (doc["id"], evidence)
        actions = db.execute("SELECT COUNT(*) FROM actions WHERE document_id = ?", (doc["id"],)).fetchone()[0]
        assert text.count('<li id="action-') == actions
        if not actions:
            assert "No action was extracted from this document." in text


def test_the_page_names_the_source_number_members_and_entities(ds_server, db):
    text = _page(ds_server, "uk_written_questions:9000006")
    assert "Written question UIN HL2472" in text
    assert 'href="/people/lord-alton-of-liverpool">Lord Alton of Liverpool</a>' in text
    assert 'href="/people/baroness-williams-of-trafford"' in text
    assert 'href="/vendors/hikvision">Hikvision</a>' in text
    url = db.execute("SELECT url FROM documents WHERE id = 'uk_written_questions:9000006'").fetchone()[0]
    assert f'href="{html.escape(url)}"' in text


def test_questions_without_an_asking_member_say_the_source_gives_none():
    """Three Hikvision questions have no asking member: the recorded responses carry askingMember null
    (their ATTRIBUTION.md: a value that could not be verified is null), so the page says so."""
    recordings = Recordings()
    empty = []
    for entry in recordings.entries:
        if re.search(r"/writtenquestions/questions/\d+\?", entry["url"]):
            value = json.loads(recordings.body(entry))
            value = value.get("value", value)
            if not value.get("askingMember"):
                empty.append(value["id"])
    assert len(empty) == 3


@pytest.mark.parametrize("native", ["9000008", "9000009", "9000010"])
def test_a_question_without_an_asker_says_so(ds_server, native):
    text = _page(ds_server, f"uk_written_questions:{native}")
    assert "Asking member: not given by the source" in text


def test_the_archived_response_is_served_as_plain_text(ds_server, db):
    doc = db.execute("SELECT id, raw_ref FROM documents WHERE raw_ref IS NOT NULL AND kind = 'news' LIMIT 1").fetchone()
    text = _page(ds_server, doc["id"])
    link = re.search(r'<a href="(/raw/[^"]+)">the archived response</a>', text).group(1)
    r = httpx.get(ds_server.url + link)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert r.headers["x-content-type-options"] == "nosniff" and "<rss" in r.text or "<?xml" in r.text


def test_ids_with_slashes_and_unknown_ids(ds_server, db):
    doc = db.execute("SELECT id FROM documents WHERE id LIKE '%/%' LIMIT 1").fetchone()[0]
    assert _page(ds_server, doc)
    assert httpx.get(ds_server.url + "/documents/" + doc.replace("/", "%2F")).status_code == 200
    assert httpx.get(ds_server.url + "/documents/nope:1").status_code == 404
    assert httpx.get(ds_server.url + "/raw/nope:1").status_code == 404


def test_evidence_shows_no_raw_quote_markup(ds_server, db):
    """The Federal Register writes quotes as ``TeX''; no page shows the two backticks (#17): not in the text, nor
    in an evidence sentence marked in it."""
    row = db.execute("SELECT document_id FROM actions WHERE evidence LIKE '%``%' LIMIT 1").fetchone() \
        or db.execute("SELECT id FROM documents WHERE text LIKE '%``%' ORDER BY id LIMIT 1").fetchone()
    doc = row[0]
    assert "``" not in _page(ds_server, doc)
    assert "``" not in httpx.get(ds_server.url + "/timeline?all=1&q=%22produced+by%22").text
