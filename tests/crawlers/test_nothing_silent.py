"""Nothing the crawler leaves out is silent (#16, #18 point 8): caps and windows are limits, counted in the
run record and crawl_runs; an empty 200, an HTML page labelled RSS and a next-page URL off the source each
end as a failure with its reason; a text with a lone surrogate is stored, mended and counted."""

import json

import sqlite_utils
from scrapy import Request
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler

from crawlers.runs import CrawlRecorder
from crawlers.settings.base import ITEM_PIPELINES
from crawlers.spiders.govuk import GovukSpider
from crawlers.spiders.news_feeds import NewsFeedsSpider
from crawlers.spiders.us_federal_register import UsFederalRegisterSpider
from db import ingest, schema


def recorded_run(spider_cls, tmp_path, act):
    """Run act(spider) inside a crawler with the CrawlRecorder, close it; the run record and state."""
    settings = {"RAW_ARCHIVE_DIR": str(tmp_path / "raw"), "CRAWL_OUTPUT_DIR": str(tmp_path / "out"),
                "CRAWL_STATE_FILE": str(tmp_path / "state.json"), "ITEM_PIPELINES": ITEM_PIPELINES}
    crawler = get_crawler(spider_cls, settings)
    spider = spider_cls.from_crawler(crawler)
    crawler.spider = spider
    recorder = CrawlRecorder(crawler)
    recorder.spider_opened(spider)
    act(spider)
    recorder.spider_closed(spider, "finished")
    run = json.loads((tmp_path / "out" / f"{spider.name}.run.json").read_text())
    state = json.loads((tmp_path / "state.json").read_text()) if (tmp_path / "state.json").exists() else {}
    return spider, run, state


def test_a_limit_is_counted_in_the_run_and_in_crawl_runs_and_the_run_is_not_clean(tmp_path):
    """A cap hit is in the run record's errors (hence crawl_runs.errors), its file, and blocks the state."""
    spider, run, state = recorded_run(GovukSpider, tmp_path, lambda s: s.hit_limit(
        "paging_cap", "https://www.gov.uk/api/search.json?q=x", "stopped after 200 pages of 20; 5 results not fetched"))
    assert run["limits"] == 1 and run["errors"] == {"limit_paging_cap": 1}
    assert "govuk" not in state  # the next incremental run must not start after a capped one
    (row,) = [json.loads(line) for line in open(tmp_path / "out" / "govuk.limits.jsonl")]
    assert row["kind"] == "paging_cap" and "5 results not fetched" in row["detail"]
    db = sqlite_utils.Database(memory=True)
    schema.migrate(db)
    db["sources"].insert({"id": "govuk", "title": "GOV.UK", "kind": "govuk"})
    ingest.ingest_runs(db, [run], [], [])
    assert json.loads(db.execute("SELECT errors FROM crawl_runs").fetchone()[0]) == {"limit_paging_cap": 1}


def test_a_clean_run_without_limits_still_remembers_its_start(tmp_path):
    """The state only advances after a run with no failures and no limits."""
    _, run, state = recorded_run(GovukSpider, tmp_path, lambda s: None)
    assert run["limits"] == 0 and state["govuk"]["last_success"] == run["started"]


def feed_response(body: bytes, content_type: str) -> TextResponse:
    url = "https://news.google.com/rss/search?q=x"
    return TextResponse(url=url, body=body, headers={"Content-Type": content_type}, request=Request(url))


def test_an_empty_200_feed_is_a_failure_with_its_reason(tmp_path):
    """Regression for #18 point 8: a 200 with an empty body used to count as a feed with no news."""
    spider, run, _ = recorded_run(NewsFeedsSpider, tmp_path,
                                  lambda s: list(s.parse(feed_response(b"", "application/rss+xml"))))
    assert spider.failures[0]["reason"] == "malformed feed: empty body" and run["failures"] == 1


def test_an_html_error_page_labelled_rss_is_a_failure_with_its_reason(tmp_path):
    """Regression for #18 point 8: an HTML page served as RSS is not a feed with no entries."""
    page = b"<!DOCTYPE html><html><head><title>Service unavailable</title></head><body><h1>Sorry</h1></body></html>"
    spider, run, _ = recorded_run(NewsFeedsSpider, tmp_path,
                                  lambda s: list(s.parse(feed_response(page, "application/rss+xml; charset=utf-8"))))
    assert spider.failures[0]["reason"].startswith("malformed feed: not a feed") and run["failures"] == 1


def test_an_empty_200_json_body_is_asked_again_then_a_failure(tmp_path):
    """An empty JSON body is a bad body: asked again (bounded), then recorded with its reason."""
    def act(spider):
        url = "https://www.federalregister.gov/api/v1/documents.json?page=1"
        request = Request(url, meta={"retry_times": 2})
        assert list(spider.parse(TextResponse(url=url, body=b"", request=request), params={"page": 1, "per_page": 20})) == []

    spider, run, _ = recorded_run(UsFederalRegisterSpider, tmp_path, act)
    assert spider.failures[0]["reason"].startswith("bad JSON") and run["errors"]["bad_body"] == 1


def test_a_document_with_a_lone_surrogate_is_stored_mended_and_counted(tmp_path):
    """Regression for #18 point 8: a lone surrogate (a JSON escape \\ud800 with no pair) could not be written
    as UTF-8, and the document was lost with '0 dropped, 0 failed'. A real crawl keeps all ten questions,
    this one with U+FFFD in place, and the run counts the mending."""
    import shutil
    import sys

    import topics
    from crawlers.replay import Recordings, ReplayServer
    from tests.conftest import jsonl, run

    folder = tmp_path / "recordings"
    shutil.copytree(topics.directory("cameras") / "recordings", folder)
    index = json.loads((folder / "index.json").read_text())
    entry = next(e for e in index["entries"] if e["id"] == "wq-detail-9000004")
    body = folder / entry["file"]
    text = body.read_text()
    assert '"heading": "' in text
    body.write_text(text.replace('"heading": "', '"heading": "\\ud800', 1))
    server = ReplayServer(recordings=Recordings(folder)).start()
    try:
        result = run([sys.executable, "-m", "crawlers", "crawl", "uk_written_questions", "--out", str(tmp_path / "out"),
                      "--archive", str(tmp_path / "raw"), "--state", str(tmp_path / "state.json"),
                      "--replay-url", server.url])
    finally:
        server.stop()
    docs = jsonl(tmp_path / "out" / "uk_written_questions.jsonl")
    assert len(docs) == 10
    mended = next(d for d in docs if d["native_id"] == "9000004")
    assert mended["title"].startswith("\ufffd")
    record = json.loads((tmp_path / "out" / "uk_written_questions.run.json").read_text())
    assert record["errors"]["repaired_lone_surrogate"] == 1 and record["dropped"] == 0
    assert "repaired_lone_surrogate 1" in result.stderr
