"""/events/<id> and /events/<id>.json: one event's page, with its sources and a line to cite it.

Routes only; the queries live in db/eventview.py. An id merged into another
event redirects there (301); a withdrawn id answers 410 Gone with a page that says so.
"""

from __future__ import annotations

import json

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response

from db import eventview


async def event_page(request, datasette):
    event_id, as_json = request.url_vars["event_id"], bool(request.url_vars.get("json"))
    permalink = datasette.absolute_url(request, f"/events/{event_id}")
    database = datasette.get_database()  # the served database, whatever its file is called
    page = await database.execute_fn(
        lambda conn: eventview.event_page(conn, event_id, permalink))
    if page is None:
        raise NotFound(f"No event {event_id}")
    if "redirect" in page:
        if page["redirect"]:
            return Response.redirect(f"/events/{page['redirect']}{'.json' if as_json else ''}", status=301)
        if as_json:
            return Response.json({"id": event_id, "withdrawn": page["at"]}, status=410)
        html = await datasette.render_template("tracker/event_gone.html", {
            "event_id": event_id, "page": page, "database": database.name}, request=request)
        return Response.html(html, status=410)
    if as_json:
        return Response(json.dumps(eventview.as_json(page), ensure_ascii=False, indent=1),
                        content_type="application/json; charset=utf-8")
    html = await datasette.render_template("tracker/event.html", {
        "page": page, "event": page["event"], "long_date": eventview.long_date, "permalink": permalink,
        "database": database.name},
        request=request)
    return Response.html(html)


@hookimpl
def register_routes():
    return [(r"^/events/(?P<event_id>[a-z0-9]{1,40})(?P<json>\.json)?$", event_page)]
