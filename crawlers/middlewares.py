"""Downloader middleware: retries that respect the server, and redirects that stay on it.

Scrapy's own RetryMiddleware retries 429 and 5xx at once and ignores
Retry-After (scrapy/scrapy#3849). PoliteRetryMiddleware replaces it:

- a 429 (or a 503 with Retry-After) pauses that host for the time the server
  asked, in seconds or as an HTTP date, capped by RETRY_AFTER_MAX; every request
  to the host waits without blocking the reactor, whether it is still on its way
  to the downloader or already queued in the host's slot (DOWNLOAD_DELAY must
  be above 0 for the slot hold; both settings modules keep it so);
- other retryable statuses and connection errors back off exponentially
  (RETRY_BACKOFF_BASE * 2**n, at most RETRY_BACKOFF_MAX) for that request;
- both are bounded (RETRY_TIMES, RETRY_AFTER_TIMES); a request that runs out
  goes to the spider's errback, which records it as a crawl failure.

RedirectGuardMiddleware refuses, before Scrapy's RedirectMiddleware follows it,
a redirect that leaves the spider's allowed domains (a cloud metadata address, a
tracker), goes to another scheme (``file:``) or back to a URL already in the
chain. Scrapy would drop those requests silently (offsite and duplicate filters
run when the new request is scheduled, and no errback hears of it); refused
here, they reach the errback as IgnoreRequest with the reason, so the failure is
recorded and the spider keeps what it already had (the search result).
"""

from __future__ import annotations

import time
import weakref
from email.utils import parsedate_to_datetime

from urllib.parse import urljoin, urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.task import deferLater


def parse_retry_after(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isascii() and text.isdigit():  # str.isdigit() also takes "²" and other Unicode digits
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    return max(0.0, moment.timestamp() - (now if now is not None else time.time()))


class PoliteRetryMiddleware(RetryMiddleware):
    # Pauses are per host and shared by every crawler in the process: two spiders
    # that query the same API (written questions and statements) wait together.
    paused_until: dict[str, float] = {}
    instances: "weakref.WeakSet[PoliteRetryMiddleware]" = weakref.WeakSet()

    def __init__(self, settings):
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 300.0)
        self.retry_after_times = settings.getint("RETRY_AFTER_TIMES", 5)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)
        PoliteRetryMiddleware.instances.add(self)

    async def process_request(self, request, spider=None):
        host = urlparse_cached(request).hostname or ""
        not_before = max(self.paused_until.get(host, 0.0), request.meta.get("retry_not_before", 0.0))
        wait = not_before - time.monotonic()
        if wait > 0:
            from twisted.internet import reactor  # the installed one; importing it early would install the default

            self.crawler.stats.inc_value("politeness/waits")
            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return None

    def process_response(self, request, response, spider=None):
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if response.status == 429 or (response.status == 503 and retry_after is not None):
            # the pause is owed to the host even when this request is not retried (robots.txt)
            return self._pause_and_retry(request, response, retry_after)
        if request.meta.get("dont_retry", False):
            return response
        result = super().process_response(request, response)
        return self._with_backoff(result)

    def process_exception(self, request, exception, spider=None):
        return self._with_backoff(super().process_exception(request, exception))

    def _pause_and_retry(self, request, response, retry_after):
        wait = retry_after if retry_after is not None else self.backoff_base
        stats = self.crawler.stats
        stats.inc_value(f"politeness/http_{response.status}")
        if wait > self.retry_after_max:
            stats.inc_value("politeness/retry_after_too_long")
            return response
        host = urlparse_cached(request).hostname or ""
        until = time.monotonic() + wait
        self.paused_until[host] = max(self.paused_until.get(host, 0.0), until)
        for instance in list(PoliteRetryMiddleware.instances):
            instance._hold_slot(request, host, until)
        if request.meta.get("dont_retry", False):
            return response
        retry = get_retry_request(
            request, spider=self.crawler.spider, reason=f"{response.status} Retry-After {wait:g}s",
            max_retry_times=request.meta.get("max_retry_after_times", self.retry_after_times),
            stats_base_key="retry_after",
        )
        return retry or response

    def _hold_slot(self, request, host: str, until: float) -> None:
        """Requests already queued in the host's download slot wait too.

        The downloader sends the next queued request once ``lastseen + delay`` has
        passed; moving ``lastseen`` to the end of the pause holds the queue there.
        """
        engine = getattr(getattr(self, "crawler", None), "engine", None)
        downloader = getattr(engine, "downloader", None)
        slot = downloader.slots.get(request.meta.get("download_slot", host)) if downloader else None
        if slot is not None:
            slot.lastseen = max(slot.lastseen, until)

    def _with_backoff(self, result):
        if result is not None and hasattr(result, "meta") and hasattr(result, "callback"):
            tries = result.meta.get("retry_times", 1)
            delay = min(self.backoff_max, self.backoff_base * 2 ** (tries - 1))
            result.meta["retry_not_before"] = time.monotonic() + delay
        return result


class RedirectGuardMiddleware:
    """Refuse redirects off the source, to other schemes, or in a loop (see the module's docstring)."""

    REDIRECTS = {301, 302, 303, 307, 308}

    def __init__(self, crawler=None):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        spider = spider or (self.crawler.spider if self.crawler else None)
        if response.status not in self.REDIRECTS or b"Location" not in response.headers \
                or request.meta.get("dont_redirect"):
            return response
        location = response.headers[b"Location"].decode("latin-1").strip()
        target = urljoin(request.url, location)
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https"):
            raise IgnoreRequest(f"refused redirect to a {parts.scheme or 'relative'}: URL: {target[:200]}")
        allowed = getattr(spider, "allowed_domains", None) or []
        host = (parts.hostname or "").lower()
        if allowed and not any(host == d or host.endswith("." + d) for d in allowed):
            raise IgnoreRequest(f"refused redirect off the source to {host}: {target[:200]}")
        chain = set(request.meta.get("redirect_urls", [])) | {request.url}
        if target in chain:
            raise IgnoreRequest(f"refused redirect loop back to {target[:200]}")
        return response
