"""Summaries analysts open in Datasette, laid out at build time (issue 19).

``vendor_summary`` (per vendor and action type), ``department_summary`` (per actor and type) and
``scrutiny`` (written questions per answering department) were views: each request grouped every event
or every written question again, seconds at a million documents (past Datasette's time limit). They are
now tables of the same names and columns, filled from the same statements once per build (``rebuild``,
after events), so their pages read a few hundred rows. The database is read-only between builds, so the
tables are exactly what the views gave.
"""

from __future__ import annotations

import sqlite_utils

SUMMARIES = {
    "vendor_summary": """
        SELECT e.slug AS vendor_slug, e.name AS vendor, ev.type, COUNT(*) AS events,
          SUM(x.in_context = 0) AS events_naming_it, COUNT(DISTINCT ev.jurisdiction) AS jurisdictions,
          MIN(ev.date) AS first_event, MAX(ev.date) AS latest_event
        FROM event_targets x JOIN entities e ON e.id = x.target JOIN events ev ON ev.id = x.event_id
        GROUP BY e.id, ev.type""",
    "department_summary": """
        SELECT ev.actor, ev.type, COUNT(*) AS events, MIN(ev.date) AS first_event, MAX(ev.date) AS latest_event,
          SUM(ev.documents) AS documents
        FROM events ev WHERE ev.actor IS NOT NULL GROUP BY ev.actor, ev.type""",
    "scrutiny": """
        SELECT d.department, COUNT(*) AS asked,
          SUM(CASE WHEN json_extract(d.extra, '$.status') IN ('answered', 'corrected') THEN 1 ELSE 0 END) AS answered,
          SUM(CASE WHEN json_extract(d.extra, '$.status') = 'holding' THEN 1 ELSE 0 END) AS holding,
          SUM(CASE WHEN EXISTS (SELECT 1 FROM actions a JOIN action_types t ON t.id = a.type
                                WHERE a.document_id = d.id AND t.role = 'declines')
              THEN 1 ELSE 0 END) AS declined_to_comment
        FROM documents d WHERE d.kind = 'written_question' GROUP BY d.department""",
}


def _drop_view(db: sqlite_utils.Database, name: str) -> None:
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = ?", (name,)).fetchone():
        db.execute(f"DROP VIEW [{name}]")


def create(db: sqlite_utils.Database) -> None:
    """Each summary as an empty table of its columns, if missing (a database of schema 5 had them as views)."""
    for name, sql in SUMMARIES.items():
        _drop_view(db, name)
        db.execute(f"CREATE TABLE IF NOT EXISTS [{name}] AS SELECT * FROM ({sql}) LIMIT 0")


def rebuild(db: sqlite_utils.Database) -> dict:
    """Refill every summary from the source tables; returns row counts."""
    out = {}
    for name, sql in SUMMARIES.items():
        _drop_view(db, name)
        db.execute(f"DROP TABLE IF EXISTS [{name}]")
        db.execute(f"CREATE TABLE [{name}] AS {sql}")
        out[name] = db.execute(f"SELECT COUNT(*) FROM [{name}]").fetchone()[0]
    return out
