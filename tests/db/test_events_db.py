"""Events in the database (issue #15): built from the recordings, stable ids, new sources, redirects."""

from __future__ import annotations

import json
import shutil
import sqlite3

import sqlite_utils

from db import schema
from db.build import build

STATEMENT = "uk_written_statements:9100001"  # the API's id (#16)


def _rows(path, sql, params=()):
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return [dict(r) for r in conn.execute(sql, params)]


def _statement_event(path) -> dict:
    (event,) = _rows(path, "SELECT * FROM events WHERE primary_document_id = ? AND type = 'ban_installation'",
                     (STATEMENT,))
    return event


def test_the_november_2022_decision_is_one_event_with_its_statement_as_primary_source(built):
    """The UK decision of 24 November 2022 is one event: the statement primary, news and answers further sources."""
    event = _statement_event(built["db"])
    assert event["date"] == "2022-11-24" and event["actor"] == "Cabinet Office" and event["jurisdiction"] == "GB"
    roles = {r["document_id"]: r["role"] for r in _rows(
        built["db"], "SELECT document_id, role FROM event_mentions WHERE event_id = ?", (event["id"],))}
    assert roles[STATEMENT] == "primary"
    assert {d for d, role in roles.items() if role == "report"} >= {"news_feeds:de1ce581b06d483e",
                                                                      "news_feeds:f6df9032dfd2bd76"}
    assert {d for d, role in roles.items() if role == "restatement"} >= {"uk_written_questions:9000002",
                                                                           "uk_written_questions:9000005"}
    others = _rows(built["db"], "SELECT id FROM events WHERE type = 'ban_installation' AND date LIKE '2022-11%' "
                                "AND id != ?", (event["id"],))
    assert others == []  # no second card for the same act


def test_vendor_filters_find_the_event_through_the_documents_vendors(built):
    """The class ban is found by Hikvision and Dahua: the answers that restate it are about them."""
    event = _statement_event(built["db"])
    targets = {r["target"]: r["in_context"] for r in _rows(
        built["db"], "SELECT target, in_context FROM event_targets WHERE event_id = ?", (event["id"],))}
    assert targets == {"*": 0, "vendor:hikvision": 1, "vendor:dahua": 1}


def test_every_action_is_a_mention_of_exactly_one_event(built):
    """No action is dropped or counted twice: event_mentions holds each action once."""
    counts = _rows(built["db"], "SELECT (SELECT COUNT(*) FROM actions) AS actions, "
                                "(SELECT COUNT(*) FROM event_mentions) AS mentions, "
                                "(SELECT COUNT(DISTINCT action_id) FROM event_mentions) AS distinct_actions, "
                                "(SELECT COUNT(*) FROM event_mentions m LEFT JOIN actions a ON a.id = m.action_id "
                                "WHERE a.id IS NULL) AS orphans")[0]
    assert counts["actions"] == counts["mentions"] == counts["distinct_actions"] > 0 and counts["orphans"] == 0


def test_a_new_source_attaching_keeps_the_id_and_first_seen_and_moves_updated(built, tmp_path):
    """A news item reporting the decision joins its event: same id and first_seen, a later updated."""
    db, crawl, extracted = tmp_path / "t.db", tmp_path / "crawl", tmp_path / "x.jsonl"
    shutil.copytree(built["crawl"], crawl)
    shutil.copy(built["extracted"], extracted)
    build(crawl, extracted, db)
    before = _statement_event(db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE events SET first_seen = '2000-01-01T00:00:00Z', updated = '2000-01-01T00:00:00Z'")
    conn.commit()
    conn.close()
    item = {"id": "news_feeds:aaaaaaaaaaaaaaaa", "source": "news_feeds", "native_id": "aaaaaaaaaaaaaaaa",
            "kind": "news", "url": "https://example.org/uk-bans-cameras", "title": "UK bars Chinese cameras",
            "text": "UK bars Chinese cameras from sensitive government sites", "published": "2022-11-25",
            "outlet": "Example News", "retrieved_at": "2026-12-01T00:00:00+00:00"}
    with open(crawl / "news_feeds.jsonl", "a", encoding="utf-8") as out:
        out.write(json.dumps(item) + "\n")
    with open(extracted, "a", encoding="utf-8") as out:
        out.write(json.dumps({"id": item["id"], "relevant": True, "vendors": [], "organisations": [], "people": [],
                              "mentions": [], "actions": [{
                                  "type": "ban_installation", "actor": "UK Government", "date": "2022-11-25",
                                  "evidence": item["text"], "start": 0, "end": len(item["text"]),
                                  "vendors": ["*"], "rule": "test"}]}) + "\n")
    build(crawl, extracted, db)
    after = _statement_event(db)
    assert after["id"] == before["id"] and after["documents"] == before["documents"] + 1
    assert after["first_seen"] == "2000-01-01T00:00:00Z" and after["updated"] > "2000-01-01T00:00:00Z"
    untouched = _rows(db, "SELECT COUNT(*) AS n FROM events WHERE updated != '2000-01-01T00:00:00Z'")[0]["n"]
    assert untouched == 1  # only the event that gained a source is updated


def test_an_id_merged_away_redirects_to_its_event_and_chains_follow(built, tmp_path):
    """An old id whose mentions now belong to another event redirects there; older redirects follow on."""
    db = tmp_path / "t.db"
    shutil.copy(built["db"], db)
    event = _statement_event(db)
    conn = sqlite3.connect(db)
    moved = conn.execute("SELECT action_id FROM event_mentions WHERE event_id = ? AND document_id = "
                         "'uk_written_questions:9000005'", (event["id"],)).fetchone()[0]
    conn.execute("INSERT INTO events SELECT 'eold', type, status, actor, actor_entity_id, actors_named, "
                 "announced_by, jurisdiction, '2023-03-09', date_precision, date_basis, first_reported, "
                 "'uk_written_questions:9000005', primary_basis, 1, 1, NULL, '1999-01-01T00:00:00Z', updated "
                 "FROM events WHERE id = ?", (event["id"],))
    conn.execute("UPDATE event_mentions SET event_id = 'eold' WHERE action_id = ?", (moved,))
    conn.execute("INSERT INTO event_redirects VALUES ('eolder', 'eold', 'merged', '2020-01-01T00:00:00Z')")
    conn.commit()
    conn.close()
    from db import events

    database = sqlite_utils.Database(db)
    with database.conn:
        counts = events.refresh(database)
    assert counts["merged"] == 1
    redirects = {r["old_id"]: (r["new_id"], r["reason"]) for r in _rows(db, "SELECT * FROM event_redirects")}
    assert redirects == {"eold": (event["id"], "merged"), "eolder": (event["id"], "merged")}
    # the event first seen under the id merged into it was first seen then
    assert _statement_event(db)["first_seen"] == "1999-01-01T00:00:00Z"


def test_first_seen_survives_a_rebuild_from_scratch(built, tmp_path):
    """Two builds: the second from an empty database (--fresh) carries ids, first_seen and redirects over
    from the published one, so the feed's `published` does not move."""
    db = tmp_path / "t.db"
    build(built["crawl"], built["extracted"], db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE events SET first_seen = '2001-02-03T04:05:06Z', updated = '2001-02-03T04:05:06Z'")
    conn.execute("INSERT INTO event_redirects VALUES ('egone', NULL, 'withdrawn', '2001-02-03T04:05:06Z')")
    conn.commit()
    conn.close()
    before = {r["id"]: r for r in _rows(db, "SELECT id, first_seen, updated FROM events")}
    build(built["crawl"], built["extracted"], db, fresh=True)
    after = {r["id"]: r for r in _rows(db, "SELECT id, first_seen, updated FROM events")}
    assert after == before and len(after) > 10
    assert _rows(db, "SELECT new_id, reason FROM event_redirects WHERE old_id = 'egone'") == [
        {"new_id": None, "reason": "withdrawn"}]
    other = tmp_path / "other.db"  # a fresh build with nothing published before: first seen now
    build(built["crawl"], built["extracted"], other, fresh=True)
    assert all(r["first_seen"] > "2001-02-03T04:05:06Z" for r in _rows(other, "SELECT first_seen FROM events"))


def test_a_version_1_database_migrates_to_events(tmp_path):
    """A database built before events (schema 1) gains the listing and events tables and keeps its rows."""
    database = sqlite_utils.Database(tmp_path / "v1.db")
    schema.MIGRATIONS[0](database)
    database.execute("PRAGMA user_version = 1")
    database.execute("INSERT INTO build_info VALUES ('build_id', 'old')")
    assert schema.migrate(database) == 1
    assert database.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION >= 3
    assert set(schema.EVENT_TABLES) <= set(database.table_names())
    assert database.execute("SELECT value FROM build_info").fetchone()[0] == "old"
