"""The directory: who and what the site has a page for, laid out at build time (issue 17).

Every build rebuilds these tables from the source tables, as db/listing.py does for the timeline, so that
the index pages (/vendors, /organisations, /people, /jurisdictions), a person's page, a vendor's list of
documents and /documents are bounded index walks at any corpus size:

- ``document_list``: one row per document, numbered ``pos`` 1, 2, ... newest first
  (``ORDER BY published DESC, id``): /documents pages by ``pos`` (keyset), as the timeline does.
- ``document_entities``: the documents naming an entity (from mentions), keyed so that one entity's
  documents come out newest first; a vendor's or organisation's page lists them.
- ``people``: one row per person, from the sources' member fields (documents.members: who asked,
  answered, spoke, made a statement) and the person entities the extractor found; counts per role.
- ``person_documents``: a person's documents per role, newest first.
- ``person_posts``: the posts a person held as the sources say (an office, or answering for a
  department), with the first and last date seen.
- ``directory``: one row per entry of an index page (sections vendors, organisations, people,
  jurisdictions), with its counts, in name order; section ``kinds`` counts the documents per kind.
"""

from __future__ import annotations

import json
from collections import defaultdict

import sqlite_utils

from .ingest import slug as slugify
from .listing import create_tables

# a member field's role -> the person page's section
ROLES = {"asking": "asked", "answering": "answered", "speaker": "spoke", "making": "statement",
         "correcting": "corrected"}
SECTIONS = ("vendors", "organisations", "people", "jurisdictions")

TABLES = {
    "document_list": """pos INTEGER PRIMARY KEY, doc_rowid INTEGER NOT NULL, published TEXT, kind TEXT,
        source TEXT, actions INTEGER NOT NULL""",
    "document_entities": "entity_id TEXT NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY (entity_id, pos)",
    "people": """slug TEXT PRIMARY KEY, name TEXT NOT NULL, entity_id TEXT, member_id TEXT, party TEXT,
        house TEXT, constituency TEXT, asked INTEGER NOT NULL, answered INTEGER NOT NULL, spoke INTEGER NOT NULL,
        statement INTEGER NOT NULL, corrected INTEGER NOT NULL, actions INTEGER NOT NULL,
        documents INTEGER NOT NULL""",
    "person_documents": "slug TEXT NOT NULL, role TEXT NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY (slug, role, pos)",
    "person_posts": """slug TEXT NOT NULL, post TEXT NOT NULL, first TEXT, last TEXT, documents INTEGER NOT NULL,
        PRIMARY KEY (slug, post)""",
    "directory": """section TEXT NOT NULL, slug TEXT NOT NULL, name TEXT NOT NULL, actions INTEGER NOT NULL,
        documents INTEGER NOT NULL, PRIMARY KEY (section, slug)""",
}
WITHOUT_ROWID = {"document_entities", "person_documents", "person_posts", "directory"}
INDEXES = ["CREATE INDEX IF NOT EXISTS document_list_kind ON document_list (kind, pos)",
           "CREATE INDEX IF NOT EXISTS document_list_doc_rowid ON document_list (doc_rowid)",
           "CREATE INDEX IF NOT EXISTS directory_name ON directory (section, name, slug)",
           "CREATE INDEX IF NOT EXISTS people_entity ON people (entity_id)"]


def create(db: sqlite_utils.Database, drop: bool = False) -> None:
    create_tables(db, TABLES, WITHOUT_ROWID, drop)


def rebuild(db: sqlite_utils.Database, say=lambda message: None) -> dict:
    """Drop and refill every directory table (after db/listing.py's, whose counts it reads)."""
    conn = db.conn
    with conn:
        create(db, drop=True)
        say("directory: documents in date order")
        conn.execute("INSERT INTO document_list (doc_rowid, published, kind, source, actions) "
                     "SELECT d.rowid, d.published, d.kind, d.source, "
                     "(SELECT COUNT(*) FROM actions a WHERE a.document_id = d.id) "
                     "FROM documents d ORDER BY d.published IS NULL, d.published DESC, d.id")
        conn.execute("INSERT INTO document_entities (entity_id, pos) SELECT DISTINCT m.entity_id, l.pos FROM mentions m "
                     "JOIN documents d ON d.id = m.document_id JOIN document_list l ON l.doc_rowid = d.rowid")
        say("directory: people")
        _people(conn)
        say("directory: index pages")
        _directory(conn)
        for sql in INDEXES:
            conn.execute(sql)
    return {name: conn.execute(f"SELECT COUNT(*) FROM [{name}]").fetchone()[0] for name in TABLES}


def _people(conn) -> None:
    """People from the member fields of the documents, joined to the extractor's person entities by slug."""
    entities = {slug: (eid, name) for eid, name, slug in
                conn.execute("SELECT id, name, slug FROM entities WHERE type = 'person'")}
    people: dict[str, dict] = {}
    links: set[tuple] = set()
    posts: dict[tuple, list] = defaultdict(lambda: [None, None, 0])
    rows = conn.execute("SELECT l.pos, d.members, d.published, d.department, d.extra FROM document_list l "
                        "JOIN documents d ON d.rowid = l.doc_rowid WHERE d.members IS NOT NULL")
    for pos, members, published, department, extra in rows:
        try:
            members = json.loads(members)
            house = (json.loads(extra) if extra else {}).get("house")
        except (ValueError, AttributeError):
            continue
        for member in members if isinstance(members, list) else []:
            name = (member.get("name") or "").strip() if isinstance(member, dict) else ""
            if not name:
                continue
            key = slugify(name)
            person = people.setdefault(key, {"name": name, "member_id": None, "party": None, "house": None,
                                             "constituency": None})
            for field in ("member_id", "party", "constituency"):
                if member.get(field) not in (None, ""):
                    person[field] = str(member[field])
            person["house"] = house or person["house"]
            role = ROLES.get(member.get("role"), "other")
            links.add((key, role, pos))
            post = member.get("office") or (f"Answering for {department}" if role == "answered" and department
                                            else None)
            if post:
                held = posts[(key, post)]
                if published:
                    held[0] = min(held[0] or published, published)
                    held[1] = max(held[1] or published, published)
                held[2] += 1
    for key, (eid, name) in list(entities.items()):
        # a peer is often named short ("Lord Alton" for the member "Lord Alton of Liverpool"): one match only
        longer = [k for k in people if k.startswith(key + "-of-")] if key not in people else []
        if len(longer) == 1:
            entities[longer[0]] = entities.pop(key)
            continue
        people.setdefault(key, {"name": name, "member_id": None, "party": None, "house": None, "constituency": None})
    counts: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for key, role, _ in links:
        counts[key][role] += 1
    actions = dict(conn.execute("SELECT entity_id, SUM(n) FROM entity_stats WHERE role = 'actor' GROUP BY entity_id"))
    conn.executemany("INSERT INTO person_documents (slug, role, pos) VALUES (?, ?, ?)", sorted(links))
    for key, person in people.items():
        eid = entities.get(key, (None,))[0]
        conn.execute("INSERT INTO people (slug, name, entity_id, member_id, party, house, constituency, asked, "
                     "answered, spoke, statement, corrected, actions, documents) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                     (key, person["name"], eid, person["member_id"], person["party"], person["house"],
                      person["constituency"], *(counts[key][r] for r in ("asked", "answered", "spoke", "statement",
                                                                          "corrected")),
                      actions.get(eid, 0) if eid else 0))
    # documents: every document a person is a member of, or that names them (their entity's mentions)
    conn.execute("UPDATE people SET documents = (SELECT COUNT(*) FROM (SELECT pos FROM person_documents p "
                 "WHERE p.slug = people.slug UNION SELECT pos FROM document_entities x "
                 "WHERE x.entity_id = people.entity_id))")
    conn.executemany("INSERT INTO person_posts (slug, post, first, last, documents) VALUES (?, ?, ?, ?, ?)",
                     [(key, post, first, last, n) for (key, post), (first, last, n) in sorted(posts.items())])


def _directory(conn) -> None:
    insert = "INSERT OR IGNORE INTO directory (section, slug, name, actions, documents) "
    conn.execute(insert + "SELECT 'vendors', e.slug, e.name, "
                 "COALESCE((SELECT SUM(n) FROM entity_stats s WHERE s.entity_id = e.id AND s.role = 'target'), 0), "
                 "COALESCE((SELECT documents FROM entity_documents x WHERE x.entity_id = e.id), 0) "
                 "FROM entities e WHERE e.type = 'vendor' AND (EXISTS (SELECT 1 FROM entity_documents x "
                 "WHERE x.entity_id = e.id) OR EXISTS (SELECT 1 FROM entity_stats s WHERE s.entity_id = e.id))")
    conn.execute(insert + "SELECT 'organisations', e.slug, e.name, "
                 "COALESCE((SELECT SUM(n) FROM entity_stats s WHERE s.entity_id = e.id AND s.role = 'actor'), 0), "
                 "COALESCE((SELECT documents FROM entity_documents x WHERE x.entity_id = e.id), 0) "
                 "FROM entities e WHERE e.type = 'organisation' AND (EXISTS (SELECT 1 FROM entity_documents x "
                 "WHERE x.entity_id = e.id) OR EXISTS (SELECT 1 FROM entity_stats s WHERE s.entity_id = e.id))")
    conn.execute(insert + "SELECT 'people', slug, name, actions, documents FROM people")
    conn.execute(insert + "SELECT 'jurisdictions', lower(j), j, "
                 "COALESCE((SELECT n FROM filter_options f WHERE f.menu = 'jurisdiction' AND f.value = j), 0), n "
                 "FROM (SELECT jurisdiction AS j, COUNT(*) AS n FROM documents WHERE jurisdiction IS NOT NULL "
                 "AND jurisdiction != '' GROUP BY jurisdiction)")
    # not an index page: documents per kind, for /documents (its menu and counts)
    conn.execute(insert + "SELECT 'kinds', kind, kind, SUM(actions), COUNT(*) FROM document_list GROUP BY kind")
