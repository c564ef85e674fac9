"""Build the served database: copy the live one, migrate, ingest, index, check, publish.

The live file is never written in place (RELIABILITY.md §5): the build works
on a temporary copy beside it, runs ``PRAGMA integrity_check`` and a row-count
gate, then ``os.replace()``s the copy over the live file. A crash at any point
leaves the live database exactly as it was; the next build starts afresh.
"""

from __future__ import annotations

import errno
import fcntl
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
from .records import (Skipped, document_problem, dropped_problem, extraction_problem, failure_problem,
                      read_jsonl)


CACHE_KIB = 256 * 1024  # SQLite's page cache while building (its default is 2 MB)


class PublishRefused(RuntimeError):
    """The new build failed a check; the live database was left as it was."""


class BuildRunning(PublishRefused):
    """Another build of the same database holds its lock."""


class OtherTopic(PublishRefused):
    """The database was built for another topic; building into it would mix two topics."""


@dataclass
class BuildReport:
    out: str
    build_id: str
    counts: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)


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
    with publish_lock(out):
        report.counts["stale_copies_removed"] = remove_stale_copies(out)
        return _build(crawl_dir, extracted, out, fresh, max_drop, say, crash_at, topic, vocabulary, report)


def _build(crawl_dir, extracted, out: Path, fresh: bool, max_drop: float, say, crash_at, topic, vocabulary,
           report: BuildReport) -> BuildReport:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".building", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        before = live_row_counts(out, max_drop) if out.exists() else {}
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
        if fresh and out.exists() and topic_of(out) in (None, vocabulary.name):
            events.carry_over(db, str(out))  # event ids and first_seen survive a rebuild from scratch (#15)
        files = crawl_files(Path(crawl_dir))
        skipped = Skipped()
        db.execute("CREATE TEMP TABLE build_crawled (id TEXT PRIMARY KEY)")
        db.execute("CREATE TEMP TABLE build_extracted (id TEXT PRIMARY KEY)")
        with _timed(report, "ingest"), db.conn:
            ingest.ingest_sources(db, config.sources(str(topic) if topic is not None else None))
            ingest.ingest_vocabulary(db, vocabulary)
            say("ingesting documents")
            documents = _noted(db, "build_crawled", _chain(files["documents"], skipped, document_problem))
            report.counts["documents"] = ingest.ingest_documents(db, documents,
                                                                 canonical=vocabulary.canonical_organisation)
            _crash(crash_at, "mid-ingest")
            ingest.ingest_runs(db, list(_runs(files["runs"], skipped)),
                               list(_chain(files["failures"], skipped, failure_problem)),
                               list(_chain(files["dropped"], skipped, dropped_problem)))
        if extracted:
            with _timed(report, "extractions"), db.conn:
                say("ingesting extractions")
                failed: dict = {"count": 0, "examples": []}
                records = _without_failed(_checked(_noted(db, "build_extracted", read_jsonl(
                    Path(extracted), skipped, _has_id)), skipped, extraction_problem), failed)
                report.counts["extractions"] = ingest.ingest_extractions(db, records)
                report.counts["extractions"]["failed"] = failed["count"]
                report.counts["failed_extractions"] = failed["examples"]
            missing = db.execute("SELECT COUNT(*) FROM build_crawled WHERE id NOT IN "
                                 "(SELECT id FROM build_extracted)").fetchone()[0]
            if missing:
                example = db.execute("SELECT id FROM build_crawled WHERE id NOT IN (SELECT id FROM build_extracted) "
                                     "LIMIT 1").fetchone()[0]
                raise PublishRefused(f"{missing} document(s) of this crawl have no extraction record in {extracted} "
                                     f"(e.g. {example}): a failed or partial `nlp extract`? Extract again.")
        db.execute("DROP TABLE temp.build_crawled")
        db.execute("DROP TABLE temp.build_extracted")
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
            # reports combine into an event's confidence only when the sentences' confidences are calibrated (#15)
            listing.rebuild(db, say, calibrated=vocabulary.data.get("confidence") is not None)
            directory.rebuild(db, say)  # the index, people and document pages (#17), from the listing's counts
            summaries.rebuild(db)  # vendor_summary, department_summary, scrutiny (#19)
            counts = db.execute("SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM actions), "
                                "(SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM sources)").fetchone()
            db.conn.executemany("INSERT OR REPLACE INTO build_info (key, value) VALUES (?, ?)", [
                ("build_id", report.build_id), ("schema_version", str(schema.SCHEMA_VERSION)),
                ("topic", vocabulary.name), *zip(("documents", "actions", "events", "sources"), map(str, counts))])
            db.conn.commit()
        report.counts["bad_lines"] = skipped.count
        report.counts["skipped"] = dict(skipped.reasons)
        report.counts["skipped_summary"] = skipped.summary()
        report.counts["mended_lines"] = skipped.mended
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


def live_row_counts(path: Path, max_drop: float) -> dict:
    """The published database's row counts, for the shrink check. A live file that cannot be read refuses the
    build: the check is never silently off (``--max-drop 1`` turns it off on purpose)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return _row_counts_db(sqlite_utils.Database(conn))
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if max_drop >= 1:
            return {}
        raise PublishRefused(f"cannot read the live database {path} to check the new build does not shrink it "
                             f"({exc}); repair or move it, or pass --max-drop 1 to publish without the check") from exc


def publish_lock(out: Path):
    """An exclusive lock on ``.<name>.lock`` beside the database for the whole build: a second build of the same
    file fails at once (PublishRefused) instead of both publishing. The kernel frees it if the build dies."""
    return _Lock(out.parent / f".{out.name}.lock")


class _Lock:
    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.handle = open(self.path, "a+")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self.handle.seek(0)
            holder = self.handle.read().strip() or "another process"
            self.handle.close()
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise BuildRunning(f"another build of {self.path.name[1:-5]} is running ({holder}); "
                                   "not building it twice") from None
            raise
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(f"pid {os.getpid()}\n")
        self.handle.flush()
        return self

    def __exit__(self, *exc):
        self.handle.close()
        return False


def remove_stale_copies(out: Path) -> int:
    """Delete the working copies (and their journals) that killed builds left beside ``out``; called under the
    publish lock, so none of them belongs to a live build. Returns how many were removed."""
    removed = 0
    for path in out.parent.glob(f".{out.name}.*.building*"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def _row_counts_db(db) -> dict:
    return {t: db[t].count for t in schema.TABLES if t in db.table_names()}


def _chain(paths: Iterable[Path], skipped: Skipped, check) -> Iterator[dict]:
    for path in paths:
        yield from read_jsonl(path, skipped, check)


def _runs(paths: Iterable[Path], skipped: Skipped) -> Iterator[dict]:
    for path in paths:
        try:
            run = json.loads(path.read_text(encoding="utf-8", errors="replace"))
        except (ValueError, RecursionError):
            run = None
        if isinstance(run, dict) and isinstance(run.get("source"), str) and isinstance(run.get("started"), str):
            yield run
        else:
            skipped.add(path.name, "crawl run: not a run record")


def _noted(db, table: str, records: Iterator[dict], every: int = 5000) -> Iterator[dict]:
    """records, unchanged, with their ids written to a temporary table on the way (batched)."""
    ids: list[tuple] = []
    for record in records:
        ids.append((str(record["id"]),))
        if len(ids) >= every:
            db.conn.executemany(f"INSERT OR IGNORE INTO temp.{table} (id) VALUES (?)", ids)
            ids.clear()
        yield record
    db.conn.executemany(f"INSERT OR IGNORE INTO temp.{table} (id) VALUES (?)", ids)


def _has_id(record: dict) -> str | None:
    value = record.get("id")
    return None if isinstance(value, (str, int)) and value != "" else "extraction: id missing"


def _checked(records: Iterator[dict], skipped: Skipped, check) -> Iterator[dict]:
    """Records with an id (already noted as extracted) that ``check`` finds nothing wrong with; the others are
    skipped with the reason, and their documents keep what they had."""
    for number, record in enumerate(records, start=1):
        problem = check(record)
        if problem:
            skipped.add(f"extraction record {number} ({record['id']})", problem)
        else:
            yield record


def _without_failed(records: Iterator[dict], failed: dict) -> Iterator[dict]:
    """Extraction records without the failed ones ({"id", "failed"}): those are listed, and their documents
    keep the actions of their last good extraction (ingest never sees them, so deletes nothing)."""
    for record in records:
        if "failed" in record:
            failed["count"] += 1
            if len(failed["examples"]) < 20:
                failed["examples"].append(f"{record['id']}: {record['failed']}")
        else:
            yield record


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
