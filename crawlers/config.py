"""The sources to crawl: crawlers/sources.yml (the services) merged with the topic's
sources.yml (what to ask them: searches and feeds).

A topic crawls the sources its sources.yml lists, in that order; each entry adds its
``searches`` and ``feeds`` to the service's definition.
"""

from __future__ import annotations

from pathlib import Path

import yaml

import topics

SOURCES_FILE = Path(__file__).parent / "sources.yml"


def _read(path: str) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}


def services() -> dict[str, dict]:
    """Every source the crawlers know, without a topic's questions."""
    return _read(str(SOURCES_FILE))["sources"]


def sources(topic: str | None = None) -> dict[str, dict]:
    """The chosen topic's sources, in its order, each with its searches and feeds."""
    asked = _read(str(topics.directory(topic) / "sources.yml"))
    known = services()
    unknown = sorted(set(asked) - set(known))
    if unknown:
        raise KeyError(f"{topics.directory(topic) / 'sources.yml'} names unknown source(s): {', '.join(unknown)}")
    return {name: {**known[name], **(questions or {})} for name, questions in asked.items()}


def source(name: str, topic: str | None = None) -> dict:
    """A source as the topic asks it; a service the topic does not ask has no searches or feeds (its spider
    still loads, for `scrapy check` and `scrapy list`, and asks nothing)."""
    asked = sources(topic)
    if name in asked:
        return asked[name]
    if name in services():
        return dict(services()[name])
    raise KeyError(f"no source {name!r} (see crawlers/sources.yml)")
