"""Build the served database: copy the live one, migrate, ingest, index, check, publish.

The live file is never written in place (RELIABILITY.md §5): the build works
on a temporary copy beside it, runs ``PRAGMA integrity_check`` and a row-count
gate, then ``os.replace()``s the copy over the live file. A crash at any point
leaves the live database exactly as it was; the next build starts afresh.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import sqlite_utils

import topics
from crawlers import config
from nlp.topic import Topic

from . import directory, events, ingest, listing, schema, summaries


CACHE_KIB = 256 * 1024  # SQLite's page cache while building (its default is 2 MB)


class PublishRefused(RuntimeError):
    """The new build failed a check; the live database was left as it was."""


class OtherTopic(PublishRefused):
    """The database was built for another topic; building into it would mix two topics."""


@dataclass
class BuildReport:
    out: str
    build_id: str
    counts: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)


def read_jsonl(path: Path, errors: list | None = None) -> Iterator[dict]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except ValueError as exc:
                if errors is not None:
                    errors.append(f"{path}:{number}: {exc}")


def crawl_files(crawl_dir: Path) -> dict[str, list[Path]]:
    files = sorted(Path(crawl_dir).glob("*.jsonl"))
    return {
        "documents": [f for f in files
                      if not f.name.endswith((".failures.jsonl", ".dropped.jsonl", ".limits.jsonl"))],
        "failures": [f for f in files if f.name.endswith(".failures.jsonl")],
        "dropped": [f for f in files if f.name.endswith(".dropped.jsonl")],
        "runs": sorted(Path(crawl_dir).glob("*.run.json")),
    }


def build(crawl_dir: str | Path, extracted: str | Path | None, out: str | Path,
          fresh: bool = False, max_drop: float = 0.2, progress: Callable[[str], None] | None = None,
          crash_at: str | None = None, topic: str | Path | None = None) -> BuildReport:
    """Build and publish ``out`` from a crawl folder and an extraction file, for a topic (a name under
    topics/ or a directory; default: the chosen topic, see topics.directory)."""
    vocabulary = Topic.from_dir(topics.directory(str(topic) if topic is not None else None))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda message: None)
    report = BuildReport(out=str(out), build_id=uuid.uuid4().hex[:12])
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".building", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        before = _row_counts(out) if out.exists() else {}
        if out.exists() and not fresh:
            built_for = topic_of(out)
            if built_for and built_for != vocabulary.name:
                raise OtherTopic(f"{out} holds topic {built_for!r}, not {vocabulary.name!r}; "
                                 "build into another file or start afresh (--fresh)")
            shutil.copyfile(out, tmp)
        else:
            tmp.unlink()
        _crash(crash_at, "copied")
        db = sqlite_utils.Database(tmp)
        db.execute("PRAGMA journal_mode = DELETE")
        db.execute("PRAGMA synchronous = OFF")
        db.execute(f"PRAGMA cache_size = {-CACHE_KIB}")  # the listing's joins and sorts touch every row
        schema.migrate(db)
        files = crawl_files(Path(crawl_dir))
        errors: list[str] = []
        with _timed(report, "ingest"), db.conn:
            ingest.ingest_sources(db, config.sources(str(topic) if topic is not None else None))
            ingest.ingest_vocabulary(db, vocabulary)
            say("ingesting documents")
            report.counts["documents"] = ingest.ingest_documents(db, _chain(files["documents"], errors),
                                                                 canonical=vocabulary.canonical_organisation)
            _crash(crash_at, "mid-ingest")
            ingest.ingest_runs(db, [json.loads(p.read_text()) for p in files["runs"]],
                               list(_chain(files["failures"], errors)), list(_chain(files["dropped"], errors)))
        if extracted:
            with _timed(report, "extractions"), db.conn:
                say("ingesting extractions")
                report.counts["extractions"] = ingest.ingest_extractions(db, read_jsonl(Path(extracted), errors))
        with _timed(report, "events"), db.conn:
            say("resolving events")
            report.counts["events"] = events.refresh(db, vocabulary)
        with _timed(report, "index"):
            say("rebuilding full-text indexes")
            for table in schema.FTS:
                db[table].rebuild_fts()
            _crash(crash_at, "mid-fts")
        with _timed(report, "listing"):
            say("laying out the listing, its summaries and the filter menus")
            listing.rebuild(db, say)
            directory.rebuild(db, say)  # the index, people and document pages (#17), from the listing's counts
            summaries.rebuild(db)  # vendor_summary, department_summary, scrutiny (#19)
            counts = db.execute("SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM actions), "
                                "(SELECT COUNT(*) FROM sources)").fetchone()
            db.conn.executemany("INSERT OR REPLACE INTO build_info VALUES (?, ?)", [
                ("build_id", report.build_id), ("schema_version", str(schema.SCHEMA_VERSION)),
                ("topic", vocabulary.name), *zip(("documents", "actions", "sources"), map(str, counts))])
            db.conn.commit()
        report.counts["bad_lines"] = len(errors)
        report.counts["rows"] = _row_counts_db(db)
        db.close()
        with _timed(report, "check"):
            check(tmp, before, report.counts["rows"], max_drop)
        _crash(crash_at, "before-swap")
        os.replace(tmp, out)
        return report
    finally:
        if tmp.exists():
            tmp.unlink()
        for suffix in ("-journal", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)


def check(path: Path, before: dict, after: dict, max_drop: float) -> None:
    """The publish gate: integrity, FTS consistency, no table shrinking by more than max_drop."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True)  # FTS integrity-check is an INSERT that writes nothing
        try:
            result = "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check").fetchmany(5))
            if result != "ok":
                raise PublishRefused(f"integrity_check failed: {result}")
            for table in schema.FTS:
                conn.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES('integrity-check')")
        finally:
            conn.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # a corrupt page can put any bytes in the report
        raise PublishRefused(f"{path} is not a sound database: {exc}") from exc
    for table, count in before.items():
        new = after.get(table, 0)
        if table in ("documents", "actions") and count and new < count * (1 - max_drop):
            raise PublishRefused(f"{table} would drop from {count} to {new} rows (over {max_drop:.0%})")


def topic_of(path: Path) -> str | None:
    """The topic a published database was built for (None for one built before topics)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM build_info WHERE key = 'topic'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def _row_counts(path: Path) -> dict:
    try:
        db = sqlite_utils.Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
        return _row_counts_db(db)
    except sqlite3.DatabaseError:
        return {}


def _row_counts_db(db) -> dict:
    return {t: db[t].count for t in schema.TABLES if t in db.table_names()}


def _chain(paths: Iterable[Path], errors: list) -> Iterator[dict]:
    for path in paths:
        yield from read_jsonl(path, errors)


class _timed:
    def __init__(self, report: BuildReport, name: str):
        self.report, self.name = report, name

    def __enter__(self):
        self.start = time.perf_counter()

    def __exit__(self, *exc):
        self.report.timings[self.name] = round(time.perf_counter() - self.start, 3)
        return False


def _crash(crash_at: str | None, point: str) -> None:
    """Test hook: die without cleaning up, as kill -9 would (reliability tests only)."""
    if crash_at == point:
        os._exit(137)
