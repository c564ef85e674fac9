"""UK Parliament written ministerial statements.

Search by each configured term (optionally in a date window), page with
skip/take, then fetch each statement by its date and UIN for the full text: the
list endpoint cuts ``text`` at 255 characters and adds "...". When the detail
call fails, the list record is kept, marked ``extra.truncated`` (and the failure
recorded, so the next run asks again). The document id is the API's numeric id:
a UIN (HCWS386) repeats every session and is a key only with its date.
"""

from __future__ import annotations

from ..html import to_text
from .base import PolicySpider, parses_json
from .parliament import SkipTakePaging, member, public_search_url, public_url

PATH = "/api/writtenstatements/statements"


class UkWrittenStatementsSpider(SkipTakePaging, PolicySpider):
    name = "uk_written_statements"

    def start_requests(self):
        for search in self.searches():
            params = {"expandMember": "true", "skip": 0, **search}
            yield self.api_request(PATH, params, callback=self.parse, cb_kwargs={"params": params})

    @parses_json
    def parse(self, response, page, params):
        yield from self.each_record(response, page.get("results"), lambda r: self._detail_request(r["value"], response))
        following = self.next_page(response, page, params, PATH, self.parse)
        if following:
            yield following

    def _detail_request(self, value: dict, response):
        """The detail call for the full text, keeping the list record in case it fails."""
        summary = self._document(value, response, truncated=True)
        day, uin = str(value.get("dateMade") or "")[:10], value.get("uin")
        if day and isinstance(uin, str) and uin:
            return self.api_request(f"{PATH}/{day}/{uin}", {"expandMember": "true"},
                                    callback=self.parse_statement, meta={"fallback": summary})
        return summary

    @parses_json
    def parse_statement(self, response, record):
        yield from self.each_record(response, [record.get("value", record)],
                                    lambda v: self._document(v, response))

    def _document(self, s: dict, response, truncated: bool = False):
        made = s.get("dateMade")
        person = member(s.get("member"), "making")
        if person and s.get("memberRole"):
            person["office"] = s["memberRole"]
        return self.document(
            int(s["id"]), response=response,
            url=public_url("written-statements", made, s.get("uin"))
            or public_search_url("written-statements", s.get("title") or to_text(s.get("text")), made,
                                 s.get("house")),
            title=s.get("title") or f"Written statement {s.get('uin')}",
            text=to_text(s.get("text")),
            html=s.get("text") or None,
            published=self.date(made, "dateMade", response.url),
            published_raw=made,
            department=s.get("answeringBodyName"),
            organisations=[s["answeringBodyName"]] if s.get("answeringBodyName") else [],
            people=[person] if person else [],
            extra={"uin": s.get("uin"), "house": s.get("house"), "member_role": s.get("memberRole"),
                   "notice_number": s.get("noticeNumber"),
                   "linked_statements": s.get("linkedStatements") or [],
                   "attachments": s.get("attachments") or [], "truncated": truncated},
        )
