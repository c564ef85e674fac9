"""A digest of new events for a saved search, as plain text and HTML (issue 17): alerts without an account.

``python -m db digest --since 2026-11-01 "vendor:<slug>"`` writes the events the tracker first published
on or after the date (and those with a new source since), that the search finds, for a mail tool to
send. The search is the site's syntax and view (confident actions first, ``--all`` for every one), applied
through the timeline's own queries (db/pages.py), so the digest follows whatever unit the timeline lists.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from . import pages
from .eventview import long_date

EVENT_SQL = """
SELECT e.id, e.type, t.label, e.actor, e.jurisdiction, e.date, e.documents, e.sources, e.first_seen, e.updated,
  d.title, d.url, COALESCE(d.outlet, d.department) AS publisher,
  (SELECT group_concat(COALESCE(en.name, x.target), ', ') FROM event_targets x LEFT JOIN entities en
   ON en.id = x.target WHERE x.event_id = e.id AND x.in_context = 0) AS targets
FROM events e LEFT JOIN action_types t ON t.id = e.type LEFT JOIN documents d ON d.id = e.primary_document_id
WHERE e.id = ?
"""
HTML = Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1b1b1b; max-width: 40rem">
<h1 style="font-size: 1.3rem">{{ title }}</h1>
<p>{{ intro }}</p>
{% for heading, events in sections %}{% if events %}<h2 style="font-size: 1.1rem">{{ heading }}</h2>
<ul>{% for e in events %}<li style="margin-bottom: .6rem"><strong>{{ e.when }}</strong> · {{ e.label or e.type }}
  {% if e.actor %}· {{ e.actor }}{% endif %}{% if e.targets %} → {{ e.targets }}{% endif %}{% if e.jurisdiction %} ({{ e.jurisdiction }}){% endif %}<br>
  <a href="{{ e.permalink }}">{{ e.permalink }}</a>{% if e.title %}<br>Source: <a href="{{ e.url }}">{{ e.title }}</a>{% if e.publisher %}, {{ e.publisher }}{% endif %}{% endif %}</li>
{% endfor %}</ul>{% endif %}{% endfor %}
{% if not total %}<p>Nothing new.</p>{% endif %}
<p style="font-size: .85rem">Subscribe instead: <a href="{{ feed }}">{{ feed }}</a></p>
</body></html>
""")


@dataclass
class Digest:
    title: str
    intro: str
    new: list[dict]
    updated: list[dict]
    feed: str

    @property
    def total(self) -> int:
        return len(self.new) + len(self.updated)

    def text(self) -> str:
        lines = [self.title, "=" * len(self.title), "", self.intro, ""]
        for heading, events in (("New events", self.new), ("Events with a new source", self.updated)):
            if not events:
                continue
            lines += [heading, "-" * len(heading)]
            for e in events:
                who = f" · {e['actor']}" if e["actor"] else ""
                what = f" → {e['targets']}" if e["targets"] else ""
                where = f" ({e['jurisdiction']})" if e["jurisdiction"] else ""
                lines.append(f"* {e['when']} · {e['label'] or e['type']}{who}{what}{where}")
                lines.append(f"  {e['permalink']}")
                if e["title"]:
                    lines.append(f"  Source: {e['title']}" + (f", {e['publisher']}" if e["publisher"] else "")
                                 + f" <{e['url']}>")
            lines.append("")
        if not self.total:
            lines += ["Nothing new.", ""]
        lines.append(f"Subscribe instead: {self.feed}")
        return "\n".join(lines) + "\n"

    def html(self) -> str:
        return HTML.render(title=self.title, intro=self.intro, feed=self.feed, total=self.total,
                           sections=[("New events", self.new), ("Events with a new source", self.updated)])


def _matching_events(conn: sqlite3.Connection, search: str, show_all: bool) -> set[str] | None:
    """The events the search finds, through the timeline's queries (None: no search, every event)."""
    if not search.strip():
        return None
    filters = pages.clean_filters({"q": search})
    view, _, _ = pages.confident_view(conn, filters, show_all, count_hidden=False)
    found: set[str] = set()
    position = None
    while True:
        rows, position = pages.export_rows(conn, view, position)
        for row in rows:
            if row.get("event_id"):
                found.add(row["event_id"])
            elif row.get("action_id"):
                hit = conn.execute("SELECT event_id FROM event_mentions WHERE action_id = ?",
                                   (row["action_id"],)).fetchone()
                if hit:
                    found.add(hit[0])
        if position is None:
            return found


def digest(conn: sqlite3.Connection, since: str, search: str = "", base_url: str = "http://127.0.0.1:8001",
           show_all: bool = False) -> Digest:
    """Events first published on or after ``since`` (new), or given a new source since (updated)."""
    if not pages.valid_date(since):
        raise ValueError(f"“{since}” is not a date: --since takes {pages.DATE_FORMS}.")
    problems = pages.date_problems({"q": search})
    if problems:
        raise ValueError(" ".join(problems))
    wanted = _matching_events(conn, search, show_all)
    base = base_url.rstrip("/")
    new, updated = [], []
    for (event_id,) in conn.execute("SELECT id FROM events WHERE updated >= ? ORDER BY date DESC, id", (since,)):
        if wanted is not None and event_id not in wanted:
            continue
        cursor = conn.execute(EVENT_SQL, (event_id,))
        event = dict(zip([c[0] for c in cursor.description], cursor.fetchone()))
        event["when"] = long_date(event["date"])
        event["permalink"] = f"{base}/events/{event_id}"
        (new if event["first_seen"] >= since else updated).append(event)
    topic = pages.topic(conn)
    about = f" matching “{search.strip()}”" if search.strip() else ""
    query = pages.query_string(pages.clean_filters({"q": search}), all="1" if show_all else None)
    return Digest(title=f"policy-tracker{': ' + topic['title'] if topic.get('title') else ''} — new since {since}",
                  intro=f"{len(new)} new event{'s' if len(new) != 1 else ''} and {len(updated)} with a new source "
                        f"since {long_date(since)}{about}.",
                  new=new, updated=updated, feed=f"{base}/timeline.atom" + (f"?{query}" if query else ""))


def write(result: Digest, out: Path) -> tuple[Path, Path]:
    """<out>.txt and <out>.html."""
    out.parent.mkdir(parents=True, exist_ok=True)
    text, html = out.with_suffix(".txt"), out.with_suffix(".html")
    text.write_text(result.text(), encoding="utf-8")
    html.write_text(result.html(), encoding="utf-8")
    return text, html
