"""Idempotent ingest: twice gives the same content; a change makes a version; nothing is deleted."""

import hashlib
import json
import shutil
import sqlite3

import pytest
import sqlite_utils

from db.build import build
from tests.conftest import jsonl

TABLES = ["documents", "document_versions", "entities", "entity_aliases", "mentions", "actions", "action_targets",
          "crawl_failures", "dropped_items"]


def content(path) -> dict:
    conn = sqlite3.connect(path)
    out = {}
    for table in TABLES:
        rows = conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        out[table] = (len(rows), hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest())
    out["fts"] = conn.execute("SELECT COUNT(*) FROM documents_fts WHERE documents_fts MATCH 'hikvision'").fetchone()
    return out


def test_building_twice_from_the_same_inputs_changes_nothing(built, tmp_path):
    db = tmp_path / "t.db"
    build(built["crawl"], built["extracted"], db)
    first = content(db)
    build(built["crawl"], built["extracted"], db)
    assert content(db) == first
    assert first["documents"][0] == sum(len(jsonl(p)) for p in built["crawl"].glob("*.jsonl")
                                        if not p.name.endswith(("failures.jsonl", "dropped.jsonl")))


def test_a_changed_document_gets_a_version_with_a_diff_and_a_vanished_one_stays(built, tmp_path):
    db, crawl = tmp_path / "t.db", tmp_path / "crawl"
    shutil.copytree(built["crawl"], crawl)
    build(crawl, None, db)
    path = crawl / "uk_written_statements.jsonl"
    doc = jsonl(path)[0]
    doc.update(text=doc["text"] + "\n\nA correction was made.", content_hash="changed", retrieved_at="2099-01-01T00:00:00+00:00")
    path.write_text(json.dumps(doc) + "\n")
    (crawl / "uk_hansard.jsonl").write_text("")  # hansard vanished upstream
    build(crawl, None, db)
    d = sqlite_utils.Database(db)
    row = d["documents"].get(doc["id"])
    assert row["version"] == 2 and row["last_seen"] == "2099-01-01T00:00:00+00:00"
    versions = list(d.query("SELECT version, text, diff FROM document_versions WHERE document_id = ? ORDER BY version",
                            [doc["id"]]))
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["text"] and "+A correction was made." in versions[1]["diff"]
    assert d["documents"].count_where("source = 'uk_hansard'") == 7


def test_mentions_and_actions_are_replaced_per_document_not_added(built, tmp_path):
    db = tmp_path / "t.db"
    build(built["crawl"], built["extracted"], db)
    build(built["crawl"], built["extracted"], db)
    d = sqlite_utils.Database(db)
    expected = sum(len(r["actions"]) for r in jsonl(built["extracted"]))
    assert d["actions"].count == expected
    # one sentence can hold one act of a type by several actors ("Tesco and Morrisons have banned ..."), once each
    assert d.execute("SELECT COUNT(*) FROM actions GROUP BY document_id, type, start, actor "
                     "HAVING COUNT(*) > 1").fetchall() == []


def test_evidence_offsets_point_into_the_stored_text(built):
    d = sqlite_utils.Database(built["db"])
    rows = list(d.query("SELECT a.evidence, a.start, a.\"end\", d.text FROM actions a JOIN documents d ON d.id = a.document_id"))
    assert rows
    for row in rows:
        assert row["text"][row["start"]:row["end"]] == row["evidence"]


def test_sqlite_utils_cli_works_on_the_database(built):
    from click.testing import CliRunner
    from sqlite_utils.cli import cli

    tables = CliRunner().invoke(cli, ["tables", str(built["db"]), "--counts"])
    assert tables.exit_code == 0 and '"table": "documents"' in tables.output
    found = CliRunner().invoke(cli, ["search", str(built["db"]), "documents", "Hikvision", "-c", "id"])
    assert found.exit_code == 0 and "uk_written_questions:" in found.output


def test_organisations_carry_the_body_they_act_for(built):
    """entities.parent links an agency to its department and a department to its government (#15)."""
    db = sqlite_utils.Database(built["db"])
    parent = {r["name"]: r["parent"] for r in db.query("SELECT name, parent FROM entities WHERE type = 'organisation'")}
    assert parent["Bureau of Industry and Security"] == "organisation:us-department-of-commerce"
    assert parent["Cabinet Office"] == "organisation:uk-government" and parent["UK Government"] is None


@pytest.mark.parametrize("batch_size", [2, 1000])
def test_extractions_in_batches_replace_a_repeated_document(built, tmp_path, batch_size):
    """Issue 19: batched extraction ingest keeps the last record of a document given twice in one input,
    whether the repeat falls in the same batch or a later one, and writes what a one-by-one ingest writes."""
    from db import ingest

    db = tmp_path / "t.db"
    build(built["crawl"], None, db)
    records = jsonl(built["extracted"])
    first = next(r for r in records if r["actions"])
    changed = dict(first, actions=first["actions"][:1], mentions=[])
    d = sqlite_utils.Database(db)
    with d.conn:
        ingest.ingest_extractions(d, [*records, changed], batch_size=batch_size)
    assert d.execute("SELECT COUNT(*) FROM actions WHERE document_id = ?", [first["id"]]).fetchone()[0] == 1
    assert d.execute("SELECT COUNT(*) FROM mentions WHERE document_id = ?", [first["id"]]).fetchone()[0] == 0
    one_by_one = tmp_path / "one.db"
    build(built["crawl"], None, one_by_one)
    o = sqlite_utils.Database(one_by_one)
    with o.conn:
        for record in [*records, changed]:
            ingest.ingest_extractions(o, [record])
    for table in ("actions", "action_targets", "mentions", "entities"):
        assert d.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() == \
            o.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall(), table
    # into empty tables the indexes are dropped during the ingest and built at its end (#19): all back
    indexes = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    assert d.execute(indexes).fetchall() == o.execute(indexes).fetchall()
    assert {"idx_actions_document_id", "idx_mentions_entity_id", "idx_action_targets_target"} <= \
        {name for name, _ in d.execute(indexes).fetchall()}
