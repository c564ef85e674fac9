"""The search syntax, shared by the site, the command line and the tests.

``parse_query()`` turns what a person types into a safe FTS5 expression plus
filters; it never raises on user input. Supported: words, "exact phrases",
OR, -exclusion, prefix*, and the filters vendor:, actor:, action:,
jurisdiction:, department:, kind:, from:, to: (values may be quoted).
The queries themselves are in db/query.py.
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


def timeline(conn: sqlite3.Connection, text: str | None = None, limit: int = 50, offset: int = 0,
             **filters) -> list[dict]:
    """Timeline rows, newest first; bad search syntax is impossible by construction."""
    from . import query

    selection = query.select(conn, parse_query(text), filters)
    found, _ = query.positions(conn, selection, limit, offset=offset)
    return query.details(conn, found, selection.fts)
