"""The database schema: tables, indexes, views and full-text search, as migrations.

This is a public interface (analysts query it through Datasette's SQL API):
every table and column is described in site/metadata.yml, and a test fails
when one is missing. Change it only by adding a migration.
"""

from __future__ import annotations

import sqlite_utils

from . import listing, summaries

SCHEMA_VERSION = 6


class SchemaMismatch(RuntimeError):
    """The database was written by a newer schema than this code knows."""


TABLES = {
    "sources": """
        id TEXT PRIMARY KEY, title TEXT NOT NULL, publisher TEXT, kind TEXT NOT NULL,
        jurisdiction TEXT, licence TEXT, base_url TEXT""",
    "crawl_runs": """
        id TEXT PRIMARY KEY, source TEXT NOT NULL REFERENCES sources(id), started TEXT, finished TEXT,
        finish_reason TEXT, requests INTEGER, responses INTEGER, bytes INTEGER, items INTEGER,
        dropped INTEGER, failures INTEGER, retries INTEGER, errors TEXT""",
    "crawl_failures": """
        id TEXT PRIMARY KEY, source TEXT NOT NULL REFERENCES sources(id), url TEXT NOT NULL, status INTEGER,
        reason TEXT, first_failed TEXT, last_failed TEXT, attempts INTEGER NOT NULL DEFAULT 1,
        resolved INTEGER NOT NULL DEFAULT 0""",
    "dropped_items": """
        id TEXT PRIMARY KEY, source TEXT NOT NULL REFERENCES sources(id), document_id TEXT, url TEXT,
        reason TEXT NOT NULL""",
    "documents": """
        id TEXT PRIMARY KEY, source TEXT NOT NULL REFERENCES sources(id), native_id TEXT NOT NULL,
        kind TEXT NOT NULL, jurisdiction TEXT, url TEXT NOT NULL, api_url TEXT, title TEXT NOT NULL,
        text TEXT NOT NULL, html_sanitised TEXT, summary TEXT, published TEXT, published_raw TEXT,
        department TEXT, outlet TEXT, members TEXT, organisations TEXT, extra TEXT,
        first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, retrieved_at TEXT, content_hash TEXT NOT NULL,
        raw_ref TEXT, version INTEGER NOT NULL DEFAULT 1, relevant INTEGER, relevance_reasons TEXT""",
    "document_versions": """
        id TEXT PRIMARY KEY, document_id TEXT NOT NULL REFERENCES documents(id), version INTEGER NOT NULL,
        content_hash TEXT NOT NULL, seen_at TEXT NOT NULL, title TEXT, text TEXT, diff TEXT""",
    "entities": """
        id TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL, slug TEXT NOT NULL, country TEXT,
        parent TEXT, kind TEXT, jurisdiction TEXT, in_scope INTEGER""",
    "entity_aliases": """
        entity_id TEXT NOT NULL REFERENCES entities(id), alias TEXT NOT NULL, PRIMARY KEY (entity_id, alias)""",
    "mentions": """
        id TEXT PRIMARY KEY, document_id TEXT NOT NULL REFERENCES documents(id),
        entity_id TEXT NOT NULL REFERENCES entities(id), start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        text TEXT NOT NULL""",
    "actions": """
        id TEXT PRIMARY KEY, document_id TEXT NOT NULL REFERENCES documents(id), type TEXT NOT NULL,
        actor TEXT, actor_entity_id TEXT, date TEXT, evidence TEXT NOT NULL, start INTEGER NOT NULL,
        "end" INTEGER NOT NULL, confidence REAL, method TEXT NOT NULL, trigger TEXT""",
    "action_targets": """
        action_id TEXT NOT NULL REFERENCES actions(id), target TEXT NOT NULL, PRIMARY KEY (action_id, target)""",
    "action_types": """
        id TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT, colour TEXT, role TEXT""",
    "build_info": """
        key TEXT PRIMARY KEY, value TEXT""",
    # issue 13: what the database tracks, from the topic's vocabulary (name, title, summary, class_target)
    "topic": """
        key TEXT PRIMARY KEY, value TEXT""",
    # issue 15: events, one per real-world act; actions are their mentions (nlp/events, db/events.py)
    "events": """
        id TEXT PRIMARY KEY, type TEXT NOT NULL, status TEXT NOT NULL, actor TEXT, actor_entity_id TEXT,
        actors_named TEXT, announced_by TEXT, jurisdiction TEXT, date TEXT, date_precision TEXT, date_basis TEXT,
        first_reported TEXT, primary_document_id TEXT REFERENCES documents(id), primary_basis TEXT,
        documents INTEGER NOT NULL, sources INTEGER NOT NULL, disagreements TEXT, first_seen TEXT NOT NULL,
        updated TEXT NOT NULL""",
    "event_targets": """
        event_id TEXT NOT NULL REFERENCES events(id), target TEXT NOT NULL, in_context INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (event_id, target)""",
    "event_mentions": """
        action_id TEXT PRIMARY KEY REFERENCES actions(id), event_id TEXT NOT NULL REFERENCES events(id),
        document_id TEXT NOT NULL REFERENCES documents(id), role TEXT NOT NULL, date_basis TEXT""",
    "event_redirects": """
        old_id TEXT PRIMARY KEY, new_id TEXT, reason TEXT NOT NULL, at TEXT NOT NULL""",
}
EVENT_TABLES = ("events", "event_targets", "event_mentions", "event_redirects")

INDEXES = [
    ("documents", ["source"]), ("documents", ["published"]), ("documents", ["kind"]),
    ("documents", ["department"]), ("document_versions", ["document_id"]), ("mentions", ["document_id"]),
    ("mentions", ["entity_id"]), ("actions", ["document_id"]), ("actions", ["date"]), ("actions", ["type"]),
    ("actions", ["actor"]), ("action_targets", ["target"]), ("entities", ["slug"]), ("crawl_runs", ["source"]),
]
EVENT_INDEXES = [
    ("events", ["date"]), ("events", ["type"]), ("events", ["actor_entity_id"]), ("events", ["jurisdiction"]),
    ("events", ["primary_document_id"]), ("event_targets", ["target"]), ("event_mentions", ["event_id"]),
    ("event_mentions", ["document_id"]), ("event_redirects", ["new_id"]),
]

VIEWS = {
    # over the listing and in its order (a scan of the listing goes by pos), with no ORDER BY and every
    # other table read in a scalar subquery: SQLite counts the view by counting the listing alone
    # (Datasette counts it on every request), and a filter on date, type, actor, jurisdiction, kind
    # or source uses the listing's own indexes
    "timeline": """
        SELECT l.unit_id AS event_id, l.date, l.type, (SELECT label FROM action_types WHERE id = l.type) AS action,
          l.actor,
          COALESCE((SELECT group_concat(CASE WHEN x.target = '*'
                                          THEN (SELECT value FROM topic WHERE key = 'class_target')
                                        ELSE e.name END, ', ')
                    FROM event_targets x LEFT JOIN entities e ON e.id = x.target
                    WHERE x.event_id = l.unit_id AND x.in_context = 0), '') AS vendors,
          COALESCE((SELECT group_concat(e.name, ', ') FROM event_targets x JOIN entities e ON e.id = x.target
                    WHERE x.event_id = l.unit_id AND x.in_context = 1), '') AS vendors_in_context,
          l.jurisdiction, l.department,
          (SELECT status FROM events WHERE rowid = l.unit_rowid) AS status,
          (SELECT documents FROM events WHERE rowid = l.unit_rowid) AS documents,
          (SELECT sources FROM events WHERE rowid = l.unit_rowid) AS sources,
          (SELECT a.evidence FROM listing_mentions lm JOIN actions a ON a.rowid = lm.action_rowid
           WHERE lm.pos = l.pos AND lm.rank = 0) AS evidence,
          l.certainty,
          (SELECT id FROM documents WHERE rowid = l.doc_rowid) AS document_id,
          (SELECT title FROM documents WHERE rowid = l.doc_rowid) AS title,
          (SELECT url FROM documents WHERE rowid = l.doc_rowid) AS url,
          l.source, l.kind,
          (SELECT published FROM documents WHERE rowid = l.doc_rowid) AS published,
          '/events/' || l.unit_id AS permalink
        FROM listing l""",
    "event_sources": """
        SELECT m.event_id, m.role, a.id AS action_id, a.evidence, a.actor AS actor_named, a.date AS date_as_stated,
          m.date_basis, d.id AS document_id, d.title, d.url, d.kind, d.source, d.published,
          COALESCE(d.outlet, d.department) AS publisher
        FROM event_mentions m JOIN actions a ON a.id = m.action_id JOIN documents d ON d.id = m.document_id
        ORDER BY m.event_id, m.role != 'primary', d.published, a.id""",
    "source_health": """
        SELECT s.id AS source, s.title, s.kind, s.asked,
          (SELECT MIN(d.published) FROM documents d WHERE d.source = s.id AND d.published IS NOT NULL)
            AS first_item,
          (SELECT last_item FROM source_stats c WHERE c.source = s.id) AS last_item,
          COALESCE((SELECT documents FROM source_stats c WHERE c.source = s.id), 0) AS documents,
          r.started AS last_run, r.mode, r.finish_reason, r.requests, r.items, r.failures, r.errors,
          (SELECT COUNT(*) FROM crawl_failures f WHERE f.source = s.id AND f.resolved = 0) AS open_failures
        FROM sources s LEFT JOIN crawl_runs r ON r.id = (
          SELECT id FROM crawl_runs WHERE source = s.id ORDER BY started DESC LIMIT 1)""",
}

FTS = {"documents": ["title", "text"], "actions": ["evidence"]}
# schema 6 (issue 17): who and what numbers a document carries (members, UIN, document number, outlet,
# department) in the full-text index beside its title and text, so a search finds them
FTS_6 = {"documents": ["title", "text", "search_meta"]}


def _migration_1(db: sqlite_utils.Database) -> None:
    for name, columns in TABLES.items():
        if name in EVENT_TABLES:
            continue
        db.execute(f"CREATE TABLE IF NOT EXISTS [{name}] ({columns})")
    for table, columns in INDEXES:
        db[table].create_index(columns, if_not_exists=True)
    for table, columns in FTS.items():
        db[table].enable_fts(columns, tokenize="porter", create_triggers=False, replace=True)
    for name, sql in VIEWS.items():
        db.create_view(name, sql, replace=True)


def _migration_2(db: sqlite_utils.Database) -> None:
    """The listing tables (issue 19): empty until the build lays them out (db/listing.py)."""
    listing.create(db)
    db["documents"].create_index(["source", "published"], if_not_exists=True)
    db["crawl_failures"].create_index(["source", "resolved"], if_not_exists=True)


def _migration_3(db: sqlite_utils.Database) -> None:
    """Events (issue 15): one row per real-world act, its targets, its mentions, redirects of merged ids."""
    for name in EVENT_TABLES:
        db.execute(f"CREATE TABLE IF NOT EXISTS [{name}] ({TABLES[name]})")
    for table, columns in EVENT_INDEXES:
        db[table].create_index(columns, if_not_exists=True)


def _migration_4(db: sqlite_utils.Database) -> None:
    """What each source was asked (search terms, feeds) and whether a run read recordings or the live
    services, for the coverage on /sources (#16)."""
    if "asked" not in db["sources"].columns_dict:
        db.execute("ALTER TABLE sources ADD COLUMN asked TEXT")
    if "mode" not in db["crawl_runs"].columns_dict:
        db.execute("ALTER TABLE crawl_runs ADD COLUMN mode TEXT")


def _migration_5(db: sqlite_utils.Database) -> None:
    """The topic as data (issue 13): a `topic` table, action types' colour and role, and entities.in_scope
    (whether a vendor is a subject of the topic), the schema-4 flag column renamed."""
    db.execute(f"CREATE TABLE IF NOT EXISTS [topic] ({TABLES['topic']})")
    types = {c.name for c in db["action_types"].columns}
    for column in ("colour", "role"):
        if column not in types:
            db.execute(f"ALTER TABLE action_types ADD COLUMN {column} TEXT")
    known = {"id", "type", "name", "slug", "country", "parent", "kind", "jurisdiction", "in_scope"}
    for old in [c.name for c in db["entities"].columns if c.name not in known][:1]:  # schema 4's flag column
        db.execute(f"ALTER TABLE entities RENAME COLUMN [{old}] TO in_scope")


def _migration_6(db: sqlite_utils.Database) -> None:
    """Search finds members, UINs, document numbers and outlets (issue 17): documents.search_meta, filled at
    ingest (db/ingest.py), indexed by documents_fts beside the title and the text."""
    if "search_meta" not in db["documents"].columns_dict:
        db.execute("ALTER TABLE documents ADD COLUMN search_meta TEXT")
    for table, columns in FTS_6.items():
        db[table].enable_fts(columns, tokenize="porter", create_triggers=False, replace=True)


MIGRATIONS = [_migration_1, _migration_2, _migration_3, _migration_4, _migration_5, _migration_6]


def migrate(db: sqlite_utils.Database) -> int:
    """Bring the database to SCHEMA_VERSION; returns the version it was at."""
    current = db.execute("PRAGMA user_version").fetchone()[0]
    if current > len(MIGRATIONS):
        raise SchemaMismatch(f"database schema {current} is newer than this code ({len(MIGRATIONS)})")
    for number, step in enumerate(MIGRATIONS, start=1):
        if number > current:
            step(db)
            db.execute(f"PRAGMA user_version = {number}")
    for name, sql in VIEWS.items():  # views are cheap and always current
        db.create_view(name, sql, replace=True)
    summaries.create(db)  # the summaries that were views, as tables the build fills (empty until then)
    return current


def columns(db: sqlite_utils.Database) -> dict[str, list[str]]:
    """Every table and view with its columns (what site/metadata.yml must describe)."""
    out = {}
    for table in db.table_names() + db.view_names():
        if table.endswith(("_fts", "_fts_data", "_fts_idx", "_fts_docsize", "_fts_config")):
            continue
        out[table] = [c.name for c in (db[table].columns if table in db.table_names() else db.view(table).columns)]
    return out
