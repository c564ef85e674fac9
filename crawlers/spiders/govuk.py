"""GOV.UK: the Search API (paged, newest first), the Content API for each
result's body and organisations, and the configured GOV.UK Atom feeds.

A result whose content item cannot be fetched (404, 410, a cut-off body) is
still kept, from what the search result or feed entry says. A guide or travel
advice keeps its text in ``details.parts[]`` (one body per part), other schemas
in ``details.body``. Incremental runs filter on ``public_timestamp`` with the
search API's own date syntax (``from:YYYY-MM-DD``); paging stops at MAX_PAGES,
logged and counted as a limit.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..html import strip_tags, to_text
from .base import PolicySpider, parses_json

SEARCH = "/api/search.json"
MAX_PAGES = 200


class GovukSpider(PolicySpider):
    name = "govuk"

    def start_requests(self):
        for search in self.searches():
            params = {"order": "-public_timestamp", "start": 0, "count": 20, **search}
            yield self.api_request(SEARCH, params, callback=self.parse, cb_kwargs={"params": params})
        for feed in self.source.get("feeds", []):
            yield self.api_request("", callback=self.parse_feed).replace(url=feed)

    @parses_json
    def parse(self, response, page, params):
        """A search page: a content request per result (the result kept as its fallback), the next page.

        @url https://www.gov.uk/api/search.json?q=tax&suggest=autocomplete&count=1
        @cb_kwargs {"params": {"q": "tax", "suggest": "autocomplete", "count": 1, "start": 0}}
        @returns items 0 0
        @returns requests 2 2
        """
        results = page.get("results") or []
        yield from self.each_record(response, results,
                                    lambda r: self._content_request(_path(r["link"]), self._from_search(r, response)))
        start, count, total = int(params["start"]), int(params["count"]), page.get("total")
        if not results or (isinstance(total, int) and start + count >= total):
            return
        max_pages = int(self.source.get("max_pages", MAX_PAGES))
        if start // count + 1 >= max_pages:
            left = total - start - count if isinstance(total, int) else "more"
            self.hit_limit("paging_cap", response.url,
                           f"stopped after {max_pages} pages of {count}; {left} results not fetched")
            return
        following = dict(params, start=start + count)
        yield self.api_request(SEARCH, following, callback=self.parse, cb_kwargs={"params": following})

    def parse_feed(self, response):
        feed = self.read_feed(response)
        if feed is None:
            return
        yield from self.each_record(response, list(feed.entries), lambda e: self._from_feed_entry(e, response))

    def _from_feed_entry(self, entry, response):
        path = urlsplit(entry.get("link") or "").path
        if not path.startswith("/"):
            return None
        return self._content_request(path, self._from_entry(entry, path, response))

    def _content_request(self, path: str, fallback):
        return self.api_request(f"/api/content{path}", callback=self.parse_content,
                                meta={"fallback": fallback})

    @parses_json
    def parse_content(self, response, item):
        """A content item: its body (every part of a guide), organisations and dates.

        @url https://www.gov.uk/api/content/national-curriculum
        @returns items 1 1
        @returns requests 0 0
        @scrapes id title text html department published
        """
        yield from self.each_record(response, [item], lambda c: self._from_content(c, response))

    def _from_content(self, c: dict, response):
        path = c["base_path"]
        orgs = [o["title"] for o in (c.get("links") or {}).get("organisations", []) if o.get("title")]
        body = _body_html(c.get("details") or {})
        when = c.get("first_published_at") or c.get("public_updated_at")
        return self.document(
            path, response=response, url=f"https://www.gov.uk{path}",
            title=c.get("title") or path, text=to_text(body) or (c.get("description") or ""),
            html=body or None, summary=c.get("description") or None,
            published=self.date(when, "first_published_at", response.url), published_raw=when,
            department=orgs[0] if orgs else None, organisations=orgs,
            extra={"document_type": c.get("document_type"), "schema_name": c.get("schema_name"),
                   "public_updated_at": c.get("public_updated_at"), "content_id": c.get("content_id"),
                   "parent": [p.get("base_path") for p in (c.get("links") or {}).get("parent", [])]},
        )

    def _from_search(self, r: dict, response):
        orgs = [o["title"] for o in _list(r.get("organisations")) if isinstance(o, dict) and o.get("title")]
        link = _path(r["link"])
        return self.document(
            link, response=response, url=f"https://www.gov.uk{link}",
            title=r.get("title") or link, text=r.get("description") or "",
            summary=r.get("description") or None,
            published=self.date(r.get("public_timestamp"), "public_timestamp", response.url),
            published_raw=r.get("public_timestamp"),
            department=orgs[0] if orgs else None, organisations=orgs,
            extra={"document_type": r.get("content_store_document_type") or r.get("format"),
                   "display_type": r.get("display_type"), "from": "search"},
        )

    def _from_entry(self, entry, path: str, response):
        summary = strip_tags(entry.get("summary")) or None
        return self.document(
            path, response=response, url=f"https://www.gov.uk{path}",
            title=strip_tags(entry.get("title")) or path, text=summary or "",
            summary=summary,
            published=self.date(entry.get("updated"), "updated", response.url),
            published_raw=entry.get("updated"),
            extra={"from": "atom"},
        )


def _body_html(details: dict) -> str:
    """The HTML of a content item: ``details.body``, or each of ``details.parts[]`` under its title
    (guides, travel advice). A body may be a string or [{content_type, content}] (multi-type)."""
    parts = [p for p in _list(details.get("parts")) if isinstance(p, dict)]
    if parts:
        return "".join(f"<h2>{_escape(p.get('title') or '')}</h2>{_html_of(p.get('body'))}" for p in parts)
    return _html_of(details.get("body"))


def _html_of(body) -> str:
    if isinstance(body, list):
        return next((b.get("content") or "" for b in body
                     if isinstance(b, dict) and b.get("content_type") == "text/html"), "")
    return body if isinstance(body, str) else ""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _path(link) -> str:
    """A GOV.UK path ('/government/...'); anything else is a drifted record."""
    if not isinstance(link, str) or not link.startswith("/"):
        raise ValueError(f"not a GOV.UK path: {link!r}")
    return link


def _list(value) -> list:
    return value if isinstance(value, list) else []
