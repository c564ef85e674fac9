"""Crawl the bundled recordings: base settings, bytes from the loopback replay server.

Only the download handler and the pace change; spiders, pipelines and the
retry policy are the live ones. REPLAY_URL names a running replay server;
unset, the handler starts one in-process on a free port.
"""

import os

from .base import *  # noqa: F403

DOWNLOAD_HANDLERS = {
    "http": "crawlers.replay_handler.ReplayDownloadHandler",
    "https": "crawlers.replay_handler.ReplayDownloadHandler",
}
REPLAY_URL = os.environ.get("REPLAY_URL", "")
CRAWL_MODE = "recordings"
REPLAY_RECORDINGS = ""  # the crawl command sets the topic's recordings/ (default: topics.directory())

# Loopback answers at once: keep the per-host limits, drop the waiting.
DOWNLOAD_DELAY = 0.01
AUTOTHROTTLE_ENABLED = False
RETRY_BACKOFF_BASE = 0.05
RETRY_BACKOFF_MAX = 0.5
RETRY_AFTER_MAX = 30.0
DOWNLOAD_TIMEOUT = 10
