"""Ingest crawl output and extraction records, idempotently.

- Documents are upserted on their deterministic id. A new content hash makes a
  new version (``document_versions``, with a diff against the previous text);
  an unchanged document only moves ``last_seen``. A document that is not in
  this crawl stays as it was: nothing is deleted.
- Mentions, actions and their targets are children of a document: they are
  replaced per document inside the same transaction.
- Bulk writes use ``executemany`` on prepared statements (sqlite-utils' row-by-
  row ``insert_all`` costs 2-4x more; see BENCHMARKS.md).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from functools import lru_cache
from typing import Iterable

import sqlite_utils

from nlp.events.mentions import action_ids
from nlp.topic import Topic

DOC_COLUMNS = ["id", "source", "native_id", "kind", "jurisdiction", "url", "api_url", "title", "text",
               "html_sanitised", "summary", "published", "published_raw", "department", "outlet", "members",
               "organisations", "extra", "first_seen", "last_seen", "retrieved_at", "content_hash", "raw_ref",
               "search_meta"]
_UPSERT_DOC = (
    f"INSERT INTO documents ({', '.join(DOC_COLUMNS)}) VALUES ({', '.join('?' for _ in DOC_COLUMNS)}) "
    "ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in DOC_COLUMNS if c not in ("id", "first_seen"))
    + ", version = CASE WHEN documents.content_hash = excluded.content_hash THEN documents.version "
      "ELSE documents.version + 1 END"
    + ", first_seen = MIN(documents.first_seen, excluded.first_seen)"
    + ", last_seen = MAX(documents.last_seen, excluded.last_seen)"
)

ENTITY_COLUMNS = ("id", "type", "name", "slug", "country", "parent", "kind", "jurisdiction", "in_scope")
VERSION_COLUMNS = ("id", "document_id", "version", "content_hash", "seen_at", "title", "text", "diff")
MENTION_COLUMNS = ("id", "document_id", "entity_id", "start", "[end]", "text")
ACTION_COLUMNS = ("id", "document_id", "type", "actor", "actor_entity_id", "date", "evidence", "start", "[end]",
                  "confidence", "method", "trigger")


def insert_sql(table: str, columns, conflict: str = "") -> str:
    """An INSERT naming its columns: a migration that adds a column never shifts the values (#18)."""
    return (f"INSERT {conflict + ' ' if conflict else ''}INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})")


class UnknownSource(ValueError):
    """A document names a source that sources.yml does not define."""


@lru_cache(maxsize=65536)  # names recur: every mention and actor of a build goes through here
def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "unnamed"


def _hash_id(*parts) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def _json(value) -> str | None:
    if value in (None, [], {}):
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def ingest_sources(db: sqlite_utils.Database, sources: dict[str, dict]) -> None:
    """The topic's sources, with what it asks each (searches, feeds) as JSON."""
    asked = {name: {k: s[k] for k in ("searches", "feeds", "full_text_terms") if s.get(k)}
             for name, s in sources.items()}  # as the topic wrote them, in its order
    rows = [(name, s["title"], s.get("publisher"), s["kind"], s.get("jurisdiction") or None, s.get("licence"),
             s.get("base_url"), json.dumps(asked[name], ensure_ascii=False)) for name, s in sources.items()]
    db.conn.executemany("INSERT OR REPLACE INTO sources (id, title, publisher, kind, jurisdiction, licence, "
                        "base_url, asked) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


def ingest_vocabulary(db: sqlite_utils.Database, topic: Topic) -> None:
    """What the topic is, its action types (label, description, colour, role), vendors and organisations
    from the topic's vocab.yml, with their aliases."""
    vocab = topic.vocab
    about = vocab.get("about") or {}
    db.conn.execute("DELETE FROM topic")
    db.conn.executemany("INSERT INTO topic (key, value) VALUES (?, ?)", [
        ("name", topic.name), ("title", about.get("title")), ("summary", about.get("summary")),
        ("class_target", about.get("class_target"))])
    db.conn.executemany("INSERT OR REPLACE INTO action_types (id, label, description, colour, role) "
                        "VALUES (?, ?, ?, ?, ?)",
                        [(k, v["label"], v.get("description"), v.get("colour"), v.get("role"))
                         for k, v in vocab["actions"].items()])
    entities = []
    for vid, v in vocab["vendors"].items():
        entities.append((f"vendor:{vid}", "vendor", v["name"], slug(v["name"]), v.get("country"),
                         f"vendor:{v['parent']}" if v.get("parent") else None, v.get("sector"), None,
                         int(bool(v.get("in_scope")))))
    organisations = vocab["organisations"]
    for oid, o in organisations.items():
        parent = org_entity_id(organisations[o["parent"]]["name"]) if o.get("parent") else None
        entities.append((org_entity_id(o["name"]), "organisation", o["name"], slug(o["name"]), None, parent,
                         o.get("kind"), o.get("jurisdiction"), None))
    db.conn.executemany(insert_sql("entities", ENTITY_COLUMNS, "OR REPLACE"), entities)
    aliases = set()
    for name in ("vendors", "organisations"):
        for row in topic.patterns(name):
            if row["label"] not in ("VENDOR", "ORG"):
                continue
            text = row["pattern"] if isinstance(row["pattern"], str) else " ".join(t.get("ORTH", "") for t in row["pattern"])
            entity = f"vendor:{row['id']}" if row["label"] == "VENDOR" else org_entity_id(
                topic.organisation_name(row["id"]))
            aliases.add((entity, text))
    db.conn.executemany(insert_sql("entity_aliases", ("entity_id", "alias"), "OR IGNORE"), sorted(aliases))


def org_entity_id(name: str) -> str:
    return f"organisation:{slug(name)}"


def person_entity_id(name: str) -> str:
    return f"person:{slug(name)}"


def vendor_entity_id(name: str, known: dict[str, str] | None = None) -> str:
    """A vendor's entity id: its vocabulary id when ``known`` (name -> entity id) has it, else its slug."""
    return (known or {}).get(name) or f"vendor:{slug(name)}"


def known_vendors(db: sqlite_utils.Database) -> dict[str, str]:
    """Vendor name -> entity id, for the vendors the database's vocabulary defines."""
    return {name: entity for entity, name in db.conn.execute(
        "SELECT id, name FROM entities WHERE type = 'vendor' ORDER BY rowid")}


def _as_written(name: str) -> str:
    return name


def _doc_row(doc: dict, canonical=_as_written) -> tuple:
    """One documents row, built straight into a tuple (this runs once per document)."""
    get = doc.get
    seen = get("retrieved_at") or get("published") or ""
    people = get("people")
    members = _json([p for p in people if isinstance(p, dict)]) if people else None
    department = get("department")
    return (doc["id"], doc["source"], doc["native_id"], doc["kind"], get("jurisdiction"), doc["url"], get("api_url"),
            doc["title"], doc["text"], get("html"), get("summary"), get("published"), get("published_raw"),
            canonical(department) if department else None, get("outlet"), members, _json(get("organisations")),
            _json(get("extra")), seen, seen, get("retrieved_at"), doc["content_hash"], get("raw_ref"),
            search_meta(doc, people))


def search_meta(doc: dict, people) -> str | None:
    """What a search should find a document by beyond its title and text (issue 17): its members (names,
    offices), its number (a UIN, a Federal Register document number), its outlet and department."""
    extra = doc.get("extra") if isinstance(doc.get("extra"), dict) else {}
    parts = [doc.get("outlet"), doc.get("department"), extra.get("uin"), extra.get("citation")]
    if doc.get("kind") == "federal_register":  # its document number (a UK question's id is not cited; its UIN is)
        parts.append(doc.get("native_id"))
    for person in people or []:
        if isinstance(person, dict):
            parts += [person.get("name"), person.get("office")]
    text = " ".join(str(p) for p in parts if p)
    return text[:2000] or None


def ingest_documents(db: sqlite_utils.Database, docs: Iterable[dict], batch_size: int = 5000,
                     canonical=_as_written) -> dict:
    """Upsert documents; record a version for every new content hash. Returns counts.

    ``canonical`` names a department as the vocabulary does (Topic.canonical_organisation); by
    default departments are kept as written."""
    counts = {"new": 0, "changed": 0, "unchanged": 0}
    batch: list[dict] = []

    def flush():
        if not batch:
            return
        ids = [d["id"] for d in batch]
        known = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            marks = ",".join("?" for _ in chunk)
            for row in db.conn.execute(
                    f"SELECT id, content_hash, version, title, text, retrieved_at FROM documents WHERE id IN ({marks})",
                    chunk):
                known[row[0]] = row
        versions = []
        for doc in batch:
            previous = known.get(doc["id"])
            if previous is not None and previous[5] is None:
                previous = previous[:5] + ("",)
            seen = doc.get("retrieved_at") or doc.get("published") or ""
            if previous is None:
                counts["new"] += 1  # its only content is the documents row; versions start when it changes
            elif previous[1] != doc["content_hash"]:
                counts["changed"] += 1
                diff = "\n".join(difflib.unified_diff(
                    (previous[4] or "").splitlines(), (doc.get("text") or "").splitlines(),
                    "previous", "current", lineterm="", n=1))
                # the superseded content keeps its own row (written now if it was the first version)
                versions.append((f"{doc['id']}@{previous[1][:16]}", doc["id"], previous[2], previous[1],
                                 previous[5], previous[3], previous[4], None))
                db.conn.execute("UPDATE document_versions SET title = ?, text = ? WHERE document_id = ? "
                                "AND content_hash = ?", (previous[3], previous[4], doc["id"], previous[1]))
                versions.append((f"{doc['id']}@{doc['content_hash'][:16]}", doc["id"], previous[2] + 1,
                                 doc["content_hash"], seen, None, None, diff))
            else:
                counts["unchanged"] += 1
        db.conn.executemany(_UPSERT_DOC, [_doc_row(doc, canonical) for doc in batch])
        db.conn.executemany(insert_sql("document_versions", VERSION_COLUMNS, "OR IGNORE"), versions)
        batch.clear()

    for doc in docs:
        if not doc.get("content_hash"):
            doc["content_hash"] = hashlib.sha256(json.dumps(
                [doc.get("title"), doc.get("text"), doc.get("summary"), doc.get("published")]).encode()).hexdigest()
        batch.append(doc)
        if len(batch) >= batch_size:
            flush()
    flush()
    return counts


def ingest_extractions(db: sqlite_utils.Database, records: Iterable[dict], batch_size: int = 2000) -> dict:
    """Replace each document's mentions, actions and targets by its new extraction.

    Records are handled in batches: one look-up of which documents exist, then one prepared
    statement per table through ``executemany``. A document's old children are deleted only when it
    can have any (the database had extractions before, or an earlier batch of this input stored it).
    Into empty tables the secondary indexes are dropped and built again at the end (#19).
    """
    counts = {"documents": 0, "actions": 0, "mentions": 0, "skipped": 0}
    conn = db.conn
    known_entities = {row[0] for row in conn.execute("SELECT id FROM entities")}
    vendors = known_vendors(db)
    had_children = any(conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in CHILD_TABLES)
    # into empty tables (a fresh build), the secondary indexes are built once at the end, from sorted keys,
    # instead of kept up to date row by row (#19); until then a document is never looked up by them
    deferred = [] if had_children else _drop_indexes(conn, CHILD_TABLES)
    seen: set[str] = set()
    new_entities: list[tuple] = []
    batch: list[dict] = []
    targets_of: dict[tuple, str] = {}  # (label, name) -> entity id, as entity() resolved it
    sha1 = hashlib.sha1

    def entity(entity_id: str, label: str, name: str) -> str:
        if entity_id not in known_entities:
            known_entities.add(entity_id)
            new_entities.append(_new_entity(entity_id, label, name))
        return entity_id

    def flush() -> None:
        ids = list(dict.fromkeys(str(r["id"]) for r in batch))
        present = set()
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            present.update(r[0] for r in conn.execute(
                f"SELECT id FROM documents WHERE id IN ({','.join('?' for _ in chunk)})", chunk))
        relevance, stale, mentions, actions, targets = [], [], [], [], []
        in_batch: set[str] = set()
        for record in batch:
            doc_id = str(record["id"])
            if doc_id not in present:
                counts["skipped"] += 1
                continue
            counts["documents"] += 1
            relevance.append((int(bool(record.get("relevant"))), _json(record.get("relevance_reasons")), doc_id))
            if had_children or (doc_id in seen and doc_id not in in_batch):  # rows stored before this batch
                if deferred:  # a document again, stored by an earlier batch (rare: records are one per document):
                    _create_indexes(conn, deferred)  # its rows are deleted through the indexes
                    deferred.clear()
                stale.append((doc_id,))
            if doc_id in in_batch:  # a repeat within one batch replaces what this batch holds for it too
                mentions = [m for m in mentions if m[1] != doc_id]
                actions = [a for a in actions if a[1] != doc_id]
                kept = {a[0] for a in actions}
                targets = [t for t in targets if t[0] in kept]
            seen.add(doc_id)
            in_batch.add(doc_id)
            for m in record.get("mentions") or ():
                name, start, end, label = m["name"], m["start"], m["end"], m["label"]
                target = targets_of.get((label, name))
                if target is None:
                    target = targets_of[(label, name)] = entity(_entity_for(label, name, vendors), label, name)
                # _hash_id(doc_id, target, start, end), written out: this runs once per mention
                mention_id = sha1(f"{doc_id}\x1f{target}\x1f{start}\x1f{end}".encode("utf-8")).hexdigest()[:16]
                mentions.append((mention_id, doc_id, target, start, end, m["text"]))
            ids = iter(action_ids(doc_id, record.get("actions") or []))  # several actors of one act: one each
            for a in record.get("actions") or ():
                get = a.get
                action_id = next(ids)
                actor = get("actor")
                actor_entity = _actor_entity(actor, known_entities, vendors) if actor else None
                if actor and actor_entity is None:  # every actor gets a page
                    actor_entity = entity(org_entity_id(actor), "ORG", actor)
                actions.append((action_id, doc_id, a["type"], actor, actor_entity, get("date"), a["evidence"],
                                a["start"], a["end"], get("confidence"), f"rules:{get('rule', 'unknown')}",
                                get("trigger")))
                named = get("vendors")
                if not named or named == ["*"]:
                    targets.append((action_id, "*"))
                else:
                    targets.extend((action_id, t) for t in sorted(
                        {"*" if v == "*" else vendor_entity_id(v, vendors) for v in named}))
        conn.executemany("UPDATE documents SET relevant = ?, relevance_reasons = ? WHERE id = ?", relevance)
        if stale:
            conn.executemany("DELETE FROM action_targets WHERE action_id IN "
                             "(SELECT id FROM actions WHERE document_id = ?)", stale)
            conn.executemany("DELETE FROM actions WHERE document_id = ?", stale)
            conn.executemany("DELETE FROM mentions WHERE document_id = ?", stale)
        conn.executemany(insert_sql("mentions", MENTION_COLUMNS, "OR IGNORE"), mentions)
        conn.executemany(insert_sql("actions", ACTION_COLUMNS, "OR REPLACE"), actions)
        conn.executemany(insert_sql("action_targets", ("action_id", "target"), "OR IGNORE"), targets)
        counts["mentions"] += len(mentions)
        counts["actions"] += len(actions)
        batch.clear()

    try:
        for record in records:
            batch.append(record)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
    finally:
        _create_indexes(conn, deferred)
    conn.executemany(insert_sql("entities", ENTITY_COLUMNS, "OR IGNORE"), new_entities)
    return counts


CHILD_TABLES = ("mentions", "actions", "action_targets")


def _drop_indexes(conn, tables) -> list[str]:
    """Drop the declared indexes of ``tables`` (not their keys); returns the statements that recreate them."""
    marks = ",".join("?" for _ in tables)
    found = conn.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                         f"AND tbl_name IN ({marks}) ORDER BY name", list(tables)).fetchall()
    for name, _ in found:
        conn.execute(f"DROP INDEX [{name}]")
    return [sql for _, sql in found]


def _create_indexes(conn, statements: list[str]) -> None:
    for sql in statements:
        conn.execute(sql)


def _entity_for(label: str, name: str, vendors: dict[str, str]) -> str:
    if label == "VENDOR":
        return vendor_entity_id(name, vendors)
    if label == "PERSON":
        return person_entity_id(name)
    return org_entity_id(name)


def _new_entity(entity_id: str, label: str, name: str) -> tuple:
    kind = {"VENDOR": "vendor", "PERSON": "person"}.get(label, "organisation")
    return (entity_id, kind, name, slug(name), None, None, None, None, None)


def _actor_entity(actor: str | None, known: set[str], vendors: dict[str, str]) -> str | None:
    if not actor:
        return None
    for candidate in (org_entity_id(actor), person_entity_id(actor), vendor_entity_id(actor, vendors)):
        if candidate in known:
            return candidate
    return None


def ingest_runs(db: sqlite_utils.Database, runs: Iterable[dict], failures: Iterable[dict],
                dropped: Iterable[dict]) -> None:
    runs = list(runs)
    db.conn.executemany(
        "INSERT OR REPLACE INTO crawl_runs (id, source, started, finished, finish_reason, requests, responses, "
        "bytes, items, dropped, failures, retries, errors, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            (f"{r['source']}@{r['started']}", r["source"], r["started"], r.get("finished"), r.get("finish_reason"),
             r.get("requests"), r.get("responses"), r.get("bytes"), r.get("items"), r.get("dropped"),
             r.get("failures"), r.get("retries"), _json(r.get("errors")) or "{}", r.get("mode")) for r in runs])
    this_run: dict[str, set[str]] = {r["source"]: set() for r in runs}
    for f in failures:
        fid = _hash_id(f["source"], f["url"])
        this_run.setdefault(f["source"], set()).add(fid)
        db.conn.execute(
            "INSERT INTO crawl_failures (id, source, url, status, reason, first_failed, last_failed, attempts, resolved) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 1, 0) ON CONFLICT(id) DO UPDATE SET "
            "status = excluded.status, reason = excluded.reason, "
            "attempts = crawl_failures.attempts + (excluded.last_failed > crawl_failures.last_failed), "
            "last_failed = MAX(crawl_failures.last_failed, excluded.last_failed), resolved = 0",
            (fid, f["source"], f["url"], f.get("status"), f.get("reason"), f.get("at"), f.get("at")))
    for source, ids in this_run.items():  # a failure not seen again in a source's new run is resolved
        marks = ",".join("?" for _ in ids) or "''"
        db.conn.execute(f"UPDATE crawl_failures SET resolved = 1 WHERE source = ? AND id NOT IN ({marks})",
                        (source, *ids))
    db.conn.executemany(insert_sql("dropped_items", ("id", "source", "document_id", "url", "reason"), "OR REPLACE"), [
        (_hash_id(d["source"], d.get("run"), d.get("n"), d.get("id"), d.get("reason")), d["source"], d.get("id"),
         d.get("url"), d["reason"])
        for d in dropped])
