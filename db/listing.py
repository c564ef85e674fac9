"""The listing: what the timeline lists, laid out at build time for bounded page queries.

The listed unit is the event (issue 15: one real-world act, nlp/events, db/events.py); its mentions
(actions) are the sentences that report it. Every build rebuilds these tables from the source tables
(they are never edited in place):

- ``listing``: one row per event, numbered ``pos`` 1, 2, ... newest first (``ORDER BY date DESC, id``),
  with the columns the filters need. Newest-first is ``ORDER BY pos``, so a page is an index walk that
  stops after 25 rows, and a date range is a ``pos`` range.
- ``listing_targets``: the vendors an event targets or is about (named and in context), keyed so that
  one vendor's events come out newest first.
- ``listing_documents``: every document of an event (its mentions' and its primary source), keyed by
  the document's rowid (what a search of documents_fts finds) and by ``pos``.
- ``listing_mentions``: an event's sentences (actions' rowids, what actions_fts finds), ranked as a card
  shows them: the primary source's first, then by publication date; with each sentence's role and its
  document's rowid, so a card's sentences are read by rowid (no look-up by text id per sentence, #19).
- ``listing_dates``: the ``pos`` range of each date (date filters become ``pos BETWEEN``).
- ``listing_summary``: counts per filter dimension and value, type and date: the exact figures for
  counts and the monthly chart of the unfiltered view and of one-filter views; ``listing_months``:
  the same per month (what a chart without date filters reads).
- ``filter_options``: the values of every filter menu with their counts (once per build).
- ``entity_stats`` / ``entity_documents``: what a vendor's or organisation's page sums up;
  ``source_stats``: documents per source and the latest (for /sources).

The unit is defined in one place: ``UNIT_SQL``, ``UNIT_FTS``, ``TARGETS_SQL``, ``DOCUMENTS_SQL`` and
``MENTIONS_SQL`` below, plus ``ROW_SQL`` (what a shown row displays) and ``MEMBER``/``PROBE``/``MATCHES``
(how a search reaches a unit's documents and sentences, through listing_documents and listing_mentions)
in db/query.py; the page queries, summaries and plan checks do not depend on what the unit is.
"""

from __future__ import annotations

import sqlite_utils

# one row per unit (an event, issue 15): its id, the rowid of its own row (events), the primary document
# shown with it, and every column a filter reads. The event's values are its own (actor, jurisdiction,
# date); kind and source are its primary document's; department is the department its actor acts in
# (the actor, or its nearest ancestor of kind department: an agency's or a minister's act counts for
# their department), else the primary document's department; an event is confident when its confidence
# (``event_confidence``: its documents' reports taken as independent evidence) is CONFIDENT or more.
CONFIDENT = 0.8  # the calibrated confidence (nlp/confidence.py) the timeline shows by default (issue 14)
UNIT_SQL = f"""
SELECT e.id, e.rowid, COALESCE(d.rowid, 0), e.date, e.type, e.actor, e.actor_entity_id, e.jurisdiction,
  COALESCE((SELECT department FROM temp.actor_department WHERE entity_id = e.actor_entity_id), d.department),
  d.kind, d.source,
  CASE WHEN (SELECT confidence FROM temp.event_confidence c WHERE c.event_id = e.id) >= {CONFIDENT}
       THEN 'confident' ELSE 'uncertain' END
FROM events e LEFT JOIN documents d ON d.id = e.primary_document_id JOIN action_types t ON t.id = e.type
ORDER BY e.date DESC, e.id
"""
UNIT_FTS = "actions_fts"  # full-text index of the units' own text (their mentions' evidence), via listing_mentions
TARGETS_SQL = "SELECT x.target, l.pos FROM listing l JOIN event_targets x ON x.event_id = l.unit_id"
# a unit's documents (every mention's, and the primary one) and its mentions (actions), in the order a card
# shown them: the primary source first, then by publication date. Both links also hold what counting and
# charting a search's matches reads (certainty, type, date): a count of a search's confident events is a walk
# of link entries, never a look-up in the listing per match (ten times faster at a million documents, #19)
DOCUMENTS_SQL = """
SELECT d.rowid, l.pos, l.certainty, l.type, l.date FROM listing l JOIN event_mentions m ON m.event_id = l.unit_id
JOIN documents d ON d.id = m.document_id
UNION SELECT doc_rowid, pos, certainty, type, date FROM listing WHERE doc_rowid != 0
"""
MENTIONS_SQL = """
SELECT l.pos, ROW_NUMBER() OVER (PARTITION BY l.pos ORDER BY m.role != 'primary', d.published, a.id) - 1, a.rowid,
  l.certainty, l.type, l.date, m.role, d.rowid
FROM listing l JOIN event_mentions m ON m.event_id = l.unit_id JOIN actions a ON a.id = m.action_id
JOIN documents d ON d.id = m.document_id
"""
LINKED = ("certainty", "type", "date")  # the listing's columns the links repeat
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
    "listing_documents": """doc_rowid INTEGER NOT NULL, pos INTEGER NOT NULL, certainty TEXT, type TEXT NOT NULL,
        date TEXT, PRIMARY KEY (doc_rowid, pos)""",
    "listing_mentions": """pos INTEGER NOT NULL, rank INTEGER NOT NULL, action_rowid INTEGER NOT NULL,
        certainty TEXT, type TEXT NOT NULL, date TEXT, role TEXT, doc_rowid INTEGER,
        PRIMARY KEY (pos, rank)""",
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
WITHOUT_ROWID = {"listing_targets", "listing_documents", "listing_mentions", "listing_dates", "listing_summary",
                 "listing_months", "filter_options",
                 "entity_stats", "entity_documents", "source_stats"}
# (pos) after the value in every index: one value's rows come out newest first, no sort
INDEXES = [("listing", c) for c in (*SPLITS, *COLUMNS)]


def create_tables(db: sqlite_utils.Database, tables: dict[str, str], without_rowid=(), drop: bool = False) -> None:
    """Create per-build tables from {name: column definitions} (dropping them first when asked)."""
    for name, columns in tables.items():
        if drop:
            db.execute(f"DROP TABLE IF EXISTS [{name}]")
        suffix = " WITHOUT ROWID" if name in without_rowid else ""
        db.execute(f"CREATE TABLE IF NOT EXISTS [{name}] ({columns}){suffix}")


def create(db: sqlite_utils.Database, drop: bool = False) -> None:
    create_tables(db, TABLES, WITHOUT_ROWID, drop)


def _index(db: sqlite_utils.Database) -> None:
    for table, column in INDEXES:
        db.execute(f"CREATE INDEX IF NOT EXISTS [{table}_{column}] ON [{table}] ([{column}], pos)")
    db.execute("CREATE INDEX IF NOT EXISTS listing_targets_pos ON listing_targets (pos, target)")
    db.execute("CREATE INDEX IF NOT EXISTS listing_documents_pos ON listing_documents (pos, doc_rowid)")
    # what a search of the sentences goes through, covering what counting its matches reads (as listing_documents)
    db.execute("CREATE INDEX IF NOT EXISTS listing_mentions_action ON listing_mentions "
               "(action_rowid, certainty, pos, type, date)")


def rebuild(db: sqlite_utils.Database, say=lambda message: None, calibrated: bool = True) -> dict:
    """Drop and refill every listing table from the source tables; returns row counts. ``calibrated``: the
    sentences' confidences are calibrated probabilities (the topic has a confidence model), so an event's
    reports combine (``event_confidence``); otherwise an event's confidence is its best sentence's."""
    conn = db.conn
    with conn:
        create(db, drop=True)
        say("listing: rows in date order")
        _departments(conn)
        _confidence(conn, calibrated)
        conn.execute("INSERT INTO listing (unit_id, unit_rowid, doc_rowid, date, type, actor, actor_entity_id, "
                     f"jurisdiction, department, kind, source, certainty) {UNIT_SQL}")
        conn.execute(f"INSERT INTO listing_targets (target, pos) {TARGETS_SQL} ORDER BY 1, 2")
        conn.execute("INSERT INTO listing_documents (doc_rowid, pos, certainty, type, date) "
                     f"SELECT * FROM ({DOCUMENTS_SQL}) ORDER BY 1, 2")
        conn.execute("INSERT INTO listing_mentions (pos, rank, action_rowid, certainty, type, date, role, doc_rowid) "
                     f"{MENTIONS_SQL}")
        conn.execute("DROP TABLE temp.actor_department")
        conn.execute("DROP TABLE temp.event_confidence")
        conn.execute("INSERT INTO listing_dates (date, first, last) SELECT date, MIN(pos), MAX(pos) FROM listing "
                     "WHERE date IS NOT NULL GROUP BY date")
        say("listing: summaries")
        _summaries(conn)
        _options(conn)
        _entities(conn)
        say("listing: indexes")
        _index(db)
    return {name: conn.execute(f"SELECT COUNT(*) FROM [{name}]").fetchone()[0] for name in TABLES}


def event_confidence(by_document: dict) -> float:
    """An event's confidence from its mentions' calibrated confidences, {document: [p, ...]}: each document's
    best sentence is one report, and reports from different documents are independent evidence that the act
    took place (noisy-OR: 1 - the product of 1 - p). One sentence alone keeps its own confidence; two reports
    at 0.6 make 0.84. A mention without a confidence counts as 0."""
    doubt = 1.0
    for confidences in by_document.values():
        doubt *= 1.0 - max([min(max(p or 0.0, 0.0), 1.0) for p in confidences] or [0.0])
    return 1.0 - doubt


def _confidence(conn, calibrated: bool = True) -> None:
    """temp.event_confidence: each event's confidence (``event_confidence``; without calibration, the best
    sentence's: rules' own estimates are no probabilities to combine)."""
    reports: dict = {}
    for event_id, document_id, confidence in conn.execute(
            "SELECT m.event_id, m.document_id, a.confidence FROM event_mentions m JOIN actions a ON a.id = m.action_id"):
        reports.setdefault(event_id, {}).setdefault(document_id, []).append(confidence)
    conn.execute("DROP TABLE IF EXISTS temp.event_confidence")
    conn.execute("CREATE TEMP TABLE event_confidence (event_id TEXT PRIMARY KEY, confidence REAL NOT NULL)")
    def combined(docs: dict) -> float:
        return event_confidence(docs) if calibrated else max(p or 0.0 for ps in docs.values() for p in ps)

    conn.executemany("INSERT INTO temp.event_confidence (event_id, confidence) VALUES (?, ?)",
                     [(event_id, combined(docs)) for event_id, docs in reports.items()])


def _departments(conn) -> None:
    """temp.actor_department: each organisation and the department it acts in (itself, or its nearest
    ancestor of kind department, through entities.parent)."""
    rows = {i: (name, kind, parent) for i, name, kind, parent in
            conn.execute("SELECT id, name, kind, parent FROM entities WHERE type = 'organisation'")}
    found = []
    for entity_id in rows:
        seen, current = set(), entity_id
        while current in rows and current not in seen:
            seen.add(current)
            name, kind, parent = rows[current]
            if kind == "department":
                found.append((entity_id, name))
                break
            current = parent
    conn.execute("DROP TABLE IF EXISTS temp.actor_department")
    conn.execute("CREATE TEMP TABLE actor_department (entity_id TEXT PRIMARY KEY, department TEXT NOT NULL)")
    conn.executemany("INSERT INTO temp.actor_department (entity_id, department) VALUES (?, ?)", found)


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
