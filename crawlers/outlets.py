"""Who published a news story, and where: outlet name, its site and its country (crawlers/outlets.yml).

An aggregator's item (Google News) names its outlet in ``<source url=...>`` and at the end of its
headline ("... - The Times"); its link is the aggregator's redirect, so the outlet's site is kept
beside it. A publisher's own feed is its outlet: the name comes from outlets.yml, else the host
(a feed's title, "News | Mail Online", is not an outlet name). The country is the document's
jurisdiction: outlets.yml by host or name, else a country-code domain, else none (never guessed).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .html import strip_tags

OUTLETS_FILE = Path(__file__).parent / "outlets.yml"


@dataclass
class Outlet:
    name: str | None
    site: str | None
    country: str | None


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(OUTLETS_FILE.read_text(encoding="utf-8")) or {}


def host(url: str | None) -> str:
    name = (urlsplit(url or "").hostname or "").lower()
    return name[4:] if name.startswith("www.") else name


def is_aggregator(feed_url: str) -> bool:
    return host(feed_url) in set(_data().get("aggregators", []))


def country(site: str | None, name: str | None = None) -> str | None:
    data = _data()
    known = (data.get("outlets") or {}).get(host(site)) or {}
    if known.get("country"):
        return known["country"]
    if name and name in (data.get("by_name") or {}):
        return data["by_name"][name]
    code = host(site).rsplit(".", 1)[-1] if site else ""
    return (data.get("country_codes") or {}).get(code)


def outlet_of(entry, feed_url: str, link: str) -> Outlet:
    """The outlet of one feed entry (feedparser's dict)."""
    if is_aggregator(feed_url):
        source = entry.get("source") or {}
        name = strip_tags(source.get("title")) or headline_suffix(strip_tags(entry.get("title")))
        site = source.get("href") or None
        return Outlet(name or None, site, country(site, name))
    site = f"{urlsplit(link).scheme}://{urlsplit(link).netloc}" if urlsplit(link).netloc else None
    known = (_data().get("outlets") or {}).get(host(link)) or {}
    name = known.get("name") or host(link) or None
    return Outlet(name, site, country(site, name))


def headline_suffix(headline: str) -> str:
    """'Story - The Times' -> 'The Times' (an aggregator's headline ends with its outlet)."""
    return headline.rsplit(" - ", 1)[1].strip() if " - " in headline else ""
