"""A real `scrapy crawl` against the loopback replay server with faults injected:
429 + Retry-After on every third request, 20% 503s, dropped connections.
Every recorded item must arrive exactly once, and no request may reach a host
paused by a Retry-After before the pause is over."""

import json
import sys

import pytest

from crawlers.replay import Faults, ReplayServer
from tests.conftest import SOURCES, jsonl, run

pytestmark = [pytest.mark.serial, pytest.mark.reliability]
RETRY_AFTER = 1.0


@pytest.fixture(scope="module")
def faulty_crawl(tmp_path_factory, built):
    work = tmp_path_factory.mktemp("faults")
    server = ReplayServer(faults=Faults(retry_after_every=3, retry_after=str(int(RETRY_AFTER)), error_rate=0.2,
                                        drop_rate=0.05, seed=7)).start()
    try:
        run([sys.executable, "-m", "crawlers", "crawl", "--out", str(work / "crawl"), "--archive", str(work / "raw"),
             "--replay-url", server.url, "--strict", "-s", "RETRY_TIMES=8", "-s", "RETRY_AFTER_TIMES=8"], timeout=600)
    finally:
        server.stop()
    return work / "crawl", server.log, built["crawl"]


def test_every_recorded_item_arrives_exactly_once(faulty_crawl):
    crawl, _, clean = faulty_crawl
    for name in SOURCES:
        got = [d["id"] for d in jsonl(crawl / f"{name}.jsonl")]
        expected = {d["id"] for d in jsonl(clean / f"{name}.jsonl")}
        assert len(got) == len(set(got)), f"{name}: duplicates"
        assert set(got) == expected, f"{name}: {expected ^ set(got)}"


def test_faults_were_really_injected_and_survived(faulty_crawl, figures):
    crawl, log, clean = faulty_crawl
    statuses = [entry["status"] for entry in log]
    expected = {d["id"] for name in SOURCES for d in jsonl(clean / f"{name}.jsonl")}
    got = {d["id"] for name in SOURCES for d in jsonl(crawl / f"{name}.jsonl")}
    figures["faults"] = {"requests": len(log), "429_retry_after": statuses.count("429"), "503": statuses.count("503"),
                         "dropped_connections": statuses.count("drop"), "items_lost": len(expected - got)}
    assert statuses.count("429") >= 10 and statuses.count("503") >= 3 and statuses.count("drop") >= 1


def test_no_request_reaches_a_paused_host_before_retry_after(faulty_crawl):
    _, log, _ = faulty_crawl
    in_flight = 0.05  # requests already on the wire when the 429 left the server arrive at once
    violations = []
    for i, entry in enumerate(log):
        if entry["status"] != "429":
            continue
        for later in log[i + 1:]:
            gap = later["time"] - entry["time"]
            if later["host"] == entry["host"] and in_flight < gap < RETRY_AFTER - 0.01:
                violations.append((entry["url"], later["url"], round(later["time"] - entry["time"], 3)))
    assert not violations, violations[:5]


def test_run_records_count_the_faults(faulty_crawl):
    crawl, _, _ = faulty_crawl
    runs = {name: json.loads((crawl / f"{name}.run.json").read_text()) for name in SOURCES}
    assert sum(r["retries"] for r in runs.values()) >= 10
    assert all(r["finish_reason"] == "finished" for r in runs.values())
