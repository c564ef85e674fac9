"""us_federal_register against its recordings and the API's documented shape: next_page_url, a truncated page
retried, the 50-page window, full text for documents that pass the topic test."""

import json
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

from scrapy import Request
from scrapy.http import TextResponse

import topics
from crawlers.items import Document, validate_document
from crawlers.spiders.us_federal_register import GTE, LTE, UsFederalRegisterSpider
from tests.conftest import make_spider

PAGE_TWO = {"conditions[term]": "hikvision", "page": 2, "per_page": 5}


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
    out = list(spider.parse(cut, params=PAGE_TWO))
    assert len(out) == 1 and isinstance(out[0], Request) and out[0].dont_filter
    assert spider.crawler.stats.get_value("errors/bad_body") == 1
    good = list(spider.parse(recorded("fedreg-hikvision-page2"), params=PAGE_TWO))
    assert len([d for d in good if isinstance(d, Document)]) == 4  # and the Entity List rule's full text
    assert len([r for r in good if isinstance(r, Request)]) == 1


def test_a_body_that_stays_truncated_is_recorded_as_a_failure(recorded, tmp_path):
    spider = make_spider(UsFederalRegisterSpider, tmp_path)
    request = Request("https://www.federalregister.gov/api/v1/documents.json?page=2", meta={"retry_times": 2})
    cut = recorded("fedreg-hikvision-page2-attempt1", request=request)
    assert list(spider.parse(cut, params=PAGE_TWO)) == []
    assert spider.failures and spider.failures[0]["reason"].startswith("bad JSON")


def page_body(count: int, results: list, next_page_url: str | None = None, total_pages: int = 50) -> bytes:
    """A search page in the documented shape (count, description, total_pages, next_page_url, results)."""
    page = {"count": count, "description": "Documents matching 'hikvision'", "total_pages": total_pages,
            "results": results}
    if next_page_url:
        page["next_page_url"] = next_page_url
    return json.dumps(page).encode()


def response_for(url: str, body: bytes) -> TextResponse:
    return TextResponse(url=url, body=body, headers={"Content-Type": "application/json; charset=utf-8"},
                        request=Request(url))


def recorded_results(recorded) -> list:
    return json.loads(recorded("fedreg-hikvision-page1").body)["results"]


def test_searches_ask_for_the_newest_first(tmp_path):
    """Regression for #16 point 2: oldest first, a large search reached only its oldest 50 pages."""
    spider = make_spider(UsFederalRegisterSpider, tmp_path)
    assert all("order=newest" in r.url for r in spider.start_requests())


def test_a_search_larger_than_the_page_window_is_split_by_date(recorded, tmp_path):
    """Regression for #16 point 2: the API serves 50 pages of a search (federalregister-api-core caps page and
    total_pages at 50); more matches than that are fetched as two searches on the halves of the date range."""
    spider = make_spider(UsFederalRegisterSpider, tmp_path)
    params = {"conditions[term]": "hikvision", "order": "newest", "page": 1, "per_page": 5}
    url = "https://www.federalregister.gov/api/v1/documents.json?conditions%5Bterm%5D=hikvision&page=1&per_page=5"
    out = list(spider.parse(response_for(url, page_body(1234, recorded_results(recorded), url + "&page=2")),
                            params=params))
    assert [type(r) for r in out] == [Request, Request]  # no document twice, no page 2 of the too-big search
    ranges = [(parse_qs(urlsplit(r.url).query)[GTE][0], parse_qs(urlsplit(r.url).query)[LTE][0]) for r in out]
    assert ranges == [("2009-12-14", "2025-11-25"), ("1994-01-01", "2009-12-13")]  # newest half first
    assert not spider.limits


def test_a_single_day_over_the_window_is_paged_and_the_rest_counted(recorded, tmp_path):
    """A day with more matches than the window cannot be split: its 50 pages are fetched, the rest counted."""
    spider = make_spider(UsFederalRegisterSpider, tmp_path)
    day = {GTE: "2025-11-25", LTE: "2025-11-25"}
    params = {"conditions[term]": "hikvision", "order": "newest", "page": 1, "per_page": 5, **day}
    url = "https://www.federalregister.gov/api/v1/documents.json?page=1"
    out = list(spider.parse(response_for(url, page_body(300, recorded_results(recorded),
                                                        "https://www.federalregister.gov/api/v1/documents?page=2")),
                            params=params))
    assert len([d for d in out if isinstance(d, Document)]) == 5 and any(isinstance(r, Request) for r in out)
    assert spider.crawler.stats.get_value("limits/result_window") == 1
    assert "50 not fetched" in spider.limits[0]["detail"]


def test_a_next_page_url_off_the_source_or_to_a_file_is_a_failure_with_its_reason(recorded, tmp_path):
    """Regression for #18 point 8: such a next_page_url was dropped by Scrapy's filters and recorded nowhere."""
    spider = make_spider(UsFederalRegisterSpider, tmp_path)
    url = "https://www.federalregister.gov/api/v1/documents.json?page=1"
    for hostile in ("https://evil.example/api/v1/documents?page=2", "file:///etc/passwd"):
        out = list(spider.parse(response_for(url, page_body(10, recorded_results(recorded), hostile, 2)),
                                params={"page": 1, "per_page": 5}))
        assert not [r for r in out if isinstance(r, Request) and "page=2" in r.url]
    reasons = [f["reason"] for f in spider.failures]
    assert reasons == ["refused next_page_url off the source: evil.example", "refused next_page_url: file: URL"]


def test_a_notice_passing_the_topic_test_is_fetched_in_full(recorded, tmp_path):
    """Regression for #16 point 7: the Entity List rule of 2019 names its companies only in the body; a
    document whose title or abstract names a search term or a full_text_term (the topic's sources.yml) is
    fetched in full."""
    spider = make_spider(UsFederalRegisterSpider, tmp_path)
    out = list(spider.parse(recorded("fedreg-hikvision-page2"), params=PAGE_TWO))
    requests = [r for r in out if isinstance(r, Request)]
    assert [r.url for r in requests] == [
        "https://www.federalregister.gov/documents/full_text/html/2019/10/09/2019-22210.html"]
    fallback = requests[0].meta["fallback"]
    assert fallback.native_id == "2019-22210" and fallback.extra["text_form"] == "abstract"
    (full,) = list(spider.parse_full_text(recorded("fedreg-full-text-2019-22210", request=requests[0]),
                                          **requests[0].cb_kwargs))
    assert full.extra["text_form"] == "full_text" and full.id == fallback.id
    assert "SUPPLEMENTARY INFORMATION" in full.text and full.summary == fallback.summary
    validate_document(full)


def test_the_topic_test_reads_its_terms_from_the_topic(recorded, tmp_path):
    """No term lives in code: in a topic whose search terms and full_text_terms name nothing in these titles
    and abstracts, nothing is fetched in full."""
    import shutil

    import yaml

    topic = tmp_path / "topic"
    topic.mkdir()
    shutil.copy(topics.directory() / "vocab.yml", topic / "vocab.yml")
    asked = yaml.safe_load((topics.directory() / "sources.yml").read_text())
    asked["us_federal_register"] = {"searches": [{"term": "tiktok", "per_page": 5}], "full_text_terms": ["app"]}
    (topic / "sources.yml").write_text(yaml.safe_dump(asked))
    spider = make_spider(UsFederalRegisterSpider, tmp_path, topic=str(topic))
    out = list(spider.parse(recorded("fedreg-hikvision-page2"), params=PAGE_TWO))
    assert out and all(isinstance(d, Document) for d in out)


# A real search page of the live API (crawlers/formats/, #16): one agency's documents, newest first, 5 a page,
# 2,086 matches (over the 50-page window), and the live next_page_url with a search_after_cursor.
REAL_PAGE = "real-fedreg-uscis-search-page1"
REAL_PARAMS = {"conditions[agencies][]": "u-s-citizenship-and-immigration-services", "order": "newest",
               "page": 1, "per_page": 5}


def test_a_real_page_over_the_window_is_split_at_its_newest_date(recorded, tmp_path):
    spider = make_spider(UsFederalRegisterSpider, tmp_path)
    out = list(spider.parse(recorded(REAL_PAGE), params=REAL_PARAMS))
    assert [type(r) for r in out] == [Request, Request]
    ranges = [(parse_qs(urlsplit(r.url).query)[GTE][0], parse_qs(urlsplit(r.url).query)[LTE][0]) for r in out]
    (newest_low, newest_high), (oldest_low, oldest_high) = ranges
    assert newest_high == "2026-09-14" and oldest_low == "1994-01-01"  # the page's newest date, the archive's first
    assert date.fromisoformat(oldest_high) + timedelta(days=1) == date.fromisoformat(newest_low)
    for request in out:
        query = parse_qs(urlsplit(request.url).query)
        assert query["conditions[agencies][]"] == ["u-s-citizenship-and-immigration-services"]
        assert query["page"] == ["1"] and query["order"] == ["newest"]


def test_a_real_page_follows_the_live_cursor_url_as_given(recorded, tmp_path):
    """On a day that cannot be split, the page's documents are kept, the window is counted, and the next page
    is the live next_page_url itself (documents without .json, format=json, search_after_cursor), unchanged."""
    spider = make_spider(UsFederalRegisterSpider, tmp_path)
    response = recorded(REAL_PAGE)
    day = {GTE: "2026-09-14", LTE: "2026-09-14"}
    out = list(spider.parse(response, params=dict(REAL_PARAMS, **day)))
    docs = [d for d in out if isinstance(d, Document)]
    assert [d.native_id for d in docs] == ["2026-18736", "2026-18724", "2026-18722"]
    for doc in docs:
        validate_document(doc)
        assert doc.published == "2026-09-14" and doc.extra["type"] == "Notice"
        assert doc.url.startswith(f"https://www.federalregister.gov/documents/2026/09/14/{doc.native_id}/")
        assert doc.text.startswith("The Department of Homeland Security (DHS)")
    (following,) = [r for r in out if isinstance(r, Request)]
    assert following.url == json.loads(response.body)["next_page_url"]
    assert "search_after_cursor=" in following.url and following.cb_kwargs["params"]["page"] == 2
    assert spider.crawler.stats.get_value("limits/result_window") == 1
    assert "1836 not fetched" in spider.limits[0]["detail"]


# The full text (body_html_url) as the service's own renderer writes it (crawlers/formats/, from the
# specs of federalregister-web): the preamble's parts, and footnotes with their links back (#16 point 7).
A_RECORD = {"document_number": "renderer-spec", "title": "A document of the renderer's specs",
            "publication_date": "2024-08-09", "agency_names": ["Food and Drug Administration"]}


def full_text_of(recorded, tmp_path, entry_id: str):
    spider = make_spider(UsFederalRegisterSpider, tmp_path)
    response = recorded(entry_id, request=Request(recorded(entry_id).url, meta={"fallback": None}))
    (doc,) = list(spider.parse_full_text(response, record=A_RECORD))
    assert doc.extra["text_form"] == "full_text"
    validate_document(doc)
    return doc


def test_the_full_text_keeps_every_preamble_part_in_reading_order(recorded, tmp_path):
    doc = full_text_of(recorded, tmp_path, "real-fedreg-full-text-renderer-preamble")
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[:3] == ["ACTION:", "Notification of availability.", "Other action paragraph."]
    order = [paragraphs.index(p) for p in ("SUMMARY:", "ADDRESSES:", "Electronic Submissions")]
    assert order == sorted(order)
    assert paragraphs[-1] == "Rockville, MD 20855, x.x@fda.hhs.gov." and "<" not in doc.text


def test_the_full_text_keeps_footnotes_without_their_links_back(recorded, tmp_path):
    """The renderer follows each footnote with 'Back to Citation': a link, not the document's words. The
    printed-page marker is attributes only and leaves no text."""
    doc = full_text_of(recorded, tmp_path, "real-fedreg-full-text-renderer-footnotes")
    assert "1. Footnote 1 text" in doc.text and "2. Footnote 2 text" in doc.text
    assert "Back to Citation" not in doc.text and "Back to Citation" not in (doc.html or "")
    assert "Start Printed Page" not in doc.text
