"""Response headers without end (#18 point 8): 3 GB of them took a crawler to 3.9 GB of memory and the run
said "errors: none". A real crawl against a loopback server that answers every request with a status line
and header lines without end: each request fails with the reason, the run counts it, and no connection is
read past the bound (the server counts what it managed to send)."""

import json
import socketserver
import sys
import threading

import pytest

from crawlers.download import DEFAULT_MAX_HEADER_BYTES
from tests.conftest import jsonl, run

pytestmark = [pytest.mark.serial, pytest.mark.reliability]

CAP = 64 << 20  # the server gives up after 64 MB on one connection (a client that never stops reading)
LINE = b"X-Junk: " + b"j" * 1014 + b"\r\n"  # 1 KB per header line


class EndlessHeaders(socketserver.BaseRequestHandler):
    sent: list[int] = []

    def handle(self):
        self.request.recv(65536)  # the request; its content does not matter
        total = 0
        try:
            self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n")
            while total < CAP:
                self.request.sendall(LINE * 64)
                total += len(LINE) * 64
            self.request.sendall(b"Content-Length: 0\r\n\r\n")
        except OSError:  # the client gave up: what we sent until then is the measure
            pass
        EndlessHeaders.sent.append(total)


@pytest.fixture(scope="module")
def endless(tmp_path_factory):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), EndlessHeaders)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_endless_response_headers_fail_with_the_reason_and_stay_bounded(endless, tmp_path, figures):
    """Every request of the feed crawl fails with 'response headers over ... bytes'; none reads past the
    bound (plus socket buffers), and the run counts the failures (it said 'errors: none')."""
    out = tmp_path / "crawl"
    result = run([sys.executable, "-m", "crawlers", "crawl", "news_feeds", "--out", str(out),
                  "--archive", str(tmp_path / "raw"), "--state", str(tmp_path / "state.json"),
                  "--replay-url", endless], timeout=600)
    failures = jsonl(out / "news_feeds.failures.jsonl")
    assert len(failures) == 3  # the three feeds of the topic
    assert all("response headers over" in f["reason"] for f in failures), [f["reason"] for f in failures]
    record = json.loads((out / "news_feeds.run.json").read_text())
    assert record["failures"] == 3 and record["errors"] and "errors: none" not in result.stderr
    assert jsonl(out / "news_feeds.jsonl") == []
    assert EndlessHeaders.sent and max(EndlessHeaders.sent) < DEFAULT_MAX_HEADER_BYTES + (8 << 20)
    figures["huge_headers"] = {"connections": len(EndlessHeaders.sent), "max_mb_sent_per_connection":
                               round(max(EndlessHeaders.sent) / (1 << 20), 2), "cap_mb_offered": CAP >> 20}
