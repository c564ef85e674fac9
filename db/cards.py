"""The timeline's event cards and the Atom feed's entries as markup, written in Python (issue 19).

The same markup the Jinja macros gave (tracker/_events.html's ``event_list`` and the ``card_facts`` macro
it imported, the entries of tracker/timeline.atom), every value escaped the same way. A card lists up to
thirty sentences with their sources, and a page shows 25 cards (the feed 100 entries): in Datasette's
async template environment, where every attribute read and filter is awaited, that rendering was most of
a timeline page's time and three quarters of the feed's (profiles in BENCHMARKS.md); as plain Python
it is several times faster, as the chart (db/chart.py) was. Templates call ``event_list`` and
``atom_entries`` (template globals registered by site/plugins/pages.py).
"""

from __future__ import annotations

from urllib.parse import quote

from markupsafe import Markup

from .docview import tidy_quotes


def escape(value) -> str:
    """markupsafe's escape, as a plain string: the same five characters, for tens of thousands of values per
    page (Markup objects, as a search snippet's highlighting, pass as they are)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    text = value if isinstance(value, str) else str(value)
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;")
            .replace('"', "&#34;"))


def _unique(values) -> list:
    """Jinja's ``unique`` filter: first occurrences, compared without case."""
    seen, out = set(), []
    for value in values:
        key = value.lower() if isinstance(value, str) else value
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


def _kind(value) -> Markup:
    return escape(str(value).replace("_", " ") if value is not None else "None")


def card_facts(facts: dict | None) -> str:
    """What a card says of its document beyond its title (#17): number, asker, answering minister and
    department, who made a statement or spoke, and a link to the document's own page."""
    if not facts:
        return ""
    e = escape
    out = ['\n<p class="card-facts">']
    if facts.get("number"):
        out.append(f'<span class="number">{e(facts["number"])}</span> · ')
    people = facts.get("people") or {}
    department = facts.get("department")

    def link(p: dict) -> str:
        return f'<a href="/people/{e(p["slug"])}">{e(p["name"])}</a>'

    if facts.get("kind") == "written_question":
        asked = people.get("asked") or []
        if asked:
            out.append("Asked by " + ", ".join(link(p) for p in asked))
        else:
            out.append('<span class="not-given">Asker not given by the source</span>')
        out.append(" · ")
    answered = people.get("answered") or []
    if answered:
        out.append("Answered by " + ", ".join(link(p) for p in answered))
        if department:
            out.append(f' for the <span class="department">{e(department)}</span>')
        out.append(" · ")
    elif facts.get("kind") == "written_question" and department:
        out.append(f'Answered for the <span class="department">{e(department)}</span> · ')
    statement = people.get("statement") or []
    for index, p in enumerate(statement):
        out.append(("Made by " if index == 0 else "") + link(p) + (f" ({e(p['office'])})" if p.get("office") else "")
                   + (", " if index < len(statement) - 1 else "") + " · ")
    spoke = people.get("spoke") or []
    for index, p in enumerate(spoke):
        out.append(("Speech by " if index == 0 else "") + link(p) + (", " if index < len(spoke) - 1 else "") + " · ")
    out.append(f'\n<a class="document-link" href="/documents/{e(quote(str(facts["document_id"]), safe="/"))}">'
               "Document page</a></p>\n")
    return "".join(out)


def _card(row: dict, highlight) -> str:
    e = escape
    out = [f'\n  <li class="event" id="event-{e(row.get("event_id"))}" data-status="{e(row.get("status"))}">\n'
           f'    <p class="event-head">\n      <time datetime="{e(row.get("date") or "")}">'
           f'{e(row.get("date") or "undated")}</time>\n'
           f'      <span class="badge type-{e(row.get("type"))}">{e(row.get("action"))}</span>\n      ']
    actor = row.get("actor")
    if actor:
        if row.get("actor_slug"):
            out.append(f'<a class="actor" href="/organisations/{e(row["actor_slug"])}">{e(actor)}</a>')
        else:
            out.append(f'<span class="actor">{e(actor)}</span>')
    else:
        out.append('<span class="actor unknown">unknown actor</span>')
    out.append("\n      ")
    vendors = row.get("vendor_list")
    if vendors:
        links = [f'<a href="/vendors/{e(v["slug"])}">{e(v["name"])}</a>' if v.get("slug") else
                 f'<span class="class-target">{e(v["name"])}</span>' for v in vendors]
        out.append(f'<span class="vendors">→ {", ".join(links)}</span>')
    out.append("\n      ")
    if row.get("jurisdiction"):
        out.append(f'<span class="jurisdiction">{e(row["jurisdiction"])}</span>')
    out.append("\n    </p>\n    ")
    if row.get("status") == "unplaced":
        out.append('<p class="notice unplaced-note">A single mention that could not be placed (no actor or no date '
                   "in its source): not merged with others.</p>")
    out.append("\n    ")
    if row.get("context_list"):
        out.append('<p class="context">About: ' + ", ".join(
            f'<a href="/vendors/{e(v["slug"])}">{e(v["name"])}</a>' for v in row["context_list"]) + "</p>")
    out.append("\n    ")
    if row.get("announced_by"):
        out.append(f'<p class="announced">Announced by {e("; ".join(map(str, row["announced_by"])))}</p>')
    out.append("\n    ")
    if row.get("snippet"):
        out.append(f'<p class="snippet">{e(highlight(row["snippet"]))}</p>')
    out.append('\n    <p class="source">')
    if row.get("url"):
        role = "Primary source" if row.get("primary_basis") == "record" else "First reported in"
        out.append(f'<span class="role">{role}:</span>\n      <a href="{e(row["url"])}" rel="noopener noreferrer '
                   f'nofollow">{e(row.get("title"))}</a>\n      ')
        if row.get("outlet"):
            out.append(f'<span class="outlet">{e(row["outlet"])}</span>')
        out.append(f'\n      <span class="kind">{_kind(row.get("kind"))}</span>')
        if row.get("document_jurisdiction"):  # the source's own (a news outlet's country), not the event's
            out.append(f" · {e(row['document_jurisdiction'])}")
    out.append("</p>\n    ")
    out.append(card_facts(row.get("facts")))
    sources, documents = row.get("sources"), row.get("documents")
    out.append(f'\n    <details class="evidence-list"><summary>Reported in <span class="n-sources">{e(sources)}</span> '
               f'source{"s" if sources != 1 else ""} ({e(documents)} document{"s" if documents != 1 else ""})')
    if row.get("disagreements"):
        fields = _unique(d.get("field") if isinstance(d, dict) else None for d in row["disagreements"])
        out.append(f"; the sources disagree on {e(', '.join(map(str, fields)))}")
    out.append("</summary>\n      <ol>")
    evidence = row.get("evidence") or []
    for s in evidence:
        published = s.get("published")
        out.append(f'<li class="mention role-{e(s.get("role"))}"><blockquote class="evidence">'
                   f'{e(tidy_quotes(s.get("evidence")))}</blockquote>\n        <p class="mention-source">'
                   f'<span class="role">{e(str(s.get("role")).capitalize())}</span> · <a href="{e(s.get("url"))}" '
                   f'rel="noopener noreferrer nofollow">{e(s.get("title"))}</a>'
                   + (f" · {e(s['outlet'])}" if s.get("outlet") else "")
                   + f" · {_kind(s.get('kind'))}" + (f" · {e(published[:10])}" if published else "") + "</p></li>")
    out.append("</ol>\n      ")
    if row.get("more_evidence") or (documents is not None and len(evidence) < documents):
        out.append('<p class="more">More on the event\'s page.</p>')
    out.append(f'\n    </details>\n    <p class="permalink"><a href="/events/{e(row.get("event_id"))}">The event: every '
               "source, and a line to cite it</a></p>\n  </li>")
    return "".join(out)


def event_list(rows: list[dict], labels: dict | None = None, highlight=Markup.escape) -> Markup:
    """One card per event (issue 15): the act once, its primary source, "reported in N sources", and every
    sentence that reports it behind a disclosure."""
    cards = [_card(row, highlight) for row in rows or ()]
    if not cards:
        cards = ['\n  <li class="empty">No events match.</li>']
    return Markup('\n<ol class="events">' + "".join(cards) + "\n</ol>\n")


def atom_entries(rows: list[dict], event_base: str) -> Markup:
    """The feed's entries, one per event: `published` is when the tracker first saw the event, `updated` when a
    source last attached to it; text only (its first sentences with their sources, and where the rest are),
    every value escaped."""
    e = escape
    out = []
    for row in rows:
        names = ", ".join(str(v["name"]) for v in row.get("vendor_list") or ())
        sources = row.get("sources")
        actor = row.get("actor")
        content = "".join(f"{e(tidy_quotes(s.get('evidence')))}\n  ({e(s.get('role'))}: {e(s.get('title'))}, "
                          f"{e(s.get('kind'))}) {e(s.get('url'))}\n" for s in row.get("evidence") or ())
        if row.get("more_evidence"):  # an entry carries the first few sentences (query.FEED_EVIDENCE_CAP)
            content += f"More sentences on the event's page: {e(event_base)}/{e(row.get('event_id'))}\n"
        out.append(
            f"\n<entry>\n<id>tag:policy-tracker,2024:event/{e(row.get('event_id'))}</id>\n"
            f"<title>{e(row.get('action'))}: {e(actor or 'unknown actor')} — {e(names or '—')}"
            + (f" ({e(row['date'])})" if row.get("date") else "") + "</title>\n"
            f"<published>{e(row.get('first_seen'))}</published>\n<updated>{e(row.get('updated'))}</updated>\n"
            f'<link rel="alternate" href="{e(row.get("url"))}"/>\n'
            f'<link rel="related" href="{e(event_base)}/{e(row.get("event_id"))}"/>\n'
            f'<category term="{e(row.get("type"))}" label="{e(row.get("action"))}"/>\n'
            f'<summary type="text">{e(row.get("action"))} by {e(actor or "an unknown actor")}, '
            f'{e(row.get("date") or "undated")}; reported in {e(sources)} source{"s" if sources != 1 else ""}.</summary>\n'
            f'<content type="text">{content}\nPrimary source: {e(row.get("title"))} ({e(row.get("kind"))}, '
            f'{e(row.get("source"))})\n{e(row.get("url"))}</content>\n</entry>')
    return Markup("".join(out))
