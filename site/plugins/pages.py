"""The journalist-facing pages: /, /timeline, /timeline.atom, /vendors/<slug>,
/organisations/<slug>, /sources, and /types.css (the action types' colours, from the database's
action_types). Routes only; the queries live in db/pages.py, the rendering in the templates
(tracker/_chart.html draws the chart, tracker/timeline.atom is the feed).

The database is the one served (its name is read from the served file, not assumed); the topic's
words (title, summary, the label of a class target) come from its `topic` table.

Every query runs under a time limit (Datasette's ``sql_time_limit_ms``, or ``time_limit_ms`` in the
``tracker-pages`` plugin configuration), in the pages' own threads (``_run``): a page whose query hits
it answers at once with a clear message (503)."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from datasette import hookimpl
from datasette.utils.asgi import AsgiFileDownload, NotFound, Response
from markupsafe import Markup, escape

from db import cards, chart, docview, pages
from db.connection_limits import work_limit
from db.query import FEED_EVIDENCE_CAP
from db.query import _cached as query_cache

NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
TINT = 0.2  # a badge's background: its type's colour at this share over white


class TooSlow(Exception):
    """A page's query ran past the time limit and was interrupted."""


def _db(datasette):
    """The served database (the first one attached, whatever its file is called)."""
    return datasette.get_database()


def _time_limit(datasette) -> int:
    config = datasette.plugin_config("tracker-pages") or {}
    return int(config.get("time_limit_ms", datasette.setting("sql_time_limit_ms")))


_local = threading.local()  # per thread (a server's event loop): its connections, by Datasette instance


def _connection(datasette) -> sqlite3.Connection:
    """This thread's connection to the served database, opened and prepared as Datasette opens its own
    (read-only or immutable, the site's connection limits), for the pages' queries."""
    db = _db(datasette)
    key = (id(datasette), db.name, db.path)
    connections = getattr(_local, "connections", None)
    if connections is None:
        connections = _local.connections = {}
    conn = connections.get(key)
    if conn is None:
        conn = db.connect()
        datasette._prepare_connection(conn, db.name)
        connections[key] = conn
        weakref.finalize(datasette, connections.pop, key, None)
    return conn


PAGE_THREADS = 2  # threads per server process running the pages' queries (plugin configuration: page_threads)
_executors: dict[int, ThreadPoolExecutor] = {}
_executors_lock = threading.Lock()


def _executor(datasette) -> ThreadPoolExecutor:
    config = datasette.plugin_config("tracker-pages") or {}
    threads = max(1, int(config.get("page_threads", PAGE_THREADS)))
    with _executors_lock:
        if threads not in _executors:
            _executors[threads] = ThreadPoolExecutor(threads, thread_name_prefix="tracker-pages")
        return _executors[threads]


async def _run(datasette, fn):
    """fn(conn) in one of the pages' own threads, interrupted at the time limit (the whole function, not each
    statement).

    The pages do not queue in Datasette's SQL threads (issue 19): there, with 20 concurrent clients, each of
    the 15 statements of one of Datasette's own table pages waited behind whole page functions (p50 2.2 s
    for /tracker/timeline.json at 100k), and four pages sharing the interpreter each ran several times as
    long as its work, past the time limit (the 503s of the bench's concurrent mix). Here PAGE_THREADS pages
    run at a time per process, each start to finish in one call, and Datasette's threads are left to
    Datasette's pages and the SQL API."""
    limit = _time_limit(datasette)

    def limited():
        conn = _connection(datasette)
        with work_limit(conn, limit):
            result = fn(conn)
        # the layout's few rows, kept per database contents (db/query.py's cache): rendering needs no other call
        _layouts[datasette] = query_cache(conn, ("layout",), lambda: _chrome(conn))
        return result

    try:
        return await asyncio.get_running_loop().run_in_executor(_executor(datasette), limited)
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise TooSlow() from exc
        raise


def _chrome(conn: sqlite3.Connection) -> dict:
    """What every page's layout reads: action type -> {label, colour} in the vocabulary's order, and the topic
    (a few rows; no time limit, so that the "too slow" page itself can be drawn)."""
    types = {r[0]: {"label": r[1], "colour": r[2] or "#666666"}
             for r in conn.execute("SELECT id, label, colour FROM action_types ORDER BY rowid")}
    return {"types": types, "topic": {r[0]: r[1] for r in conn.execute("SELECT key, value FROM topic")}}


_layouts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Datasette -> its last page's layout rows


async def _layout(datasette) -> dict:
    """The layout's rows: as the page just read them, else read now (pages that ran no query)."""
    found = _layouts.get(datasette)
    if found is None:
        found = await asyncio.get_running_loop().run_in_executor(
            _executor(datasette), lambda: _chrome(_connection(datasette)))
    return found


async def _types(datasette) -> dict:
    """Action type -> {label, colour}, in the vocabulary's order."""
    return (await _layout(datasette))["types"]


def _highlight(snippet: str | None) -> Markup:
    """Escape a search snippet, then mark the matches (FTS markers \\x02 and \\x03)."""
    if not snippet:
        return Markup("")
    return Markup(str(escape(docview.tidy_quotes(snippet))).replace("\x02", "<mark>").replace("\x03", "</mark>"))


async def _render(datasette, request, template: str, context: dict, status: int = 200) -> Response:
    layout = await _layout(datasette)
    types = layout["types"]
    context.update(labels={k: t["label"] for k, t in types.items()}, types=types, highlight=_highlight,
                   topic=layout["topic"], database=_db(datasette).name,
                   download=pages.download(_db(datasette).path, _db(datasette).name))
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, status=status)


async def _too_slow(datasette, request, filters: dict | None = None) -> Response:
    return await _render(datasette, request, "tracker/too_slow.html", {
        "filters": filters or {}, "limit_ms": _time_limit(datasette)}, status=503)


def _guarded(handler):
    async def route(request, datasette):
        try:
            return await handler(request, datasette)
        except TooSlow:
            return await _too_slow(datasette, request, pages.clean_filters(dict(request.args)))

    return route


async def index_page(request, datasette):
    data = await _run(datasette, pages.home)
    return await _render(datasette, request, "tracker/home.html", {"data": data})


def _page_number(request) -> int:
    try:
        return max(1, min(10000, int(request.args.get("page") or 1)))
    except ValueError:
        return 1


async def _bad_dates(datasette, request, problems: list[str]) -> Response:
    """The timeline's form with what is wrong with the dates, and no results (400): never a silent empty page."""
    filters = pages.clean_filters(dict(request.args))
    options = await _run(datasette, pages.filter_options)
    data = {"rows": [], "total": 0, "more_than": None, "months": [], "hidden": 0, "confident_only": False,
            "older": None, "newer": None}
    return await _render(datasette, request, "tracker/timeline.html", {
        "data": data, "filters": filters, "options": options, "qs": pages.query_string, "problems": problems},
        status=400)


async def timeline_page(request, datasette):
    problems = pages.date_problems(dict(request.args))
    if problems:
        return await _bad_dates(datasette, request, problems)
    filters = pages.clean_filters(dict(request.args))
    keys = pages.keyset(dict(request.args))
    page = _page_number(request)
    show_all = bool(request.args.get("all"))

    def fetch(conn):
        return pages.timeline_view(conn, filters, show_all, page, **keys), pages.filter_options(conn)

    data, options = await _run(datasette, fetch)
    filters = dict(filters, all="1") if show_all else filters
    return await _render(datasette, request, "tracker/timeline.html", {
        "data": data, "filters": filters, "options": options, "qs": pages.query_string})


async def timeline_atom(request, datasette):
    problems = pages.date_problems(dict(request.args))
    if problems:
        return Response.text(" ".join(problems) + "\n", status=400)
    filters = pages.clean_filters(dict(request.args))

    def fetch(conn):
        view, _, _ = pages.confident_view(conn, filters, bool(request.args.get("all")),  # as the page (#14, #13)
                                          count_hidden=False)
        build = conn.execute("SELECT value FROM build_info WHERE key = 'build_id'").fetchall()
        return view, pages.timeline(conn, view, 1, page_size=100, counts=False, snippets=False,
                                    evidence_cap=FEED_EVIDENCE_CAP), build

    filters, data, build = await _run(datasette, fetch)
    query = pages.query_string(filters)
    base = datasette.urls.path("/timeline")  # relative to the feed: the Host header is the client's to choose
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    for row in data["rows"]:  # when the tracker first saw the event, and when a source last attached (#15)
        row["first_seen"] = _stamp(row["first_seen"], now)
        row["updated"] = _stamp(row["updated"], now)
    self_url = f"{base}.atom" + (f"?{query}" if query else "")
    body = await datasette.render_template("tracker/timeline.atom", {
        "rows": data["rows"], "self_url": self_url, "feed_id": self_url.split("://", 1)[-1],
        "alternate_url": base + (f"?{query}" if query else ""),
        "event_base": datasette.urls.path("/events"),
        "title": "policy-tracker: " + (", ".join(f"{k} {v}" for k, v in filters.items()) or "all events"),
        "updated": max((row["updated"] for row in data["rows"]), default=now),
        "build_id": build[0][0] if build else ""}, request=request)
    # characters XML 1.0 forbids (C0 controls, lone surrogates, U+FFFE/FFFF) in a crawled headline or in ?q=
    # would make the feed unreadable for everyone (#18): dropped, the rest of the value kept
    return Response(NOT_XML.sub("", body), content_type="application/atom+xml; charset=utf-8")


async def timeline_export(request, datasette):
    """/timeline.csv and /timeline.json: the rows of the timeline the same query string shows, every page of
    them (up to pages.EXPORT_MAX, then where to continue), in its order. Takes the page's filters and the
    search syntax (q=), and ?all=1 as the page does; a bad date is a 400 with the reason.
    /documents.csv and /documents.json: /documents' rows the same way (?kind=)."""
    fmt = request.url_vars["fmt"]
    if request.url_vars.get("listing") == "documents":
        return await _documents_export(request, datasette, fmt)
    problems = pages.date_problems(dict(request.args))
    if problems:
        if fmt == "json":
            return Response.json({"ok": False, "errors": problems}, status=400)
        return Response.text(" ".join(problems) + "\n", status=400)
    filters = pages.clean_filters(dict(request.args))
    show_all = bool(request.args.get("all"))
    position = pages.keyset(dict(request.args)).get("after")
    view, _, _ = await _run(datasette, lambda conn: pages.confident_view(conn, filters, show_all, count_hidden=False))
    rows, position = await _export_chunks(datasette, lambda conn, at, size: pages.export_rows(conn, view, at, size),
                                          position)
    shown = dict(filters, all="1") if show_all else filters
    return await _export_response(datasette, fmt, "timeline", shown, rows, position, pages.export_columns)


async def _documents_export(request, datasette, fmt: str) -> Response:
    kind = (request.args.get("kind") or "").strip()[:60]
    search = (request.args.get("q") or "").strip()[:500]
    rows, position = await _export_chunks(
        datasette, lambda conn, at, size: pages.export_documents(conn, kind, at, size, search),
        pages.keyset(dict(request.args)).get("after"))
    columns = ["id", "title", "published", "kind", "source", "jurisdiction", "department", "outlet", "url",
               "native_id", "uin", "actions", "people"]
    shown = {k: v for k, v in (("q", search), ("kind", kind)) if v}
    return await _export_response(datasette, fmt, "documents", shown, rows, position,
                                  lambda conn: columns)


async def _export_chunks(datasette, chunk_of, position):
    """Rows chunk by chunk (each query under the time limit) up to pages.EXPORT_MAX; and where to continue."""
    rows: list[dict] = []
    while len(rows) < pages.EXPORT_MAX:
        chunk, position = await _run(datasette, lambda conn: chunk_of(
            conn, position, min(pages.EXPORT_CHUNK, pages.EXPORT_MAX - len(rows))))
        rows += chunk
        if position is None:
            break
    return rows, position


async def _export_response(datasette, fmt, listing, shown, rows, position, columns_of) -> Response:
    import csv
    import io
    import json

    following = None
    if position is not None:
        following = f"/{listing}.{fmt}?" + pages.query_string(shown, after=position)
    headers = {"Link": f'<{following}>; rel="next"'} if following else {}
    if fmt == "json":
        body = {"ok": True, "filters": shown, "count": len(rows), "truncated": following is not None,
                "next": following, "rows": rows}
        return Response(json.dumps(body, ensure_ascii=False, indent=1, default=str),
                        content_type="application/json; charset=utf-8", headers=headers)
    columns = list(rows[0]) if rows else await _run(datasette, columns_of)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    headers["Content-Disposition"] = f'attachment; filename="{pages.export_name(shown, "csv", listing)}"'
    return Response(out.getvalue(), content_type="text/csv; charset=utf-8", headers=headers)


def _stamp(value: str | None, fallback: str) -> str:
    """An Atom date-time for a date as precise as the source gives it (a year, a month or a day)."""
    if not value:
        return fallback
    if len(value) == 4:
        value += "-01"
    if len(value) == 7:
        value += "-01"
    return value[:10] + "T00:00:00Z" if len(value) <= 10 else value


def _redirect(request, path: str) -> Response:
    """A permanent redirect to the canonical page, the query string kept."""
    query = request.query_string
    return Response.redirect(path + (f"?{query}" if query else ""), status=301)


SECTION_KIND = {"vendors": "vendor", "organisations": "organisation"}


async def entity_page(request, datasette):
    section = request.url_vars["section"]
    kind = SECTION_KIND[section]
    slug = request.url_vars["slug"]
    if slug != slug.lower():  # slugs are lower case; /vendors/Some-Name is /vendors/some-name (#17)
        return _redirect(request, f"/{section}/{slug.lower()}")
    filters = {"vendor": slug} if kind == "vendor" else {"actor": slug}
    keys = pages.keyset(dict(request.args))
    page = _page_number(request)
    show_all = bool(request.args.get("all"))

    def fetch(conn):
        summary = pages.entity_summary(conn, slug, kind)
        if not summary:
            return summary, pages.section_of(conn, slug, section), None
        data = pages.timeline_view(conn, filters, show_all, page, **keys)  # confident actions first (#14)
        listed = pages.documents(conn, "entity", (summary["entity"]["id"],), **_document_keys(request))
        return summary, None, dict(data, documents=listed)

    summary, elsewhere, data = await _run(datasette, fetch)
    if summary is None:
        if elsewhere:  # a person is not an organisation: their page is under /people (#17)
            return _redirect(request, f"/{elsewhere}/{slug}")
        raise NotFound(f"No {kind} called {slug}")
    return await _render(datasette, request, "tracker/entity.html", {
        "kind": kind, "summary": summary, "data": data, "filters": filters, "qs": pages.query_string,
        "documents": data["documents"]})


def _document_keys(request, prefix: str = "d") -> dict:
    """The document pager's position (dafter/dbefore on pages that also page a timeline)."""
    keys = pages.keyset({k[len(prefix):]: v for k, v in dict(request.args).items() if k.startswith(prefix)})
    return keys


INDEX_TITLES = {"vendors": "Vendors", "organisations": "Organisations", "people": "People",
                "jurisdictions": "Jurisdictions"}


async def index_of(request, datasette):
    section = request.url_vars["section"]
    after = (request.args.get("after") or "")[:300] or None
    data = await _run(datasette, lambda conn: pages.directory(conn, section, after))
    return await _render(datasette, request, "tracker/index.html", {
        "section": section, "title": INDEX_TITLES[section], "data": data})


PERSON_ROLES = ("asked", "answered", "spoke", "statement", "corrected", "named")


async def person_page(request, datasette):
    slug = request.url_vars["slug"]
    if slug != slug.lower():
        return _redirect(request, f"/people/{slug.lower()}")

    def fetch(conn):
        role = request.args.get("role")
        found = pages.person(conn, slug, role=role if role in PERSON_ROLES else None, **pages.keyset(dict(request.args)))
        if found is None:
            return None, pages.section_of(conn, slug, "people"), None
        data = None
        if found["person"]["entity_id"]:  # what the extractor says they did, every action (as ?all=1)
            data = pages.timeline(conn, {"actor": found["person"]["entity_id"].split(":", 1)[-1]}, 1, page_size=50)
            pages.card_facts(conn, data["rows"])
        return found, None, data

    found, elsewhere, data = await _run(datasette, fetch)
    if found is None:
        if elsewhere:
            return _redirect(request, f"/{elsewhere}/{slug}")
        raise NotFound(f"No person called {slug}")
    return await _render(datasette, request, "tracker/person.html", {
        "page": found, "person": found["person"], "data": data, "qs": pages.query_string,
        "document_card": True})


async def documents_page(request, datasette):
    kind = (request.args.get("kind") or "").strip()[:60]
    search = (request.args.get("q") or "").strip()[:500]
    keys = pages.keyset(dict(request.args))

    def fetch(conn):
        kinds = pages.document_kinds(conn)
        listed = pages.documents(conn, "kind", (kind,), search=search, **keys) if kind else \
            pages.documents(conn, search=search, **keys)
        total = sum(k["documents"] for k in kinds if not kind or k["slug"] == kind)
        return listed, kinds, total

    listed, kinds, total = await _run(datasette, fetch)
    return await _render(datasette, request, "tracker/documents.html", {
        "documents": listed, "kind": kind, "kinds": kinds, "total": total, "qs": pages.query_string,
        "search": search, "filters": {k: v for k, v in (("q", search), ("kind", kind)) if v}})


def _document_id(request) -> str:
    from urllib.parse import unquote

    return unquote(request.url_vars["doc_id"])[:500]


async def document_page(request, datasette):
    doc_id = _document_id(request)
    page = await _run(datasette, lambda conn: docview.document_page(conn, doc_id))
    if page is None:
        raise NotFound(f"No document {doc_id}")
    raw = docview.raw_path(_db(datasette).path, page["document"].get("raw_ref"))
    return await _render(datasette, request, "tracker/document.html", {
        "page": page, "doc": page["document"], "raw": bool(raw)})


async def raw_document(request, datasette):
    """The archived response a document was read from, as plain text (never rendered as HTML)."""
    doc_id = _document_id(request)
    row = await _run(datasette, lambda conn: conn.execute("SELECT raw_ref FROM documents WHERE id = ?",
                                                          (doc_id,)).fetchone())
    path = docview.raw_path(_db(datasette).path, row[0] if row else None)
    if path is None:
        raise NotFound(f"No archived response for document {doc_id}")
    text, cut = docview.raw_text(path)
    if cut:
        text += f"\n\n[cut at {docview.RAW_MAX:,} bytes]\n"
    return Response(text, content_type="text/plain; charset=utf-8")  # with nosniff (plugins/security.py)


async def database_file(request, datasette):
    """/<name>.db: the served database's file, streamed (Datasette's file download; Datasette's own view
    serves only immutable databases, and the site serves the published file read-write by default)."""
    db = _db(datasette)
    if request.url_vars["name"] != db.name or not db.path:
        raise NotFound("No such database file")
    return AsgiFileDownload(db.path, filename=f"{db.name}.db", content_type="application/vnd.sqlite3")


async def sources_page(request, datasette):
    rows = await _run(datasette, pages.sources)
    return await _render(datasette, request, "tracker/sources.html", {"rows": rows})


async def types_css(datasette):
    """Badges and legend swatches in each action type's colour (the vocabulary's, via action_types)."""
    lines = []
    for kind, spec in (await _types(datasette)).items():
        lines.append(f".type-{kind} {{ background: {_tint(spec['colour'])}; }} "
                     f".swatch-{kind} {{ background: {spec['colour']}; }}")
    return Response("\n".join(lines) + "\n", content_type="text/css; charset=utf-8",
                    headers={"Cache-Control": "max-age=60"})


def _tint(colour: str) -> str:
    """The colour at TINT over white (#rrggbb)."""
    try:
        rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    except ValueError:
        return "#e5e7eb"
    return "#" + "".join(f"{round(255 - (255 - c) * TINT):02x}" for c in rgb)


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["quotes"] = docview.tidy_quotes  # ``TeX'' quotes (the Federal Register's) as curly quotes
    env.globals["chart_svg"] = chart.svg  # the chart's markup, from Python (a macro was half a page's time)
    env.globals["chart_table_rows"] = chart.table_rows
    env.globals["event_cards"] = cards.event_list  # the cards and the feed's entries, likewise (#19)
    env.globals["atom_entries"] = cards.atom_entries


@hookimpl
def register_routes():
    return [
        (r"^/$", _guarded(index_page)),
        (r"^/timeline$", _guarded(timeline_page)),
        (r"^/timeline\.atom$", _guarded(timeline_atom)),
        (r"^/(?P<listing>timeline|documents)\.(?P<fmt>csv|json)$", _guarded(timeline_export)),
        (r"^/(?P<section>vendors|organisations)/(?P<slug>[A-Za-z0-9-]+)$", _guarded(entity_page)),
        (r"^/(?P<section>vendors|organisations|people|jurisdictions)$", _guarded(index_of)),
        (r"^/people/(?P<slug>[A-Za-z0-9-]+)$", _guarded(person_page)),
        (r"^/documents$", _guarded(documents_page)),
        (r"^/documents/(?P<doc_id>.+)$", _guarded(document_page)),
        (r"^/raw/(?P<doc_id>.+)$", _guarded(raw_document)),
        (r"^/sources$", _guarded(sources_page)),
        (r"^/(?P<name>[^/]+)\.db$", database_file),
        (r"^/types\.css$", types_css),
    ]
