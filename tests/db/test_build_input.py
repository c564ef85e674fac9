"""`db build` on careless input (#18 points 5, 6, 7, 9, 12): malformed lines are skipped with their reasons
and counted, never an abort; no `javascript:` link is published; a failed extraction keeps a document's
earlier actions; a build never publishes documents without their extractions; an unreadable live database
does not turn the shrink check off; killed builds leave no copies; two builds cannot both publish; every
INSERT names its columns, so a migration that adds a column breaks none."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db.build import BuildRunning, PublishRefused, build, publish_lock
from tests.conftest import ROOT, tally

pytestmark = pytest.mark.reliability


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def db_build(crawl: Path, extracted: Path | None, out: Path, *args: str) -> subprocess.CompletedProcess:
    extraction = ["--extracted", str(extracted)] if extracted else ["--without-extractions"]
    return subprocess.run([sys.executable, "-m", "db", "build", "--crawl", str(crawl), *extraction, "--out",
                           str(out), *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def rows(db: Path, sql: str, *params) -> list:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture
def work(built, tmp_path):
    crawl = tmp_path / "crawl"
    shutil.copytree(built["crawl"], crawl)
    extracted = tmp_path / "extracted.jsonl"
    shutil.copy(built["extracted"], extracted)
    return crawl, extracted, tmp_path / "tracker.db"


def _document(key: str, **fields) -> dict:
    return {"id": f"news_feeds:{key}", "source": "news_feeds", "native_id": key, "kind": "news",
            "url": f"https://example.org/{key}", "title": f"Headline {key}", "text": f"Text {key}",
            "published": "2024-01-02", "retrieved_at": "2026-01-01T00:00:00+00:00", **fields}


def test_malformed_lines_are_skipped_with_reasons_and_no_javascript_link_is_published(work, figures):
    crawl, extracted, db = work
    bad = [
        b"not json at all",
        b"[" * 100_000 + b"]" * 100_000,
        json.dumps(["an", "array"]).encode(),
        json.dumps({k: v for k, v in _document("nosource").items() if k != "source"}).encode(),
        json.dumps(_document("wrongtype", title=["a", "list"])).encode(),
        json.dumps(_document("people", people="Alice")).encode(),
        json.dumps(_document("js", url="javascript:alert(document.domain)")).encode(),
        json.dumps(_document("jsapi", api_url="JavaScript:alert(1)")).encode(),
        json.dumps(_document("data", url="data:text/html,<script>alert(1)</script>")).encode(),
    ]
    good = [_document("good"), _document("mended", title="Caf\u00e9 headline")]
    lines = bad + [json.dumps(good[0]).encode(), json.dumps(good[1], ensure_ascii=False).encode().replace(
        "\u00e9".encode(), b"\xe9")]  # Latin-1 in a UTF-8 file: mended, kept
    with open(crawl / "news_feeds.jsonl", "ab") as out:
        out.write(b"\n".join(lines) + b"\n")
    with open(extracted, "a") as out:
        for doc in good:
            out.write(json.dumps({"id": doc["id"], "relevant": False, "actions": [], "mentions": []}) + "\n")
    result = db_build(crawl, extracted, db, "--strict")
    assert result.returncode == 1, result.stderr  # published, but --strict: lines were skipped
    assert db.exists() and "published" in result.stderr
    assert "skipped 9 malformed line(s)" in result.stderr
    for reason in ("not JSON", "nested too deeply", "not a JSON object", "document: source missing",
                   "document: title missing or not a string", "document: people or organisations is not a list",
                   "document: url is not an http(s) link", "document: api_url is not an http(s) link"):
        assert reason in result.stderr, reason
    assert "1 line(s) with invalid UTF-8 mended" in result.stderr
    ids = {r[0] for r in rows(db, "SELECT id FROM documents WHERE source = 'news_feeds'")}
    assert {"news_feeds:good", "news_feeds:mended"} <= ids
    assert not ids & {f"news_feeds:{k}" for k in ("nosource", "wrongtype", "people", "js", "jsapi", "data")}
    links = rows(db, "SELECT url FROM documents UNION ALL SELECT api_url FROM documents WHERE api_url IS NOT NULL")
    assert all(re.match(r"https?://", url) for (url,) in links)
    assert db_build(crawl, extracted, db).returncode == 0  # without --strict the same input exits 0
    tally(figures, "bad_input", "build_lines_skipped_with_reason", 9)
    tally(figures, "bad_input", "javascript_links_published", len([u for (u,) in links if not u.startswith("http")]))


def test_a_malformed_extraction_record_is_skipped_and_its_document_keeps_its_actions(work):
    crawl, extracted, db = work
    assert db_build(crawl, extracted, db).returncode == 0
    doc_id, before = rows(db, "SELECT document_id, COUNT(*) FROM actions GROUP BY document_id LIMIT 1")[0]
    records = [json.loads(line) for line in extracted.read_text().splitlines()]
    for record in records:
        if record["id"] == doc_id:
            record["actions"] = [{"evidence": "no type, no offsets"}]
    extracted.write_text("".join(json.dumps(r) + "\n" for r in records))
    result = db_build(crawl, extracted, db)
    assert result.returncode == 0, result.stderr
    assert "extraction: an action lacks type, evidence, start or end" in result.stderr
    assert rows(db, "SELECT COUNT(*) FROM actions WHERE document_id = ?", doc_id)[0][0] == before


def test_a_failed_extraction_keeps_the_documents_earlier_actions(work, figures):
    """nlp extract writes {"id", "failed": reason} for a document a component raised on; before #18 it wrote
    the document as not relevant without actions, and the next build deleted its actions."""
    crawl, extracted, db = work
    assert db_build(crawl, extracted, db).returncode == 0
    doc_id, before = rows(db, "SELECT document_id, COUNT(*) FROM actions GROUP BY document_id LIMIT 1")[0]
    records = [json.loads(line) for line in extracted.read_text().splitlines()]
    records = [{"id": doc_id, "failed": "policy_actions: ValueError: boom"} if r["id"] == doc_id else r
               for r in records]
    extracted.write_text("".join(json.dumps(r) + "\n" for r in records))
    relaxed = db_build(crawl, extracted, db)
    assert relaxed.returncode == 0, relaxed.stderr
    assert "1 failed (earlier actions kept)" in relaxed.stderr and f"extraction failed: {doc_id}" in relaxed.stderr
    assert rows(db, "SELECT COUNT(*) FROM actions WHERE document_id = ?", doc_id)[0][0] == before
    assert rows(db, "SELECT relevant FROM documents WHERE id = ?", doc_id)[0][0] == 1
    assert db_build(crawl, extracted, db, "--strict").returncode == 1
    tally(figures, "extract_failures", "earlier_actions_kept", before)


def test_documents_are_never_published_without_their_extractions(work, figures):
    """A failed `nlp extract` left no or a partial extracted.jsonl, and the next `make build` published the
    documents without extractions (#18 point 5)."""
    crawl, extracted, db = work
    missing = db_build(crawl, extracted.with_name("none.jsonl"), db)
    assert missing.returncode == 1 and "no extraction file" in missing.stderr and not db.exists()
    lines = extracted.read_text().splitlines(keepends=True)
    extracted.write_text("".join(lines[: len(lines) // 2]))  # the first half, as a killed run would leave
    partial = db_build(crawl, extracted, db)
    assert partial.returncode == 1 and "have no extraction record" in partial.stderr and not db.exists()
    assert db_build(crawl, None, db).returncode == 0  # on purpose: --without-extractions
    tally(figures, "bad_input", "builds_refused_without_extractions", 2)


def test_an_unreadable_live_database_does_not_turn_the_shrink_check_off(work, tmp_path):
    crawl, extracted, db = work
    db.write_bytes(b"this is not a database" * 1000)
    before = sha(db)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(PublishRefused, match="cannot read the live database"):
        build(empty, None, db, fresh=True)
    assert sha(db) == before
    build(empty, None, db, fresh=True, max_drop=1.0)  # said on purpose
    assert rows(db, "SELECT COUNT(*) FROM documents")[0][0] == 0


def test_killed_builds_leave_no_copies_behind(work, figures):
    crawl, extracted, db = work
    assert db_build(crawl, extracted, db).returncode == 0
    for point in ("copied", "mid-ingest", "mid-fts"):
        assert db_build(crawl, extracted, db, "--crash-at", point).returncode == 137
    left = [p.name for p in db.parent.iterdir() if ".building" in p.name]
    assert len(left) == 1  # a kill cleans nothing up, but each build removes what the last kill left: bounded
    result = db_build(crawl, extracted, db)
    assert result.returncode == 0 and "1 stale working copies removed" in result.stderr
    left = [p.name for p in db.parent.iterdir() if ".building" in p.name]
    assert left == []  # ...the next build does
    tally(figures, "crash_points", "stale_copies_left_after_next_build", len(left))


def test_two_builds_of_one_database_cannot_both_publish(work, figures):
    crawl, extracted, db = work
    assert db_build(crawl, extracted, db).returncode == 0
    before = sha(db)
    with publish_lock(db):  # a build in progress holds it
        second = db_build(crawl, extracted, db)
        with pytest.raises(BuildRunning):
            build(crawl, extracted, db)
    assert second.returncode == 1 and "another build of tracker.db is running" in second.stderr
    assert sha(db) == before
    assert db_build(crawl, extracted, db).returncode == 0  # the lock is free again
    tally(figures, "crash_points", "concurrent_builds_refused", 2)


POSITIONAL = re.compile(r"INSERT\s+(?:OR\s+\w+\s+)?INTO\s+[\w.\[\]{}]+\s+(?:VALUES|SELECT)\b", re.I)


def test_every_insert_names_its_columns():
    offenders = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        text = re.sub(r"[\"']\s*\n\s*f?[\"']", "", path.read_text(encoding="utf-8"))  # "...INTO t " \n "VALUES"
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in POSITIONAL.finditer(text)]
    assert offenders == []


def test_a_migration_adding_a_column_to_every_table_breaks_no_build(work):
    crawl, extracted, db = work
    assert db_build(crawl, extracted, db).returncode == 0
    conn = sqlite3.connect(db)
    tables = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' "
        "AND name NOT LIKE '%\\_fts%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'")]
    for table in tables:
        conn.execute(f"ALTER TABLE [{table}] ADD COLUMN added_by_a_migration TEXT")
    conn.commit()
    conn.close()
    result = db_build(crawl, extracted, db)
    assert result.returncode == 0, result.stderr[-2000:]
