"""uk_written_statements against its recordings: list, detail, the kept list record, the id."""

from crawlers.items import validate_document
from crawlers.spiders.uk_written_statements import UkWrittenStatementsSpider


def test_statement_from_search_and_detail(crawl_offline):
    items, spider, offline = crawl_offline(UkWrittenStatementsSpider)
    assert [i.id for i in items] == ["uk_written_statements:9100001"]  # the API's key, not the UIN (#16)
    s = items[0]
    assert s.title == "Security Update on Surveillance Equipment"
    assert s.published == "2022-11-24" and s.department == "Cabinet Office"
    assert s.people[0]["name"] == "Oliver Dowden" and s.people[0]["office"] == "Chancellor of the Duchy of Lancaster"
    assert s.url == "https://questions-statements.parliament.uk/written-statements/detail/2022-11-24/HCWS386"
    assert "cease deployment of such equipment onto sensitive sites" in s.text
    assert any(u.endswith("/2022-11-24/HCWS386?expandMember=true") for u in offline.requests)
    validate_document(s)
    assert not spider.failures


def test_an_empty_search_window_is_not_an_error(crawl_offline):
    _, spider, offline = crawl_offline(UkWrittenStatementsSpider)
    assert any("madeWhenFrom=2024-01-01" in u for u in offline.requests)
    assert spider.crawler.stats.get_value("errors/bad_body") is None


def test_a_list_record_kept_when_its_detail_fails_is_marked_truncated(recorded, tmp_path):
    """Regression for #16 point 5: the list endpoint cuts text at 255 characters plus '...' (as its written
    questions list does, real body in test_uk_written_questions.py); the record kept when the detail call
    fails must say so, and its id is the API's numeric id (a UIN repeats every session)."""
    from tests.conftest import make_spider

    spider = make_spider(UkWrittenStatementsSpider, tmp_path)
    page = recorded("ws-search-surveillance-equipment")
    (request,) = [r for r in spider.parse(page, params={"searchTerm": "surveillance equipment", "take": 20, "skip": 0})]
    kept = request.meta["fallback"]
    assert kept.extra["truncated"] is True and kept.id == "uk_written_statements:9100001"
    assert request.url.endswith("/api/writtenstatements/statements/2022-11-24/HCWS386?expandMember=true")
