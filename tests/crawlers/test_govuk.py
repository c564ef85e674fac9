"""govuk against its recordings: search paging through a 429, content bodies, feeds, fallbacks."""

from crawlers.items import validate_document
from crawlers.pipelines import SanitiseHtml
from crawlers.spiders.govuk import GovukSpider


def test_search_results_become_documents_with_content_bodies(crawl_offline):
    items, spider, offline = crawl_offline(GovukSpider, missing_ok=True)
    assert len(items) == 8 and len({i.id for i in items}) == 8
    news = next(i for i in items if i.native_id == "/government/news/procurement-bill-strengthened-to-protect-national-security")
    assert news.title == "Procurement Bill strengthened to protect national security"
    assert news.published == "2023-06-07" and news.department == "Cabinet Office"
    assert "timeline for the removal of surveillance equipment" in news.text
    assert news.url == "https://www.gov.uk/government/news/procurement-bill-strengthened-to-protect-national-security"
    for item in items:
        validate_document(item)


def test_page_two_is_fetched_after_the_429(crawl_offline):
    _, _, offline = crawl_offline(GovukSpider, missing_ok=True)
    page_two = [u for u in offline.requests if "start=5" in u]
    assert len(page_two) == 2  # 429, then 200


def test_unrecorded_content_keeps_the_search_result_and_records_the_failure(crawl_offline):
    items, spider, _ = crawl_offline(GovukSpider, missing_ok=True)
    parent = next(i for i in items if i.native_id == "/government/publications/police-survey-2022-initial-analysis")
    assert parent.extra["from"] in ("search", "atom")  # whichever listed it first
    assert parent.title == "Police survey 2022: initial analysis" and parent.published == "2022-11-14"
    assert sorted(f["status"] for f in spider.failures) == [404, 404, 404]


def test_atom_feed_entries_are_parsed_and_their_html_summary_sanitised(recorded, tmp_path):
    from tests.conftest import make_spider

    spider = make_spider(GovukSpider, tmp_path)
    requests = list(spider.parse_feed(recorded("govuk-atom-news-script")))
    assert len(requests) == 1
    fallback = SanitiseHtml().process_item(requests[0].meta["fallback"])
    assert "script" not in fallback.text.lower() and "onerror" not in (fallback.summary or "")
    assert fallback.summary.startswith("Stepped up measures to protect national security")


def test_incremental_runs_use_the_search_apis_date_filter_syntax(tmp_path):
    """Regression for #16 point 1: the search API takes `from:<date>` in a date filter and answers 422 to a
    bare date (alphagov/search-api docs/using-the-search-api.md), so every incremental GOV.UK run was lost."""
    from urllib.parse import parse_qs, urlsplit

    from tests.crawlers.test_incremental import spider_with_state

    spider = spider_with_state(GovukSpider, tmp_path, True)
    search = next(r for r in spider.start_requests() if "/api/search.json" in r.url)
    (value,) = parse_qs(urlsplit(search.url).query)["filter_public_timestamp"]
    assert DATE_FILTER.fullmatch(value), value
    assert value == "from:2025-11-18"  # two days before the last clean run


DATE_FILTER = __import__("re").compile(  # the documented grammar: from:<date>, to:<date> or both, comma separated
    r"(from:\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?)(,to:\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?)?|to:\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?")


def test_a_real_search_page_becomes_a_content_request_with_its_result_as_fallback(recorded, tmp_path):
    """A live search body (GOV.UK's own documented example) is read field by field as the service sends it."""
    from tests.conftest import make_spider

    spider = make_spider(GovukSpider, tmp_path)
    out = list(spider.parse(recorded("real-govuk-search-tax-autocomplete"),
                            params={"q": "tax", "suggest": "autocomplete", "count": 1, "start": 0}))
    content = [r for r in out if "/api/content/" in r.url]
    assert [r.url for r in content] == ["https://www.gov.uk/api/content/vehicle-tax"]
    fallback = content[0].meta["fallback"]
    assert fallback.title == "Tax your vehicle" and fallback.department == "Driver and Vehicle Licensing Agency"
    assert fallback.published == "2017-12-07T12:54:39+00:00" and fallback.extra["document_type"] == "transaction"


def test_paging_stops_at_the_cap_and_says_so(recorded, tmp_path):
    """Regression for #16 point 3: 79,464 results and a cap of one page: no further request, and the cap is
    logged and counted as a limit (it used to stop silently)."""
    from tests.conftest import make_spider

    spider = make_spider(GovukSpider, tmp_path)
    spider.source = dict(spider.source, max_pages=1)
    out = list(spider.parse(recorded("real-govuk-search-tax-autocomplete"),
                            params={"q": "tax", "suggest": "autocomplete", "count": 1, "start": 0}))
    assert not [r for r in out if "/api/search.json" in r.url]
    assert spider.crawler.stats.get_value("limits/paging_cap") == 1
    assert "79463 results not fetched" in spider.limits[0]["detail"]


def test_a_guide_keeps_the_text_of_every_part(recorded, tmp_path):
    """Regression for #16 point 4: a guide keeps its text in details.parts[].body; all four parts are stored,
    each under its title, not the one-line description."""
    from tests.conftest import make_spider

    spider = make_spider(GovukSpider, tmp_path)
    (doc,) = list(spider.parse_content(recorded("real-govuk-content-national-curriculum")))
    assert doc.title == "The national curriculum" and doc.department == "Department for Education"
    for part in ("Overview", "Key stage 1 and 2", "Key stage 3 and 4", "Other compulsory subjects"):
        assert f"<h2>{part}</h2>" in doc.html
    assert "Key stage 3 and 4" in doc.text and "syllabus" in doc.text and len(doc.text) > 3000
    assert doc.text != doc.summary
    validate_document(doc)
