"""The timeline lists events, not sentences (issue 15), on the recordings build (the path `make demo` takes),
checked against the labelled clusters of topics/cameras/eval/recordings-events.jsonl rather than against
any frozen output: the extractor may change, the acts may not be split or lumped on the cards."""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from pathlib import Path

import feedparser
import httpx
import pytest

from nlp.events.evaluate import _match, load

pytestmark = pytest.mark.serial
LABELS = Path(__file__).resolve().parents[2] / "topics" / "cameras" / "eval" / "recordings-events.jsonl"
DECISION = "GB:ban_installation:2022-11-24:sensitive-sites-wms"  # the labelled key of the 24 November 2022 act
CARD = re.compile(r'<li class="event" id="event-(e[0-9a-f]+)" data-status="(\w+)">(.*?)</li>\n', re.S)


@pytest.fixture(scope="module")
def gold(built) -> dict[str, set]:
    """Each event of the build -> the labelled acts its mentions are (None for a mention no label matches)."""
    records = {r["id"]: r for r in load(LABELS)}
    conn = sqlite3.connect(built["db"])
    keys: dict[str, set] = defaultdict(set)
    for event_id, doc, kind, evidence, start, end in conn.execute(
            'SELECT m.event_id, a.document_id, a.type, a.evidence, a.start, a."end" FROM event_mentions m '
            "JOIN actions a ON a.id = m.action_id"):
        record = records[doc]
        match = _match({"type": kind, "evidence": evidence, "start": start, "end": end},
                       record["gold"]["actions"], record["text"])
        keys[event_id].add(match["event"] if match else None)
    return keys


def cards(html: str) -> list[tuple[str, str, str]]:
    return CARD.findall(html)


def test_the_november_2022_decision_is_one_card_with_the_statement_as_primary(ds_server, built, gold):
    """Every mention the extractor found of the decision is on one card; the statement is its primary source
    and the news and the written answers are further sources behind the disclosure."""
    holding = [e for e, keys in gold.items() if DECISION in keys]
    assert len(holding) == 1, holding
    event_id = holding[0]
    conn = sqlite3.connect(built["db"])
    kinds = {kind for (kind,) in conn.execute(
        "SELECT d.kind FROM event_mentions m JOIN documents d ON d.id = m.document_id WHERE m.event_id = ? "
        "AND m.role != 'primary'", (event_id,))}
    assert {"news", "written_question"} <= kinds
    statement_url = conn.execute("SELECT d.url FROM events e JOIN documents d ON d.id = e.primary_document_id "
                                 "WHERE e.id = ? AND d.kind = 'written_statement' AND e.primary_basis = 'record'",
                                 (event_id,)).fetchone()[0]
    html = httpx.get(ds_server.url + "/timeline", params={"from": "2022-11", "to": "2022-11"}).text
    shown = {e: body for e, _, body in cards(html)}
    assert [e for e in shown if DECISION in gold[e]] == [event_id]  # one card for the act
    card = shown[event_id]
    head, details = card.split("<details", 1)
    assert f'Primary source:</span>\n      <a href="{statement_url}"' in head
    assert "Cabinet Office" in head and "2022-11-24" in head
    sources = conn.execute("SELECT sources FROM events WHERE id = ?", (event_id,)).fetchone()[0]
    assert sources > 1 and f'Reported in <span class="n-sources">{sources}</span> sources' in details
    assert details.count('class="mention role-') == conn.execute(
        "SELECT COUNT(*) FROM event_mentions WHERE event_id = ?", (event_id,)).fetchone()[0]
    assert "role-report" in details and "role-restatement" in details
    assert f'href="/events/{event_id}"' in card


def test_vendor_hikvision_finds_the_decision(ds_server, gold):
    """The decision targets a class; the answers that restate it are about Hikvision: vendor:hikvision finds it."""
    (event_id,) = [e for e, keys in gold.items() if DECISION in keys]
    for params in ({"q": "vendor:hikvision", "from": "2022-11", "to": "2022-11"}, {"vendor": "hikvision"}):
        html = httpx.get(ds_server.url + "/timeline", params=params).text
        assert event_id in [e for e, _, _ in cards(html)], params


@pytest.mark.parametrize("view", [{}, {"all": "1"}])
def test_every_card_of_the_first_page_is_a_distinct_act(ds_server, gold, view):
    """No labelled act on two placed cards of the first page; by default no card lumps two labelled acts.
    (An unplaced mention is a card of its own by design: it is marked, and not counted as a split.)"""
    html = httpx.get(ds_server.url + "/timeline", params=view).text
    shown = cards(html)
    assert shown and len({e for e, _, _ in shown}) == len(shown)
    where = defaultdict(list)
    for event_id, status, _ in shown:
        for key in gold[event_id] - {None}:
            if status != "unplaced":
                where[key].append(event_id)
    assert {k: v for k, v in where.items() if len(v) > 1} == {}
    if not view:
        assert [e for e, _, _ in shown if len(gold[e] - {None}) > 1] == []


def test_no_event_is_dropped_and_unplaced_ones_are_marked(ds_server, built):
    """Every event is a card of the whole timeline; an unplaced mention is a card marked as such."""
    conn = sqlite3.connect(built["db"])
    status = dict(conn.execute("SELECT id, status FROM events"))
    shown, after = {}, None
    while True:
        params = {"all": "1", **({"after": after} if after else {})}
        html = httpx.get(ds_server.url + "/timeline", params=params).text
        for event_id, state, body in cards(html):
            shown[event_id] = (state, body)
        older = re.search(r'href="/timeline\?[^"]*after=(\d+)"', html)
        if not older:
            break
        after = older.group(1)
    assert set(shown) == set(status)
    for event_id, (state, body) in shown.items():
        assert state == status[event_id]
        assert ("could not be placed" in body) == (state == "unplaced")


def test_where_sources_disagree_the_card_and_the_page_say_so(ds_server, built):
    """A conflicting actor or date is kept as a disagreement: the card names it, the event page lists it."""
    conn = sqlite3.connect(built["db"])
    found = conn.execute("SELECT id, date, disagreements FROM events WHERE disagreements IS NOT NULL").fetchall()
    assert found  # the recordings name the decision's actor two ways ("Government departments")
    event_id, date, _ = found[0]
    html = httpx.get(ds_server.url + "/timeline", params={"all": "1", "from": date, "to": date}).text
    card = {e: body for e, _, body in cards(html)}[event_id]
    assert "the sources disagree on" in card
    page = httpx.get(ds_server.url + f"/events/{event_id}").text
    assert "Where the sources disagree" in page


def test_counts_chart_and_vendor_pages_count_events(ds_server, built):
    """The figures shown are events: the timeline's total, the chart's table and a vendor page's total."""
    conn = sqlite3.connect(built["db"])
    events = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    assert events < conn.execute("SELECT COUNT(*) FROM actions").fetchone()[0]  # several sentences per act
    html = httpx.get(ds_server.url + "/timeline", params={"all": "1"}).text
    assert f'role="status">{events} events' in html
    charted = sum(int(n) for n in re.findall(r"[A-Za-z ]+ (\d+)(?:;|</td>)", html.split("chart-table", 1)[1]))
    assert charted == conn.execute("SELECT COUNT(*) FROM events WHERE length(date) >= 7").fetchone()[0]
    hikvision = conn.execute("SELECT COUNT(DISTINCT x.event_id) FROM event_targets x JOIN entities e "
                             "ON e.id = x.target WHERE e.slug = 'hikvision'").fetchone()[0]
    page = httpx.get(ds_server.url + "/vendors/hikvision").text
    assert f"{hikvision} event{'s' if hikvision != 1 else ''}" in page
    rows = httpx.get(ds_server.url + "/tracker/timeline.json", params={"_shape": "array", "_size": "max"}).json()
    assert sorted(r["event_id"] for r in rows) == sorted(r[0] for r in conn.execute("SELECT id FROM events"))


def test_the_feed_has_one_entry_per_event_published_when_first_seen(ds_server, built):
    """Atom: one entry per event, `published` the event's first_seen and `updated` its updated."""
    conn = sqlite3.connect(built["db"])
    stamps = {row[0]: row[1:] for row in conn.execute("SELECT id, first_seen, updated FROM events")}
    feed = feedparser.parse(httpx.get(ds_server.url + "/timeline.atom", params={"all": "1"}).content)
    assert not feed.bozo and len(feed.entries) == min(100, len(stamps))
    ids = [entry.id.rsplit("/", 1)[-1] for entry in feed.entries]
    assert len(set(ids)) == len(ids) and set(ids) == set(stamps)
    for entry, event_id in zip(feed.entries, ids):
        assert (entry.published, entry.updated) == stamps[event_id]
        assert any(link.href.endswith(f"/events/{event_id}") for link in entry.links)


def test_feed_entries_carry_an_events_first_sentences_and_say_where_the_rest_are(built):
    """An Atom entry lists an event's first query.FEED_EVIDENCE_CAP sentences, not all of them (a feed of 100
    widely reported events was over a megabyte at 100k documents, #19), and says where the others are."""
    from db import cards, pages

    conn = sqlite3.connect(built["db"])
    rows = pages.timeline(conn, {}, page_size=100, counts=False, snippets=False, evidence_cap=1)["rows"]
    sentences = dict(conn.execute("SELECT pos, COUNT(*) FROM listing_mentions GROUP BY pos"))
    assert rows and any(sentences[row["pos"]] > 1 for row in rows)
    for row in rows:
        assert len(row["evidence"]) == min(1, sentences[row["pos"]])
        assert row["more_evidence"] == (sentences[row["pos"]] > 1)
    entries = str(cards.atom_entries(rows, "/events"))
    for row in rows:
        entry = entries.split(f"event/{row['event_id']}</id>", 1)[1].split("</entry>", 1)[0]
        assert (f"More sentences on the event's page: /events/{row['event_id']}" in entry) == row["more_evidence"]
