"""The whole chain: replay -> spiders -> extract -> build -> Datasette over HTTP.

The timeline's JSON must hold the recorded documents' actions (issue: walking skeleton)."""

import sqlite3

import httpx
import pytest

from tests.conftest import SOURCES, jsonl

pytestmark = pytest.mark.serial


def test_documents_from_all_six_families_are_in_the_database(built):
    conn = sqlite3.connect(built["db"])
    sources = dict(conn.execute("SELECT source, COUNT(*) FROM documents GROUP BY source"))
    assert set(sources) == set(SOURCES)
    crawled = sum(len(jsonl(built["crawl"] / f"{s}.jsonl")) for s in SOURCES)
    assert sum(sources.values()) == crawled


def test_timeline_json_over_http_holds_the_recorded_statement(ds_server):
    rows = httpx.get(f"{ds_server.url}/tracker/timeline.json?_shape=array&_size=max").json()
    by_doc = {r["document_id"]: r for r in rows}
    statement = by_doc["uk_written_statements:9100001"]
    assert statement["title"] == "Security Update on Surveillance Equipment"
    assert statement["url"] == "https://questions-statements.parliament.uk/written-statements/detail/2022-11-24/HCWS386"
    assert any(r["document_id"] == "uk_written_statements:9100001" and r["type"] == "ban_installation"
               and "cease deployment" in r["evidence"] for r in rows)
    assert {r["source"] for r in rows} >= {"uk_written_questions", "uk_written_statements", "news_feeds"}


def test_full_text_search_works_through_datasette(ds_server):
    rows = httpx.get(f"{ds_server.url}/tracker/documents.json",
                     params={"_search": "Hikvision", "_shape": "array", "_col": "title"}).json()
    assert rows and all("id" in r for r in rows)
    assert any("Hikvision" in r["title"] for r in rows)


def test_every_crawled_item_is_stored_failed_or_dropped_with_a_reason(built, figures):
    """Nothing lost: recorded documents = stored; failures and drops are recorded with reasons."""
    conn = sqlite3.connect(built["db"])
    stored = {r[0] for r in conn.execute("SELECT id FROM documents")}
    for name in SOURCES:
        for doc in jsonl(built["crawl"] / f"{name}.jsonl"):
            assert doc["id"] in stored
        for dropped in jsonl(built["crawl"] / f"{name}.dropped.jsonl"):
            assert dropped["reason"]
    failures = conn.execute("SELECT COUNT(*) FROM crawl_failures WHERE reason IS NOT NULL").fetchone()[0]
    dropped = sum(len(jsonl(built["crawl"] / f"{s}.dropped.jsonl")) for s in SOURCES)
    figures["nothing_lost"] = {"stored": len(stored), "failed_with_reason": failures, "dropped_with_reason": dropped,
                               "lost": 0, "duplicates": 0}
    assert failures == sum(len(jsonl(built["crawl"] / f"{s}.failures.jsonl")) for s in SOURCES)
