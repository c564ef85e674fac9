"""A document's page (/documents/<id>) as plain data: metadata, the text cut into plain and evidence
segments, the entities and actions extracted from it, its versions (issue 17).

site/plugins/pages.py renders it; nothing here renders HTML. The text is crawled, so it is only ever
cut into segments here and escaped by the template (never rendered as HTML); the evidence sentences
are marked by the actions' character offsets into ``documents.text``. Every query is a look-up by the
document's key or rowid (bounded at any corpus size).
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from .eventview import document_number

MAX_TEXT = 400_000  # characters shown; a longer text is cut (and says so), the source link has the rest
RAW_MAX = 5_000_000  # bytes of the raw archive served as text
QUOTES = re.compile(r"``|''")


def tidy_quotes(text: str | None) -> str:
    """The Federal Register writes quotes as ``TeX'' pairs: shown as curly quotes, never as raw markup."""
    if not text or "``" not in text and "''" not in text:
        return text or ""
    return QUOTES.sub(lambda m: "\u201c" if m.group(0) == "``" else "\u201d", text)


def _rows(conn: sqlite3.Connection, sql: str, params=()) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def segments(text: str, spans: list[tuple[int, int, str]]) -> list[dict]:
    """The text as [{text, mark (the action ids it is evidence of, or None)}]: overlapping spans merge."""
    cuts = sorted({0, len(text), *(max(0, min(len(text), p)) for s, e, _ in spans for p in (s, e))})
    out = []
    for start, end in zip(cuts, cuts[1:]):
        ids = [a for s, e, a in spans if s <= start and end <= e and s < e]
        piece = text[start:end]
        if out and (out[-1]["mark"] or []) == ids:
            out[-1]["text"] += piece
        else:
            out.append({"text": piece, "mark": ids or None, "start": start})
    return out


def document_page(conn: sqlite3.Connection, doc_id: str) -> dict | None:
    found = _rows(conn, "SELECT d.rowid AS doc_rowid, d.*, s.title AS source_title, s.publisher, s.licence "
                        "FROM documents d LEFT JOIN sources s ON s.id = d.source WHERE d.id = ?", (doc_id,))
    if not found:
        return None
    doc = found[0]
    extra = _json(doc.get("extra"), {})
    doc["extra"] = extra if isinstance(extra, dict) else {}
    doc["number"] = document_number(doc)
    members = _json(doc.get("members"), [])
    from .pages import _members

    doc["people"] = _members(json.dumps(members)) if isinstance(members, list) else []
    actions = _rows(conn, """
        SELECT a.id, a.type, t.label, a.actor, ae.slug AS actor_slug, ae.type AS actor_type, a.date, a.evidence,
          a.start, a."end", a.confidence, m.event_id,
          (SELECT group_concat(CASE WHEN x.target = '*' THEN '*' ELSE e.slug || '|' || e.name END, ';')
           FROM action_targets x LEFT JOIN entities e ON e.id = x.target WHERE x.action_id = a.id) AS targets
        FROM actions a LEFT JOIN action_types t ON t.id = a.type LEFT JOIN entities ae ON ae.id = a.actor_entity_id
        LEFT JOIN event_mentions m ON m.action_id = a.id
        WHERE a.document_id = ? ORDER BY a.start, a.id""", (doc_id,))
    for number, action in enumerate(actions, start=1):
        action["number"] = number
        action["evidence"] = tidy_quotes(action["evidence"])
        action["targets"] = [dict(zip(("slug", "name"), t.split("|", 1))) if "|" in t else {"slug": None, "name": t}
                             for t in filter(None, (action["targets"] or "").split(";"))]
    entities = _rows(conn, """
        SELECT e.id, e.type, e.name, e.slug, COUNT(*) AS n FROM mentions m JOIN entities e ON e.id = m.entity_id
        WHERE m.document_id = ? GROUP BY e.id ORDER BY e.type, e.name""", (doc_id,))
    versions = _rows(conn, "SELECT version, seen_at, title, diff FROM document_versions WHERE document_id = ? "
                           "ORDER BY version DESC", (doc_id,))
    text = doc.get("text") or ""
    cut = len(text) > MAX_TEXT
    spans = [(a["start"], a["end"], a["id"]) for a in actions
             if a["start"] is not None and a["end"] is not None and a["end"] <= len(text)]
    pieces = segments(text[:MAX_TEXT], spans)
    number_of = {a["id"]: a["number"] for a in actions}
    for piece in pieces:
        piece["text"] = tidy_quotes(piece["text"])
        piece["numbers"] = [number_of[i] for i in piece["mark"] or []]
    return {"document": doc, "actions": actions, "entities": entities, "versions": versions,
            "segments": pieces, "cut": cut, "length": len(text)}


def _json(value, default):
    if not value:
        return default
    try:
        return json.loads(value)
    except ValueError:
        return default


def raw_path(db_path: str | Path | None, raw_ref: str | None) -> Path | None:
    """Where the build's raw archive keeps a document's response (``<db dir>/raw/<ab>/<hash>.gz``), if there."""
    if not db_path or not raw_ref or not re.fullmatch(r"[0-9a-f]{16,128}", raw_ref):
        return None
    path = Path(db_path).parent / "raw" / raw_ref[:2] / f"{raw_ref}.gz"
    return path if path.is_file() else None


def raw_text(path: Path) -> tuple[str, bool]:
    """The archived response, decompressed, as text (cut at RAW_MAX bytes)."""
    import gzip

    with gzip.open(path, "rb") as handle:
        body = handle.read(RAW_MAX + 1)
    return body[:RAW_MAX].decode("utf-8", errors="replace"), len(body) > RAW_MAX
