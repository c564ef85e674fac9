"""An event's page (/events/<id>) as plain data: the act, its sources, a line to cite it.

site/plugins/events.py calls these through Datasette's ``execute_fn``; tests call
them directly. Nothing here renders HTML.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date

ROLE_ORDER = {"primary": 0, "restatement": 1, "report": 2}
SOURCES_SQL = """
SELECT m.role, m.date_basis, a.id AS action_id, a.evidence, a.actor AS actor_named, a.date AS date_as_stated,
  d.id AS document_id, d.title, d.url, d.kind, d.published, d.native_id, d.extra, d.retrieved_at, d.outlet,
  d.department, s.publisher
FROM event_mentions m JOIN actions a ON a.id = m.action_id JOIN documents d ON d.id = m.document_id
LEFT JOIN sources s ON s.id = d.source
WHERE m.event_id = ?
"""
PRIMARY_SQL = """
SELECT d.*, COALESCE(d.outlet, s.publisher) AS publisher FROM documents d LEFT JOIN sources s ON s.id = d.source
WHERE d.id = ?
"""


def _rows(conn: sqlite3.Connection, sql: str, params=()) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def document_number(doc: dict) -> str | None:
    """The number a reader cites a source by: a statement number, a UIN, an FR document number."""
    extra = doc.get("extra") or {}
    if isinstance(extra, str):
        extra = json.loads(extra)
    kind = doc.get("kind")
    if kind == "written_statement":
        return f"Written statement {extra.get('uin') or doc.get('native_id')}"
    if kind == "written_question" and extra.get("uin"):
        return f"Written question UIN {extra['uin']}"
    if kind == "federal_register":
        number = f"FR Doc. {doc.get('native_id')}"
        return f"{number} ({extra['citation']})" if extra.get("citation") else number
    return None


def long_date(value: str | None) -> str:
    """'2022-11-24' -> '24 November 2022'; '2022-11' -> 'November 2022'; a year stays a year."""
    if not value:
        return "undated"
    try:
        parts = [int(p) for p in value[:10].split("-")]
        if len(parts) == 3:
            d = date(*parts)
            return f"{d.day} {d.strftime('%B')} {d.year}"
        if len(parts) == 2:
            return f"{date(parts[0], parts[1], 1).strftime('%B')} {parts[0]}"
    except ValueError:
        return value
    return value


def cite(event: dict, label: str, primary: dict | None, permalink: str) -> str:
    """One line to cite the event: actor, action, date, the primary source with its number, URL, retrieved."""
    parts = [f"{event.get('actor') or 'Unknown actor'}, {label.lower()}, {long_date(event.get('date'))}."]
    if primary:
        published = long_date(primary.get("published")) if primary.get("published") else None
        source = [document_number(primary), f"“{primary['title']}”", primary.get("publisher"), published]
        retrieved = (primary.get("retrieved_at") or "")[:10]
        lead = "Primary source" if event.get("primary_basis") == "record" else "First reported in"
        parts.append(f"{lead}: {', '.join(p for p in source if p)}. {primary['url']}"
                     + (f" (retrieved {long_date(retrieved)})." if retrieved else "."))
    parts.append(f"policy-tracker event {event['id']}: {permalink}")
    return " ".join(parts)


def _document(row: dict, role: str) -> dict:
    return {"document_id": row.get("document_id") or row.get("id"), "role": role, "title": row["title"],
            "url": row["url"], "kind": row["kind"], "published": row["published"], "number": document_number(row),
            "publisher": row.get("outlet") or row.get("department") or row.get("publisher"), "sentences": []}


def event_page(conn: sqlite3.Connection, event_id: str, permalink: str = "") -> dict | None:
    """Everything /events/<id> shows; for an old id {'redirect': new id or None, ...}; None when unknown."""
    found = _rows(conn, "SELECT e.*, t.label FROM events e JOIN action_types t ON t.id = e.type WHERE e.id = ?",
                  (event_id,))
    if not found:
        moved = _rows(conn, "SELECT new_id, reason, at FROM event_redirects WHERE old_id = ?", (event_id,))
        if not moved:
            return None
        return {"redirect": moved[0]["new_id"], "reason": moved[0]["reason"], "at": moved[0]["at"]}
    event = found[0]
    for field in ("actors_named", "announced_by", "disagreements"):
        event[field] = json.loads(event[field]) if event[field] else []
    targets = _rows(conn, "SELECT x.target, x.in_context, COALESCE(e.name, CASE WHEN x.target = '*' THEN "
                          "(SELECT value FROM topic WHERE key = 'class_target') END) AS name, e.slug "
                          "FROM event_targets x LEFT JOIN entities e ON e.id = x.target WHERE x.event_id = ? "
                          "ORDER BY x.in_context, e.name", (event_id,))
    documents: dict[str, dict] = {}
    order = sorted(_rows(conn, SOURCES_SQL, (event_id,)),
                   key=lambda r: (ROLE_ORDER.get(r["role"], 3), r["published"] or "", r["action_id"]))
    for row in order:
        doc = documents.setdefault(row["document_id"], _document(row, row["role"]))
        doc["sentences"].append({"evidence": row["evidence"], "actor_named": row["actor_named"],
                                 "date_as_stated": row["date_as_stated"], "date_basis": row["date_basis"]})
    primary = None
    if event["primary_document_id"]:
        docs = _rows(conn, PRIMARY_SQL, (event["primary_document_id"],))
        primary = docs[0] if docs else None
        if primary and primary["id"] not in documents:  # a record the answers cite, nothing extracted from it
            documents = {primary["id"]: _document(primary, "primary"), **documents}
    kept = ("id", "title", "url", "kind", "published", "retrieved_at", "publisher")
    return {"event": event, "targets": targets, "documents": list(documents.values()),
            "primary": {k: primary[k] for k in kept} if primary else None,
            "cite": cite(event, event["label"], primary, permalink or f"/events/{event_id}")}


def as_json(page: dict) -> dict:
    """The event record as /events/<id>.json gives it."""
    event = {k: v for k, v in page["event"].items() if k != "label"}
    named = [t["name"] or t["target"] for t in page["targets"] if not t["in_context"]]
    return {"event": event, "action": page["event"]["label"], "vendors": named,
            "vendors_in_context": [t["name"] for t in page["targets"] if t["in_context"]],
            "primary_source": page["primary"], "cite": page["cite"], "sources": page["documents"]}
