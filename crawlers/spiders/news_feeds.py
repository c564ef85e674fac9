"""News feeds: Google News searches and publisher RSS, from sources.yml.

Scrapy fetches, feedparser parses the bytes. Kept per story: headline, our
summary of the description, link (tracking parameters stripped), outlet and its
site, the outlet's country as the jurisdiction (crawlers/outlets.py), published
(and the raw date string). Whole articles are not fetched.

    scrapy crawl news_feeds -a feeds=https://example.org/rss,https://example.org/atom
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

import scrapy

from ..feeds import canonical_link
from ..html import strip_tags
from ..outlets import outlet_of
from .base import PolicySpider


class NewsFeedsSpider(PolicySpider):
    name = "news_feeds"

    def __init__(self, *args, feeds: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed_urls = [u.strip() for u in feeds.split(",") if u.strip()] if feeds \
            else list(self.source.get("feeds", []))
        self.allowed_domains = sorted(set(self.allowed_domains) | {urlsplit(u).hostname for u in self.feed_urls})

    def start_requests(self):
        for url in self.feed_urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.on_error)

    def parse(self, response):
        feed = self.read_feed(response)
        if feed is None:
            return
        yield from self.each_record(response, feed.entries, lambda e: self._document(e, response))

    def _document(self, entry, response):
        link = canonical_link(entry["link"])
        found = outlet_of(entry, response.url, link)
        outlet = found.name
        headline = strip_tags(entry.get("title"))
        if outlet and headline.endswith(f" - {outlet}"):
            headline = headline[: -len(outlet) - 3].rstrip()
        summary = strip_tags(entry.get("summary"))
        if summary.startswith(headline):  # Google News repeats the headline and outlet
            summary = ""
        raw_date = entry.get("published") or entry.get("updated")
        return self.document(
            hashlib.sha1(link.encode()).hexdigest()[:16], response=response,
            url=link, title=headline or link, text="\n\n".join(p for p in (headline, summary) if p),
            summary=summary or None, outlet=outlet, jurisdiction=found.country,
            published=self.date(raw_date, "pubDate", response.url), published_raw=raw_date,
            extra={"feed": response.url, "guid": entry.get("id"), "outlet_site": found.site},
        )
