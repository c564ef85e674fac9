"""The listing's page queries (issue 19) give exactly what a direct query over events, their mentions and
documents gives: the same rows in the same order, snippets, counts and chart, on every path (summaries,
live counts, a search from the full-text index or row by row, keyset pages). The unit is the event (#15)."""

import json
import math
import sqlite3
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from db import pages, query
from db.search import parse_query

# The definition of each filter over events (slow and obvious: every event). kind and source are the
# primary document's; department is the department the actor acts in (itself or its nearest ancestor of kind
# department, through entities.parent), else the primary document's; confident when the reports of its
# documents (each document's best sentence), taken as independent, make 0.8 (confident_events below).
SPEC = {
    "vendor": ("EXISTS (SELECT 1 FROM event_targets x LEFT JOIN entities v ON v.id = x.target WHERE x.event_id = e.id "
               "AND (v.slug = :vendor OR lower(v.name) = :vendor OR x.target = '*' AND :vendor = '*'))", str.lower),
    "actor": ("(lower(e.actor) = :actor OR lower(e.actor) LIKE '%' || :actor || '%' "
              "OR e.actor_entity_id LIKE '%:' || :actor)", str.lower),
    "action": ("(e.type = :action OR lower(t.label) = :action)", str.lower),
    "jurisdiction": ("upper(e.jurisdiction) = :jurisdiction", str.upper),
    "department": ("(lower(COALESCE(dep.name, d.department)) = :department "
                   "OR lower(COALESCE(dep.name, d.department)) LIKE '%' || :department || '%')", str.lower),
    "kind": ("d.kind = :kind", str.lower),
    "source": ("d.source = :source", str),
    "certainty": ("(CASE WHEN e.id IN (SELECT value FROM json_each(:confident_events)) THEN 'confident' "
                  "ELSE 'uncertain' END) = :certainty", str.lower),
    "from": ("e.date >= :from", str),
    "to": ("substr(e.date, 1, length(:to)) <= :to", str),
}
DEPARTMENTS = """
WITH RECURSIVE up(start, id, n) AS (
  SELECT id, id, 0 FROM entities WHERE type = 'organisation'
  UNION ALL SELECT up.start, o.parent, up.n + 1 FROM up JOIN entities o ON o.id = up.id
  WHERE o.parent IS NOT NULL AND up.n < 20),
dep(entity_id, name) AS (
  SELECT up.start, o.name FROM up JOIN entities o ON o.id = up.id WHERE o.kind = 'department'
  AND up.n = (SELECT MIN(u.n) FROM up u JOIN entities k ON k.id = u.id WHERE u.start = up.start
              AND k.kind = 'department'))
"""
# an event's sentences in the order its card shows them: the primary source's first, then by publication
MENTIONS = ("FROM event_mentions m JOIN actions a ON a.id = m.action_id JOIN documents md ON md.id = m.document_id "
            "WHERE m.event_id = e.id")
ORDER = "ORDER BY m.role != 'primary', md.published, a.id"
DOCUMENTS = ("(SELECT md.rowid FROM event_mentions m JOIN documents md ON md.id = m.document_id "
             "WHERE m.event_id = e.id UNION SELECT d.rowid)")


def confident_events(conn) -> list[str]:
    """Events whose chance that no document's best sentence is right is at most 0.2."""
    best: dict = {}
    for event_id, document_id, confidence in conn.execute(
            "SELECT m.event_id, m.document_id, MAX(COALESCE(a.confidence, 0)) FROM event_mentions m "
            "JOIN actions a ON a.id = m.action_id GROUP BY 1, 2"):
        best.setdefault(event_id, []).append(confidence)
    return [e for e, ps in best.items() if math.prod(1 - p for p in ps) <= 0.2 + 1e-12]


def reference(conn, filters: dict) -> tuple[list[str], dict, int, Counter]:
    """Matching event ids newest first, their snippets, the count and (month, type) counts."""
    parsed = parse_query(filters.get("q"))
    wanted = dict(parsed.filters)
    wanted.update({k: v for k, v in filters.items() if k != "q" and v})
    where, params, snippet = ["1"], {}, "NULL"
    if parsed.fts:
        params["q"] = parsed.fts
        where.append(f"(EXISTS (SELECT 1 {MENTIONS} AND a.rowid IN (SELECT rowid FROM actions_fts WHERE actions_fts "
                     f"MATCH :q)) OR EXISTS (SELECT 1 FROM documents_fts WHERE documents_fts MATCH :q AND "
                     f"documents_fts.rowid IN {DOCUMENTS}))")
        # the snippet comes from the first matching sentence among those the card lists (query.EVIDENCE_CAP)
        snippet = (f"COALESCE((SELECT s FROM (SELECT (SELECT snippet(actions_fts, 0, char(2), char(3), '…', 24) "
                   f"FROM actions_fts WHERE actions_fts MATCH :q AND actions_fts.rowid = a.rowid) AS s {MENTIONS} "
                   f"{ORDER} LIMIT {query.EVIDENCE_CAP}) WHERE s IS NOT NULL LIMIT 1), (SELECT snippet(documents_fts, -1, char(2), char(3), '…', 24) FROM "
                   f"documents_fts WHERE documents_fts MATCH :q AND documents_fts.rowid = d.rowid), "
                   f"(SELECT snippet(documents_fts, -1, char(2), char(3), '…', 24) FROM documents_fts WHERE "
                   f"documents_fts MATCH :q AND documents_fts.rowid IN (SELECT * FROM {DOCUMENTS} ORDER BY 1 "
                   f"LIMIT {query.SNIPPET_DOCUMENTS}) ORDER BY documents_fts.rowid LIMIT 1))")
    for key, value in wanted.items():
        sql, case = SPEC[key]
        where.append(sql)
        params[key] = case(value)
    if "certainty" in wanted:
        params["confident_events"] = json.dumps(confident_events(conn))
    rows = conn.execute(f"{DEPARTMENTS} SELECT e.id, e.date, e.type, {snippet} FROM events e LEFT JOIN documents d "
                        f"ON d.id = e.primary_document_id JOIN action_types t ON t.id = e.type LEFT JOIN dep "
                        f"ON dep.entity_id = e.actor_entity_id WHERE {' AND '.join(where)} ORDER BY e.date DESC, e.id",
                        params).fetchall()
    dated = [(date[:7], kind) for _, date, kind, _ in rows if date and len(date) >= 7]
    newest = max((m for m, _ in dated), default="0000-01")
    first = f"{int(newest[:4]) - 20:04d}-{newest[5:7]}"  # the chart's twenty years (query.CHART_MONTHS)
    months = Counter((m, kind) for m, kind in dated if m > first)
    return [r[0] for r in rows], {r[0]: r[3] for r in rows}, len(rows), months


def every_page(conn, filters: dict, size: int) -> list[dict]:
    """Walk the whole result with the pager's keyset links, checking the way back too."""
    shown, data = [], pages.timeline(conn, filters, page_size=size, counts=False)
    pages_seen = [data]
    while data["older"]:
        data = pages.timeline(conn, filters, page_size=size, after=data["older"], counts=False)
        pages_seen.append(data)
    for page in pages_seen:
        shown.extend(page["rows"])
    for earlier, later in zip(pages_seen, pages_seen[1:]):
        back = pages.timeline(conn, filters, page_size=size, before=later["newer"], counts=False)
        assert [r["pos"] for r in back["rows"]] == [r["pos"] for r in earlier["rows"]]
    return shown


CASES = [
    {}, {"q": "Hikvision"}, {"q": '"sensitive sites"'}, {"q": "Hikvision -Dahua"}, {"q": "Hikvision OR Dahua"},
    {"q": "surveil*"}, {"q": "nothingmatchesthis"}, {"vendor": "hikvision"}, {"vendor": "*"}, {"vendor": "Dahua"},
    {"action": "sanction"}, {"action": "Procurement ban"}, {"jurisdiction": "us"}, {"department": "home office"},
    {"department": "Cabinet"}, {"kind": "written_question"}, {"source": "govuk"}, {"from": "2023-01-01"},
    {"to": "2023-06"}, {"from": "2022", "to": "2024-03-31"}, {"actor": "cabinet office"}, {"actor": "cabinet-office"},
    {"actor": "office"}, {"actor": "department for"}, {"vendor": "hikvision", "action": "ban_installation"},
    {"vendor": "hikvision", "jurisdiction": "GB"},
    {"q": "cameras", "vendor": "hikvision"}, {"q": "security", "from": "2023-01-01", "kind": "news"},
    {"q": "vendor:dahua action:denial"}, {"q": "cameras jurisdiction:gb", "jurisdiction": "us"},
    {"vendor": "no-such-vendor"}, {"from": "2999-01-01"}, {"certainty": "confident"},
    {"certainty": "confident", "vendor": "hikvision"}, {"certainty": "uncertain", "action": "sanction", "from": "2022"},
    {"certainty": "confident", "q": "Hikvision"}, {"certainty": "confident", "vendor": "dahua", "jurisdiction": "gb"},
]


@pytest.fixture(scope="module")
def conn(built):
    return sqlite3.connect(f"file:{built['db']}?mode=ro", uri=True, check_same_thread=False)


@pytest.fixture(params=["default", "member", "probe"])
def caps(request, monkeypatch):
    """Tiny caps send the small database down the paths a million documents takes: a search as a
    set of matching documents (member) or as a look-up per row (probe), counts that stop early."""
    if request.param != "default":
        monkeypatch.setattr(query, "FTS_CAP", 1)
        monkeypatch.setattr(query, "COUNT_CAP", 3)
    if request.param == "probe":
        monkeypatch.setitem(query.COST, "materialise", 1e9)
    return request.param


def check(conn, filters: dict, size: int = 7) -> None:
    ids, snippets, total, months = reference(conn, filters)
    shown = every_page(conn, filters, size)
    assert [r["event_id"] for r in shown] == ids, filters
    assert {r["event_id"]: r["snippet"] for r in shown} == snippets
    figures = pages.timeline(conn, filters, page_size=size)
    if figures["total"] is None:
        assert figures["more_than"] == query.COUNT_CAP < total and figures["months"] is None
    else:
        assert figures["total"] == total, filters
        assert {(m["month"], k): n for m in figures["months"] for k, n in m["counts"].items()} == months


@pytest.mark.parametrize("filters", CASES, ids=[str(c) for c in CASES])
def test_the_listing_gives_what_the_definition_gives(conn, caps, filters):
    check(conn, filters)


def test_the_cases_reach_every_path(conn, caps):
    """Summaries, live counts and both kinds of search all happen among the cases above."""
    seen = Counter()
    for filters in CASES:
        parsed = parse_query(filters.get("q"))
        sel = query.select(conn, parsed, {k: v for k, v in filters.items() if k != "q"})
        seen[sel.mode or "no search"] += 1
        seen["summary" if query._summarised(sel) else "live"] += 1
        seen["more than" if pages.timeline(conn, filters)["total"] is None else "counted"] += 1
    expected = {"index", "no search", "counted", "summary", "live"} | (
        {caps, "more than"} if caps != "default" else set())
    assert expected <= set(seen), seen


def test_an_old_page_link_still_works(conn):
    every = reference(conn, {})[0]
    shown = pages.timeline(conn, {}, page=2, page_size=10)["rows"]
    assert len(every) > 20 and [r["event_id"] for r in shown] == every[10:20]


@pytest.mark.parametrize("filters", [c for c in CASES if "certainty" not in c], ids=str)
def test_the_site_view_counts_once_and_exactly(conn, caps, filters, monkeypatch):
    """The site's default view (confident events first, #14): the page's total, chart and "Show all" figure are
    those of the definition, and each is counted once (a search's documents too) for the whole page."""
    ran = Counter()
    real = query._all

    def counting(conn_, sql, params=()):
        ran[sql] += 1
        return real(conn_, sql, params)

    monkeypatch.setattr(query, "_all", counting)
    data = pages.timeline_view(conn, filters, show_all=False, page_size=7)
    monkeypatch.setattr(query, "_all", real)
    confident = dict(filters, certainty="confident")
    ids, _, total, _ = reference(conn, confident)
    assert [r["event_id"] for r in data["rows"]] == ids[:7]
    everything = reference(conn, filters)[2]
    if data["total"] is None:
        assert total > query.COUNT_CAP and data["hidden"] == 0
    else:
        assert data["total"] == total
        assert data["hidden"] == (everything - total if everything <= query.COUNT_CAP or query._summarised(
            query.select(conn, parse_query(filters.get("q")), {k: v for k, v in filters.items() if k != "q"})) else 0)
    assert all(n == 1 for sql, n in ran.items() if "COUNT(*) FROM (SELECT rowid" in sql), ran
    assert sum(n for sql, n in ran.items() if "SUM(n)" in sql and "GROUP BY" in sql or sql.startswith(
        "SELECT date, type")) <= 2, ran


@pytest.fixture(scope="module")
def values(conn):
    def column(sql):
        return sorted({r[0] for r in conn.execute(sql) if r[0]})

    return {
        "vendor": column("SELECT slug FROM entities WHERE type = 'vendor'") + ["*", "dahua technology"],
        "action": column("SELECT id FROM action_types"),
        "jurisdiction": ["gb", "US", "xx"], "kind": column("SELECT DISTINCT kind FROM documents"),
        "department": column("SELECT DISTINCT department FROM documents") + ["office"],
        "actor": column("SELECT DISTINCT actor FROM events") + ["office", "home-office", "government"],
        "from": ["2019", "2022-06-01", "2024-01"], "to": ["2020", "2023-06-30", "2025-12"],
        "certainty": ["confident", "uncertain"],
        "q": ["Hikvision", "cameras -Hikvision", '"security risk"', "ban* OR remov*", "Dahua OR cameras"],
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_filter_combinations(conn, values, data):
    keys = data.draw(st.sets(st.sampled_from(sorted(values)), max_size=3))
    check(conn, {k: data.draw(st.sampled_from(values[k])) for k in keys}, size=data.draw(st.integers(3, 30)))


def test_counts_are_kept_per_database_contents(built, tmp_path, monkeypatch):
    """A search's counts are computed once per database contents: asked again, no statement runs; after a write
    to the file (another build in place, an edit), they are computed again and are exact."""
    import shutil

    path = tmp_path / "tracker.db"
    shutil.copyfile(built["db"], path)
    conn = sqlite3.connect(path)
    filters = {"q": "hikvision", "certainty": "confident"}
    first = pages.timeline(conn, filters)
    ran = []
    real = query._all
    monkeypatch.setattr(query, "_all", lambda c, sql, params=(): ran.append(sql) or real(c, sql, params))
    again = pages.timeline(conn, filters)
    assert (again["total"], again["months"]) == (first["total"], first["months"])
    assert not [sql for sql in ran if "MATCH" in sql and "snippet" not in sql and "LIMIT ?" in sql
                and "COUNT(*)" in sql], ran  # the search's documents were not counted again
    assert not [sql for sql in ran if sql.startswith("SELECT date, type")], ran  # nor its rows
    monkeypatch.setattr(query, "_all", real)
    newest = first["rows"][0]["pos"]
    with conn:  # the unit goes from the listing and its links (#15: a search's count reads the links)
        for table in ("listing", "listing_documents", "listing_mentions", "listing_targets"):
            conn.execute(f"DELETE FROM {table} WHERE pos = ?", (newest,))
    after = pages.timeline(conn, filters)  # the listing lost a matching row: counted again, one fewer
    assert newest not in [r["pos"] for r in after["rows"]]
    assert first["total"] is not None and after["total"] == first["total"] - 1


def test_an_events_confidence_takes_its_documents_as_independent_reports():
    """One sentence keeps its confidence; a second document's report raises it; sentences of one document do not."""
    from db.listing import event_confidence

    assert event_confidence({"a": [0.7]}) == pytest.approx(0.7)
    assert event_confidence({"a": [0.6], "b": [0.6]}) == pytest.approx(0.84)
    assert event_confidence({"a": [0.6, 0.6, 0.5]}) == pytest.approx(0.6)
    assert event_confidence({"a": [None], "b": [0.3]}) == pytest.approx(0.3) and event_confidence({}) == 0.0


def test_shown_sentences_are_searched_with_the_unit_index_tokenizer(conn):
    """Snippets of a card's sentences come from a private copy of them (query._sentence_snippets): it must
    tokenize as the sentences' own full-text index does, or a stemmed search would find a sentence there and
    not here (issue 19)."""
    definition = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (query.UNIT_FTS,)).fetchone()[0]
    assert f"tokenize='{query.UNIT_TOKENIZER}'" in definition.replace('"', "'").replace(" ", "")
    rows = [{"pos": 7, "evidence": [{"rank": 0, "evidence": "Nothing here."},
                                    {"rank": 1, "evidence": "The departments banned the cameras."}]}]
    found = query._sentence_snippets(rows, parse_query("banning camera").fts)  # porter: ban/banned, camera/cameras
    assert found == {7: "The departments \x02banned\x03 the \x02cameras\x03."}
