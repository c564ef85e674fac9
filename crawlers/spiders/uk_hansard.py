"""Hansard spoken contributions: member, house, debate, sitting date, full text."""

from __future__ import annotations

from ..html import to_text
from .base import PolicySpider, parses_json

PATH = "/search/contributions/Spoken.json"
MAX_PAGES = 500


class UkHansardSpider(PolicySpider):
    name = "uk_hansard"

    def start_requests(self):
        for search in self.searches():
            params = {"skip": 0, "take": 20, "orderBy": "SittingDateDesc", **search}
            yield self._request(params)

    def _request(self, params: dict):
        query = {f"queryParameters.{k}": v for k, v in params.items()}
        return self.api_request(PATH, query, callback=self.parse, cb_kwargs={"params": params})

    @parses_json
    def parse(self, response, page, params):
        results = page.get("Results") or []
        yield from self.each_record(response, results, lambda c: self._document(c, response))
        skip, take, total = int(params["skip"]), int(params["take"]), page.get("TotalResultCount")
        if results and len(results) >= take and not (isinstance(total, int) and skip + take >= total) \
                and skip // take < MAX_PAGES:
            yield self._request(dict(params, skip=skip + take))

    def _document(self, c: dict, response):
        full = c.get("ContributionTextFull") or ""
        debate_ext = c.get("DebateSectionExtId")
        url = (f"https://hansard.parliament.uk/debates/{debate_ext}" if debate_ext
               else f"https://hansard.parliament.uk/search/contribution?contributionId={c['ContributionExtId']}")
        speaker = c.get("MemberName") or c.get("AttributedTo")
        return self.document(
            c.get("ContributionExtId") or c["ItemId"], response=response,
            url=url,
            title=f"{c.get('DebateSection') or 'Hansard'} — {speaker or 'unknown speaker'}",
            text=to_text(full) or (c.get("ContributionText") or ""),
            html=full or None,
            published=self.date(c.get("SittingDate"), "SittingDate", response.url),
            published_raw=c.get("SittingDate"),
            department=None,
            people=[{"name": speaker, "role": "speaker", "party": _party(c.get("AttributedTo")),
                     "constituency": None, "member_id": c.get("MemberId")}] if speaker else [],
            extra={"house": c.get("House"), "section": c.get("Section"),
                   "debate": c.get("DebateSection"), "debate_ext_id": debate_ext,
                   "attributed_to": c.get("AttributedTo"), "item_id": c.get("ItemId")},
        )


def _party(attributed: str | None) -> str | None:
    """'Kirsty Blackman (Aberdeen North) (SNP)' -> 'SNP'."""
    if attributed and attributed.rstrip().endswith(")"):
        return attributed.rstrip()[:-1].rsplit("(", 1)[-1].strip() or None
    return None
