"""Item pipelines, in order: validate -> mend text -> sanitise -> stamp -> drop duplicates -> export.

Each drop raises DropItem with a short reason; CrawlRecorder counts it under
``dropped/<reason>`` and writes it to ``<spider>.dropped.jsonl``, so the run
summary says what was skipped and why. Ingest into SQLite is db/'s job: the
JSON Lines written here are the saved artefact the database is rebuilt from.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import fields
from pathlib import Path

from scrapy.exceptions import DropItem

from .html import sanitise, strip_tags
from .items import Document, InvalidDocument, validate_document


class ValidateDocument:
    def __init__(self, strict: bool):
        self.strict = strict

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getbool("VALIDATION_STRICT"))

    def process_item(self, item, spider=None):
        if not isinstance(item, Document):
            raise DropItem(f"invalid: not a Document ({type(item).__name__})")
        try:
            validate_document(item)
        except InvalidDocument as exc:
            raise DropItem(f"invalid: {exc.field or 'document'}: {exc.reason}") from exc
        return item


LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # a str from JSON keeps no valid pair: any left is lone


def _mended(value):
    """value with every lone surrogate replaced by U+FFFD; how many were."""
    if isinstance(value, str):
        return LONE_SURROGATE.subn("\ufffd", value)
    if isinstance(value, list):
        pairs = [_mended(v) for v in value]
        return [v for v, _ in pairs], sum(n for _, n in pairs)
    if isinstance(value, dict):
        pairs = {_mended(k)[0]: _mended(v) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, sum(n for _, n in pairs.values())
    return value, 0


class MendText:
    """A lone surrogate (a JSON escape like \\ud800 with no pair) cannot be written as UTF-8: the document
    was lost with '0 dropped, 0 failed' (#18). It is kept, each one replaced by U+FFFD, and counted
    (repaired/lone_surrogate, shown in the run's errors)."""

    def __init__(self, stats=None):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item: Document, spider=None):
        mended = 0
        for f in fields(item):
            value, n = _mended(getattr(item, f.name))
            if n:
                setattr(item, f.name, value)
                mended += n
        if mended and self.stats is not None:
            self.stats.inc_value("repaired/lone_surrogate", mended)
        return item


class SanitiseHtml:
    """HTML fields through nh3; title, summary and names as plain text."""

    def process_item(self, item: Document, spider=None):
        item.html = sanitise(item.html) if item.html else None
        item.title = strip_tags(item.title) or item.title
        if item.summary:
            item.summary = strip_tags(item.summary)
        if item.outlet:
            item.outlet = strip_tags(item.outlet)
        return item


def content_hash(doc: Document) -> str:
    """What makes a new version: title, text and the fields a correction changes."""
    basis = json.dumps([doc.title, doc.text, doc.summary, doc.published], ensure_ascii=False)
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


class StampDocument:
    def process_item(self, item: Document, spider=None):
        item.content_hash = content_hash(item)
        return item


class DropDuplicates:
    """The same document twice in one run (it moved between result pages)."""

    def __init__(self):
        self.seen: dict[str, str] = {}

    def process_item(self, item: Document, spider=None):
        previous = self.seen.get(item.id)
        if previous == item.content_hash:
            raise DropItem("duplicate: seen earlier in this run")
        self.seen[item.id] = item.content_hash
        return item


def open_output(path: Path, settings):
    """A JSON-lines output for this run: rewritten by a fresh run, appended to by a run that
    resumes a JOBDIR (what the paused run wrote stays). A line a killed run left unfinished is
    ended, so it stays one bad line that ingest reports, not two."""
    if not settings.get("JOBDIR"):
        return open(path, "w", encoding="utf-8")
    if path.exists() and path.stat().st_size:
        with open(path, "rb") as handle:
            handle.seek(-1, 2)
            unfinished = handle.read(1) != b"\n"
        if unfinished:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write("\n")
    return open(path, "a", encoding="utf-8")


class ExportJsonLines:
    """One JSON object per line in CRAWL_OUTPUT_DIR/<spider>.jsonl (appended to when resuming a JOBDIR)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.out_dir = Path(crawler.settings.get("CRAWL_OUTPUT_DIR"))
        self.handle = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.handle = open_output(self.out_dir / f"{self.crawler.spider.name}.jsonl", self.crawler.settings)

    def process_item(self, item: Document, spider=None):
        try:
            line = json.dumps(item.to_dict(), ensure_ascii=False, sort_keys=True) + "\n"
            line.encode("utf-8")
        except (TypeError, ValueError) as exc:  # never lost unsaid: dropped, with the reason
            raise DropItem(f"unwritable: {type(exc).__name__}: {exc}"[:300]) from exc
        self.handle.write(line)
        self.handle.flush()  # a worker killed mid-crawl leaves every finished item on disk
        return item

    def close_spider(self, spider=None):
        if self.handle:
            self.handle.close()
