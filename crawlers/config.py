"""Read crawlers/sources.yml: the sources, their searches and feeds, the topic."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

SOURCES_FILE = Path(__file__).parent / "sources.yml"


@lru_cache(maxsize=None)
def load(path: str | None = None) -> dict:
    return yaml.safe_load(Path(path or SOURCES_FILE).read_text(encoding="utf-8"))


def sources(path: str | None = None) -> dict[str, dict]:
    return load(path)["sources"]


def source(name: str, path: str | None = None) -> dict:
    try:
        return sources(path)[name]
    except KeyError:
        raise KeyError(f"no source {name!r} in {path or SOURCES_FILE}") from None
