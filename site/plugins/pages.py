"""The journalist-facing pages: /, /timeline, /timeline.atom, /vendors/<slug>,
/organisations/<slug>, /sources. Routes only; the queries live in db/pages.py.

Every query runs in Datasette's SQL threads under a time limit (Datasette's ``sql_time_limit_ms``,
or ``time_limit_ms`` in the ``tracker-pages`` plugin configuration): a page whose query hits it
answers at once with a clear message (503) instead of holding a thread."""

from __future__ import annotations

import sqlite3

from datasette import hookimpl
from datasette.utils import sqlite_timelimit
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from db import atom, chart, pages

DATABASE = "tracker"


class TooSlow(Exception):
    """A page's query ran past the time limit and was interrupted."""


def _db(datasette):
    return datasette.get_database(DATABASE)


def _time_limit(datasette) -> int:
    config = datasette.plugin_config("tracker-pages") or {}
    return int(config.get("time_limit_ms", datasette.setting("sql_time_limit_ms")))


async def _run(datasette, fn):
    """fn(conn) in a SQL thread, interrupted at the time limit (the whole function, not each statement)."""
    limit = _time_limit(datasette)

    def limited(conn):
        with sqlite_timelimit(conn, limit):
            return fn(conn)

    try:
        return await _db(datasette).execute_fn(limited)
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise TooSlow() from exc
        raise


async def _labels(datasette) -> dict:
    rows = await _db(datasette).execute("SELECT id, label FROM action_types")
    return {r["id"]: r["label"] for r in rows}


def _highlight(snippet: str | None) -> Markup:
    """Escape a search snippet, then mark the matches (FTS markers \\x02 and \\x03)."""
    if not snippet:
        return Markup("")
    return Markup(str(escape(snippet)).replace("\x02", "<mark>").replace("\x03", "</mark>"))


async def _render(datasette, request, template: str, context: dict, status: int = 200) -> Response:
    labels = await _labels(datasette)
    context.update(labels=labels, legend=chart.legend(labels), highlight=_highlight)
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


async def timeline_page(request, datasette):
    filters = pages.clean_filters(dict(request.args))
    keys = pages.keyset(dict(request.args))
    page = _page_number(request)
    show_all = bool(request.args.get("all"))

    def fetch(conn):
        view, hidden = pages.confident_view(conn, filters, show_all)  # confident actions first (#14)
        return dict(pages.timeline(conn, view, page, **keys), hidden=hidden, confident_only=not show_all), \
            pages.filter_options(conn)

    data, options = await _run(datasette, fetch)
    filters = dict(filters, all="1") if show_all else filters
    labels = await _labels(datasette)
    return await _render(datasette, request, "tracker/timeline.html", {
        "data": data, "filters": filters, "options": options, "qs": pages.query_string,
        "chart": chart.monthly_svg(data["months"], labels) if data["months"] is not None else None})


async def timeline_atom(request, datasette):
    filters = pages.clean_filters(dict(request.args))
    if not request.args.get("all") and not filters.get("certainty"):  # the same default as the page (#14)
        filters = dict(filters, certainty="confident")
    data = await _run(datasette, lambda conn: pages.timeline(conn, filters, 1, page_size=100, counts=False,
                                                                   snippets=False))
    build = await _db(datasette).execute("SELECT value FROM build_info WHERE key = 'build_id'")
    query = pages.query_string(filters)
    base = datasette.urls.path("/timeline")  # relative to the feed: the Host header is the client's to choose
    body = atom.timeline_feed(
        data["rows"], self_url=f"{base}.atom" + (f"?{query}" if query else ""),
        alternate_url=base + (f"?{query}" if query else ""),
        title="policy-tracker: " + (", ".join(f"{k} {v}" for k, v in filters.items()) or "all actions"),
        build_id=build.first()["value"] if build.rows else "")
    return Response(body, content_type="application/atom+xml; charset=utf-8")


async def entity_page(request, datasette):
    kind = "vendor" if request.url_vars["section"] == "vendors" else "organisation"
    slug = request.url_vars["slug"]
    filters = {"vendor": slug} if kind == "vendor" else {"actor": slug}
    keys = pages.keyset(dict(request.args))
    page = _page_number(request)
    show_all = bool(request.args.get("all"))

    def fetch(conn):
        summary = pages.entity_summary(conn, slug, kind)
        if not summary:
            return summary, None
        view, hidden = pages.confident_view(conn, filters, show_all)  # confident actions first (#14)
        return summary, dict(pages.timeline(conn, view, page, **keys), hidden=hidden, confident_only=not show_all)

    summary, data = await _run(datasette, fetch)
    if summary is None:
        raise NotFound(f"No {kind} called {slug}")
    labels = await _labels(datasette)
    return await _render(datasette, request, "tracker/entity.html", {
        "kind": kind, "summary": summary, "data": data, "filters": filters, "qs": pages.query_string,
        "chart": chart.monthly_svg(data["months"], labels) if data["months"] is not None else None})


async def sources_page(request, datasette):
    rows = await _run(datasette, pages.sources)
    return await _render(datasette, request, "tracker/sources.html", {"rows": rows})


@hookimpl
def register_routes():
    return [
        (r"^/$", _guarded(index_page)),
        (r"^/timeline$", _guarded(timeline_page)),
        (r"^/timeline\.atom$", _guarded(timeline_atom)),
        (r"^/(?P<section>vendors|organisations)/(?P<slug>[a-z0-9-]+)$", _guarded(entity_page)),
        (r"^/sources$", _guarded(sources_page)),
    ]
