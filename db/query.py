"""The timeline's page queries over the listing (db/listing.py), bounded at any corpus size.

``select()`` turns a search and its filters into a ``Selection``: values of listing columns (each
filter keeps the matching rule it always had, applied to the small filter_options table), a ``pos``
range for the dates, and the full-text expression with how many documents it matches. Then:

- ``positions()``: the newest matches, or the page after or before a ``pos`` (keyset pagination):
  a walk down ``pos`` or down the index of one filter, stopping after the page. A search is a
  condition of that walk: membership in its set of matching documents (found once by FTS5), or,
  when it matches a large share of them, a look-up in FTS5 per row. A search matching few
  documents is instead evaluated from the full-text index and sorted (a bounded set).
- ``totals()``: the count and the monthly chart. From listing_summary when the filters are one
  dimension plus action types and dates (exact, as fast at a million documents as at ten); a search
  matching few documents is counted exactly from the index; otherwise rows are counted live up to
  COUNT_CAP, and past that the page says "more than COUNT_CAP" and draws no chart.
- ``details()``: what the shown rows display, search snippets included (for those rows only).

Which way each step goes is chosen from row counts the build laid out (listing_summary) and a count
of the search's documents, with rough per-row costs measured on the bench corpus (COST). Every
statement goes through ``_all``, so a test can collect them and check their query plans.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field

from .listing import LINKED, SPLITS, UNIT_FTS

UNIT_TOKENIZER = "porter"  # UNIT_FTS's tokenizer (db/schema.py FTS): a private copy of shown sentences uses it too
from .search import Query

FTS_CAP = 3000  # documents: a search matching at most this many is evaluated from the full-text index
COUNT_CAP = 1000  # rows counted live at most; beyond, "more than"
CHART_MONTHS = 240  # the chart's span: twenty years back from the newest month
# rough cost of one step in microseconds (bench corpus, 2 cores): walking a listing row, checking it
# against a materialised set, one FTS5 look-up, materialising one matching document, a joined look-up
COST = {"walk": 0.3, "member": 0.3, "probe": 30.0, "materialise": 0.15, "join": 2.0}

# a filter's rule, applied to filter_options (menu, value, label, slug); :v is the typed value
RULES = {
    "vendor": ("vendor", "(slug = :v OR lower(label) = :v OR (value = '*' AND :v = '*'))", str.lower),
    "action": ("action", "(value = :v OR lower(label) = :v)", str.lower),
    "jurisdiction": ("jurisdiction", "upper(value) = :v", str.upper),
    "department": ("department", "(lower(value) = :v OR lower(value) LIKE '%' || :v || '%')", str.lower),
    "kind": ("kind", "value = :v", str.lower),
    "source": ("source", "value = :v", str),
    "certainty": ("certainty", "value = :v", str.lower),
}
ACTOR_RULE = "(lower(label) = :v OR lower(label) LIKE '%' || :v || '%' OR slug LIKE '%:' || :v)"
COLUMN = {"action": "type", "jurisdiction": "jurisdiction", "department": "department", "kind": "kind",
          "source": "source", "certainty": "certainty"}

ROW_SQL = """
SELECT l.pos, e.id AS event_id, e.date, e.type, t.label AS action, e.actor, ae.slug AS actor_slug, e.status,
  e.documents, e.sources, e.date_basis, e.primary_basis, e.first_reported, e.first_seen, e.updated, e.announced_by,
  e.disagreements, l.certainty, d.id AS document_id, d.title, d.url, d.source, d.kind, e.jurisdiction,
  l.department, d.outlet, d.jurisdiction AS document_jurisdiction, d.published,
  COALESCE((SELECT group_concat(CASE WHEN x.target = '*' THEN '*' ELSE e2.slug || '|' || e2.name END, ';')
            FROM event_targets x LEFT JOIN entities e2 ON e2.id = x.target
            WHERE x.event_id = e.id AND x.in_context = 0), '') AS targets,
  COALESCE((SELECT group_concat(e2.slug || '|' || e2.name, ';')
            FROM event_targets x JOIN entities e2 ON e2.id = x.target
            WHERE x.event_id = e.id AND x.in_context = 1), '') AS context,
  l.unit_rowid, l.doc_rowid
FROM json_each(?) p CROSS JOIN listing l ON l.pos = p.value JOIN events e ON e.rowid = l.unit_rowid
LEFT JOIN documents d ON d.rowid = l.doc_rowid JOIN action_types t ON t.id = l.type
LEFT JOIN entities ae ON ae.id = e.actor_entity_id
"""  # the shown positions drive (CROSS JOIN): with "pos IN (...)" SQLite may scan the listing instead
EVIDENCE_CAP = 10  # sentences a card lists (the event's page lists them all); 30 made a page of widely reported
# events 750 sentences, most of its time and weight at 100k documents (#19)
FEED_EVIDENCE_CAP = 5  # sentences an Atom entry carries (the entry links the event's page, which has them all)
EVIDENCE_SQL = """
SELECT lm.pos, lm.rank, lm.role, a.evidence, a.actor AS actor_named, a.date AS date_as_stated, d.id AS document_id,
  d.title, d.url, d.kind, d.outlet, d.published
FROM json_each(?) p CROSS JOIN listing_mentions lm ON lm.pos = p.value AND lm.rank < ?
JOIN actions a ON a.rowid = lm.action_rowid JOIN documents d ON d.rowid = lm.doc_rowid
"""  # every look-up by rowid: the role and the document are on the listing_mentions row (#19)
# a search snippet for a shown unit: from the first of its sentences that matches, else from its primary
# document, else from the first of its first SNIPPET_DOCUMENTS other documents that matches (the first
# statement is what _sentence_snippets finds over the sentences a card lists; kept for the plan tests)
SNIPPET_DOCUMENTS = 30  # a unit's other documents a snippet is looked for in (one FTS5 look-up each): an event
# reported in two thousand documents cost 30 ms per card at 100k documents (#19)
SNIPPETS = [
    f"SELECT snippet({UNIT_FTS}, 0, char(2), char(3), '…', 24) FROM listing_mentions lm CROSS JOIN {UNIT_FTS} "
    f"ON {UNIT_FTS}.rowid = lm.action_rowid WHERE lm.pos = ? AND {UNIT_FTS} MATCH ? ORDER BY lm.rank LIMIT 1",
    "SELECT snippet(documents_fts, -1, char(2), char(3), '…', 24) FROM listing l CROSS JOIN documents_fts "
    "ON documents_fts.rowid = l.doc_rowid WHERE l.pos = ? AND documents_fts MATCH ?",
    "SELECT snippet(documents_fts, -1, char(2), char(3), '…', 24) FROM (SELECT doc_rowid FROM listing_documents "
    f"WHERE pos = ? ORDER BY doc_rowid LIMIT {SNIPPET_DOCUMENTS}) ld CROSS JOIN documents_fts "
    "ON documents_fts.rowid = ld.doc_rowid WHERE documents_fts MATCH ? LIMIT 1",
]  # (the last: the documents come out of their subquery in rowid order, and the first that matches ends it)
# what a search matches, as a condition on a listing row l: the text of any of its documents
# (listing_documents), or (for a search with exclusions) any of its own sentences (listing_mentions)
MEMBER = ("l.pos IN (SELECT ld.pos FROM documents_fts CROSS JOIN listing_documents ld "
          "ON ld.doc_rowid = documents_fts.rowid WHERE documents_fts MATCH ?)",
          f"l.pos IN (SELECT lm.pos FROM {UNIT_FTS} CROSS JOIN listing_mentions lm INDEXED BY listing_mentions_action "
          f"ON lm.action_rowid = {UNIT_FTS}.rowid WHERE {UNIT_FTS} MATCH ?)")
PROBE = ("EXISTS (SELECT 1 FROM listing_documents ld CROSS JOIN documents_fts ON documents_fts.rowid = ld.doc_rowid "
         "WHERE ld.pos = l.pos AND documents_fts MATCH ?)",
         f"EXISTS (SELECT 1 FROM listing_mentions lm CROSS JOIN {UNIT_FTS} ON {UNIT_FTS}.rowid = lm.action_rowid "
         f"WHERE lm.pos = l.pos AND {UNIT_FTS} MATCH ?)")
# the full-text tables, the link from their rowids to listing positions, and the link's column for the rowid
LINKS = (("documents_fts", "listing_documents", "doc_rowid", ""),
         (UNIT_FTS, "listing_mentions", "action_rowid", "INDEXED BY listing_mentions_action"))
# the same sets as (pos) rows, for a search evaluated from the full-text index
MATCHES = (("documents_fts", "SELECT ld.pos FROM documents_fts CROSS JOIN listing_documents ld "
                             "ON ld.doc_rowid = documents_fts.rowid WHERE documents_fts MATCH ?"),
           (UNIT_FTS, f"SELECT lm.pos FROM {UNIT_FTS} CROSS JOIN listing_mentions lm "
                      f"INDEXED BY listing_mentions_action ON lm.action_rowid = {UNIT_FTS}.rowid WHERE {UNIT_FTS} MATCH ?"))


@dataclass
class Filter:
    dim: str  # 'type', 'vendor' or a listing column
    values: list
    size: int = 0  # rows it matches within the dates (listing_summary; an upper bound for several vendors)
    exact: bool = True  # listing_summary counts exactly what it matches
    extra: tuple | None = None  # (sql, params) a row must also satisfy

    def condition(self, driver: bool) -> tuple[str, list]:
        marks = ",".join("?" for _ in self.values)
        if self.dim == "vendor":
            if driver:  # the walk goes down listing_targets
                return f"t.target IN ({marks})", list(self.values)
            return (f"EXISTS (SELECT 1 FROM listing_targets t2 WHERE t2.pos = l.pos AND t2.target IN ({marks}))",
                    list(self.values))
        sql = f"{'' if driver else '+'}l.{self.dim} IN ({marks})"
        if self.extra:
            return f"{sql} AND {self.extra[0]}", [*self.values, *self.extra[1]]
        return sql, list(self.values)


@dataclass
class Selection:
    fts: str = ""
    negated: bool = False  # the expression excludes words: evidence can match where its document does not
    lo: int = 1
    hi: int = 0
    documents: int = 1  # documents in the database
    dates: list = field(default_factory=list)  # (sql on a column named date, params)
    filters: list[Filter] = field(default_factory=list)
    empty: bool = False
    per_document: float = 1.0  # listed rows per document
    matched: int = 0  # documents (or, with exclusions, texts) the search matches, counted up to member_cap()
    mode: str = ""  # '', 'index' (few matches: from the FTS index), 'member' or 'probe' (a condition of the walk)

    def member_cap(self) -> int:
        """Above this many matching documents a look-up per row beats materialising the set."""
        return max(FTS_CAP, int((COST["probe"] * 26 * self.documents / COST["materialise"]) ** 0.5))

    def density(self) -> float:
        return min(1.0, max(self.matched, 1) / max(self.documents, 1)) if self.fts else 1.0


def _all(conn: sqlite3.Connection, sql: str, params=()) -> list:
    return conn.execute(sql, params).fetchall()


# Counts that cannot change within a build, kept per database: a search's documents (how it is planned) and a
# selection's totals (what the page prints). Paging through a search asks for the same totals on every page.
# The key is the database's contents as far as they can be told apart cheaply and exactly: its file (path, inode,
# size, modification time, and its write-ahead log's) and its build id; a write to the file changes its key.
CACHE_SIZE = 256  # entries; a totals entry with a 20-year chart is some 50 kB
_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()


def database_key(conn: sqlite3.Connection) -> tuple | None:
    """What identifies the contents of ``conn``'s main database (None: an in-memory database, never cached)."""
    path = next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")
    if not path:
        return None
    stamps = []
    for name in (path, path + "-wal"):
        try:
            st = os.stat(name)
            stamps.append((st.st_ino, st.st_size, st.st_mtime_ns))
        except OSError:
            stamps.append(None)
    build = _all(conn, "SELECT value FROM build_info WHERE key = 'build_id'")
    return path, build[0][0] if build else None, *stamps


def _cached(conn: sqlite3.Connection, key: tuple, compute):
    """compute() once per database contents and key (a bounded LRU shared by the server's threads)."""
    database = database_key(conn)
    if database is None:
        return compute()
    key = (database, *key)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    value = compute()
    with _cache_lock:
        _cache[key] = value
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def select(conn: sqlite3.Connection, query: Query, extra: dict | None = None, memo: dict | None = None) -> Selection:
    """Resolve a parsed search and extra filters (the form's fields win over the search's). ``memo``: a dict
    shared by the selections of one request, so that a search's documents are counted once for all of them."""
    wanted = dict(query.filters)
    wanted.update({k: v for k, v in (extra or {}).items() if v})
    sel = Selection(fts=query.fts, negated=" NOT " in f" {query.fts}")
    if wanted.get("from"):
        sel.dates.append(("date >= ?", [wanted["from"]]))
    if wanted.get("to"):
        sel.dates.append(("substr(date, 1, length(?)) <= ?", [wanted["to"], wanted["to"]]))
    if sel.dates:
        where = " AND ".join(sql for sql, _ in sel.dates)
        lo, hi = _all(conn, f"SELECT MIN(first), MAX(last) FROM listing_dates WHERE {where}",
                      [p for _, ps in sel.dates for p in ps])[0]
    else:
        lo, hi = 1, _all(conn, "SELECT MAX(pos) FROM listing")[0][0]
    if lo is None or hi is None:
        sel.empty = True
        return sel
    sel.lo, sel.hi = lo, hi
    for key, value in wanted.items():
        if key == "actor":
            found = _actor(conn, value)
        elif key in RULES:
            menu, rule, case = RULES[key]
            values = [r[0] for r in _all(conn, f"SELECT value FROM filter_options WHERE menu = :m AND {rule}",
                                         {"m": menu, "v": case(value)})]
            found = Filter("vendor" if key == "vendor" else COLUMN[key], values,
                           exact=key != "vendor" or len(values) < 2)
        else:
            continue
        if not found.values:
            sel.empty = True
            return sel
        found.size = _size(conn, sel, found)
        sel.filters.append(found)
    if sel.fts:
        _search(conn, sel, {} if memo is None else memo)
    return sel


def _search(conn: sqlite3.Connection, sel: Selection, memo: dict) -> None:
    """Count the search's documents (up to the point where only the order of magnitude matters)."""
    key = ("search", sel.fts, sel.negated, FTS_CAP, tuple(sorted(COST.items())))
    if key not in memo:
        memo[key] = _cached(conn, key, lambda: _count_search(conn, sel))
    sel.documents, sel.per_document, sel.matched, sel.mode = memo[key]


def _count_search(conn: sqlite3.Connection, sel: Selection) -> tuple:
    documents = int((_all(conn, "SELECT value FROM build_info WHERE key = 'documents'") or [[1]])[0][0])
    per_document = _all(conn, "SELECT MAX(pos) FROM listing")[0][0] / max(documents, 1)
    cap = Selection(documents=documents).member_cap() + 1
    tables = ["documents_fts", UNIT_FTS] if sel.negated else ["documents_fts"]
    matched = max(_all(conn, f"SELECT COUNT(*) FROM (SELECT rowid FROM {t} WHERE {t} MATCH ? LIMIT ?)",
                       [sel.fts, cap])[0][0] for t in tables)
    return documents, per_document, matched, "index" if matched <= FTS_CAP else "member" if matched < cap else "probe"


def _actor(conn: sqlite3.Connection, value: str) -> Filter:
    """Actors whose name contains the value, or whose entity's slug is the value (the rule since issue 6)."""
    v = value.lower()
    pairs = _all(conn, f"SELECT label, {ACTOR_RULE} FROM filter_options WHERE menu = 'actor' AND label IN "
                       f"(SELECT label FROM filter_options WHERE menu = 'actor' AND {ACTOR_RULE})", {"v": v})
    names = sorted({name for name, _ in pairs})
    mixed = any(not hit for _, hit in pairs)  # a name whose rows point to two entities, one matching
    extra = None
    if mixed:
        extra = ("(lower(l.actor) = ? OR lower(l.actor) LIKE '%' || ? || '%' OR l.actor_entity_id LIKE '%:' || ?)",
                 [v, v, v])
    return Filter("actor", names, exact=not mixed, extra=extra)


def _summary_where(sel: Selection, dim: str, values: list, splits: dict | None = None) -> tuple[str, list]:
    """WHERE clause on listing_summary (or, without dates, listing_months) for one filter dimension,
    narrowed by the split columns (action type, certainty) that ``splits`` gives values for."""
    splits = dict(splits or {})
    if dim in SPLITS:
        splits[dim] = values
        dim, values = "all", [""]
    where, params = ["dim = ?", f"value IN ({','.join('?' for _ in values)})"], [dim, *values]
    for column, chosen in splits.items():
        where.append(f"{column} IN ({','.join('?' for _ in chosen)})")
        params += list(chosen)
    for sql, ps in sel.dates:
        where.append(sql)
        params += ps
    if sel.dates:
        where.append("date != ''")
    return " AND ".join(where), params


def _summary_table(sel: Selection) -> tuple[str, str]:
    """Per date when dates filter (exact at their edges), else per month (a thirtieth of the rows)."""
    if sel.dates:
        return "listing_summary", "CASE WHEN length(date) >= 7 THEN substr(date, 1, 7) END"
    return "listing_months", "NULLIF(month, '')"


def _size(conn: sqlite3.Connection, sel: Selection, f: Filter) -> int:
    where, params = _summary_where(sel, f.dim, f.values)
    return _all(conn, f"SELECT COALESCE(SUM(n), 0) FROM {_summary_table(sel)[0]} WHERE {where}", params)[0][0]


def _expected(sel: Selection, search: bool = True) -> float:
    """Rows expected to match everything, taking the filters and the search as independent."""
    span = max(1, sel.hi - sel.lo + 1)
    expected = float(span)
    for f in sel.filters:
        expected *= min(1.0, f.size / span)
    return max(expected * (sel.density() if search else 1.0), 1.0)


def _driver(sel: Selection, want: int) -> Filter | None:
    """The filter whose index reaches ``want`` matches soonest (None: walk down pos)."""
    span = max(1, sel.hi - sel.lo + 1)
    expected = _expected(sel, search=sel.mode in ("member", "probe"))
    best, cost = None, min(span, want * span / expected)
    for f in sel.filters:
        visits = min(f.size, want * f.size / expected) if len(f.values) == 1 else f.size
        if visits < cost:
            best, cost = f, visits
    return best


def _index_matches(sel: Selection) -> tuple[str, list]:
    """WITH m(pos): the listing rows one of whose documents (or, with exclusions, sentences) matches."""
    parts = [sql for _, sql in MATCHES[:2 if sel.negated else 1]]  # UNION, or DISTINCT: one row per unit
    body = " UNION ".join(parts) if len(parts) > 1 else parts[0].replace("SELECT ", "SELECT DISTINCT ", 1)
    return f"WITH m(pos) AS ({body}) ", [sel.fts] * len(parts)


def walk(sel: Selection, columns: str, limit: int, after: int | None = None, before: int | None = None) -> tuple:
    """SQL and parameters listing matching rows in pos order (descending with ``before``), at most ``limit``."""
    lo, hi = sel.lo, sel.hi
    if after is not None:
        lo = max(lo, after + 1)
    if before is not None:
        hi = min(hi, before - 1)
    driver, prefix, params = None, "", []
    if sel.mode == "index":
        prefix, params = _index_matches(sel)
        source = "m CROSS JOIN listing l ON l.pos = m.pos"
    else:
        driver = _driver(sel, limit if limit > 0 else sel.hi)
        if driver is None:
            source = "listing l NOT INDEXED"
        elif driver.dim == "vendor":
            source = "listing_targets t CROSS JOIN listing l ON l.pos = t.pos"
        else:
            source = f"listing l INDEXED BY listing_{driver.dim}"
    key = "t.pos" if driver is not None and driver.dim == "vendor" else "l.pos"
    where = [f"{key} BETWEEN ? AND ?"]
    params += [lo, hi]
    for f in sel.filters:
        sql, ps = f.condition(f is driver)
        where.append(sql)
        params += ps
    if sel.mode in ("member", "probe"):
        documents, own = MEMBER if sel.mode == "member" else PROBE
        where.append(f"({documents} OR {own})" if sel.negated else documents)
        params += [sel.fts, sel.fts] if sel.negated else [sel.fts]
    order = "DESC" if before is not None else ""
    sql = f"{prefix}SELECT {columns} FROM {source} WHERE {' AND '.join(where)} ORDER BY {key} {order} LIMIT ?"
    return sql, [*params, limit]


def _stream(sel: Selection, limit: int) -> tuple[str, list]:
    """Matching rows in no particular order, from the full-text index: the cheap way to count a few. The links
    hold a unit's type, certainty and date: with no filter on another column the listing is not read at all."""
    parts, params = [], []
    linked = all(f.dim in (*LINKED, "vendor") for f in sel.filters)
    for table, link, column, hint in LINKS[:2 if sel.negated else 1]:
        where, ps = ["l.pos BETWEEN ? AND ?"], [sel.lo, sel.hi]
        for f in sel.filters:
            sql, fps = f.condition(False)
            where.append(sql)
            ps += fps
        source = (f"{table} CROSS JOIN {link} l {hint} ON l.{column} = {table}.rowid" if linked else
                  f"{table} CROSS JOIN {link} x {hint} ON x.{column} = {table}.rowid CROSS JOIN listing l "
                  "ON l.pos = x.pos")
        parts.append(f"SELECT * FROM (SELECT DISTINCT l.pos, l.date, l.type FROM {source} WHERE {table} MATCH ? "
                     f"AND {' AND '.join(where)} LIMIT ?)")
        params += [sel.fts, *ps, limit]
    return f"SELECT date, type FROM ({' UNION '.join(parts)}) LIMIT ?", [*params, limit]


def positions(conn: sqlite3.Connection, sel: Selection, limit: int, after: int | None = None,
              before: int | None = None, offset: int = 0) -> tuple[list[int], bool]:
    """Positions of one page, newest first, and whether more rows lie beyond it (older, or newer with before)."""
    if sel.empty:
        return [], False
    sql, params = walk(sel, "l.pos", limit + 1 + offset, after, before)
    found = [r[0] for r in _all(conn, sql, params)][offset:]
    more = len(found) > limit
    found = found[:limit]
    return (sorted(found) if before is not None else found), more


def _summarised(sel: Selection) -> bool:
    others = [f for f in sel.filters if f.dim not in SPLITS]
    return not sel.fts and all(f.exact for f in sel.filters) and len(others) <= 1


def totals(conn: sqlite3.Connection, sel: Selection) -> dict:
    """{'total': n or None, 'more_than': COUNT_CAP when the live count stopped, 'months': [...] or None};
    once per database contents and selection (the caps are part of the key: a test may change them)."""
    if sel.empty:
        return {"total": 0, "more_than": None, "months": []}
    return dict(_cached(conn, ("totals", repr(sel), FTS_CAP, COUNT_CAP, tuple(sorted(COST.items()))),
                        lambda: _totals(conn, sel)))


def _totals(conn: sqlite3.Connection, sel: Selection) -> dict:
    if sel.empty:
        return {"total": 0, "more_than": None, "months": []}
    counts: Counter = Counter()
    if _summarised(sel):
        f = next((f for f in sel.filters if f.dim not in SPLITS), None)
        splits = {s.dim: s.values for s in sel.filters if s.dim in SPLITS}
        where, params = _summary_where(sel, f.dim if f else "all", f.values if f else [""], splits)
        table, month_of = _summary_table(sel)
        undated = 0
        for month, kind, n in _all(conn, f"SELECT {month_of}, type, SUM(n) FROM {table} WHERE {where} GROUP BY 1, 2",
                                   params):
            if month:
                counts[(month, kind)] += n
            else:
                undated += n
        return {"total": sum(counts.values()) + undated, "more_than": None, "months": monthly(counts)}
    if sel.mode == "index":
        rows = _all(conn, *walk(sel, "l.date, l.type", -1))
    else:
        rows = _all(conn, *_count_query(sel))
        if len(rows) > COUNT_CAP:
            return {"total": None, "more_than": COUNT_CAP, "months": None}
    for date, kind in rows:
        if date and len(date) >= 7:
            counts[(date[:7], kind)] += 1
    return {"total": len(rows), "more_than": None, "months": monthly(counts)}


def _count_query(sel: Selection) -> tuple[str, list]:
    """Up to COUNT_CAP + 1 matching rows, by whichever way is expected to get there sooner."""
    want = COUNT_CAP + 1
    if not sel.fts:
        return walk(sel, "l.date, l.type", want)
    span = max(1, sel.hi - sel.lo + 1)
    selectivity = _expected(sel, search=False) / span
    from_index = min(sel.matched * sel.per_document, want / selectivity) * COST["join"]
    step = COST["member"] if sel.mode == "member" else COST["probe"]
    by_walk = min(_expected(sel, search=False), want / sel.density()) * step
    if sel.mode == "member":
        by_walk += sel.matched * COST["materialise"]
    return _stream(sel, want) if from_index <= by_walk else walk(sel, "l.date, l.type", want)


def monthly(counts: Counter) -> list[dict]:
    """{(month, type): n} -> [{month, counts: {type: n}}] for every month in the range, for the chart: a true
    time axis (empty months too) over at most the last CHART_MONTHS months (dates read from a text reach
    back a century; the newest end is the one a timeline is about)."""
    months: dict[str, dict] = defaultdict(dict)
    for (month, kind), n in counts.items():
        months[month][kind] = n
    if not months:
        return []
    last = max(months)
    end = int(last[:4]) * 12 + int(last[5:7]) - 1
    start = max(end - CHART_MONTHS + 1, min(int(m[:4]) * 12 + int(m[5:7]) - 1 for m in months))
    out = []
    for index in range(start, end + 1):
        key = f"{index // 12:04d}-{index % 12 + 1:02d}"
        out.append({"month": key, "counts": dict(months.get(key, {}))})
    return out


def details(conn: sqlite3.Connection, found: list[int], fts: str = "", evidence_cap: int = EVIDENCE_CAP) -> list[dict]:
    """The shown rows, in the order given, each with its sentences (``evidence``: at most ``evidence_cap``, the
    primary source's first; ``more_evidence``: whether it has more) and, for a search, a highlighted snippet."""
    if not found:
        return []
    cursor = conn.execute(ROW_SQL, [json.dumps(found)])
    names = [c[0] for c in cursor.description]
    rows = {row[0]: dict(zip(names, row)) for row in cursor.fetchall()}
    out = [rows[p] for p in found if p in rows]
    cursor = conn.execute(EVIDENCE_SQL, [json.dumps(found), evidence_cap + 1])
    names = [c[0] for c in cursor.description]
    sentences = defaultdict(list)
    for row in cursor.fetchall():
        sentences[row[0]].append(dict(zip(names, row)))
    for row in out:
        listed = sorted(sentences.get(row["pos"], []), key=lambda s: s["rank"])
        row["evidence"], row["more_evidence"] = listed[:evidence_cap], len(listed) > evidence_cap
        row["snippet"] = None
    if fts:
        shown = _sentence_snippets(out, fts)
        for row in out:
            row["snippet"] = shown.get(row["pos"])
            for sql in SNIPPETS[1:] if row["snippet"] is None else ():
                hit = _all(conn, sql, [row["pos"], fts])
                if hit and hit[0][0]:
                    row["snippet"] = hit[0][0]
                    break
    return out


def _sentence_snippets(rows: list[dict], fts: str) -> dict[int, str]:
    """pos -> a snippet from the first of a shown unit's listed sentences (``evidence``) the search matches.

    The sentences are already read (at most EVIDENCE_CAP per unit); one full-text query over them in a
    private in-memory FTS5 table of the same tokenizer as UNIT_FTS replaces a look-up in UNIT_FTS per
    sentence (SNIPPETS[0], which cost a few ms per card once an event has dozens of sentences: issue 19)."""
    texts = [(s["evidence"] or "", row["pos"], s["rank"]) for row in rows for s in row["evidence"]]
    if not texts:
        return {}
    memory = sqlite3.connect(":memory:")
    try:
        memory.execute(f"CREATE VIRTUAL TABLE shown USING fts5(evidence, pos UNINDEXED, n UNINDEXED, "
                       f"tokenize='{UNIT_TOKENIZER}')")
        memory.executemany("INSERT INTO shown (evidence, pos, n) VALUES (?, ?, ?)", texts)
        found: dict[int, str] = {}
        for pos, _, snippet in memory.execute("SELECT pos, n, snippet(shown, 0, char(2), char(3), '…', 24) FROM shown "
                                              "WHERE shown MATCH ? ORDER BY pos, n", [fts]):
            if snippet:
                found.setdefault(pos, snippet)
        return found
    except sqlite3.OperationalError:
        return {}
    finally:
        memory.close()
