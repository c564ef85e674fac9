"""Pause and resume (`crawl --jobdir`): a crawl stopped with SIGINT mid-way and run again with
the same job folder ends with every document once; the resumed run asks for nothing the
stopped run had already fetched, and appends to what it wrote."""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from crawlers.replay import Faults, Recordings, ReplayServer, request_key
from tests.conftest import ROOT, jsonl

pytestmark = [pytest.mark.serial, pytest.mark.reliability, pytest.mark.timing]
NAMES = ("uk_written_questions", "govuk")


def test_a_paused_crawl_resumes_without_loss_or_repeat(tmp_path, built, figures):
    server = ReplayServer(faults=Faults(delay=0.3)).start()
    args = [sys.executable, "-m", "crawlers", "crawl", *NAMES, "--out", str(tmp_path / "crawl"),
            "--archive", str(tmp_path / "raw"), "--state", str(tmp_path / "state.json"),
            "--replay-url", server.url, "--jobdir", str(tmp_path / "job")]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    try:
        first = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while len(server.log) < 8:
            assert time.monotonic() < deadline and first.poll() is None, "the crawl never got going"
            time.sleep(0.02)
        first.send_signal(signal.SIGINT)  # one Ctrl-C: Scrapy stops gracefully and keeps its queue
        assert first.wait(120) == 0, first.stderr.read().decode()[-3000:]
        paused = {n: json.loads((tmp_path / "crawl" / f"{n}.run.json").read_text()) for n in NAMES}
        requests_before = len(server.log)
        second = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert second.returncode == 0, second.stderr[-3000:]
    finally:
        server.stop()
    assert any(r["finish_reason"] == "shutdown" for r in paused.values()), "the first run was not interrupted"
    items_before = sum(r["items"] for r in paused.values())
    lost = 0
    for name in NAMES:
        ids = [d["id"] for d in jsonl(tmp_path / "crawl" / f"{name}.jsonl")]
        expected = {d["id"] for d in jsonl(built["crawl"] / f"{name}.jsonl")}
        lost += len(expected - set(ids))
        assert len(ids) == len(set(ids)), f"{name}: a document written twice"
        assert set(ids) == expected, name
    retried = {request_key("GET", e["url"]) for e in Recordings().entries if e.get("attempt", 1) > 1}  # a 429, a 500
    repeats = [url for url, n in Counter(e["url"] for e in server.log).items()
               if n > 1 and request_key("GET", url) not in retried and not url.endswith("/robots.txt")]
    assert not repeats, repeats
    state = json.loads((tmp_path / "state.json").read_text())
    started = (tmp_path / "job" / "uk_written_questions" / "policy-tracker.started").read_text()
    assert state["uk_written_questions"]["last_success"] == started  # the job's start, not the resume's
    figures["jobdir"] = {"requests_before_pause": requests_before, "items_before_pause": items_before,
                         "requests_after_resume": len(server.log) - requests_before, "repeated_requests": len(repeats),
                         "documents_lost": lost}

