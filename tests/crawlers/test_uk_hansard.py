"""uk_hansard against its recordings (the first search answers 500, then 200)."""

from crawlers.items import validate_document
from crawlers.spiders.uk_hansard import UkHansardSpider, _party


def test_contributions_after_a_retried_500(crawl_offline):
    items, spider, offline = crawl_offline(UkHansardSpider)
    assert len(items) == 7 and len({i.id for i in items}) == 7
    assert sum("searchTerm=Hikvision" in u for u in offline.requests) == 2  # 500, then the good answer
    first = next(i for i in items if i.native_id == "D9C4EF52-0304-5472-860C-B30B85505DC9")
    assert first.title == "Defence Policy (International Relations and Defence Committee Report) — Lord Alton of Liverpool"
    assert first.published == "2023-06-30"
    assert first.url == "https://hansard.parliament.uk/debates/743673AC-2F27-52C5-8368-26FA20111F22"
    assert first.extra["house"] == "Lords" and first.people[0]["party"] == "CB"
    for item in items:
        validate_document(item)


def test_party_from_attribution():
    assert _party("Kirsty Blackman (Aberdeen North) (SNP)") == "SNP"
    assert _party("Lord Alton of Liverpool (CB)") == "CB"
    assert _party("Mr Speaker") is None
