"""US Federal Register documents: search by each configured term, newest first, follow
next_page_url; agencies, type, date, abstract, number, links; the full text of documents
that pass a cheap topic test.

The API serves pages 1 to 50 of a search and no further (federalregister-api-core
ApplicationSearch caps page and total_pages at 50), so a search with more matches than
50 pages hold is split by publication date, halves of the range, until each part fits;
a single day that still does not fit is paged to the end of the window and the rest is
counted as a limit. Newest first, so a cut never loses the latest documents.

An abstract often names no company (an Entity List rule lists its entities only in the
body), so a document whose title, abstract or search excerpts name a topic term, or one
of the source's ``full_text_terms``, is fetched again from its ``body_html_url``; if that
fails, the abstract is kept and the document says so (``extra.text_form``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..html import strip_tags, to_text
from .base import PolicySpider, parses_json

PATH = "/api/v1/documents.json"
FIELDS = ["abstract", "agency_names", "body_html_url", "citation", "document_number", "html_url",
          "pdf_url", "publication_date", "title", "type"]
PAGE_WINDOW = 50  # pages the API will serve for one search
FIRST_DAY = date(1994, 1, 1)  # FederalRegister.gov coverage starts with 1994
GTE, LTE = "conditions[publication_date][gte]", "conditions[publication_date][lte]"
# The full-text renderer follows each footnote with a link back to its citation (federalregister-web,
# spec/xslt/full_text/footnotes_spec.rb): navigation, not the document's words.
BACK_LINK = re.compile(r"<a\b[^>]*\bclass=\"back\"[^>]*>.*?</a>", re.S | re.I)


class UsFederalRegisterSpider(PolicySpider):
    name = "us_federal_register"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        terms = [s["term"] for s in self.source.get("searches", []) if s.get("term")]
        terms += self.source.get("full_text_terms", [])
        self.full_text_pattern = (re.compile("|".join(rf"\b{re.escape(t)}\b" for t in terms), re.I)
                                  if terms else None)

    def start_requests(self):
        for search in self.searches():
            search = dict(search)
            params = {"conditions[term]": search.pop("term"), "fields[]": FIELDS,
                      "order": "newest", "page": 1, "per_page": 20, **search}
            yield self._search(params)

    def _search(self, params: dict):
        return self.api_request(PATH, params, callback=self.parse, cb_kwargs={"params": params})

    @parses_json
    def parse(self, response, page, params):
        """A search page: its documents (or a full-text request each), the next page, or two halves.

        @url https://www.federalregister.gov/api/v1/documents.json?conditions%5Bterm%5D=2%2C4-dichlorophenoxyacetic&fields%5B%5D=abstract&fields%5B%5D=agency_names&fields%5B%5D=body_html_url&fields%5B%5D=citation&fields%5B%5D=document_number&fields%5B%5D=html_url&fields%5B%5D=pdf_url&fields%5B%5D=publication_date&fields%5B%5D=title&fields%5B%5D=type&order=newest&page=1&per_page=20
        @cb_kwargs {"params": {"page": 1, "per_page": 20}}
        @returns items 1 1
        @returns requests 0 0
        @scrapes id title text department published
        """
        results = page.get("results") or []
        number, per_page = int(params.get("page", 1)), int(params["per_page"])
        count = page.get("count") if isinstance(page.get("count"), int) else 0
        if number == 1 and count > PAGE_WINDOW * per_page:
            halves = self._split(params, results)
            if halves:
                yield from (self._search(h) for h in halves)
                return
            self.hit_limit("result_window", response.url,
                           f"{count} matches on one day; the API serves {PAGE_WINDOW * per_page}, "
                           f"{count - PAGE_WINDOW * per_page} not fetched")
        yield from self.each_record(response, results, lambda d: self._document_or_full_text(d, response))
        following = page.get("next_page_url")
        if following and results:
            request = self.follow_api_url(response, following, "next_page_url", callback=self.parse,
                                          cb_kwargs={"params": dict(params, page=number + 1)})
            if request is not None:
                yield request

    def _split(self, params: dict, results: list) -> list[dict]:
        """Two searches covering the halves of this one's date range; none if it is a single day."""
        newest = next((r.get("publication_date") for r in results if isinstance(r, dict)), None)
        low = date.fromisoformat(str(params.get(GTE) or FIRST_DAY.isoformat())[:10])
        high = date.fromisoformat(str(params.get(LTE) or newest or date.today().isoformat())[:10])
        if high <= low:
            return []
        middle = low + (high - low) // 2
        first = dict(params, page=1, **{GTE: low.isoformat(), LTE: middle.isoformat()})
        second = dict(params, page=1, **{GTE: (middle + timedelta(days=1)).isoformat(), LTE: high.isoformat()})
        return [second, first]  # newest half first

    def _document_or_full_text(self, d: dict, response):
        document = self._document(d, response)
        if not self._wants_full_text(d):
            return document
        document.extra["text_form"] = "abstract"  # until the full text arrives
        request = self.follow_api_url(response, d.get("body_html_url"), "body_html_url",
                                      callback=self.parse_full_text, meta={"fallback": document},
                                      cb_kwargs={"record": d})
        return request or document

    def _wants_full_text(self, d: dict) -> bool:
        """The cheap topic test: a search term or a full_text_term in the title or the abstract."""
        if self.full_text_pattern is None or not d.get("body_html_url"):
            return False
        seen = strip_tags(f"{d.get('title') or ''} {d.get('abstract') or ''}")
        return bool(self.full_text_pattern.search(seen))

    def parse_full_text(self, response, record):
        body = BACK_LINK.sub("", response.text) if response.body.strip() else ""
        text = to_text(body)
        if not text:
            self.record_failure(response.url, response.status, "empty full text")
            yield response.meta["fallback"]
            return
        document = self._document(record, response, text=text, html=body)
        document.extra["text_form"] = "full_text"
        yield document

    def _document(self, d: dict, response, text: str | None = None, html: str | None = None):
        agencies = [a for a in d.get("agency_names") or [] if isinstance(a, str)]
        return self.document(
            d["document_number"], response=response,
            url=d.get("html_url") or f"https://www.federalregister.gov/d/{d['document_number']}",
            title=d["title"], text=text or d.get("abstract") or "", html=html,
            summary=d.get("abstract") or None,
            published=self.date(d.get("publication_date"), "publication_date", response.url),
            published_raw=d.get("publication_date"),
            department=agencies[0] if agencies else None, organisations=agencies,
            extra={"type": d.get("type"), "citation": d.get("citation"), "pdf_url": d.get("pdf_url")},
        )
