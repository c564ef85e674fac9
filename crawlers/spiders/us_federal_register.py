"""US Federal Register documents: search by each configured term, follow
next_page_url to the end; agencies, type, date, abstract, number, links."""

from __future__ import annotations

from .base import PolicySpider, parses_json

PATH = "/api/v1/documents.json"
FIELDS = ["abstract", "agency_names", "citation", "document_number", "html_url", "pdf_url",
          "publication_date", "title", "type"]
MAX_PAGES = 200


class UsFederalRegisterSpider(PolicySpider):
    name = "us_federal_register"

    def start_requests(self):
        for search in self.searches():
            search = dict(search)
            params = {"conditions[term]": search.pop("term"), "fields[]": FIELDS,
                      "order": "oldest", "page": 1, "per_page": 20, **search}
            yield self.api_request(PATH, params, callback=self.parse, cb_kwargs={"page_number": 1})

    @parses_json
    def parse(self, response, page, page_number):
        results = page.get("results") or []
        yield from self.each_record(response, results, lambda d: self._document(d, response))
        following = page.get("next_page_url")
        if following and results and page_number < MAX_PAGES:
            yield response.follow(following, callback=self.parse, errback=self.on_error,
                                  cb_kwargs={"page_number": page_number + 1})

    def _document(self, d: dict, response):
        agencies = [a for a in d.get("agency_names") or [] if isinstance(a, str)]
        return self.document(
            d["document_number"], response=response,
            url=d.get("html_url") or f"https://www.federalregister.gov/d/{d['document_number']}",
            title=d["title"], text=d.get("abstract") or "",
            summary=d.get("abstract") or None,
            published=self.date(d.get("publication_date"), "publication_date", response.url),
            published_raw=d.get("publication_date"),
            department=agencies[0] if agencies else None, organisations=agencies,
            extra={"type": d.get("type"), "citation": d.get("citation"), "pdf_url": d.get("pdf_url")},
        )
