"""Search and timeline queries, shared by the site and the tests.

``parse_query()`` turns what a person types into a safe FTS5 expression plus
filters; it never raises on user input. Supported: words, "exact phrases",
OR, -exclusion, prefix*, and the filters vendor:, actor:, action:,
jurisdiction:, department:, kind:, from:, to: (values may be quoted).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

FILTERS = ("vendor", "actor", "action", "jurisdiction", "department", "kind", "from", "to", "source")
_TOKEN = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"?|(\S+))')
_WORD = re.compile(r"[\w]+(?:\*)?", re.UNICODE)
MAX_QUERY = 500


@dataclass
class Query:
    fts: str = ""
    filters: dict = field(default_factory=dict)
    terms: list = field(default_factory=list)


def parse_query(text: str | None) -> Query:
    query = Query()
    if not text:
        return query
    text = text[:MAX_QUERY]
    parts: list[str] = []
    pending_or = False
    for m in _TOKEN.finditer(text):
        negate, key, phrase, bare = m.group(1), (m.group(2) or "").lower(), m.group(3), m.group(4)
        value = phrase if phrase is not None else bare
        if key in FILTERS:
            if value:
                query.filters[key] = value.strip()
            continue
        if key:  # "title:x" and other unknown prefixes are plain words
            value = f"{key} {value}"
        if phrase is None and value == "OR":
            pending_or = bool(parts)
            continue
        words = [w for w in _WORD.findall(value or "") if w.strip("*")]
        if not words:
            continue
        if phrase is not None or len(words) > 1:
            expr = '"' + " ".join(w.rstrip("*") for w in words) + '"'
        else:
            word = words[0]
            expr = f'"{word.rstrip("*")}"' + ("*" if word.endswith("*") else "")
        query.terms.extend(w.rstrip("*") for w in words)
        if negate and parts:
            parts.append(f"NOT {expr}")
        elif negate:
            continue  # FTS5 cannot start with NOT; an exclusion alone filters nothing
        elif pending_or:
            parts[-1] = f"({parts[-1]} OR {expr})"
        else:
            parts.append(expr)
        pending_or = False
    # NOT binds to what precedes it in FTS5: keep positives first, then exclusions
    positives = [p for p in parts if not p.startswith("NOT ")]
    negatives = [p for p in parts if p.startswith("NOT ")]
    query.fts = " ".join(positives + negatives) if positives else ""
    return query


TIMELINE_SQL = """
SELECT a.id AS action_id, a.date, a.type, t.label AS action, a.actor, ae.slug AS actor_slug, a.evidence, a.confidence,
  d.id AS document_id, d.title, d.url, d.source, d.kind, d.jurisdiction, d.department,
  COALESCE((SELECT group_concat(CASE WHEN x.target = '*' THEN '*' ELSE e.slug || '|' || e.name END, ';')
            FROM action_targets x LEFT JOIN entities e ON e.id = x.target WHERE x.action_id = a.id), '') AS targets
  {snippet}
FROM actions a JOIN documents d ON d.id = a.document_id JOIN action_types t ON t.id = a.type
LEFT JOIN entities ae ON ae.id = a.actor_entity_id
{join}
WHERE 1 = 1 {where}
ORDER BY a.date DESC, a.id
LIMIT :limit OFFSET :offset
"""


def timeline_query(query: Query, limit: int = 50, offset: int = 0, extra: dict | None = None) -> tuple[str, dict]:
    """SQL and parameters for timeline rows matching a parsed query and extra filters."""
    filters = dict(query.filters)
    filters.update({k: v for k, v in (extra or {}).items() if v})
    where, params = [], {"limit": limit, "offset": offset}
    join, snippet = "", ", NULL AS snippet"
    if query.fts:
        params["q"] = query.fts
        join = ("LEFT JOIN (SELECT rowid, snippet(actions_fts, 0, '\x02', '\x03', '…', 24) AS s "
                "FROM actions_fts WHERE actions_fts MATCH :q) af ON af.rowid = a.rowid")
        snippet = ", COALESCE(af.s, (SELECT snippet(documents_fts, -1, '\x02', '\x03', '…', 24) FROM documents_fts "
        snippet += "WHERE documents_fts MATCH :q AND documents_fts.rowid = d.rowid)) AS snippet"
        where.append("(af.rowid IS NOT NULL OR d.rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH :q))")
    if filters.get("vendor"):
        params["vendor"] = filters["vendor"].lower()
        where.append("EXISTS (SELECT 1 FROM action_targets x LEFT JOIN entities e ON e.id = x.target "
                     "WHERE x.action_id = a.id AND (e.slug = :vendor OR lower(e.name) = :vendor OR x.target = '*' AND :vendor = '*'))")
    if filters.get("actor"):
        params["actor"] = filters["actor"].lower()
        where.append("(lower(a.actor) = :actor OR lower(a.actor) LIKE '%' || :actor || '%' "
                     "OR a.actor_entity_id LIKE '%:' || :actor)")
    if filters.get("action"):
        params["action"] = filters["action"].lower()
        where.append("(a.type = :action OR lower(t.label) = :action)")
    if filters.get("jurisdiction"):
        params["jurisdiction"] = filters["jurisdiction"].upper()
        where.append("upper(d.jurisdiction) = :jurisdiction")
    if filters.get("department"):  # the document's department: who answered, published or made the statement
        params["department"] = filters["department"].lower()
        where.append("(lower(d.department) = :department OR lower(d.department) LIKE '%' || :department || '%')")
    if filters.get("kind"):
        params["kind"] = filters["kind"].lower()
        where.append("d.kind = :kind")
    if filters.get("source"):
        params["source"] = filters["source"]
        where.append("d.source = :source")
    if filters.get("from"):
        params["from"] = filters["from"]
        where.append("a.date >= :from")
    if filters.get("to"):
        params["to"] = filters["to"]
        where.append("substr(a.date, 1, length(:to)) <= :to")
    sql = TIMELINE_SQL.format(snippet=snippet, join=join, where="".join(f" AND {w}" for w in where))
    return sql, params


def timeline(conn: sqlite3.Connection, text: str | None = None, limit: int = 50, offset: int = 0,
             **filters) -> list[dict]:
    """Timeline rows, newest first; bad search syntax is impossible by construction."""
    sql, params = timeline_query(parse_query(text), limit, offset, filters)
    cursor = conn.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def count_sql(sql: str) -> str:
    """The same timeline query counting rows instead of listing them."""
    inner = sql.rsplit("ORDER BY", 1)[0]
    return f"SELECT COUNT(*) FROM ({inner})"


def monthly_sql(sql: str) -> str:
    """The same timeline query as counts per month and type (for the chart)."""
    inner = sql.rsplit("ORDER BY", 1)[0]
    return (f"SELECT substr(date, 1, 7) AS month, type, COUNT(*) AS n FROM ({inner}) "
            "WHERE length(date) >= 7 GROUP BY 1, 2")
