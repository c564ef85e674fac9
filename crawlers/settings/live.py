"""Crawl the real services: base settings plus the HTTP cache for conditional GETs.

    SCRAPY_SETTINGS_MODULE=crawlers.settings.live python -m crawlers crawl --all
"""

from .base import *  # noqa: F403

INCREMENTAL = True  # ask only for what is new since the last successful run
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"  # If-None-Match / If-Modified-Since
HTTPCACHE_DIR = "httpcache"
