"""uk_written_questions against its recordings: search paging, details, dedupe, fields."""

import pytest

from crawlers.items import validate_document
from crawlers.spiders.uk_written_questions import UkWrittenQuestionsSpider


@pytest.fixture
def crawl(crawl_offline):
    return crawl_offline(UkWrittenQuestionsSpider)


def test_every_recorded_question_is_fetched_once_in_full(crawl):
    items, spider, offline = crawl
    assert sorted(i.id for i in items) == [f"uk_written_questions:90000{n:02d}" for n in range(1, 11)]
    assert all(not i.extra["truncated"] for i in items), "details replace the truncated list text"
    assert not spider.failures


def test_paging_stops_at_the_short_page_without_asking_past_the_end(crawl):
    _, _, offline = crawl
    searches = [u for u in offline.requests if "searchTerm=Hikvision" in u]
    assert len(searches) == 2 and any("skip=5" in u for u in searches)
    assert not any("skip=10" in u for u in offline.requests)


def test_question_fields_read_off_the_recording(crawl):
    items, _, _ = crawl
    q = next(i for i in items if i.native_id == "9000003")
    assert q.title == "Department for Environment, Food and Rural Affairs: Dahua Technology and Hikvision"
    assert q.published == "2023-07-21"
    assert q.department == "Department for Environment, Food and Rural Affairs"
    assert [(p["name"], p["role"]) for p in q.people] == [("Tanmanjeet Singh Dhesi", "asking"), ("Mark Spencer", "answering")]
    assert q.text.startswith("To ask the Secretary of State for Environment, Food and Rural Affairs, whether")
    assert "not Government policy to comment" in q.text
    assert q.extra["status"] == "answered" and q.jurisdiction == "GB"


def test_answer_html_becomes_paragraphs_of_text(crawl):
    items, _, _ = crawl
    q = next(i for i in items if i.native_id == "9000001")
    assert "<p>" not in q.text and "\n\n" in q.text
    assert q.html.startswith("<p>To ask the Secretary of State for Business")


def test_every_item_matches_the_schema(crawl):
    items, _, _ = crawl
    assert items
    for item in items:
        validate_document(item)


def test_a_missing_detail_keeps_the_list_record(crawl_offline, recordings):
    """Regression: a detail 404 must not lose the question (the list text is kept, marked truncated)."""
    hidden = [k for k in recordings.by_key if k[3] == "/api/writtenquestions/questions/9000003"]
    saved = {k: recordings.by_key.pop(k) for k in hidden}
    try:
        items, spider, _ = crawl_offline(UkWrittenQuestionsSpider, missing_ok=True)
    finally:
        recordings.by_key.update(saved)
    q = next(i for i in items if i.native_id == "9000003")
    assert q.extra["truncated"] is True and q.text.endswith("...")
    assert [f["status"] for f in spider.failures] == [404]


WQ_PARAMETERS = {  # /api/writtenquestions/questions, from the API's published OpenAPI description
    "askingMemberId", "answeringMemberId", "tabledWhenFrom", "tabledWhenTo", "answered", "answeredWhenFrom",
    "answeredWhenTo", "questionStatus", "includeWithdrawn", "expandMember", "correctedWhenFrom", "correctedWhenTo",
    "searchTerm", "uIN", "answeringBodies", "members", "house", "skip", "take"}


def test_incremental_runs_also_ask_for_corrections(tmp_path):
    """Regression for #16 point 6: answeredWhenFrom misses a correction to an older answer; each search is also
    asked with the API's own correctedWhenFrom, and every parameter is one the API publishes."""
    from urllib.parse import parse_qs, urlsplit

    from tests.crawlers.test_incremental import spider_with_state

    spider = spider_with_state(UkWrittenQuestionsSpider, tmp_path, True)
    queries = [parse_qs(urlsplit(r.url).query) for r in spider.start_requests()]
    assert all(set(q) <= WQ_PARAMETERS for q in queries)
    for term in ("Hikvision", "National Intelligence Law"):
        asked = [q for q in queries if q["searchTerm"] == [term]]
        assert sorted(k for q in asked for k in q if k.endswith("WhenFrom")) == ["answeredWhenFrom", "correctedWhenFrom"]
        assert all(q.get("answeredWhenFrom", q.get("correctedWhenFrom")) == ["2025-11-18"] for q in asked)


def test_a_real_list_page_asks_for_every_question_in_full_and_marks_what_it_would_keep(recorded, tmp_path):
    """On a live list body the answers are cut at 255 characters plus '...' and the questions at 255: each
    record becomes a detail request whose fallback says it is truncated."""
    from tests.conftest import make_spider

    spider = make_spider(UkWrittenQuestionsSpider, tmp_path)
    out = list(spider.parse(recorded("real-wq-list-tabled-2024-01-05"), params={"take": 20, "skip": 0}))
    assert [r.url.split("?")[0].rsplit("/", 1)[1] for r in out] == ["1679703", "1679508", "1679710", "1679509",
                                                                    "1679429"]
    first = out[0].meta["fallback"]
    assert first.extra["truncated"] is True and first.text.endswith("is re...")
    assert first.url == "https://questions-statements.parliament.uk/written-questions/detail/2024-01-05/8024"


def test_a_real_detail_body_gives_the_whole_answer_and_the_public_page(recorded, tmp_path):
    """The detail body carries the whole answer as HTML; the document links to the public page."""
    from tests.conftest import make_spider

    spider = make_spider(UkWrittenQuestionsSpider, tmp_path)
    (doc,) = list(spider.parse_question(recorded("real-wq-detail-1679416")))
    assert doc.id == "uk_written_questions:1679416" and doc.extra["truncated"] is False
    assert doc.url == "https://questions-statements.parliament.uk/written-questions/detail/2024-01-05/7926"
    assert doc.text.endswith("publish data on achievements by FJAAs in due course.")
    assert doc.department == "Department for Education" and doc.published == "2024-01-10"
    validate_document(doc)


def test_a_question_without_uin_or_date_links_to_a_public_page_not_the_api(crawl):
    """Regression for #16 point 8: half the recorded questions linked to the JSON API; a record without its
    UIN or date tabled links to the site's own search, narrowed to its heading and answer day."""
    items, _, _ = crawl
    assert not [i.url for i in items if "-api." in i.url]
    q = next(i for i in items if i.native_id == "9000003")
    assert q.url.startswith("https://questions-statements.parliament.uk/written-questions?SearchTerm=")
    assert "AnsweredFrom=21%2F07%2F2023" in q.url
