"""RSS and Atom through feedparser, on bytes Scrapy fetched (never a URL).

Outcome of one feed, judged by its entries rather than by ``bozo``:

- ``ok``: well-formed, entries kept (a real feed may have none);
- ``ok_with_bozo``: not well-formed but entries recovered: kept, with a warning;
- ``failed``: an empty body, a body that is no feed at all (an HTML error page
  labelled RSS), or no entries and a parse error: logged with the URL and the
  reason, counted, nothing kept.

Hostile feeds are bounded by size and work, never by the clock (a deadline drops
a good 10,000-item feed on a busy machine, #16): the body is capped by Scrapy's
DOWNLOAD_MAXSIZE, and the text of the person fields (author, creator,
managingEditor...), where feedparser's e-mail pattern takes time quadratic in
the length, is cut to MAX_PERSON_FIELD characters before parsing. No real byline
is that long; each cut is counted in ``ParsedFeed.cut_fields``.

feedparser's own sanitiser is not relied on: every HTML field is cleaned by
nh3 later (crawlers.html). Raw date strings are kept beside parsed ones.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser

logger = logging.getLogger(__name__)

MAX_PERSON_FIELD = 1024  # characters of an author-like element kept before parsing
PERSON_TAGS = rb"author|creator|contributor|managingEditor|webMaster|publisher|name|email"
# the start tag (any prefix), an optional CDATA opening, the text kept, the rest of the run of text
_LONG_PERSON_FIELD = re.compile(
    rb"(<(?:[\w.-]+:)?(?:" + PERSON_TAGS + rb")(?:\s[^<>]*)?>(?:<!\[CDATA\[)?)([^<\]]{%d})[^<\]]+"
    % MAX_PERSON_FIELD)
TRACKING_PREFIXES = ("utm_", "ns_", "at_", "ito", "oc", "cmpid", "ocid", "fbclid", "gclid")


@dataclass
class ParsedFeed:
    url: str
    outcome: str
    title: str | None = None
    entries: list = field(default_factory=list)
    error: str | None = None
    cut_fields: int = 0


def bound_person_fields(body: bytes) -> tuple[bytes, int]:
    """The body with every overlong author-like text cut to MAX_PERSON_FIELD; how many were cut."""
    return _LONG_PERSON_FIELD.subn(rb"\1\2", body)


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    if not body.strip():
        logger.warning("feed %s: empty body", url)
        return ParsedFeed(url, "failed", None, [], "empty body")
    body, cut = bound_person_fields(body)
    if cut:
        logger.warning("feed %s: %d author field(s) over %d characters cut before parsing", url, cut,
                       MAX_PERSON_FIELD)
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    entries = list(parsed.entries)
    title = parsed.feed.get("title") if parsed.get("feed") else None
    error = None
    if parsed.bozo and not (isinstance(parsed.get("bozo_exception"), feedparser.NonXMLContentType)
                            and parsed.get("version")):  # a real feed served as text/html is still a feed
        exc = parsed.get("bozo_exception")
        error = f"{type(exc).__name__}: {exc}"[:300]
    elif not parsed.get("version") and not entries:
        error = f"not a feed: no RSS or Atom root element (Content-Type {content_type or 'unknown'})"
    if error and not entries:
        logger.warning("feed %s failed: %s", url, error)
        return ParsedFeed(url, "failed", title, [], error, cut)
    if error:
        logger.warning("feed %s is not well-formed (%s); kept %d entries", url, error, len(entries))
        return ParsedFeed(url, "ok_with_bozo", title, entries, error, cut)
    return ParsedFeed(url, "ok", title, entries, None, cut)


def canonical_link(link: str) -> str:
    """The article URL without tracking parameters or fragment, for de-duplication."""
    parts = urlsplit(link.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(TRACKING_PREFIXES)]
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, urlencode(query), ""))
