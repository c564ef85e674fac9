"""Shared fixtures: recordings, offline crawling, the replay server, the built
database, a real Datasette on a free loopback port, and headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from scrapy import Request
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

import topics
from crawlers.items import Document
from crawlers.replay import Recordings, serve

# The suite's recordings, dev set and expectations are the default topic's, whatever TOPIC the shell
# has; other topics are tested by naming them (tests/test_topics.py).
os.environ["TOPIC"] = topics.DEFAULT

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
SOURCES = ["uk_written_questions", "uk_written_statements", "uk_hansard", "govuk", "us_federal_register",
           "news_feeds"]


@pytest.fixture(scope="session")
def recordings() -> Recordings:
    return Recordings()


@pytest.fixture(scope="session")
def recorded(recordings):
    """recorded(entry_id) -> a Scrapy response with the recorded URL, status, headers and body."""
    by_id = {e["id"]: e for e in recordings.entries}

    def make(entry_id: str, request: Request | None = None) -> TextResponse:
        entry = by_id[entry_id]
        return TextResponse(url=entry["url"], status=entry["status"], headers=entry["response_headers"],
                            body=recordings.body(entry), request=request or Request(entry["url"]))

    return make


def make_spider(spider_cls, tmp_path, **kwargs):
    crawler = get_crawler(spider_cls, {"RAW_ARCHIVE_DIR": str(tmp_path / "raw"), "BAD_BODY_RETRIES": 2})
    spider = spider_cls.from_crawler(crawler, **kwargs)
    crawler.spider = spider
    return spider


class OfflineCrawl:
    """Follow a spider's requests through index.json (the replay rule), without a network.

    Retries what Scrapy would retry (5xx, 429) up to 3 times; an unrecorded URL
    fails the test naming the URL unless ``missing_ok`` (then it is a 404).
    """

    RETRY = {429, 500, 502, 503, 504}

    def __init__(self, recordings: Recordings, missing_ok: bool = False):
        self.recordings = recordings
        self.missing_ok = missing_ok
        self.requests: list[str] = []

    def run(self, spider) -> list[Document]:
        queue = list(spider.start_requests())
        served: Counter = Counter()
        seen: set[str] = set()
        items: list[Document] = []
        while queue:
            request = queue.pop(0)
            key = request.url
            if key in seen and not request.dont_filter:
                continue
            seen.add(key)
            served[key] += 1
            self.requests.append(request.url)
            entry = self.recordings.lookup("GET", request.url, served[key])
            if entry is None:
                if not self.missing_ok:
                    pytest.fail(f"spider asked for an unrecorded URL: {request.url}")
                response = TextResponse(url=request.url, status=404, body=b"not recorded", request=request)
            else:
                response = TextResponse(url=request.url, status=entry["status"], headers=entry["response_headers"],
                                        body=self.recordings.body(entry), request=request)
            if response.status in self.RETRY and served[key] < 4:
                queue.insert(0, request.replace(dont_filter=True))
                continue
            if response.status >= 400:
                failure = Failure(HttpError(response))
                failure.request = request
                results = (request.errback or spider.on_error)(failure)
            else:
                results = (request.callback or spider.parse)(response, **(request.cb_kwargs or {}))
            for result in results or []:
                if isinstance(result, Request):
                    queue.append(result)
                else:
                    items.append(result)
        return items


@pytest.fixture
def crawl_offline(recordings, tmp_path):
    def run(spider_cls, missing_ok: bool = False, **kwargs):
        spider = make_spider(spider_cls, tmp_path, **kwargs)
        crawl = OfflineCrawl(recordings, missing_ok=missing_ok)
        items = crawl.run(spider)
        return items, spider, crawl

    return run


@pytest.fixture
def replay_server():
    server = serve()
    yield server
    server.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(args, cwd=kwargs.pop("cwd", ROOT), env=env, capture_output=True, text=True,
                            timeout=kwargs.pop("timeout", 300), **kwargs)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return result


def build_pipeline(workdir: Path, extra_crawl_args: tuple = ()) -> dict[str, Path]:
    """The whole chain as make build runs it: replay crawl -> extract -> db build."""
    crawl_dir, db_path = workdir / "crawl", workdir / "tracker.db"
    run([sys.executable, "-m", "crawlers", "crawl", "--out", str(crawl_dir), "--archive", str(workdir / "raw"),
         "--state", str(workdir / "state.json"), "--strict", *extra_crawl_args])
    documents = workdir / "documents.jsonl"
    with open(documents, "w") as out:
        for name in SOURCES:
            path = crawl_dir / f"{name}.jsonl"
            if path.exists():
                out.write(path.read_text())
    extracted = workdir / "extracted.jsonl"
    run([sys.executable, "-m", "nlp", "extract", str(documents), "-o", str(extracted)])
    run([sys.executable, "-m", "db", "build", "--crawl", str(crawl_dir), "--extracted", str(extracted),
         "--out", str(db_path)])
    return {"crawl": crawl_dir, "documents": documents, "extracted": extracted, "db": db_path}


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, Path]:
    return build_pipeline(tmp_path_factory.mktemp("built"))


def wait_until_responds(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not respond within {timeout}s")


class DatasetteServer:
    def __init__(self, db_path: Path, port: int | None = None, immutable: bool = False):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "db", "serve", "--db", str(db_path), "--port", str(self.port)]
        if immutable:
            args.append("--immutable")
        self.log_path = db_path.parent / f"datasette-{self.port}.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(args, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
                                        env=dict(os.environ, PYTHONPATH=str(ROOT)))
        wait_until_responds(self.url + "/-/versions.json")

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="session")
def ds_server(built):
    server = DatasetteServer(built["db"])
    yield server
    server.stop()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-default-apps"]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("Debian chromium is not installed; `make test` installs it (make browser-deps)")
        pytest.skip("chromium not installed (run `make browser-deps`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]


FIGURES: dict[str, object] = {}


@pytest.fixture(scope="session")
def figures() -> dict:
    """Reliability figures a test measured; written to tests/artifacts/ (never to a tracked file)."""
    return FIGURES


def tally(figures: dict, area: str, key: str, amount: int = 1) -> None:
    """Add to a counted figure (examples run, cases checked), so no figure is written in by hand."""
    counts = figures.setdefault(area, {})
    counts[key] = counts.get(key, 0) + amount


def pytest_sessionfinish(session, exitstatus):
    """Every run leaves its figures in tests/artifacts/ (RELIABILITY_FIGURES names another file);
    `make reliability-docs` copies a complete, green run's figures into RELIABILITY.md (#18)."""
    if not FIGURES:
        return
    from datetime import datetime, timezone

    path = Path(os.environ.get("RELIABILITY_FIGURES") or ARTIFACTS / "reliability.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "finished": datetime.now(timezone.utc).replace(microsecond=0).isoformat(), "exit_status": int(exitstatus),
        "selection": " ".join(filter(None, (
            "" if session.config.args_source == pytest.Config.ArgsSource.TESTPATHS else " ".join(session.config.args),
            session.config.getoption("markexpr"), session.config.getoption("keyword")))) or "all",
        "tests": session.testscollected, "failed": session.testsfailed, "figures": FIGURES,
    }, indent=1, sort_keys=True, default=str))
