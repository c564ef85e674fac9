"""A second topic by data alone (#13): the `apps` topic runs end to end, recordings to timeline page.

The chain is the one `TOPIC=apps make demo` runs (replay crawl -> extract -> db build), the site is
Datasette in configuration-directory mode in process; no code names the topic.
"""

import asyncio
import concurrent.futures
import json
import sqlite3
import sys

import pytest
import yaml

import topics
from db import serve
from tests.conftest import jsonl, run

VOCAB = yaml.safe_load((topics.directory("apps") / "vocab.yml").read_text())
SOURCES = list(yaml.safe_load((topics.directory("apps") / "sources.yml").read_text()))


def get(ds, path):
    """One response, from a thread of its own (Playwright's tests leave an event loop in this one)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, ds.client.get(path)).result()


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    """The apps topic built from its recordings, as `TOPIC=apps make build` builds it."""
    work = tmp_path_factory.mktemp("apps")
    crawl, db = work / "crawl", work / "apps.db"
    run([sys.executable, "-m", "crawlers", "crawl", "--topic", "apps", "--out", str(crawl), "--archive",
         str(work / "raw"), "--state", str(work / "state.json"), "--strict"])
    documents = work / "documents.jsonl"
    documents.write_text("".join((crawl / f"{name}.jsonl").read_text() for name in SOURCES))
    extracted = work / "extracted.jsonl"
    run([sys.executable, "-m", "nlp", "extract", str(documents), "-o", str(extracted), "--topic", "apps"])
    run([sys.executable, "-m", "db", "build", "--crawl", str(crawl), "--extracted", str(extracted), "--out", str(db),
         "--topic", "apps"])
    return {"documents": jsonl(documents), "extracted": {r["id"]: r for r in jsonl(extracted)}, "db": db,
            "ds": serve.app(db)}


def test_every_source_of_the_topic_gave_documents(apps):
    """Each source the topic asks answers from its recordings (written questions, Hansard, the Federal
    Register with a full text, Google News)."""
    by_source = {d["source"] for d in apps["documents"]}
    assert by_source == set(SOURCES)
    fr = next(d for d in apps["documents"] if d["id"] == "us_federal_register:2023-11756")
    assert fr["extra"]["text_form"] == "full_text" and "Interim rule." in fr["text"]


def test_the_new_action_type_is_extracted(apps):
    """The topic's own type (device_ban) comes out of its triggers and its trigger family's cues."""
    kinds = {a["type"] for r in apps["extracted"].values() for a in r["actions"]}
    assert "device_ban" in kinds and kinds <= set(VOCAB["actions"])
    answer = apps["extracted"]["uk_written_questions:9200002"]  # "the previous government introduced a ... ban"
    assert answer["relevant"] and [a["type"] for a in answer["actions"]] == ["device_ban"]
    assert answer["actions"][0]["vendors"] == ["TikTok"]


def test_the_database_holds_the_topic(apps):
    """The topic's name, title, class label, action types with colours and roles are the database's."""
    conn = sqlite3.connect(apps["db"])
    facts = dict(conn.execute("SELECT key, value FROM topic"))
    assert facts["name"] == "apps" and facts["title"] == VOCAB["about"]["title"]
    types = {row[0]: row[1:] for row in conn.execute("SELECT id, label, colour, role FROM action_types")}
    assert types == {k: (v["label"], v["colour"], v.get("role")) for k, v in VOCAB["actions"].items()}
    assert conn.execute("SELECT COUNT(*) FROM actions WHERE type = 'device_ban'").fetchone()[0] >= 3


def test_the_timeline_page_shows_the_topic(apps):
    """/timeline of the apps database (served under its own file name) lists device bans with their label,
    colour (types.css, chart, legend) and the topic's words; nothing of the other topic."""
    page = get(apps["ds"], "/timeline?all=1")
    assert page.status_code == 200
    html = page.text
    device_ban = VOCAB["actions"]["device_ban"]
    assert f'<span class="badge type-device_ban">{device_ban["label"]}</span>' in html
    assert f'fill="{device_ban["colour"]}" data-type="device_ban"' in html
    assert 'href="/timeline.csv' in html and 'href="/apps"' in html  # exports keep the filters (#17)
    css = get(apps["ds"], "/types.css").text
    assert f".swatch-device_ban {{ background: {device_ban['colour']}; }}" in css
    home = get(apps["ds"], "/").text
    assert VOCAB["about"]["title"] in home
    cameras = yaml.safe_load((topics.directory("cameras") / "vocab.yml").read_text())
    assert cameras["about"]["title"] not in home + html
    feed = get(apps["ds"], "/timeline.atom?action=device_ban&all=1").text
    assert feed.count("<entry>") >= 3 and "term=\"device_ban\"" in feed


def test_a_topic_without_confident_actions_shows_them_all(apps):
    """The apps topic has no calibrated confidence model: its timeline and feed show every action by default
    (showing only confident ones would show none)."""
    conn = sqlite3.connect(apps["db"])
    assert conn.execute("SELECT COUNT(*) FROM listing WHERE certainty = 'confident'").fetchone() == (0,)
    total = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    page = get(apps["ds"], "/timeline").text
    assert total and page.count('class="event"') == min(total, 25) and "Show all" not in page
    assert get(apps["ds"], "/timeline.atom").text.count("<entry>") == min(total, 100)


def test_the_topic_pipeline_meets_its_floor_on_the_labelled_set():
    """The apps dev set (52 labelled documents): figures at least those measured when the topic shipped."""
    result = run([sys.executable, "-m", "nlp", "eval", "--topic", "apps", "--json"])
    report = json.loads(result.stdout)["dev"]
    assert report["documents"] >= 30
    assert report["relevance_accuracy"]["value"] >= 0.95 and report["vendors"]["f1"] >= 0.95
    assert report["action_type"]["f1"] >= 0.65 and report["evidence_verbatim"]["value"] == 1.0


def test_no_code_changes_between_topics():
    """The two topics differ in data only: their directories hold no code."""
    assert set(topics.names()) >= {"cameras", "apps"}
    for name in topics.names():
        assert not [p for p in topics.directory(name).rglob("*.py")], name
