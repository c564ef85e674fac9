"""The journalist-facing pages: /, /timeline, /timeline.atom, /vendors/<slug>,
/organisations/<slug>, /sources. Routes only; the queries live in db/pages.py."""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from db import atom, chart, pages

DATABASE = "tracker"


def _db(datasette):
    return datasette.get_database(DATABASE)


async def _labels(datasette) -> dict:
    rows = await _db(datasette).execute("SELECT id, label FROM action_types")
    return {r["id"]: r["label"] for r in rows}


def _highlight(snippet: str | None) -> Markup:
    """Escape a search snippet, then mark the matches (FTS markers \\x02 and \\x03)."""
    if not snippet:
        return Markup("")
    return Markup(str(escape(snippet)).replace("\x02", "<mark>").replace("\x03", "</mark>"))


async def _render(datasette, request, template: str, context: dict) -> Response:
    labels = await _labels(datasette)
    context.update(labels=labels, legend=chart.legend(labels), highlight=_highlight)
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html)


async def index_page(request, datasette):
    data = await _db(datasette).execute_fn(pages.home)
    return await _render(datasette, request, "tracker/home.html", {"data": data})


def _page_number(request) -> int:
    try:
        return max(1, min(10000, int(request.args.get("page") or 1)))
    except ValueError:
        return 1


async def timeline_page(request, datasette):
    filters = pages.clean_filters(dict(request.args))
    page = _page_number(request)
    data = await _db(datasette).execute_fn(lambda conn: pages.timeline(conn, filters, page))
    options = await _db(datasette).execute_fn(pages.filter_options)
    labels = await _labels(datasette)
    return await _render(datasette, request, "tracker/timeline.html", {
        "data": data, "filters": filters, "options": options, "qs": pages.query_string,
        "chart": chart.monthly_svg(data["months"], labels)})


async def timeline_atom(request, datasette):
    filters = pages.clean_filters(dict(request.args))
    data = await _db(datasette).execute_fn(lambda conn: pages.timeline(conn, filters, 1, page_size=100))
    build = await _db(datasette).execute("SELECT value FROM build_info WHERE key = 'build_id'")
    query = pages.query_string(filters)
    base = datasette.absolute_url(request, "/timeline")
    body = atom.timeline_feed(
        data["rows"], self_url=f"{base}.atom" + (f"?{query}" if query else ""),
        alternate_url=base + (f"?{query}" if query else ""),
        title="policy-tracker: " + (", ".join(f"{k} {v}" for k, v in filters.items()) or "all actions"),
        build_id=build.first()["value"] if build.rows else "")
    return Response(body, content_type="application/atom+xml; charset=utf-8")


async def entity_page(request, datasette):
    kind = "vendor" if request.url_vars["section"] == "vendors" else "organisation"
    slug = request.url_vars["slug"]
    summary = await _db(datasette).execute_fn(lambda conn: pages.entity_summary(conn, slug, kind))
    if summary is None:
        raise NotFound(f"No {kind} called {slug}")
    filters = {"vendor": slug} if kind == "vendor" else {}
    if kind == "organisation":
        filters = {"actor": summary["entity"]["name"]}
    data = await _db(datasette).execute_fn(lambda conn: pages.timeline(conn, filters, _page_number(request)))
    labels = await _labels(datasette)
    return await _render(datasette, request, "tracker/entity.html", {
        "kind": kind, "summary": summary, "data": data, "filters": filters, "qs": pages.query_string,
        "chart": chart.monthly_svg(data["months"], labels)})


async def sources_page(request, datasette):
    rows = await _db(datasette).execute_fn(pages.sources)
    return await _render(datasette, request, "tracker/sources.html", {"rows": rows})


@hookimpl
def register_routes():
    return [
        (r"^/$", index_page),
        (r"^/timeline$", timeline_page),
        (r"^/timeline\.atom$", timeline_atom),
        (r"^/(?P<section>vendors|organisations)/(?P<slug>[a-z0-9-]+)$", entity_page),
        (r"^/sources$", sources_page),
    ]
