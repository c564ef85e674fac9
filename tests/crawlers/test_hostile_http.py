"""Hostile HTTP in a real `scrapy crawl`: a decompression bomb, redirects off the source (to a
cloud metadata address, to a local file, in a loop) and a robots.txt that disallows part of a
source. The recordings are copied and a few responses replaced (no policy text is added);
every document of the clean crawl must still arrive (from its search result when the detail
request fails), every hostile request must be recorded as a failure with a reason, and no
request may leave the source's host."""

import gzip
import json
import shutil
import sys

import pytest

import topics
from crawlers.replay import Recordings, ReplayServer
from tests.conftest import SOURCES, jsonl, run

pytestmark = [pytest.mark.serial, pytest.mark.reliability]

BOMB_MB = 512  # decompressed; DOWNLOAD_MAXSIZE is 20 MB
METADATA = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"
HOSTILE = {  # recording id -> (status, headers, body)
    "govuk-content-dwp-cctv-security-policy": "bomb",
    "wq-detail-9000001": (302, {"Location": METADATA}, b""),
    "wq-detail-9000002": (301, {"Location": "file:///etc/passwd"}, b""),
    "wq-detail-9000003": (302, None, b""),  # Location: itself, a loop
}
SOURCE_HOSTS = {"questions-statements-api.parliament.uk", "hansard-api.parliament.uk", "www.gov.uk",
                "www.federalregister.gov", "news.google.com", "www.dailymail.co.uk"}
ROBOTS = ("https://www.gov.uk/robots.txt", b"User-agent: *\nDisallow: /api/content/government/news/\n")


def hostile_recordings(folder):
    shutil.copytree(topics.directory("cameras") / "recordings", folder)
    index = json.loads((folder / "index.json").read_text())
    by_id = {e["id"]: e for e in index["entries"]}
    for rid, change in HOSTILE.items():
        entry = by_id[rid]
        path = folder / entry["file"]
        if change == "bomb":
            path.write_bytes(gzip.compress(b"\0" * (BOMB_MB << 20), compresslevel=9))
            entry["response_headers"] = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
            continue
        status, headers, body = change
        entry["status"], entry["response_headers"] = status, headers or {"Location": entry["url"]}
        path.write_bytes(body)
    url, body = ROBOTS
    (folder / "robots-govuk.txt").write_bytes(body)
    index["entries"].append({"id": "govuk-robots", "method": "GET", "url": url, "attempt": 1, "status": 200,
                             "response_headers": {"Content-Type": "text/plain"}, "file": "robots-govuk.txt"})
    (folder / "index.json").write_text(json.dumps(index))
    return Recordings(folder), by_id


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory, built):
    work = tmp_path_factory.mktemp("hostile")
    recordings, by_id = hostile_recordings(work / "recordings")
    server = ReplayServer(recordings=recordings).start()
    try:
        run([sys.executable, "-m", "crawlers", "crawl", "--out", str(work / "crawl"), "--archive", str(work / "raw"),
             "--replay-url", server.url], timeout=300)
    finally:
        server.stop()
    failures = [f for name in SOURCES for f in jsonl(work / "crawl" / f"{name}.failures.jsonl")]
    return work / "crawl", server.log, failures, by_id, built["crawl"]


def test_every_document_still_arrives(hostile_crawl):
    crawl, _, _, _, clean = hostile_crawl
    for name in SOURCES:
        got = [d["id"] for d in jsonl(crawl / f"{name}.jsonl")]
        assert len(got) == len(set(got))
        assert set(got) == {d["id"] for d in jsonl(clean / f"{name}.jsonl")}, name


def test_no_request_leaves_the_source(hostile_crawl):
    crawl, log, _, _, _ = hostile_crawl
    hosts = {entry["host"] for entry in log}
    assert hosts <= SOURCE_HOSTS, hosts - SOURCE_HOSTS
    assert not any(entry["url"].startswith("file:") for entry in log)
    text = "".join(p.read_text() for p in crawl.glob("*.jsonl"))
    assert "root:x:" not in text and "security-credentials" not in text.replace(METADATA, "")


def test_each_hostile_response_is_a_failure_with_its_reason(hostile_crawl, figures):
    _, log, failures, by_id, _ = hostile_crawl
    reasons = {f["url"]: f["reason"] for f in failures}
    for rid in HOSTILE:
        url = by_id[rid]["url"]
        assert url in reasons, f"{rid}: no failure recorded; failures: {sorted(reasons)}"
    bomb = reasons[by_id["govuk-content-dwp-cctv-security-policy"]["url"]]
    assert "size" in bomb.lower() or "IgnoreRequest" in bomb, bomb
    robots = [url for url, reason in reasons.items() if "/api/content/government/news/" in url]
    assert robots and all("robots" in reasons[url].lower() or "IgnoreRequest" in reasons[url] for url in robots), \
        {url: reasons[url] for url in robots}
    assert not any("/api/content/government/news/" in entry["url"] for entry in log), "robots.txt was not obeyed"
    loop = by_id["wq-detail-9000003"]["url"]
    assert sum(1 for entry in log if entry["url"] == loop) <= 7  # REDIRECT_MAX_TIMES = 5, plus the first
    assert "refused redirect to a file: URL" in reasons[by_id["wq-detail-9000002"]["url"]]
    figures["hostile_http"] = {
        "bomb_mb": BOMB_MB,
        "redirects_refused_off_source": sum("off the source" in r for r in reasons.values()),
        "redirects_refused_other_scheme": sum("refused redirect to a" in r for r in reasons.values()),
        "redirect_loops_refused": sum("loop" in r for r in reasons.values()),
        "robots_disallowed": len(robots),
        "requests_off_source": sum(1 for entry in log if entry["host"] not in SOURCE_HOSTS),
    }
