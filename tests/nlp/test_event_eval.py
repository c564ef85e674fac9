"""Event resolution measured and run from the shell (issue #15): B-cubed, labelled files, the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.events import resolve
from nlp.events.evaluate import bcubed, evaluate, load, split_by_story

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "topics" / "cameras" / "eval" / "recordings-events.jsonl"
EVENT_KEY = re.compile(r"^[A-Z]{2,3}(-[A-Z]{3})?:[a-z_]+:\d{4}(-\d{2}){0,2}:[a-z0-9-]+$")


def test_bcubed_on_a_known_example():
    """Three mentions of one act on two cards: precision 1, recall (2/3 + 2/3 + 1/3) / 3."""
    figures = bcubed({"a": "x", "b": "x", "c": "y"}, {"a": "G", "b": "G", "c": "G"})
    assert figures["precision"] == 1.0 and figures["recall"] == round(5 / 9, 3)
    assert figures["split"] == ["G (2 cards)"] and figures["lumped"] == []
    lumped = bcubed({"a": "x", "b": "x"}, {"a": "G", "b": "H"})
    assert lumped["precision"] == 0.5 and lumped["recall"] == 1.0 and lumped["lumped"] == ["G + H"]


def test_an_extracted_action_matches_the_label_of_its_own_actor_in_a_shared_sentence():
    """'Tesco and Morrisons have stopped buying ...' labelled as two acts: each extracted action is scored
    against its own actor's label, so resolving them as two events is right and as one is a lump."""
    text = "Tesco and Morrisons have stopped buying Chinese-made cameras."
    gold = [{"type": "ban_procurement", "actor": actor, "date": "2023-06-08", "evidence": text, "vendors": ["*"],
             "event": f"GB:ban_procurement:2023-06-08:{actor.lower()}"} for actor in ("Tesco", "Morrisons")]
    record = {"id": "news:1", "kind": "news", "published": "2023-06-08", "jurisdiction": "GB", "text": text,
              "gold": {"actions": gold}}
    extracted = [{"id": "news:1", "vendors": [], "actions": [
        dict(g, start=0, end=len(text)) for g in gold]}]
    report = evaluate([record], extracted)["extracted"]
    assert report["gold_events"] == 2 and report["events"] == 2 and report["f1"] == 1.0


def test_split_by_story_keeps_each_story_on_one_side():
    """The held-out half never shares a story with the tuning half, and the split is the same every time."""
    records = [{"id": str(i), "story": f"s{i % 7}"} for i in range(40)]
    halves = split_by_story(records)
    assert {r["story"] for r in halves["tune"]}.isdisjoint({r["story"] for r in halves["held-out"]})
    assert split_by_story(records) == halves and sum(map(len, halves.values())) == 40


def test_labelled_recordings_are_well_formed():
    """Every labelled action quotes its document verbatim and carries a well-formed event key."""
    records = load(LABELS)
    assert len(records) >= 40
    for record in records:
        for a in record["gold"]["actions"]:
            assert a["evidence"] in record["text"], (record["id"], a["evidence"])
            assert EVENT_KEY.match(a["event"]), a["event"]


def test_labelled_recordings_match_the_crawl(built):
    """The labelled documents are the recordings as the spiders read them (a changed recording: relabel)."""
    lines = built["documents"].read_text(encoding="utf-8").splitlines()
    crawled = {d["id"]: d for d in map(json.loads, lines)}
    for record in load(LABELS):
        assert record["id"] in crawled, record["id"]
        assert record["text"] == crawled[record["id"]]["text"], record["id"]


def test_clustering_of_the_labelled_actions_on_the_recordings():
    """Resolving the labelled actions of the recordings reaches the target B-cubed F1."""
    report = evaluate(load(LABELS))
    assert report["gold"]["f1"] >= 0.9, report["gold"]


_ACTORS = st.sampled_from([None, "Cabinet Office", "UK Government", "Home Office", "MPs", "Oliver Dowden",
                           "Federal Communications Commission", "Hikvision"])
_DATES = st.sampled_from([None, "2022-11-24", "2022-11-25", "2022-11", "2023", "2023-03-09", "not a date"])
_TYPES = st.sampled_from(["ban_installation", "no_comment", "remove"])
_KINDS = st.sampled_from(["written_statement", "written_question", "news", "federal_register", "weird"])
_WORDS = st.sampled_from(["cease deployment on sites", "remove cameras", "no comment"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_KINDS, _DATES, st.lists(st.tuples(_TYPES, _ACTORS, _DATES, _WORDS), max_size=4)),
                max_size=8))
def test_every_action_is_in_exactly_one_event(documents):
    """Whatever the input, each action comes out once, in one event, and event ids are unique."""
    docs, records, expected = [], [], 0
    for n, (kind, published, actions) in enumerate(documents):
        docs.append({"id": f"d{n}", "kind": kind, "published": published, "department": "Cabinet Office"})
        records.append({"id": f"d{n}", "actions": [
            {"type": t, "actor": actor, "date": date, "evidence": words, "start": i * 100, "end": i * 100 + 9}
            for i, (t, actor, date, words) in enumerate(actions)]})
        expected += len(actions)
    result = resolve(docs, records)
    mentions = result.mentions()
    assert len(mentions) == expected
    assert len({m["action_id"] for m in mentions}) == expected
    assert len({e["id"] for e in result.events}) == len(result.events)
    assert all(e["mentions"] for e in result.events)


def test_the_events_command_writes_events_and_reports_bad_lines(tmp_path):
    """`python -m nlp events` writes events, skips a bad line with its number and keeps old ids."""
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "s:1", "kind": "written_statement", "published": "2022-11-24",
                                "department": "Cabinet Office"}) + "\nnot json\n", encoding="utf-8")
    extracted = tmp_path / "x.jsonl"
    extracted.write_text(json.dumps({"id": "s:1", "actions": [
        {"type": "ban_installation", "actor": "Cabinet Office", "date": "2022-11-24", "evidence": "cease",
         "start": 0, "end": 5}]}) + "\n", encoding="utf-8")
    previous = tmp_path / "old.jsonl"
    previous.write_text(json.dumps({"id": "ekept", "type": "ban_installation",
                                    "mentions": [{"document_id": "s:1"}]}) + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "nlp", "events", str(docs), str(extracted), "--previous",
                          str(previous)], capture_output=True, text=True, cwd=ROOT, check=True)
    events = [json.loads(line) for line in out.stdout.splitlines()]
    assert [e["id"] for e in events] == ["ekept"] and events[0]["primary_document"] == "s:1"
    assert "docs.jsonl:2: skipped" in out.stderr and "1 mention(s) -> 1 event(s)" in out.stderr


def test_the_eval_command_prints_bcubed_figures():
    """`python -m nlp eval-events FILE --no-extract` prints precision, recall and F1 for the file."""
    out = subprocess.run([sys.executable, "-m", "nlp", "eval-events", str(LABELS), "--no-extract"],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    assert "precision" in out.stdout and re.search(r"recordings-events\.jsonl\s+gold\s+\d+", out.stdout)
