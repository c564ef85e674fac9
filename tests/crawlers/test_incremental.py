"""Incremental crawls: after a clean run, searches ask only for what is new since then."""

import json

from scrapy.utils.test import get_crawler

from crawlers.spiders.uk_written_statements import UkWrittenStatementsSpider
from crawlers.spiders.us_federal_register import UsFederalRegisterSpider


def spider_with_state(cls, tmp_path, incremental, last_success="2025-11-20T08:00:00+00:00"):
    state = tmp_path / "state.json"
    state.write_text(json.dumps({cls.name: {"last_success": last_success}}))
    crawler = get_crawler(cls, {"INCREMENTAL": incremental, "CRAWL_STATE_FILE": str(state),
                                "RAW_ARCHIVE_DIR": str(tmp_path / "raw")})
    spider = cls.from_crawler(crawler)
    crawler.spider = spider
    return spider


def test_incremental_runs_filter_by_the_last_success(tmp_path):
    spider = spider_with_state(UkWrittenStatementsSpider, tmp_path, True)
    urls = [r.url for r in spider.start_requests()]
    assert all("madeWhenFrom=2025-11-18" in u for u in urls if "surveillance" in u)  # two days of overlap
    fr = spider_with_state(UsFederalRegisterSpider, tmp_path, True)
    assert "conditions%5Bpublication_date%5D%5Bgte%5D=2025-11-18" in next(iter(fr.start_requests())).url


def test_a_full_crawl_ignores_the_state(tmp_path):
    spider = spider_with_state(UkWrittenStatementsSpider, tmp_path, False)
    assert not any("madeWhenFrom=2025-11-18" in r.url for r in spider.start_requests())


def test_a_clean_run_records_its_start_and_a_failed_one_does_not(built):
    state = json.loads((built["crawl"].parent / "state.json").read_text())
    run = json.loads((built["crawl"] / "uk_hansard.run.json").read_text())
    assert state["uk_hansard"]["last_success"] == run["started"]
    assert "govuk" not in state  # three content items were not recorded: that run had failures
