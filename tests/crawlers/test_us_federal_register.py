"""us_federal_register against its recordings: next_page_url, a truncated page retried."""

from scrapy import Request

from crawlers.items import Document, validate_document
from crawlers.spiders.us_federal_register import UsFederalRegisterSpider
from tests.conftest import make_spider


def test_both_pages_through_next_page_url(crawl_offline):
    items, spider, offline = crawl_offline(UsFederalRegisterSpider)
    assert len(items) == 10
    assert offline.requests[1].startswith("https://www.federalregister.gov/api/v1/documents?")  # next_page_url form
    doc = next(i for i in items if i.native_id == "2022-28263")
    assert doc.published == "2023-02-06" and doc.department == "Federal Communications Commission"
    assert doc.extra["citation"] and doc.extra["type"] == "Rule"
    assert doc.url.startswith("https://www.federalregister.gov/documents/2023/02/06/2022-28263/")
    for item in items:
        validate_document(item)


def test_a_truncated_body_is_asked_again_then_parsed(recorded, tmp_path):
    spider = make_spider(UsFederalRegisterSpider, tmp_path)
    cut = recorded("fedreg-hikvision-page2-attempt1")
    out = list(spider.parse(cut, page_number=2))
    assert len(out) == 1 and isinstance(out[0], Request) and out[0].dont_filter
    assert spider.crawler.stats.get_value("errors/bad_body") == 1
    good = list(spider.parse(recorded("fedreg-hikvision-page2"), page_number=2))
    assert len([d for d in good if isinstance(d, Document)]) == 5


def test_a_body_that_stays_truncated_is_recorded_as_a_failure(recorded, tmp_path):
    spider = make_spider(UsFederalRegisterSpider, tmp_path)
    request = Request("https://www.federalregister.gov/api/v1/documents.json?page=2", meta={"retry_times": 2})
    cut = recorded("fedreg-hikvision-page2-attempt1", request=request)
    assert list(spider.parse(cut, page_number=2)) == []
    assert spider.failures and spider.failures[0]["reason"].startswith("bad JSON")
