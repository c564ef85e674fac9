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
             after: int | None = None, before: int | None = None, counts: bool = True,
             snippets: bool = True) -> dict:
    """One page of the timeline for the given filters and search; with ``counts``, its total and chart;
    with ``snippets``, the search's highlighted passage per shown row.

    ``after``/``before`` page by position (keyset: as fast on page 1,000 as on page 1); ``page``
    still works for old links (an offset, so deep pages cost more)."""
    query = parse_query(filters.get("q"))
    selection = q.select(conn, query, {k: v for k, v in filters.items() if k != "q"})
    keyed = after is not None or before is not None
    offset = 0 if keyed else (max(1, page) - 1) * page_size
    found, more = q.positions(conn, selection, page_size, after, before, offset)
    rows = q.details(conn, found, selection.fts if snippets else "")
    class_target = topic(conn).get("class_target") or "*"
    for row in rows:
        row["vendor_list"] = _targets(row, class_target)
    out = {"rows": rows, "query": query, "page": page,
           "older": rows[-1]["pos"] if rows and (more if before is None else True) else None,
           "newer": rows[0]["pos"] if rows and ((more if before is not None else False) or keyed or offset) else None}
    if counts:
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
    """A vendor's or an organisation's page: who they are, counts, first and latest action."""
    types = ("vendor",) if kind == "vendor" else ("organisation", "person")
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
    counts = dict(conn.execute("SELECT key, value FROM build_info WHERE key IN ('documents', 'actions', 'sources')"))
    return {
        "latest": timeline(conn, {}, page_size=8, counts=False)["rows"],
        "vendors": _rows(conn, "SELECT slug, label AS name, n FROM filter_options WHERE menu = 'vendor' "
                               "AND slug IS NOT NULL ORDER BY n DESC, label"),
        "organisations": _rows(conn, "SELECT e.slug, e.name, s.n FROM (SELECT entity_id, SUM(n) AS n FROM entity_stats "
                                     "WHERE role = 'actor' GROUP BY entity_id) s JOIN entities e ON e.id = s.entity_id "
                                     "ORDER BY s.n DESC, e.name LIMIT 30"),
        "counts": {k: int(counts.get(k) or 0) for k in ("documents", "actions", "sources")},
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
    """Whether any action of the build is confident (an index probe)."""
    return conn.execute("SELECT 1 FROM listing WHERE certainty = 'confident' LIMIT 1").fetchone() is not None


def confident_view(conn: sqlite3.Connection, filters: dict, show_all: bool) -> tuple[dict, int]:
    """The filters the site shows by default (issue 14): only the actions at calibrated confidence 0.8 or more
    (listing.certainty = 'confident'), unless all are asked for; and how many more "Show all" would add.
    A database with no confident action at all (a topic without a calibrated model) shows everything (#13)."""
    if show_all or filters.get("certainty") or not any_confident(conn):
        return filters, 0
    view = dict(filters, certainty="confident")
    query = parse_query(filters.get("q"))
    rest = {k: v for k, v in filters.items() if k != "q"}
    every = q.totals(conn, q.select(conn, query, rest))["total"]
    shown = q.totals(conn, q.select(conn, query, dict(rest, certainty="confident")))["total"]
    return view, (every - shown) if isinstance(every, int) and isinstance(shown, int) else 0
