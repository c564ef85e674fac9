"""uk_written_statements against its recordings."""

from crawlers.items import validate_document
from crawlers.spiders.uk_written_statements import UkWrittenStatementsSpider


def test_statement_from_search_and_detail(crawl_offline):
    items, spider, offline = crawl_offline(UkWrittenStatementsSpider)
    assert [i.id for i in items] == ["uk_written_statements:HCWS386"]
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
