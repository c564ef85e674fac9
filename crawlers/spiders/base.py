"""PolicySpider: what every spider shares.

- ``source``: the spider's entry in sources.yml with the topic's searches and feeds;
- ``api_request()``: a request built from the base URL and parameters;
- ``@parses_json``: callbacks get parsed JSON; a cut-off body is asked again, bounded;
- ``each_record()``: one broken record is logged and skipped, the rest kept;
- ``on_error()``: the errback that records a failure (URL, status, reason);
- ``hit_limit()``: a cap, window or bound that leaves something out, logged and counted;
- ``follow_api_url()``: a URL the API handed us (next page, full text), only on the source;
- ``archive()``: the raw bytes, gzip-compressed and content-addressed;
- ``document()``: a Document with the fields every source fills the same way;
- ``date()``: a source date, or None with the raw text kept and a warning.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import logging
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import scrapy
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.spidermiddlewares.httperror import HttpError

from .. import config
from ..dates import source_date
from ..feeds import MAX_PERSON_FIELD, ParsedFeed, parse_feed
from ..items import Document

logger = logging.getLogger(__name__)


class PolicySpider(scrapy.Spider):
    name = ""

    def __init__(self, *args, topic: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = config.source(self.name, topic)
        self.allowed_domains = sorted({urlsplit(self.source["base_url"]).hostname}
                                      | {urlsplit(u).hostname for u in self.source.get("feeds", [])})
        self.failures: list[dict] = []
        self.limits: list[dict] = []
        self._archive_dir: Path | None = None

    @classmethod
    def update_settings(cls, settings):
        """With JOBDIR_ROOT (``crawl --jobdir``), each spider keeps its own JOBDIR: Scrapy's
        pause/resume state (pending requests, seen fingerprints) cannot be shared."""
        super().update_settings(settings)
        root = settings.get("JOBDIR_ROOT")
        if root and cls.name:
            settings.set("JOBDIR", str(Path(root) / cls.name), priority="spider")

    # -- requests -------------------------------------------------------------

    async def start(self):
        """Scrapy >= 2.13 entry point; spiders write the synchronous start_requests()."""
        for request in self.start_requests():
            yield request

    def start_requests(self):
        return []

    def api_request(self, path: str, params: dict | None = None, **kwargs) -> scrapy.Request:
        query = f"?{urlencode(params, doseq=True)}" if params else ""
        url = f"{self.source['base_url'].rstrip('/')}{path}{query}"
        kwargs.setdefault("errback", self.on_error)
        return scrapy.Request(url, **kwargs)

    def searches(self) -> list[dict]:
        """The configured searches; on an incremental run, only what is new: the source's
        ``incremental_param`` set to two days before the last clean run, written as the source's
        ``incremental_value`` says (``{date}`` by default; GOV.UK wants ``from:{date}``). With a
        list of parameters (answered since, corrected since), each search is asked once per
        parameter: the API's filters combine with AND, what is new is either."""
        searches = [dict(s) for s in self.source.get("searches", [])]
        since = self.last_success()
        keys = self.source.get("incremental_param")
        if not since or not keys:
            return searches
        start = (since - timedelta(days=2)).isoformat()
        value = self.source.get("incremental_value", "{date}").format(date=start)
        keys = [keys] if isinstance(keys, str) else list(keys)
        return [{**search, key: search.get(key, value)} for search in searches for key in keys]

    def last_success(self) -> date | None:
        settings = getattr(self, "settings", None)
        if not settings or not settings.getbool("INCREMENTAL"):
            return None
        path = Path(settings.get("CRAWL_STATE_FILE"))
        if not path.exists():
            return None
        state = json.loads(path.read_text() or "{}")
        last = state.get(self.name, {}).get("last_success")
        return date.fromisoformat(last[:10]) if last else None

    # -- responses ------------------------------------------------------------

    def retry_bad_body(self, response, reason: str):
        """Ask again (bounded) for a body that came back cut off; else record it."""
        self.crawler.stats.inc_value("errors/bad_body")
        self.logger.warning("bad body from %s: %s", response.url, reason)
        retry = get_retry_request(
            response.request, spider=self, reason="bad_body",
            max_retry_times=self.settings.getint("BAD_BODY_RETRIES", 2),
        )
        if retry is None:
            self.record_failure(response.url, response.status, reason)
        return retry

    def each_record(self, response, records, build):
        """build(record) for every record; a record that breaks is logged and skipped."""
        if not isinstance(records, list):
            self.record_failure(response.url, response.status, f"drift: expected a list, got {type(records).__name__}")
            return
        for position, record in enumerate(records):
            try:
                result = build(record)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                self.crawler.stats.inc_value("errors/bad_record")
                self.logger.warning("skipped record %d of %s: %s: %s", position, response.url,
                                    type(exc).__name__, exc)
                self.failures.append({"source": self.name, "url": response.url, "status": response.status,
                                      "reason": f"bad record {position}: {type(exc).__name__}: {exc}"[:300],
                                      "at": _now()})
                continue
            if result is not None:
                yield result

    def on_error(self, failure):
        request = failure.request
        if failure.check(HttpError):
            status = failure.value.response.status
            reason = f"HTTP {status}"
        else:
            status = None
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:300]
        self.record_failure(request.url, status, reason)
        fallback = request.meta.get("fallback")
        if fallback is not None:
            yield fallback

    def hit_limit(self, kind: str, url: str, detail: str) -> None:
        """Something left out on purpose (a paging cap, a result window, a field cut to its bound):
        logged, counted as ``limits/<kind>`` (crawl_runs.errors) and never silent. A run that hit one
        is not clean: the next incremental run does not start after it."""
        self.crawler.stats.inc_value(f"limits/{kind}")
        self.logger.warning("limit %s at %s: %s", kind, url, detail)
        self.limits.append({"source": self.name, "kind": kind, "url": url, "detail": detail[:300],
                            "at": _now()})

    def follow_api_url(self, response, url, what: str, **kwargs) -> scrapy.Request | None:
        """A request for a URL the API gave us, when it stays on the source over HTTP(S); otherwise
        a failure with the reason (Scrapy's offsite filter would drop it silently, #18)."""
        if not isinstance(url, str) or not url.strip():
            return None
        target = urljoin(response.url, url.strip())
        parts = urlsplit(target)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https"):
            self.record_failure(target[:300], None, f"refused {what}: {parts.scheme or 'relative'}: URL")
            return None
        if not any(host == d or host.endswith("." + d) for d in self.allowed_domains):
            self.record_failure(target[:300], None, f"refused {what} off the source: {host}")
            return None
        kwargs.setdefault("errback", self.on_error)
        return scrapy.Request(target, **kwargs)

    def record_failure(self, url: str, status: int | None, reason: str) -> None:
        kind = f"http_{status}" if status else reason.split(":")[0].lower().replace(" ", "_")
        self.crawler.stats.inc_value(f"errors/{kind}")
        self.logger.warning("failed for good: %s (%s)", url, reason)
        self.failures.append({"source": self.name, "url": url, "status": status, "reason": reason,
                              "at": _now()})

    def archive(self, response) -> str:
        """Store the raw body once under RAW_ARCHIVE_DIR; return its sha256."""
        digest = hashlib.sha256(response.body).hexdigest()
        if self._archive_dir is None:
            self._archive_dir = Path(self.settings.get("RAW_ARCHIVE_DIR"))
        path = self._archive_dir / digest[:2] / f"{digest}.gz"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            with gzip.GzipFile(tmp, "wb", mtime=0) as handle:
                handle.write(response.body)
            tmp.replace(path)
        return digest

    def read_feed(self, response) -> ParsedFeed | None:
        """An RSS or Atom body through crawlers.feeds: a cut field is a limit, a feed that is no feed
        (empty, an HTML error page, nothing recoverable) a failure with its reason; None then."""
        feed = parse_feed(response.body, response.url, response.headers.get("Content-Type", b"").decode())
        self.crawler.stats.inc_value(f"feeds/{feed.outcome}")
        if feed.cut_fields:
            self.hit_limit("feed_field_cut", response.url, f"{feed.cut_fields} author field(s) cut to "
                                                           f"{MAX_PERSON_FIELD} characters before parsing")
        if feed.outcome == "failed":
            self.record_failure(response.url, response.status, f"malformed feed: {feed.error}")
            return None
        return feed

    # -- items ----------------------------------------------------------------

    def document(self, native_id, *, response, **fields) -> Document:
        native_id = str(native_id)
        fields.setdefault("jurisdiction", self.source.get("jurisdiction") or None)
        fields.setdefault("kind", self.source["kind"])
        fields.setdefault("api_url", response.url)
        return Document(
            id=f"{self.name}:{native_id}", source=self.name, native_id=native_id,
            retrieved_at=_now(), raw_ref=self.archive(response), **fields,
        )

    def date(self, raw, field: str, url: str) -> str | None:
        value = source_date(raw)
        if raw not in (None, "") and value is None:
            self.logger.warning("unparsed date in %s field %s: %r", url, field, raw)
            self.crawler.stats.inc_value("errors/bad_date")
        return value


def parses_json(callback):
    """Decorate a callback(self, response, data): cut-off JSON is asked again, bounded."""

    @functools.wraps(callback)
    def wrapper(self, response, **kwargs):
        try:
            data = json.loads(response.text)
        except (ValueError, AttributeError) as exc:
            retry = self.retry_bad_body(response, f"bad JSON: {exc}")
            if retry is not None:
                yield retry
            return
        yield from callback(self, response, data, **kwargs)

    return wrapper


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
