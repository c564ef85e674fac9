"""What a build reads, line by line: each line is taken, or skipped with its reason and counted (#18).

The build reads files others wrote (crawlers, `nlp extract`, a careless data provider). A line that is not
JSON, nests too deeply, is not an object or lacks what the tables need is skipped with the reason
(``Skipped``), never an exception that loses the lines after it. Invalid UTF-8 is replaced by U+FFFD (as
`nlp extract` does, so offsets agree) and counted as mended. A document's link must be http(s): a
``javascript:`` URL is never published as a link.

The checks are the fields ingest uses, in plain Python (crawlers/document.schema.json through jsonschema
costs more than the whole ingest at a million documents); the crawler validates the full schema.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Iterator

LINK_SCHEMES = ("http://", "https://")


class Skipped:
    """Lines skipped (by reason) and mended while reading; the build's summary and --strict use it."""

    def __init__(self):
        self.reasons: Counter = Counter()
        self.examples: dict[str, str] = {}
        self.mended = 0

    def add(self, where: str, reason: str) -> None:
        self.reasons[reason] += 1
        self.examples.setdefault(reason, where)

    @property
    def count(self) -> int:
        return sum(self.reasons.values())

    def summary(self) -> str:
        if not self.reasons:
            return "skipped 0 malformed line(s)"
        return f"skipped {self.count} malformed line(s): " + "; ".join(
            f"{reason} ({n}, first at {self.examples[reason]})" for reason, n in self.reasons.most_common())


def read_jsonl(path: Path, skipped: Skipped, check=None) -> Iterator[dict]:
    """The JSON objects of a JSON Lines file that pass ``check`` (a function returning a problem or None)."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            where = f"{Path(path).name}:{number}"
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode("utf-8", errors="replace")
                skipped.mended += 1
            try:
                record = json.loads(line)
            except RecursionError:
                skipped.add(where, "nested too deeply")
                continue
            except ValueError:
                skipped.add(where, "not JSON")
                continue
            problem = "not a JSON object" if not isinstance(record, dict) else check(record) if check else None
            if problem:
                skipped.add(where, problem)
                continue
            yield record


def _str(value) -> bool:
    return isinstance(value, str)


def _optional_str(value) -> bool:
    return value is None or isinstance(value, str)


def is_link(url) -> bool:
    return isinstance(url, str) and url.lower().startswith(LINK_SCHEMES)


DOC_TEXTS = ("id", "source", "kind", "title", "text")
DOC_OPTIONAL = ("html", "summary", "published", "published_raw", "jurisdiction", "department", "outlet",
                "retrieved_at", "content_hash", "raw_ref")


def document_problem(doc: dict) -> str | None:
    """Why a crawled document cannot be ingested, or None."""
    for name in DOC_TEXTS:
        if not _str(doc.get(name)):
            return f"document: {name} missing or not a string"
    if not doc["id"]:
        return "document: empty id"
    if not isinstance(doc.get("native_id"), (str, int)) or isinstance(doc.get("native_id"), bool):
        return "document: native_id missing or not a string"
    if not is_link(doc.get("url")):
        return "document: url is not an http(s) link"
    if doc.get("api_url") is not None and not is_link(doc["api_url"]):
        return "document: api_url is not an http(s) link"
    for name in DOC_OPTIONAL:
        if not _optional_str(doc.get(name)):
            return f"document: {name} is not a string"
    if not isinstance(doc.get("people") or [], list) or not isinstance(doc.get("organisations") or [], list):
        return "document: people or organisations is not a list"
    if not isinstance(doc.get("extra") or {}, dict):
        return "document: extra is not an object"
    return None


def extraction_problem(record: dict) -> str | None:
    """Why an extraction record cannot be ingested, or None. A failed record ({"id", "failed"}) is fine:
    the build keeps that document's earlier actions."""
    if not isinstance(record.get("id"), (str, int)) or record.get("id") in ("", None):
        return "extraction: id missing"
    if "failed" in record:
        return None
    mentions, actions = record.get("mentions") or [], record.get("actions") or []
    if not isinstance(mentions, list) or not isinstance(actions, list):
        return "extraction: mentions or actions is not a list"
    for m in mentions:
        if not (isinstance(m, dict) and _str(m.get("label")) and _str(m.get("name")) and _str(m.get("text"))
                and _int(m.get("start")) and _int(m.get("end"))):
            return "extraction: a mention lacks label, name, text, start or end"
    for a in actions:
        if not (isinstance(a, dict) and _str(a.get("type")) and _str(a.get("evidence")) and _int(a.get("start"))
                and _int(a.get("end")) and _optional_str(a.get("actor")) and _optional_str(a.get("date"))):
            return "extraction: an action lacks type, evidence, start or end"
        vendors = a.get("vendors")
        if vendors is not None and not (isinstance(vendors, list) and all(_str(v) for v in vendors)):
            return "extraction: an action's vendors is not a list of names"
    return None


def _int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def failure_problem(record: dict) -> str | None:
    if not (_str(record.get("source")) and _str(record.get("url"))):
        return "crawl failure: source or url missing"
    return None


def dropped_problem(record: dict) -> str | None:
    if not (_str(record.get("source")) and _str(record.get("reason"))):
        return "crawl drop: source or reason missing"
    return None
