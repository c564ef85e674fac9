"""What the site's pages show, as plain functions over a sqlite3 connection.

site/plugins/pages.py calls these through Datasette's ``execute_fn``; tests
call them directly. Each returns plain dicts and lists, nothing rendered.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from urllib.parse import urlencode

from .search import count_sql, monthly_sql, parse_query, timeline_query

PAGE_SIZE = 25
TIMELINE_FILTERS = ("q", "vendor", "actor", "action", "jurisdiction", "department", "kind", "from", "to")


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


def _targets(row: dict) -> list[dict]:
    out = []
    for part in filter(None, (row.get("targets") or "").split(";")):
        if part == "*":
            out.append({"slug": None, "name": "Chinese-made equipment (class)"})
        else:
            slug, _, name = part.partition("|")
            out.append({"slug": slug, "name": name})
    return out


def timeline(conn: sqlite3.Connection, filters: dict, page: int = 1, page_size: int = PAGE_SIZE) -> dict:
    """One page of the timeline with its total, for the given filters and search."""
    query = parse_query(filters.get("q"))
    extra = {k: v for k, v in filters.items() if k != "q"}
    page = max(1, page)
    sql, params = timeline_query(query, page_size, (page - 1) * page_size, extra)
    rows = _rows(conn, sql, params)
    for row in rows:
        row["vendor_list"] = _targets(row)
    total = conn.execute(count_sql(sql), params).fetchone()[0]
    months = monthly_counts(conn.execute(monthly_sql(sql), params).fetchall())
    return {"rows": rows, "total": total, "page": page, "pages": max(1, -(-total // page_size)),
            "months": months, "query": query}


def monthly_counts(counts) -> list[dict]:
    """(month, type, n) rows -> [{month, counts: {type: n}}] for every month in the range, for the chart."""
    months: dict[str, Counter] = defaultdict(Counter)
    for month, kind, n in counts:
        months[month][kind] += n
    if not months:
        return []
    first, last = min(months), max(months)
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last and len(out) < 600:  # every month, empty ones too: a true time axis
        key = f"{year:04d}-{month:02d}"
        out.append({"month": key, "counts": dict(months.get(key, {}))})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def filter_options(conn: sqlite3.Connection) -> dict:
    return {
        "vendors": _rows(conn, "SELECT DISTINCT e.slug, e.name FROM action_targets x JOIN entities e ON e.id = x.target "
                               "ORDER BY e.name"),
        "actions": _rows(conn, "SELECT id, label FROM action_types ORDER BY label"),
        "jurisdictions": [r[0] for r in conn.execute(
            "SELECT DISTINCT d.jurisdiction FROM actions a JOIN documents d ON d.id = a.document_id "
            "WHERE d.jurisdiction IS NOT NULL AND d.jurisdiction != '' ORDER BY 1")],
        "departments": [r[0] for r in conn.execute(
            "SELECT DISTINCT d.department FROM actions a JOIN documents d ON d.id = a.document_id "
            "WHERE d.department IS NOT NULL AND d.department != '' ORDER BY 1")],
        "kinds": [r[0] for r in conn.execute(
            "SELECT DISTINCT d.kind FROM actions a JOIN documents d ON d.id = a.document_id ORDER BY 1")],
        "actors": [r[0] for r in conn.execute(
            "SELECT actor FROM actions WHERE actor IS NOT NULL GROUP BY actor ORDER BY COUNT(*) DESC, actor LIMIT 200")],
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
    if kind == "vendor":
        base = "FROM action_targets x JOIN actions a ON a.id = x.action_id JOIN documents d ON d.id = a.document_id " \
               "WHERE x.target = ?"
    else:
        base = "FROM actions a JOIN documents d ON d.id = a.document_id WHERE a.actor_entity_id = ?"
    by_type = _rows(conn, f"SELECT a.type, COUNT(*) AS n {base} GROUP BY a.type ORDER BY n DESC", (entity["id"],))
    by_jurisdiction = _rows(conn, f"SELECT COALESCE(NULLIF(d.jurisdiction, ''), 'unknown') AS jurisdiction, "
                                  f"COUNT(*) AS n {base} GROUP BY 1 ORDER BY n DESC", (entity["id"],))
    span = conn.execute(f"SELECT MIN(a.date), MAX(a.date), COUNT(*) {base}", (entity["id"],)).fetchone()
    mentions = conn.execute("SELECT COUNT(DISTINCT document_id) FROM mentions WHERE entity_id = ?",
                            (entity["id"],)).fetchone()[0]
    aliases = [r[0] for r in conn.execute("SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias",
                                          (entity["id"],))]
    return {"entity": entity, "by_type": by_type, "by_jurisdiction": by_jurisdiction, "first": span[0],
            "latest": span[1], "total": span[2], "documents": mentions, "aliases": aliases}


def home(conn: sqlite3.Connection) -> dict:
    return {
        "latest": timeline(conn, {}, page=1, page_size=8)["rows"],
        "vendors": _rows(conn, "SELECT e.slug, e.name, COUNT(*) AS n FROM action_targets x JOIN entities e "
                               "ON e.id = x.target GROUP BY e.id ORDER BY n DESC, e.name"),
        "organisations": _rows(conn, "SELECT e.slug, e.name, COUNT(*) AS n FROM actions a JOIN entities e "
                                     "ON e.id = a.actor_entity_id GROUP BY e.id ORDER BY n DESC, e.name LIMIT 30"),
        "counts": dict(zip(("documents", "actions", "sources"), conn.execute(
            "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM actions), "
            "(SELECT COUNT(*) FROM sources)").fetchone())),
    }


def sources(conn: sqlite3.Connection) -> list[dict]:
    return _rows(conn, "SELECT * FROM source_health ORDER BY source")


def query_string(filters: dict, **changes) -> str:
    merged = {**filters, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})
