"""Scrapy download handler for replay mode: same spiders, recorded answers.

Installed for http and https by crawlers.settings.replay. Each request keeps
its real URL everywhere in Scrapy (offsite, robots, per-host slots, retries,
items, the bound on response headers of crawlers/download.py); only the bytes
come from the replay server, which this handler asks at ``REPLAY_URL`` (or
starts itself on a free loopback port when unset, serving ``REPLAY_RECORDINGS``:
the topic's recordings folder).
"""

from __future__ import annotations

import logging
import time

from scrapy.utils.httpobj import urlparse_cached

from .download import BoundedHTTP11DownloadHandler
from .middlewares import PoliteRetryMiddleware
from .replay import Recordings, replay_address, serve

logger = logging.getLogger(__name__)


class ReplayDownloadHandler(BoundedHTTP11DownloadHandler):
    _own_server = None  # one in-process server per Python process

    def __init__(self, crawler):
        super().__init__(crawler)
        self._crawler = crawler
        base = crawler.settings.get("REPLAY_URL")
        if not base:
            if ReplayDownloadHandler._own_server is None:
                folder = crawler.settings.get("REPLAY_RECORDINGS")
                ReplayDownloadHandler._own_server = serve(recordings=Recordings(folder) if folder else None)
                logger.info("replay server started at %s", ReplayDownloadHandler._own_server.url)
            base = ReplayDownloadHandler._own_server.url
        self.base = base

    async def download_request(self, request):
        headers = request.headers.copy()
        headers.update(self._stamps(request))
        forwarded = request.replace(url=replay_address(self.base, request.url), headers=headers)
        response = await super().download_request(forwarded)
        return response.replace(url=request.url, request=request)

    def _stamps(self, request) -> dict:
        """What the crawler knew when it sent this request, for the politeness tests to judge by its
        own clock rather than by arrival times that a busy machine stretches (#18): when it sent it,
        the host's Retry-After pause, and how long the host's download slot is held."""
        host = urlparse_cached(request).hostname or ""
        engine = getattr(self._crawler, "engine", None)
        slots = getattr(getattr(engine, "downloader", None), "slots", {})
        slot = slots.get(request.meta.get("download_slot", host))
        return {"X-Replay-Sent": f"{time.monotonic():.6f}",
                "X-Replay-Paused-Until": f"{PoliteRetryMiddleware.paused_until.get(host, 0.0):.6f}",
                "X-Replay-Slot-Held-Until": f"{slot.lastseen if slot is not None else 0.0:.6f}"}
