"""Events in the database: resolve every document's actions into events at each build.

Resolution (nlp/events) runs over every document that has actions, not only
this crawl's: a document crawled last month can be the record a new answer
restates. The previous build's events are read back first, so that:

- ids stay: an event keeps its id as sources attach (``nlp.events.ids``); an id
  merged into another event, or left without mentions, gets a row in
  ``event_redirects`` (a chain of merges is followed to its end);
- ``first_seen`` is when the tracker first published the event and stays (an event
  that takes over ids merged into it keeps the earliest of their ``first_seen``);
  ``updated`` moves when a new document attaches to it (the Atom entry's update).

A build from an empty database (``db build --fresh``) first carries the previously
published database's events over (``carry_over``), so ids, ``first_seen`` and
redirects survive a rebuild from scratch.

The events tables are rebuilt in the build's transaction; actions stay the
mention level and are not touched.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from datetime import datetime, timezone

import sqlite_utils

from nlp.events import resolve

from .ingest import known_vendors, vendor_entity_id


EVENT_COLUMNS = ("id", "type", "status", "actor", "actor_entity_id", "actors_named", "announced_by", "jurisdiction",
                 "date", "date_precision", "date_basis", "first_reported", "primary_document_id", "primary_basis",
                 "documents", "sources", "disagreements", "first_seen", "updated")


def _json(value) -> str | None:
    return json.dumps(value, ensure_ascii=False) if value else None


def _previous(conn):
    previous, known = {}, {}
    holders = defaultdict(set)
    for doc_id, type_, actor, date, event_id in conn.execute(
            "SELECT m.document_id, e.type, e.actor, e.date, e.id FROM event_mentions m "
            "JOIN events e ON e.id = m.event_id"):
        # several events of one type in a document (nlp/events/ids.py): by actor, and by actor and date
        for key in ((doc_id, type_), (doc_id, type_, actor), (doc_id, type_, actor, date)):
            holders[key].add(event_id)
    for key, ids in holders.items():
        if len(ids) == 1:  # a key two events shared says nothing about which is which
            previous[key] = next(iter(ids))
    documents = defaultdict(set)
    for event_id, doc_id in conn.execute("SELECT event_id, document_id FROM event_mentions"):
        documents[event_id].add(doc_id)
    for event_id, first_seen, updated in conn.execute("SELECT id, first_seen, updated FROM events"):
        known[event_id] = (first_seen, updated, documents[event_id])
    return previous, known


def _inputs(conn) -> tuple[list[dict], list[dict]]:
    """Documents with actions, and their actions as extraction records (what resolution reads)."""
    documents = []
    for row in conn.execute(
            "SELECT d.id, d.kind, d.published, d.department, d.jurisdiction, d.members, d.outlet, d.source, "
            "s.publisher, d.title FROM documents d LEFT JOIN sources s ON s.id = d.source "
            "WHERE d.id IN (SELECT document_id FROM actions)"):
        documents.append({"id": row[0], "kind": row[1], "published": row[2], "department": row[3],
                          "jurisdiction": row[4], "people": json.loads(row[5]) if row[5] else [],
                          "outlet": row[6], "source": row[7], "publisher": row[8], "title": row[9]})
    vendors = defaultdict(list)
    for doc_id, name in conn.execute(
            "SELECT DISTINCT m.document_id, e.name FROM mentions m JOIN entities e ON e.id = m.entity_id "
            "WHERE e.type = 'vendor' AND m.document_id IN (SELECT document_id FROM actions) "
            "ORDER BY m.document_id, e.name"):
        vendors[doc_id].append(name)
    targets = defaultdict(list)
    for action_id, target, name in conn.execute(
            "SELECT x.action_id, x.target, e.name FROM action_targets x LEFT JOIN entities e "
            "ON e.id = x.target ORDER BY x.action_id, x.target"):
        targets[action_id].append("*" if target == "*" else (name or target))
    records: dict[str, dict] = {}
    for action_id, doc_id, type_, actor, date, evidence, start, end in conn.execute(
            'SELECT id, document_id, type, actor, date, evidence, start, "end" FROM actions '
            "ORDER BY document_id, start, id"):
        record = records.setdefault(doc_id, {"id": doc_id, "vendors": vendors.get(doc_id, []),
                                             "actions": []})
        record["actions"].append({"id": action_id, "type": type_, "actor": actor, "date": date, "evidence": evidence,
                                  "start": start, "end": end, "vendors": targets.get(action_id) or ["*"]})
    return documents, list(records.values())


CARRIED = ("events", "event_mentions", "event_redirects")


def carry_over(db: sqlite_utils.Database, published: str) -> int:
    """Copy the events tables of a previously published database into an empty one (a fresh build), so
    that resolution reads them back as the previous build's; returns the events carried over."""
    conn = db.conn
    if conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]:
        return 0
    try:
        conn.execute("ATTACH DATABASE ? AS published", (f"file:{published}?mode=ro",))
        conn.execute("SELECT COUNT(*) FROM published.sqlite_master").fetchone()
    except sqlite3.DatabaseError:  # an unreadable file: nothing to carry over, the build goes on
        return 0
    try:
        known = {row[0] for row in conn.execute("SELECT name FROM published.sqlite_master WHERE type = 'table'")}
        for table in CARRIED:
            if table not in known:
                continue
            mine = [r[1] for r in conn.execute(f"PRAGMA main.table_info([{table}])")]
            theirs = {r[1] for r in conn.execute(f"PRAGMA published.table_info([{table}])")}
            columns = ", ".join(f"[{c}]" for c in mine if c in theirs)
            conn.execute(f"INSERT OR IGNORE INTO main.[{table}] ({columns}) SELECT {columns} FROM published.[{table}]")
        conn.commit()
        return conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    finally:
        conn.execute("DETACH DATABASE published")


def refresh(db: sqlite_utils.Database, topic=None, now: str | None = None) -> dict:
    """Re-resolve every action into events and store them; returns counts.

    ``topic``: the build's ``nlp.topic.Topic`` (its hierarchy and types); default: the chosen topic."""
    conn = db.conn
    now = now or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    previous, known = _previous(conn)
    redirected = {row[0] for row in conn.execute("SELECT old_id FROM event_redirects")}
    documents, records = _inputs(conn)
    result = resolve(documents, records, topic=topic, previous=previous, reserved=set(known) | redirected)
    vendors = known_vendors(db)
    counts = dict.fromkeys(("unplaced", "new", "updated", "merged", "withdrawn"), 0)
    counts["events"] = len(result.events)
    events, targets, mentions = [], [], []
    taken_over = defaultdict(list)  # event id -> the first_seen of old ids merged into it
    for r in result.redirects:
        if r["new_id"] and r["old_id"] in known:
            taken_over[r["new_id"]].append(known[r["old_id"]][0])
    for e in result.events:
        first_seen, updated, seen_documents = known.get(e["id"], (now, now, set()))
        first_seen = min([first_seen, *taken_over.get(e["id"], [])])
        documents_now = {m["document_id"] for m in e["mentions"]}
        if e["id"] not in known:
            counts["new"] += 1
        elif documents_now - seen_documents:
            updated = now  # a new source attached: the feed entry is updated
            counts["updated"] += 1
        counts["unplaced"] += e["status"] == "unplaced"
        events.append((e["id"], e["type"], e["status"], e["actor"], _actor_entity(conn, e),
                       _json(e["actors_named"]), _json(e["announced_by"]), e["jurisdiction"], e["date"],
                       e["date_precision"], e["date_basis"], e["first_reported"], e["primary_document"],
                       e["primary_basis"], e["documents"], e["sources"], _json(e["disagreements"]),
                       first_seen, updated))
        targets += [(e["id"], "*" if t == "*" else vendor_entity_id(t, vendors), 0) for t in e["targets"]]
        targets += [(e["id"], vendor_entity_id(v, vendors), 1) for v in e["context_vendors"]]
        mentions += [(m["action_id"], e["id"], m["document_id"], m["role"], m["date_basis"])
                     for m in e["mentions"]]
    for table in ("event_targets", "event_mentions", "events"):
        conn.execute(f"DELETE FROM {table}")
    conn.executemany(f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))})",
                     events)
    conn.executemany("INSERT OR IGNORE INTO event_targets (event_id, target, in_context) VALUES (?, ?, ?)", targets)
    conn.executemany("INSERT INTO event_mentions (action_id, event_id, document_id, role, date_basis) "
                     "VALUES (?, ?, ?, ?, ?)", mentions)
    for r in result.redirects:
        counts[r["reason"]] += 1
        conn.execute("INSERT OR REPLACE INTO event_redirects (old_id, new_id, reason, at) VALUES (?, ?, ?, ?)",
                     (r["old_id"], r["new_id"], r["reason"], now))
        if r["new_id"]:  # earlier redirects to this id now lead on to where it went
            conn.execute("UPDATE event_redirects SET new_id = ? WHERE new_id = ?", (r["new_id"], r["old_id"]))
    # an id that lives again is no longer a redirect
    conn.executemany("DELETE FROM event_redirects WHERE old_id = ?", [(e["id"],) for e in result.events])
    return counts


def _actor_entity(conn, event: dict) -> str | None:
    """The entity of the event's actor: the organisation of that name, else the one its actions point to."""
    if not event["actor"]:
        return None
    row = conn.execute("SELECT id FROM entities WHERE name = ? AND type = 'organisation'",
                       (event["actor"],)).fetchone()
    row = row or conn.execute("SELECT actor_entity_id FROM actions WHERE actor = ? AND actor_entity_id IS NOT NULL "
                              "LIMIT 1", (event["actor"],)).fetchone()
    return row[0] if row else None
