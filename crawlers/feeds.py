"""RSS and Atom through feedparser, on bytes Scrapy fetched (never a URL).

Outcome of one feed, judged by its entries rather than by ``bozo``:

- ``ok``: well-formed, entries kept;
- ``ok_with_bozo``: not well-formed but entries recovered: kept, with a warning;
- ``failed``: no entries and a parse error, or parsing ran past PARSE_TIMEOUT
  (a pathological field): logged with the URL and the exception class,
  counted, nothing kept.

feedparser's own sanitiser is not relied on: every HTML field is cleaned by
nh3 later (crawlers.html). Raw date strings are kept beside parsed ones.
"""

from __future__ import annotations

import logging
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser

logger = logging.getLogger(__name__)

PARSE_TIMEOUT = 2.0  # seconds per feed
TRACKING_PREFIXES = ("utm_", "ns_", "at_", "ito", "oc", "cmpid", "ocid", "fbclid", "gclid")


@dataclass
class ParsedFeed:
    url: str
    outcome: str
    title: str | None = None
    entries: list = field(default_factory=list)
    error: str | None = None


class FeedTimeout(Exception):
    """feedparser ran past the per-feed bound (some fields trigger slow regular expressions)."""


@contextmanager
def _deadline(seconds: float):
    """Interrupt the block after `seconds` (main thread only; Scrapy callbacks run there)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise FeedTimeout(f"parsing took more than {seconds:g}s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def parse_feed(body: bytes, url: str, content_type: str | None = None, timeout: float = PARSE_TIMEOUT) -> ParsedFeed:
    headers = {"content-type": content_type} if content_type else {}
    try:
        with _deadline(timeout):
            parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False,
                                      resolve_relative_uris=False)
    except FeedTimeout as exc:
        logger.warning("feed %s: %s; skipped", url, exc)
        return ParsedFeed(url, "failed", None, [], f"FeedTimeout: {exc}")
    entries = list(parsed.entries)
    error = None
    if parsed.bozo:
        exc = parsed.get("bozo_exception")
        error = f"{type(exc).__name__}: {exc}"[:300]
    title = parsed.feed.get("title") if parsed.get("feed") else None
    if parsed.bozo and not entries:
        logger.warning("malformed feed %s: %s", url, error)
        return ParsedFeed(url, "failed", title, [], error)
    if parsed.bozo:
        logger.warning("feed %s is not well-formed (%s); kept %d entries", url, error, len(entries))
        return ParsedFeed(url, "ok_with_bozo", title, entries, error)
    return ParsedFeed(url, "ok", title, entries)


def canonical_link(link: str) -> str:
    """The article URL without tracking parameters or fragment, for de-duplication."""
    parts = urlsplit(link.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(TRACKING_PREFIXES)]
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, urlencode(query), ""))
