"""What the site's pages show, as plain functions over a sqlite3 connection.

site/plugins/pages.py calls these in Datasette's SQL threads under its time limit; tests call
them directly. Each returns plain dicts and lists, nothing rendered. The queries behind them are in
db/query.py (the timeline) and read the tables db/listing.py lays out at build time.
"""

from __future__ import annotations

import json
import sqlite3
from urllib.parse import urlencode

from . import query as q
from .search import parse_query

PAGE_SIZE = 25
TIMELINE_FILTERS = ("q", "vendor", "actor", "action", "jurisdiction", "department", "kind", "from", "to",
                    "certainty")


def _rows(conn: sqlite3.Connection, sql: str, params=()) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def clean_filters(args: dict) -> dict:
    """Only the known filters, stripped, without empty values; dates only if they look like dates."""
    out = {}
    for key in TIMELINE_FILTERS:
        value = (args.get(key) or "").strip()[:300]
        if not value:
            continue
        if key in ("from", "to") and not all(c.isdigit() or c == "-" for c in value):
            continue
        out[key] = value
    return out


DATE_FORMS = "a year (2023), a month (2023-06) or a day (2023-06-30)"


def date_problems(args: dict) -> list[str]:
    """What is wrong with the dates asked for, in the form (from=, to=) or in the search (from:, to:): a date
    that is not a real year, month or day gets a message, never a silently empty or unfiltered result (#17)."""
    asked = [(key, (args.get(key) or "").strip()) for key in ("from", "to")]
    asked += [(key, value) for key, value in parse_query(args.get("q")).filters.items() if key in ("from", "to")]
    return [f"“{value[:40]}” is not a date: {key} takes {DATE_FORMS}." for key, value in asked
            if value and not valid_date(value)]


def valid_date(value: str) -> bool:
    from datetime import date

    parts = value.split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4 \
            or any(len(p) != 2 for p in parts[1:]):
        return False
    year, month, day = (int(p) for p in parts + ["01"] * (3 - len(parts)))
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def keyset(args: dict) -> dict:
    """The pager's position: after=<pos> (older rows) or before=<pos> (newer rows); ignored if not a number."""
    for key in ("after", "before"):
        value = (args.get(key) or "").strip()
        if value.isdigit() and len(value) < 12:
            return {key: int(value)}
    return {}


def topic(conn: sqlite3.Connection) -> dict:
    """What the database tracks (the `topic` table: name, title, summary, class_target)."""
    return dict(conn.execute("SELECT key, value FROM topic"))


def _targets(row: dict, class_target: str) -> list[dict]:
    out = []
    for part in filter(None, (row.get("targets") or "").split(";")):
        if part == "*":
            out.append({"slug": None, "name": class_target})
        else:
            slug, _, name = part.partition("|")
            out.append({"slug": slug, "name": name})
    return out


def timeline(conn: sqlite3.Connection, filters: dict, page: int = 1, page_size: int = PAGE_SIZE,
             after: int | None = None, before: int | None = None, counts: bool | dict = True,
             snippets: bool = True, memo: dict | None = None, evidence_cap: int = q.EVIDENCE_CAP) -> dict:
    """One page of the timeline for the given filters and search; with ``counts``, its total and chart
    (or the ``q.totals`` of these filters, when the caller has them already); with ``snippets``, the
    search's highlighted passage per shown row. ``memo``: as for ``q.select``.

    ``after``/``before`` page by position (keyset: as fast on page 1,000 as on page 1); ``page``
    still works for old links (an offset, so deep pages cost more)."""
    query = parse_query(filters.get("q"))
    selection = q.select(conn, query, {k: v for k, v in filters.items() if k != "q"}, memo)
    keyed = after is not None or before is not None
    offset = 0 if keyed else (max(1, page) - 1) * page_size
    found, more = q.positions(conn, selection, page_size, after, before, offset)
    rows = q.details(conn, found, selection.fts if snippets else "", evidence_cap)
    class_target = topic(conn).get("class_target") or "*"
    for row in rows:
        row["vendor_list"] = _targets(row, class_target)
        row["context_list"] = _targets({"targets": row.get("context")}, class_target)
        for key in ("announced_by", "disagreements"):
            row[key] = json.loads(row[key]) if row.get(key) else []
    out = {"rows": rows, "query": query, "page": page,
           "older": rows[-1]["pos"] if rows and (more if before is None else True) else None,
           "newer": rows[0]["pos"] if rows and ((more if before is not None else False) or keyed or offset) else None}
    if isinstance(counts, dict):
        out.update(counts)
    elif counts:
        out.update(q.totals(conn, selection))
    return out


def filter_options(conn: sqlite3.Connection) -> dict:
    """The form's menus, as laid out by the build (db/listing.py): no scan of the timeline per request."""
    menus: dict[str, list] = {}
    for menu, value, label, slug, n in conn.execute(
            "SELECT menu, value, label, slug, n FROM filter_options ORDER BY menu, label, value"):
        menus.setdefault(menu, []).append({"value": value, "label": label, "slug": slug, "n": n})
    actors: dict[str, int] = {}
    for row in menus.get("actor", []):
        actors[row["label"]] = actors.get(row["label"], 0) + row["n"]
    top = sorted(actors.items(), key=lambda item: (-item[1], item[0]))[:200]
    return {
        "vendors": [{"slug": r["slug"], "name": r["label"]} for r in menus.get("vendor", []) if r["slug"]],
        "actions": [{"id": r["value"], "label": r["label"]} for r in menus.get("action", [])],
        "jurisdictions": [r["value"] for r in menus.get("jurisdiction", []) if r["value"]],
        "departments": [r["value"] for r in menus.get("department", []) if r["value"]],
        "kinds": [r["value"] for r in menus.get("kind", [])],
        "actors": [name for name, _ in top],
    }


def entity_summary(conn: sqlite3.Connection, slug: str, kind: str) -> dict | None:
    """A vendor's or an organisation's page: who they are, events counted by type and jurisdiction, first and latest."""
    types = ("vendor",) if kind == "vendor" else ("organisation",)  # a person has a page of their own (#17)
    marks = ",".join("?" for _ in types)
    entity = _rows(conn, f"SELECT * FROM entities WHERE slug = ? AND type IN ({marks}) ORDER BY type LIMIT 1",
                   (slug, *types))
    if not entity:
        return None
    entity = entity[0]
    role = "target" if kind == "vendor" else "actor"
    stats = "FROM entity_stats WHERE entity_id = ? AND role = ?"
    key = (entity["id"], role)
    by_type = _rows(conn, f"SELECT type, SUM(n) AS n {stats} GROUP BY type ORDER BY n DESC, type", key)
    by_jurisdiction = _rows(conn, f"SELECT jurisdiction, SUM(n) AS n {stats} GROUP BY jurisdiction "
                                  "ORDER BY n DESC, jurisdiction", key)
    first, latest, total = conn.execute(f"SELECT MIN(first), MAX(latest), COALESCE(SUM(n), 0) {stats}", key).fetchone()
    documents = conn.execute("SELECT documents FROM entity_documents WHERE entity_id = ?", (entity["id"],)).fetchone()
    aliases = [r[0] for r in conn.execute("SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias",
                                          (entity["id"],))]
    return {"entity": entity, "by_type": by_type, "by_jurisdiction": by_jurisdiction, "first": first,
            "latest": latest, "total": total, "documents": documents[0] if documents else 0, "aliases": aliases}


def home(conn: sqlite3.Connection) -> dict:
    counts = dict(conn.execute("SELECT key, value FROM build_info WHERE key IN ('documents', 'actions', 'events', "
                               "'sources')"))
    return {
        "latest": card_facts(conn, timeline(conn, {}, page_size=8, counts=False)["rows"]),
        "vendors": _rows(conn, "SELECT slug, label AS name, n FROM filter_options WHERE menu = 'vendor' "
                               "AND slug IS NOT NULL ORDER BY n DESC, label"),
        "organisations": _rows(conn, "SELECT e.slug, e.name, s.n FROM (SELECT entity_id, SUM(n) AS n FROM entity_stats "
                                     "WHERE role = 'actor' GROUP BY entity_id) s JOIN entities e ON e.id = s.entity_id "
                                     "WHERE e.type = 'organisation' ORDER BY s.n DESC, e.name LIMIT 30"),
        "counts": {k: int(counts.get(k) or 0) for k in ("documents", "actions", "events", "sources")},
    }


def sources(conn: sqlite3.Connection) -> list[dict]:
    """Per source, what it covers: what was asked, the earliest and latest document, the last run and
    whether it read the recordings or the live services (#16)."""
    rows = _rows(conn, "SELECT * FROM source_health ORDER BY source")
    for row in rows:
        asked = json.loads(row.get("asked") or "{}")
        row["searches"] = [", ".join(f"{k}={v}" for k, v in s.items()) for s in asked.get("searches", [])]
        row["feeds"] = asked.get("feeds", [])
        row["errors_by_kind"] = json.loads(row.get("errors") or "{}")
    return rows


def query_string(filters: dict, **changes) -> str:
    merged = {**filters, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def any_confident(conn: sqlite3.Connection) -> bool:
    """Whether any event of the build is confident (an index probe)."""
    return conn.execute("SELECT 1 FROM listing WHERE certainty = 'confident' LIMIT 1").fetchone() is not None


def confident_view(conn: sqlite3.Connection, filters: dict, show_all: bool, count_hidden: bool = True,
                   memo: dict | None = None) -> tuple[dict, int, dict | None]:
    """The filters the site shows by default (issue 14): only the confident events, those at calibrated
    confidence 0.8 or more, their documents' reports taken together (listing.certainty = 'confident'),
    unless all are asked for; how many more "Show all" would add (with ``count_hidden``); and the
    ``q.totals`` of the filters shown, when it counted them (for ``timeline``).
    A database with no confident event at all (a topic without a calibrated model) shows everything (#13).

    The shown rows are counted first: when they are more than q.COUNT_CAP, so are all rows, and the
    page says only "more than" (hidden 0), so all rows are counted only when that count can be exact."""
    if show_all or filters.get("certainty") or not any_confident(conn):
        return filters, 0, None
    view = dict(filters, certainty="confident")
    if not count_hidden:
        return view, 0, None
    memo = {} if memo is None else memo
    query = parse_query(filters.get("q"))
    rest = {k: v for k, v in filters.items() if k != "q"}
    shown = q.totals(conn, q.select(conn, query, dict(rest, certainty="confident"), memo))
    if not isinstance(shown["total"], int):
        return view, 0, shown
    every = q.totals(conn, q.select(conn, query, rest, memo))["total"]
    return view, (every - shown["total"]) if isinstance(every, int) else 0, shown


def timeline_view(conn: sqlite3.Connection, filters: dict, show_all: bool, page: int = 1, **keys) -> dict:
    """A timeline page as the site shows it (confident events first, #14): the page, its total and chart, how
    many less certain events "Show all" adds; each count made once."""
    memo: dict = {}
    view, hidden, shown = confident_view(conn, filters, show_all, memo=memo)
    data = dict(timeline(conn, view, page, **keys, counts=shown or True, memo=memo), hidden=hidden,
                confident_only=not show_all)
    card_facts(conn, data["rows"])
    return data


CARD_SQL = ("SELECT id, kind, native_id, extra, members, department, outlet FROM documents WHERE rowid = ?")


def card_facts(conn: sqlite3.Connection, rows: list[dict]) -> list[dict]:
    """What a card says of its (primary) document beyond its title (#17): its number (UIN, statement or FR
    document number), who asked, who answered for which department, who made it; one look-up by rowid per
    shown row, whatever unit the listing has (its rows carry the document's rowid)."""
    from .eventview import document_number

    for row in rows:
        found = conn.execute(CARD_SQL, (row["doc_rowid"],)).fetchone() if row.get("doc_rowid") else None
        if not found:
            row["facts"] = None
            continue
        doc = dict(zip(("id", "kind", "native_id", "extra", "members", "department", "outlet"), found))
        people = _members(doc["members"])
        row["facts"] = {
            "document_id": doc["id"], "kind": doc["kind"], "number": document_number(doc),
            "department": doc["department"], "outlet": doc["outlet"],
            "people": {role: [p for p in people if p["role"] == role]
                       for role in ("asked", "answered", "statement", "spoke", "corrected")},
        }
    return rows



# --- the directory (issue 17): index pages, people, documents; tables laid out by db/directory.py ---

INDEX_PAGE = 200  # entries per index page (name order, keyset on the name)
DOCUMENT_PAGE = 25
DOCUMENT_ROWS = """
SELECT l.pos, d.id, d.title, d.published, d.kind, d.source, d.jurisdiction, d.department, d.outlet, d.url,
  d.native_id, d.members, json_extract(d.extra, '$.uin') AS uin, l.actions
FROM json_each(?) p CROSS JOIN document_list l ON l.pos = p.value JOIN documents d ON d.rowid = l.doc_rowid
"""  # the shown positions drive, as db/query.py's ROW_SQL
# where a list of documents comes from: a table keyed (..., pos), its key columns
DOCUMENT_SETS = {
    "all": ("document_list", ()),
    "kind": ("document_list INDEXED BY document_list_kind", ("kind",)),
    "entity": ("document_entities", ("entity_id",)),
    "person": ("person_documents", ("slug", "role")),
}


def resolve(conn: sqlite3.Connection, section: str, slug: str) -> str | None:
    """The canonical slug of an index page's entry for a slug typed in any case (None: no such entry)."""
    row = conn.execute("SELECT slug FROM directory WHERE section = ? AND slug = ?", (section, slug.lower())).fetchone()
    return row[0] if row else None


def section_of(conn: sqlite3.Connection, slug: str, exclude: str) -> str | None:
    """Which other index section has an entry of this slug (a person asked for under /organisations)."""
    row = conn.execute("SELECT section FROM directory WHERE slug = ? AND section IN ('vendors', 'organisations', "
                       "'people') AND section != ? ORDER BY section LIMIT 1", (slug.lower(), exclude)).fetchone()
    return row[0] if row else None


def directory(conn: sqlite3.Connection, section: str, after: str | None = None) -> dict:
    """One index page: entries in name order with their counts, and the name to continue after."""
    sql = "SELECT slug, name, actions, documents FROM directory WHERE section = ?"
    params: list = [section]
    if after:
        sql += " AND name > ?"
        params.append(after)
    rows = _rows(conn, sql + " ORDER BY name, slug LIMIT ?", (*params, INDEX_PAGE + 1))
    total = conn.execute("SELECT COUNT(*) FROM directory WHERE section = ?", (section,)).fetchone()[0]
    return {"rows": rows[:INDEX_PAGE], "total": total,
            "next": rows[INDEX_PAGE - 1]["name"] if len(rows) > INDEX_PAGE else None}


def _keyset(where: list[str], params: list, column: str, after: int | None, before: int | None) -> None:
    """Add a keyset page's bounds (rows after or before a position) to a query's conditions."""
    if after is not None:
        where.append(f"{column} > ?")
        params.append(after)
    if before is not None:
        where.append(f"{column} < ?")
        params.append(before)


def document_positions(conn: sqlite3.Connection, kind: str, key: tuple = (), limit: int = DOCUMENT_PAGE,
                       after: int | None = None, before: int | None = None) -> tuple[list[int], bool]:
    """One page of a list of documents (newest first), by position: an index walk that stops at the page."""
    table, columns = DOCUMENT_SETS[kind]
    where = [f"{c} = ?" for c in columns]
    params = list(key)
    _keyset(where, params, "pos", after, before)
    sql = (f"SELECT pos FROM {table}" + (f" WHERE {' AND '.join(where)}" if where else "")
           + f" ORDER BY pos {'DESC' if before is not None else ''} LIMIT ?")
    found = [r[0] for r in conn.execute(sql, (*params, limit + 1))]
    more = len(found) > limit
    found = found[:limit]
    return (sorted(found) if before is not None else found), more


SEARCH_CAP = 3000  # documents a /documents search sorts itself; past it, a walk down the list probing each


def search_positions(conn: sqlite3.Connection, text: str, doc_kind: str = "", limit: int = DOCUMENT_PAGE,
                     after: int | None = None, before: int | None = None) -> tuple[list[int], bool, int | None]:
    """/documents?q=: a page of the documents the search finds (title, text, members, numbers, outlet), newest
    first; and how many match (None: more than SEARCH_CAP). Few matches are read from the full-text index and
    sorted; many are found walking down the list and probing the index per row, stopping at the page."""
    fts = parse_query(text).fts
    if not fts:
        return [], False, 0
    matched = conn.execute("SELECT COUNT(*) FROM (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? "
                           "LIMIT ?)", (fts, SEARCH_CAP + 1)).fetchone()[0]
    where, params = ["1"], []
    if doc_kind:
        where.append("l.kind = ?")
        params.append(doc_kind)
    _keyset(where, params, "l.pos", after, before)
    order = "DESC" if before is not None else ""
    if matched <= SEARCH_CAP:
        sql = ("SELECT l.pos FROM documents_fts CROSS JOIN document_list l INDEXED BY document_list_doc_rowid "
               f"ON l.doc_rowid = documents_fts.rowid WHERE documents_fts MATCH ? AND {' AND '.join(where)} "
               f"ORDER BY l.pos {order} LIMIT ?")
    else:
        sql = (f"SELECT l.pos FROM document_list l WHERE {' AND '.join(where)} AND EXISTS (SELECT 1 FROM "
               "documents_fts WHERE documents_fts MATCH ? AND documents_fts.rowid = l.doc_rowid) "
               f"ORDER BY l.pos {order} LIMIT ?")
    args = (fts, *params, limit + 1) if matched <= SEARCH_CAP else (*params, fts, limit + 1)
    found = [r[0] for r in conn.execute(sql, args)]
    more = len(found) > limit
    found = found[:limit]
    return (sorted(found) if before is not None else found), more, (matched if matched <= SEARCH_CAP else None)


def documents(conn: sqlite3.Connection, kind: str = "all", key: tuple = (), limit: int = DOCUMENT_PAGE,
              after: int | None = None, before: int | None = None, search: str = "") -> dict:
    """A page of documents with what their cards show, and the pager's positions (``search``: those that
    the search syntax's words find, in ``key``'s kind if ``kind`` is "kind")."""
    matched = None
    if search:
        found, more, matched = search_positions(conn, search, key[0] if kind == "kind" else "", limit, after, before)
    else:
        found, more = document_positions(conn, kind, key, limit, after, before)
    rows = {r["pos"]: r for r in _rows(conn, DOCUMENT_ROWS, (json.dumps(found),))} if found else {}
    out = [rows[p] for p in found if p in rows]
    for row in out:
        row["people"] = _members(row.pop("members"))
    keyed = after is not None or before is not None
    return {"rows": out, "matched": matched,
            "older": out[-1]["pos"] if out and (more if before is None else True) else None,
            "newer": out[0]["pos"] if out and ((more if before is not None else False) or keyed) else None}


def _members(value: str | None) -> list[dict]:
    """The member fields of a document, each with the person's slug (their /people page)."""
    from .directory import ROLES
    from .ingest import slug

    try:
        members = json.loads(value) if value else []
    except ValueError:
        return []
    return [{"name": m["name"], "slug": slug(m["name"]), "role": ROLES.get(m.get("role"), m.get("role")),
             "office": m.get("office")}
            for m in members if isinstance(m, dict) and m.get("name")] if isinstance(members, list) else []


def person(conn: sqlite3.Connection, slug: str, per_role: int = 50, role: str | None = None,
           after: int | None = None, before: int | None = None) -> dict | None:
    """A person's page: who they are, the posts the sources give them, and their documents by role
    (``role``: that section only, paged by ``after``/``before``)."""
    found = _rows(conn, "SELECT * FROM people WHERE slug = ?", (slug,))
    if not found:
        return None
    person = found[0]
    posts = _rows(conn, "SELECT post, first, last, documents FROM person_posts WHERE slug = ? "
                        "ORDER BY last DESC, post", (slug,))
    sections = {}
    keys = {"after": after, "before": before}
    for name in ("asked", "answered", "spoke", "statement", "corrected"):
        if person.get(name) and role in (None, name):
            sections[name] = documents(conn, "person", (slug, name), per_role, **(keys if role else {}))
    if person["entity_id"] and role in (None, "named"):
        sections["named"] = documents(conn, "entity", (person["entity_id"],), per_role, **(keys if role else {}))
    return {"person": person, "posts": posts, "sections": sections}


def document_kinds(conn: sqlite3.Connection) -> list[dict]:
    """Documents per kind (counted at build time), for /documents' menu and counts."""
    return _rows(conn, "SELECT slug, name, actions, documents FROM directory WHERE section = 'kinds' ORDER BY slug")


def entity_id(conn: sqlite3.Connection, slug: str, kind: str) -> str | None:
    row = conn.execute("SELECT id FROM entities WHERE slug = ? AND type = ? LIMIT 1", (slug, kind)).fetchone()
    return row[0] if row else None


# --- exports (issue 17): a listing's rows, all its pages, with its filters ---

EXPORT_MAX = 10_000  # rows in one export; past it the export says so and gives where to continue
EXPORT_CHUNK = 500  # rows read per bounded query (each under the site's time limit)
INTERNAL = {"pos", "unit_rowid", "doc_rowid", "vendor_list", "context_list", "snippet", "targets", "context",
            "more_evidence"}


def export_rows(conn: sqlite3.Connection, view: dict, after: int | None = None,
                size: int = EXPORT_CHUNK) -> tuple[list[dict], int | None]:
    """One chunk of a listing's export, in the page's order: its rows as flat records (whatever the listed
    unit is: the columns of the timeline's rows, less the internal ones) and the position to continue after."""
    data = timeline(conn, view, 1, page_size=size, after=after, counts=False, snippets=False)
    rows = []
    for row in data["rows"]:
        record = {k: v for k, v in row.items() if k not in INTERNAL and k != "evidence"}
        record["vendors"] = "; ".join(v["name"] for v in row.get("vendor_list", []))
        # an event (#15): flat cells; its first sentence (the primary source's); every sentence is on its page
        record["vendors_in_context"] = "; ".join(v["name"] for v in row.get("context_list", []))
        record["evidence"] = row["evidence"][0]["evidence"] if row.get("evidence") else None
        record["announced_by"] = "; ".join(row.get("announced_by") or [])
        record["disagreements"] = json.dumps(row["disagreements"], ensure_ascii=False) if row.get(
            "disagreements") else None
        record["permalink"] = f"/events/{row['event_id']}"
        rows.append(record)
    return rows, data["older"]


def export_columns(conn: sqlite3.Connection) -> list[str]:
    """The export's columns when it has no row to take them from (the listing's row columns)."""
    names = [c[0] for c in conn.execute(q.ROW_SQL, ["[]"]).description]
    return [n for n in names if n not in INTERNAL] + ["vendors", "vendors_in_context", "evidence", "permalink"]


def export_name(filters: dict, ext: str, listing: str = "timeline") -> str:
    """A file name saying what the export holds: policy-tracker-timeline-vendor-<slug>.csv."""
    import re

    words = "-".join(f"{k}-{v}" for k, v in sorted(filters.items()) if k != "all")
    name = re.sub(r"[^a-z0-9]+", "-", f"policy-tracker-{listing}-{words}".lower()).strip("-")[:120]
    return f"{name}.{ext}"


def export_documents(conn: sqlite3.Connection, kind: str, after: int | None = None,
                     size: int = EXPORT_CHUNK, search: str = "") -> tuple[list[dict], int | None]:
    """One chunk of /documents' export (all documents, or one kind's, or a search's), in the page's order."""
    data = documents(conn, "kind", (kind,), size, after=after, search=search) if kind else \
        documents(conn, "all", (), size, after=after, search=search)
    rows = []
    for row in data["rows"]:
        record = {k: v for k, v in row.items() if k not in ("pos", "people")}
        record["people"] = "; ".join(f"{p['role']}: {p['name']}" for p in row["people"])
        rows.append(record)
    return rows, data["older"]


def download(path: str | None, name: str) -> dict | None:
    """The database file offered for download (/<name>.db) and its size, for the note beside the link."""
    import os

    if not path or not os.path.isfile(path):
        return None
    size = os.path.getsize(path)
    human = next(f"{size / 1024 ** p:,.1f} {unit}" for p, unit in ((3, "GB"), (2, "MB"), (1, "kB"), (0, "bytes"))
                 if size >= 1024 ** p or p == 0)
    return {"href": f"/{name}.db", "file": f"{name}.db", "bytes": size, "human": human}

