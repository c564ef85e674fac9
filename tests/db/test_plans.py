"""Every query a page runs is planned without a full scan of the big tables, and without any scan
per row (issue 19): EXPLAIN QUERY PLAN on each statement the pages execute, on every search path."""

import re
import sqlite3

import pytest

from db import docview, pages, query

# tables that grow with the corpus; a SCAN of one is a page whose time grows with it
BIG = {"actions", "documents", "action_targets", "mentions", "document_versions", "listing", "listing_targets",
       "document_list", "document_entities", "person_documents"}
SHAPES = [
    {}, {"vendor": "hikvision"}, {"vendor": "*"}, {"action": "sanction", "from": "2022-01-01", "to": "2023-12-31"},
    {"jurisdiction": "GB"}, {"department": "office"}, {"kind": "news"}, {"actor": "cabinet-office"},
    {"vendor": "hikvision", "jurisdiction": "GB"}, {"vendor": "hikvision", "action": "ban_installation", "to": "2024"},
    {"q": "Hikvision"}, {"q": '"sensitive sites"'}, {"q": "Hikvision -Dahua"}, {"q": "cameras", "vendor": "dahua"},
    {"q": "security", "department": "cabinet", "from": "2020"},
]
VIEWS = ["SELECT * FROM timeline LIMIT 51", "SELECT * FROM timeline LIMIT 51 OFFSET 50",
         "SELECT COUNT(*) FROM timeline WHERE type = 'sanction'",
         "SELECT * FROM timeline WHERE jurisdiction = 'GB' LIMIT 51"]
_ALIAS = re.compile(r"\b(?:FROM|JOIN)\s+(\w+)(?:\([^)]*\))?(?:\s+(?:AS\s+)?(?!(?:ON|WHERE|JOIN|CROSS|LEFT|INNER|"
                    r"INDEXED|NOT|USING|GROUP|ORDER|LIMIT|UNION)\b)(\w+))?", re.I)


def problems(conn: sqlite3.Connection, sql: str) -> list[str]:
    """What is wrong with one statement's plan: full scans of big tables, scans nested in a loop."""
    views = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'").fetchall()
    text = " ".join([sql] + [body for name, body in views if re.search(rf"\b{name}\b", sql)])
    aliases = {alias or table: table for table, alias in _ALIAS.findall(text)}
    plan = conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
    # one walk down a big table that stops at LIMIT, with nothing to sort or add up: a page
    walk = re.search(r"\bLIMIT\s+\d", sql, re.I) and not re.search(r"\b(GROUP BY|COUNT|SUM)\b", sql, re.I) \
        and not any("TEMP B-TREE" in row[3] for row in plan)
    found, details, loops = [], {}, {}
    for node, parent, _, detail in plan:
        details[node] = (parent, detail)
        if not detail.startswith(("SCAN ", "SEARCH ")):
            continue
        loops.setdefault(parent, []).append(node)
        # per row: an inner loop of a join, or anything inside a correlated subquery
        inner = loops[parent][0] != node or _correlated(details, parent)
        if not detail.startswith("SCAN "):
            continue
        name = detail.split()[1]
        if "VIRTUAL TABLE" in detail:
            index = detail.rsplit(":", 1)[-1]
            if "M" not in index and aliases.get(name, name) != "json_each":
                found.append(f"full-text table read without MATCH: {detail}")
            continue
        if name.startswith("(subquery") or name == "m":  # a bounded set built earlier in the statement
            continue
        table = aliases.get(name, name)
        if table in BIG and not (walk and not inner):
            found.append(f"full scan of {table}: {detail}")
        elif inner:
            found.append(f"scan per row of {table}: {detail}")
    return found


def _correlated(details: dict, node: int) -> bool:
    while node:
        parent, detail = details.get(node, (0, ""))
        if detail.startswith("CORRELATED"):
            return True
        node = parent
    return False


def statements(conn: sqlite3.Connection) -> list[str]:
    """Every SELECT the pages run, as executed (parameters inlined by SQLite)."""
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        for shape in SHAPES:
            first = pages.timeline(conn, shape)
            if first["older"]:
                pages.timeline(conn, shape, after=first["older"])
                pages.timeline(conn, shape, before=first["older"] + 1)
            pages.timeline(conn, shape, page_size=100, counts=False)  # the Atom feed
            pages.timeline_view(conn, shape, show_all=False)  # the site's default: confident events first
        pages.home(conn)
        pages.filter_options(conn)
        for slug, kind in (("hikvision", "vendor"), ("cabinet-office", "organisation")):
            pages.entity_summary(conn, slug, kind)
        pages.sources(conn)
        directory_pages(conn)
        for sql in VIEWS:
            conn.execute(sql).fetchall()
    finally:
        conn.set_trace_callback(None)
    # FTS5 reads its own shadow tables through statements of its own; those are its business
    return list(dict.fromkeys(s for s in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))
                              and "'main'." not in s))


def directory_pages(conn: sqlite3.Connection) -> None:
    """The index, people and document pages (issue 17): each read as the site reads it, paged both ways."""
    for section in ("vendors", "organisations", "people", "jurisdictions"):
        pages.directory(conn, section)
        pages.directory(conn, section, after="M")
        pages.resolve(conn, section, "Hikvision")
    pages.section_of(conn, "lord-alton", "organisations")
    pages.document_kinds(conn)
    for kind, key in (("all", ()), ("kind", ("hansard",)), ("entity", ("vendor:hikvision",))):
        first = pages.documents(conn, kind, key, limit=5)
        pages.documents(conn, kind, key, limit=5, after=first["older"] or 1)
        pages.documents(conn, kind, key, limit=5, before=(first["older"] or 1) + 1)
    for slug in ("lord-alton-of-liverpool", "baroness-williams-of-trafford", "pete-fussey"):
        pages.person(conn, slug)
        pages.person(conn, slug, role="asked", after=1)
        pages.person(conn, slug, role="named", before=5)
    for search in ("Hikvision", '"Lord Alton"', "HL5910 -Dahua"):
        first = pages.documents(conn, limit=3, search=search)
        pages.documents(conn, "kind", ("hansard",), limit=3, search=search, after=first["older"] or 1)
        pages.documents(conn, limit=3, search=search, before=5)
    for doc_id in ("uk_written_questions:9000006", "us_federal_register:2025-21001"):
        docview.document_page(conn, doc_id)


@pytest.fixture(scope="module")
def conn(built):
    return sqlite3.connect(f"file:{built['db']}?mode=ro", uri=True, check_same_thread=False)


@pytest.mark.parametrize("mode", ["default", "member", "probe"])
def test_no_page_query_scans_the_corpus(conn, mode, monkeypatch):
    if mode != "default":
        monkeypatch.setattr(query, "FTS_CAP", 1)
        monkeypatch.setattr(query, "COUNT_CAP", 3)
    if mode == "probe":
        monkeypatch.setitem(query.COST, "materialise", 1e9)
        monkeypatch.setattr(pages, "SEARCH_CAP", 1)  # /documents?q= walking the list, probing the index per row
    checked = statements(conn)
    assert len(checked) > 40
    bad = {sql[:300]: problems(conn, sql) for sql in checked if problems(conn, sql)}
    assert not bad, bad


def test_counting_a_search_reads_index_entries_only(conn):
    """Counting and charting a search's matches from the full-text index (the site's default: confident events)
    reads the link from documents to events, which holds what counting reads, never a listing row per match
    (ten times slower at 1M documents)."""
    for search in ("cameras", "cameras -Dahua"):  # documents; with an exclusion, the sentences too
        sel = query.select(conn, pages.parse_query(search), {"certainty": "confident"})
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + query._stream(sel, 10)[0],
                                               query._stream(sel, 10)[1])]
        assert any(p.startswith("SEARCH l USING PRIMARY KEY (doc_rowid=?") for p in plan), plan
        assert not any(p.startswith(("SEARCH listing ", "SCAN listing ")) or "INTEGER PRIMARY KEY" in p
                       for p in plan), plan
        if " NOT " in sel.fts:
            assert any("COVERING INDEX listing_mentions_action" in p for p in plan), plan


def test_datasette_counts_the_timeline_view_from_one_index(conn):
    """Datasette counts a table page's rows on every request; the view's count reads no other table."""
    plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN SELECT COUNT(*) FROM timeline")]
    assert len(plan) == 1 and plan[0].startswith("SCAN listing USING COVERING INDEX"), plan


@pytest.mark.parametrize("sql", [
    # the filter menus before issue 19: every action, every request
    "SELECT DISTINCT d.jurisdiction FROM actions a JOIN documents d ON d.id = a.document_id",
    # the chart's monthly query before issue 19: the FTS result scanned once per action
    "SELECT substr(a.date, 1, 7), COUNT(*) FROM actions a LEFT JOIN (SELECT rowid, 1 AS s FROM actions_fts "
    "WHERE actions_fts MATCH 'hikvision') af ON af.rowid = a.rowid GROUP BY 1",
    "SELECT * FROM listing ORDER BY date LIMIT 5",
    "SELECT COUNT(*) FROM timeline WHERE vendors LIKE '%Hikvision%'",
    "SELECT * FROM sources s WHERE (SELECT COUNT(*) FROM crawl_runs r WHERE r.finish_reason = s.id) > 0",
])
def test_the_check_catches_scans(conn, sql):
    assert problems(conn, sql)
