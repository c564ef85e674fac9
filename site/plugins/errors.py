"""Error pages with one log line each (#18).

Datasette's default handler prints every 4xx and 5xx as a rich traceback with local
variables, on the event loop: about 200 ms per 404, and a deep unmatched path made rich
itself fail (a 500). This wrapper replaces that handler's answer with the same error page
(JSON for .json paths, the error template otherwise); a 5xx adds one log line.
"""

from __future__ import annotations

import traceback

from datasette import Response, hookimpl
from datasette.utils.asgi import Base400
from datasette.views.base import DatasetteError
from markupsafe import Markup

from db.guard import log, one_line


def _where(exception: BaseException) -> str:
    frames = traceback.extract_tb(exception.__traceback__)
    return f" at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""


async def error_response(datasette, request, exception) -> Response:
    title = None
    if isinstance(exception, Base400):
        status, message, info = exception.status, exception.args[0] if exception.args else "", {}
    elif isinstance(exception, DatasetteError):
        status, message, info, title = exception.status, exception.message, dict(exception.error_dict), exception.title
        if exception.message_is_html:
            message = Markup(message)
    else:
        status, message, info = 500, "Internal error; it has been logged.", {}
    if status >= 500:  # a 4xx is the access log's one line
        log.error("%s %s %d %s: %s%s", request.method, request.path, status, type(exception).__name__,
                  one_line(exception), _where(exception))
    info.update({"ok": False, "error": message, "status": status, "title": title})
    if request.path.endswith(".json"):
        return Response.json(info, status=status)
    template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
    html = await template.render_async(dict(info, urls=datasette.urls, app_css_hash=datasette.app_css_hash(),
                                            menu_links=lambda: []))
    return Response.html(html, status=status)


@hookimpl(wrapper=True)
def handle_exception(datasette, request, exception):
    answers = yield
    ours = [a for a in answers if getattr(a, "__module__", None) != "datasette.handle_exception"]
    return ours + [lambda: error_response(datasette, request, exception)]
