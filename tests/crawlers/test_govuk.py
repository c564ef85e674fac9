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
