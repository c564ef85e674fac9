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
