"""The listing: what the timeline lists, laid out at build time for bounded page queries.

Every build rebuilds these tables from the source tables (they are never edited in place):

- ``listing``: one row per listed unit (today an action), numbered ``pos`` 1, 2, ... newest first
  (``ORDER BY date DESC, id``), with the columns the filters need. Newest-first is ``ORDER BY pos``,
  so a page is an index walk that stops after 25 rows, and a date range is a ``pos`` range.
- ``listing_targets``: the vendors a unit targets, keyed so that one vendor's units come out newest
  first.
- ``listing_dates``: the ``pos`` range of each date (date filters become ``pos BETWEEN``).
- ``listing_summary``: counts per filter dimension and value, type and date: the exact figures for
  counts and the monthly chart of the unfiltered view and of one-filter views; ``listing_months``:
  the same per month (what a chart without date filters reads).
- ``filter_options``: the values of every filter menu with their counts (once per build).
- ``entity_stats`` / ``entity_documents``: what a vendor's or organisation's page sums up;
  ``source_stats``: documents per source and the latest (for /sources).

The unit is defined in one place: ``UNIT_SQL``, ``UNIT_FTS`` and ``TARGETS_SQL`` below, plus
``ROW_SQL`` (what a shown row displays) and ``MEMBER``/``PROBE`` (how a search reaches a unit's
document) in db/query.py. Listing events instead of actions (issue 15) means changing those
statements (a unit with several documents adds a link table keyed like listing_targets and tests
its documents through it); the page queries, summaries and plan checks stay as they are.
"""

from __future__ import annotations

import sqlite_utils

# one row per unit: its id, the rowid of its own row (whose text the unit's FTS table indexes),
# the document shown with it, and every column a filter reads
CONFIDENT = 0.8  # the calibrated confidence (nlp/confidence.py) the timeline shows by default (issue 14)
UNIT_SQL = f"""
SELECT a.id, a.rowid, d.rowid, a.date, a.type, a.actor, a.actor_entity_id, d.jurisdiction, d.department,
  d.kind, d.source, CASE WHEN a.confidence >= {CONFIDENT} THEN 'confident' ELSE 'uncertain' END
FROM actions a JOIN documents d ON d.id = a.document_id JOIN action_types t ON t.id = a.type
ORDER BY a.date DESC, a.id
"""
UNIT_FTS = "actions_fts"  # full-text index of the unit's own text (evidence), keyed by unit_rowid
TARGETS_SQL = "SELECT x.target, l.pos FROM listing l JOIN action_targets x ON x.action_id = l.unit_id"
# filter dimensions held on the listing row, each with its own summary rows; 'vendor' is the
# listing_targets link. Every summary row is also split by SPLITS (few values each), so one dimension
# plus an action type and a certainty (the site's default view) is still read from the summaries.
COLUMNS = ("actor", "jurisdiction", "department", "kind", "source")
SPLITS = ("type", "certainty")
DIMENSIONS = ("vendor", *COLUMNS)
ACTOR_MENU = 200  # actors offered in the menu (all are searchable)

TABLES = {
    "listing": """pos INTEGER PRIMARY KEY, unit_id TEXT NOT NULL, unit_rowid INTEGER NOT NULL,
        doc_rowid INTEGER NOT NULL, date TEXT, type TEXT NOT NULL, actor TEXT, actor_entity_id TEXT,
        jurisdiction TEXT, department TEXT, kind TEXT, source TEXT, certainty TEXT""",
    "listing_targets": "target TEXT NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY (target, pos)",
    "listing_dates": "date TEXT PRIMARY KEY, first INTEGER NOT NULL, last INTEGER NOT NULL",
    "listing_summary": """dim TEXT NOT NULL, value TEXT NOT NULL, type TEXT NOT NULL, certainty TEXT NOT NULL,
        date TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (dim, value, type, certainty, date)""",
    "listing_months": """dim TEXT NOT NULL, value TEXT NOT NULL, type TEXT NOT NULL, certainty TEXT NOT NULL,
        month TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (dim, value, type, certainty, month)""",
    "filter_options": """menu TEXT NOT NULL, value TEXT NOT NULL, label TEXT, slug TEXT, n INTEGER NOT NULL,
        PRIMARY KEY (menu, value)""",
    "entity_stats": """entity_id TEXT NOT NULL, role TEXT NOT NULL, jurisdiction TEXT NOT NULL, type TEXT NOT NULL,
        n INTEGER NOT NULL, first TEXT, latest TEXT, PRIMARY KEY (entity_id, role, jurisdiction, type)""",
    "entity_documents": "entity_id TEXT PRIMARY KEY, documents INTEGER NOT NULL",
    "source_stats": "source TEXT PRIMARY KEY, documents INTEGER NOT NULL, last_item TEXT",
}
WITHOUT_ROWID = {"listing_targets", "listing_dates", "listing_summary", "listing_months", "filter_options",
                 "entity_stats", "entity_documents", "source_stats"}
# (pos) after the value in every index: one value's rows come out newest first, no sort
INDEXES = [("listing", c) for c in (*SPLITS, *COLUMNS, "unit_rowid", "doc_rowid")]
# the indexes a search goes through from its full-text matches (a unit's or a document's rowid) also hold what
# counting and charting the matches reads, the site's default filter (certainty) first: a count of a search's
# confident rows is then a walk of index entries, never a look-up in the listing per match (ten times faster)
COVERING = {"unit_rowid": ("certainty", "pos", "type", "date"), "doc_rowid": ("certainty", "pos", "type", "date")}


def create(db: sqlite_utils.Database, drop: bool = False) -> None:
    for name, columns in TABLES.items():
        if drop:
            db.execute(f"DROP TABLE IF EXISTS [{name}]")
        suffix = " WITHOUT ROWID" if name in WITHOUT_ROWID else ""
        db.execute(f"CREATE TABLE IF NOT EXISTS [{name}] ({columns}){suffix}")


def _index(db: sqlite_utils.Database) -> None:
    for table, column in INDEXES:
        rest = ", ".join(COVERING.get(column, ("pos",)))
        db.execute(f"CREATE INDEX IF NOT EXISTS [{table}_{column}] ON [{table}] ([{column}], {rest})")
    db.execute("CREATE INDEX IF NOT EXISTS listing_targets_pos ON listing_targets (pos, target)")


def rebuild(db: sqlite_utils.Database, say=lambda message: None) -> dict:
    """Drop and refill every listing table from the source tables; returns row counts."""
    conn = db.conn
    with conn:
        create(db, drop=True)
        say("listing: rows in date order")
        conn.execute("INSERT INTO listing (unit_id, unit_rowid, doc_rowid, date, type, actor, actor_entity_id, "
                     f"jurisdiction, department, kind, source, certainty) {UNIT_SQL}")
        conn.execute(f"INSERT INTO listing_targets (target, pos) {TARGETS_SQL} ORDER BY 1, 2")
        conn.execute("INSERT INTO listing_dates (date, first, last) SELECT date, MIN(pos), MAX(pos) FROM listing "
                     "WHERE date IS NOT NULL GROUP BY date")
        say("listing: summaries")
        _summaries(conn)
        _options(conn)
        _entities(conn)
        say("listing: indexes")
        _index(db)
    return {name: conn.execute(f"SELECT COUNT(*) FROM [{name}]").fetchone()[0] for name in TABLES}


def _summaries(conn) -> None:
    """One sort of the listing into its distinct filter combinations, then each dimension from those."""
    columns = ", ".join(COLUMNS)
    conn.execute("DROP TABLE IF EXISTS temp.listing_cube")
    conn.execute(f"CREATE TEMP TABLE listing_cube AS SELECT type, COALESCE(certainty, '') AS certainty, "
                 f"COALESCE(date, '') AS date, {columns}, COUNT(*) AS n FROM listing "
                 f"GROUP BY type, certainty, date, {columns}")
    insert = "INSERT INTO listing_summary (dim, value, type, certainty, date, n) "
    conn.execute(insert + "SELECT 'all', '', type, certainty, date, SUM(n) FROM listing_cube "
                 "GROUP BY type, certainty, date")
    conn.execute(insert + "SELECT 'vendor', t.target, l.type, COALESCE(l.certainty, ''), COALESCE(l.date, ''), "
                 "COUNT(*) FROM listing_targets t JOIN listing l ON l.pos = t.pos "
                 "GROUP BY t.target, l.type, l.certainty, l.date")
    for column in COLUMNS:
        conn.execute(insert + f"SELECT '{column}', {column}, type, certainty, date, SUM(n) FROM listing_cube "
                     f"WHERE {column} IS NOT NULL GROUP BY {column}, type, certainty, date")
    conn.execute("DROP TABLE temp.listing_cube")
    conn.execute("INSERT INTO listing_months (dim, value, type, certainty, month, n) SELECT dim, value, type, certainty, CASE WHEN length(date) >= 7 THEN "
                 "substr(date, 1, 7) ELSE '' END, SUM(n) FROM listing_summary GROUP BY 1, 2, 3, 4, 5")


def _options(conn) -> None:
    """Every menu's values, with counts; the actor menu also keeps each actor's entity (for the filter)."""
    insert = "INSERT INTO filter_options (menu, value, label, slug, n) "
    conn.execute(insert + "SELECT 'vendor', s.value, e.name, e.slug, SUM(s.n) FROM listing_summary s "
                 "LEFT JOIN entities e ON e.id = s.value WHERE s.dim = 'vendor' GROUP BY s.value")
    conn.execute(insert + "SELECT 'action', t.id, t.label, NULL, COALESCE((SELECT SUM(n) FROM listing_summary s "
                 "WHERE s.dim = 'all' AND s.type = t.id), 0) FROM action_types t")
    for column in ("jurisdiction", "department", "kind", "source"):
        conn.execute(insert + f"SELECT '{column}', value, value, NULL, SUM(n) FROM listing_summary "
                     f"WHERE dim = '{column}' GROUP BY value")
    conn.execute(insert + "SELECT 'certainty', certainty, certainty, NULL, SUM(n) FROM listing_summary "
                 "WHERE dim = 'all' GROUP BY certainty")
    # an actor name and the entity each of its rows points to (a name could point to two)
    conn.execute(insert + "SELECT 'actor', actor || char(31) || COALESCE(actor_entity_id, ''), actor, "
                 "actor_entity_id, COUNT(*) FROM listing WHERE actor IS NOT NULL GROUP BY actor, actor_entity_id")


def _entities(conn) -> None:
    """Per vendor (as target) and per actor entity: counts by jurisdiction and type, first and latest date."""
    conn.execute("INSERT INTO entity_stats (entity_id, role, jurisdiction, type, n, first, latest) "
                 "SELECT t.target, 'target', COALESCE(NULLIF(l.jurisdiction, ''), 'unknown'), "
                 "l.type, COUNT(*), MIN(l.date), MAX(l.date) FROM listing_targets t JOIN listing l ON l.pos = t.pos "
                 "WHERE t.target != '*' GROUP BY 1, 3, 4")
    conn.execute("INSERT INTO entity_stats (entity_id, role, jurisdiction, type, n, first, latest) "
                 "SELECT actor_entity_id, 'actor', COALESCE(NULLIF(jurisdiction, ''), "
                 "'unknown'), type, COUNT(*), MIN(date), MAX(date) FROM listing WHERE actor_entity_id IS NOT NULL "
                 "GROUP BY 1, 3, 4")
    conn.execute("INSERT INTO entity_documents (entity_id, documents) SELECT entity_id, COUNT(DISTINCT document_id) FROM mentions "
                 "GROUP BY entity_id")
    conn.execute("INSERT INTO source_stats (source, documents, last_item) SELECT source, COUNT(*), MAX(published) FROM documents "
                 "INDEXED BY idx_documents_source_published GROUP BY source")
