"""The timeline as an Atom 1.0 feed, built with ElementTree (every value escaped).

Entries carry text content only (the evidence sentence and its source), never
crawled HTML, so a feed reader has nothing to sanitise. Characters XML 1.0 forbids (C0
controls, lone surrogates, U+FFFE/FFFF) are dropped from every value: one of them in a
crawled headline or in ``?q=`` would otherwise make the feed unreadable for everyone (#18).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("", ATOM)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """The value without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", value)


def _el(parent, tag, text=None, **attrs):
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = xml_text(text)
    return el


def _stamp(value: str | None, fallback: str) -> str:
    if not value:
        return fallback
    if len(value) == 4:
        value += "-01"
    if len(value) == 7:
        value += "-01"
    return value[:10] + "T00:00:00Z" if len(value) <= 10 else value


def timeline_feed(rows: list[dict], self_url: str, alternate_url: str, title: str, build_id: str = "") -> bytes:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    feed = ET.Element(f"{{{ATOM}}}feed")
    _el(feed, "id", f"tag:policy-tracker,2024:{self_url.split('://', 1)[-1]}")
    _el(feed, "title", title)
    _el(feed, "updated", _stamp(rows[0]["date"], now) if rows else now)
    _el(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    _el(feed, "link", rel="alternate", href=alternate_url, type="text/html")
    author = _el(feed, "author")
    _el(author, "name", "policy-tracker")
    _el(feed, "generator", f"policy-tracker {build_id}".strip())
    for row in rows:
        entry = _el(feed, "entry")
        _el(entry, "id", f"tag:policy-tracker,2024:action/{row['action_id']}")
        vendors = ", ".join(v["name"] for v in row.get("vendor_list", [])) or "—"
        _el(entry, "title", f"{row['action']}: {row['actor'] or 'unknown actor'} — {vendors}")
        _el(entry, "updated", _stamp(row["date"], now))
        _el(entry, "link", rel="alternate", href=row["url"])
        _el(entry, "category", term=row["type"], label=row["action"])
        _el(entry, "summary", row["evidence"], type="text")
        _el(entry, "content", f"{row['evidence']}\n\nSource: {row['title']} ({row['kind']}, {row['source']})\n{row['url']}",
            type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
