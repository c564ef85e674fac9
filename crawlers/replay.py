"""A loopback HTTP server that replays a topic's recordings/ by the index's rule.

The rule (recordings/README.md): match method, scheme, host, path and the
multiset of decoded query pairs in any order; when several entries share a
request, serve attempt 1 to the first request, attempt 2 to the second and the
highest attempt after that; serve status, headers and bytes unchanged; answer an
unrecorded request with 404 and a log line naming the URL.

The server addresses an original URL ``https://host/path?q`` as
``http://127.0.0.1:PORT/https/host/path?q`` (see :func:`replay_address`).

Fault injection (for the reliability tests) is opt-in through :class:`Faults`:
429 with Retry-After on every Nth request, a share of 5xx and of dropped
connections, all seeded so a run is repeatable. Injected faults do not use up
recorded attempts. Every request is appended to ``server.log``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import topics

logger = logging.getLogger(__name__)



def request_key(method: str, url: str) -> tuple:
    """The replay rule's identity of a request: order-free, encoding-free."""
    parts = urlsplit(url)
    pairs = tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return (method.upper(), parts.scheme, parts.hostname or "", parts.path or "/", pairs)


def replay_address(base: str, url: str) -> str:
    """Where the replay server at ``base`` answers for the original ``url``."""
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{base.rstrip('/')}/{parts.scheme}/{parts.netloc}{parts.path or '/'}{query}"


def original_address(path_and_query: str) -> str:
    """Inverse of :func:`replay_address` for the server's request line."""
    scheme, _, rest = path_and_query.lstrip("/").partition("/")
    return f"{scheme}://{rest}"


FORMATS = Path(__file__).parent / "formats"  # real bodies of each service, whatever the topic


class Recordings:
    """index.json loaded and grouped by request key, attempts sorted (by default the chosen
    topic's recordings/, see topics.directory), followed by crawlers/formats/: the services'
    real response bodies, which every replay serves and the spiders' contracts read."""

    def __init__(self, root: Path | None = None, formats: Path | None = FORMATS):
        self.root = Path(root) if root is not None else topics.directory() / "recordings"
        self.entries = []
        for folder in (self.root, formats):
            if folder is None:
                continue
            index = json.loads((Path(folder) / "index.json").read_text(encoding="utf-8"))
            self.entries += [dict(entry, _root=str(folder)) for entry in index["entries"]]
        self.by_key: dict[tuple, list[dict]] = defaultdict(list)
        for entry in self.entries:
            self.by_key[request_key(entry["method"], entry["url"])].append(entry)
        for attempts in self.by_key.values():
            attempts.sort(key=lambda e: e.get("attempt", 1))

    def lookup(self, method: str, url: str, attempt: int) -> dict | None:
        attempts = self.by_key.get(request_key(method, url))
        if not attempts:
            return None
        return attempts[min(attempt, len(attempts)) - 1]

    def body(self, entry: dict) -> bytes:
        return (Path(entry.get("_root", self.root)) / entry["file"]).read_bytes()


@dataclass
class Faults:
    """Injected faults; all off by default."""

    retry_after_every: int = 0  # every Nth request gets 429 + Retry-After
    retry_after: str = "1"  # seconds, or an HTTP date
    error_rate: float = 0.0  # share of requests answered 503
    drop_rate: float = 0.0  # share of requests whose connection is dropped
    delay: float = 0.0  # seconds before every answer (a slow service)
    seed: int = 0
    hold: threading.Event | None = None  # when given, no answer before it is set (tests start workers in step)


class ReplayServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address=("127.0.0.1", 0), recordings: Recordings | None = None,
                 faults: Faults | None = None, etag: bool = False):
        super().__init__(address, ReplayHandler)
        self.etag = etag  # ETag mode: every 200 carries an ETag; a matching If-None-Match gets 304
        self.recordings = recordings or Recordings()
        self.faults = faults or Faults()
        self.random = random.Random(self.faults.seed)
        self.lock = threading.Lock()
        self.served = Counter()  # request key -> recorded attempts served
        self.count = 0
        self.had_429: set[str] = set()  # requests whose last answer was an injected 429
        self.owed_429 = False  # the 429 due to a request that had one last time goes to the next request
        self.log: list[dict] = []

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "ReplayServer":
        thread = threading.Thread(target=self.serve_forever, name="replay", daemon=True)
        thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def decide(self, method: str, url: str) -> tuple[str, dict | None]:
        """Pick the outcome of one request under the lock: fault or entry."""
        with self.lock:
            self.count += 1
            f = self.faults
            key = request_key(method, url)
            if f.retry_after_every and (self.count % f.retry_after_every == 0 or self.owed_429):
                # never to the same request twice in a row: hosts paused together resume together, in the
                # same order, and a fixed cycle then gave one URL every 429 until its retries ran out (#18)
                self.owed_429 = key in self.had_429
                if not self.owed_429:
                    self.had_429.add(key)
                    return "429", None
            self.had_429.discard(key)
            roll = self.random.random()
            if roll < f.drop_rate:
                return "drop", None
            if roll < f.drop_rate + f.error_rate:
                return "503", None
            self.served[key] += 1
            return "entry", self.recordings.lookup(method, url, self.served[key])


class ReplayHandler(BaseHTTPRequestHandler):
    server: ReplayServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart (Nagle + delayed ACK)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        logger.debug("replay: " + format, *args)

    def _record(self, url: str, status: int | str) -> dict:
        record = {"time": time.monotonic(), "method": self.command, "url": url, "host": urlsplit(url).hostname,
                  "status": status, "headers": dict(self.headers.items()), "bytes": 0}
        self.server.log.append(record)
        return record

    def _send(self, status: int, headers: dict, body: bytes) -> None:
        if isinstance(self._current["status"], int):  # injected faults keep their names ("429", "503")
            self._current["status"] = status
        self._current["bytes"] = len(body)
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - http.server's naming
        url = original_address(self.path)
        if self.server.faults.hold is not None:
            self.server.faults.hold.wait()
        if self.server.faults.delay:
            time.sleep(self.server.faults.delay)
        outcome, entry = self.server.decide(self.command, url)
        self._current = self._record(url, outcome if outcome != "entry" else (entry or {}).get("status", 404))
        if outcome == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if outcome == "429":
            self._send(429, {"Retry-After": self.server.faults.retry_after,
                             "Content-Type": "text/plain"}, b"rate limited (injected)\n")
            return
        if outcome == "503":
            self._send(503, {"Content-Type": "text/plain"}, b"unavailable (injected)\n")
            return
        if entry is None:
            level = logging.DEBUG if url.endswith("/robots.txt") else logging.WARNING
            logger.log(level, "replay: no recording for %s %s", self.command, url)
            self._send(404, {"Content-Type": "text/plain"},
                       f"not recorded: {url}\n".encode())
            return
        body = self.server.recordings.body(entry)
        headers = dict(entry.get("response_headers", {}))
        if self.server.etag and entry["status"] == 200:
            tag = headers.get("ETag") or f'"{hashlib.sha1(body).hexdigest()[:20]}"'
            headers["ETag"] = tag
            if self.headers.get("If-None-Match") == tag:
                self._send(304, {"ETag": tag}, b"")
                return
        self._send(entry["status"], headers, body)

    do_HEAD = do_GET


def serve(port: int = 0, faults: Faults | None = None, etag: bool = False,
          recordings: Recordings | None = None) -> ReplayServer:
    """Start a replay server on 127.0.0.1 (a free port by default) for some recordings (by default
    the chosen topic's)."""
    return ReplayServer(("127.0.0.1", port), recordings=recordings, faults=faults, etag=etag).start()
