"""The site reads its topic from the database it serves, whatever the file is called (#13).

Datasette runs in process (``ds.client``) in configuration-directory mode, as ``python -m db serve``
runs it: site/ is the configuration directory, the database is passed beside it.
"""

import asyncio
import concurrent.futures
import re
import shutil
import sqlite3
import xml.etree.ElementTree as ET

import pytest
import sqlite_utils
import yaml

import topics
from db import schema, serve

ATOM = "{http://www.w3.org/2005/Atom}"
VOCAB = yaml.safe_load((topics.directory("cameras") / "vocab.yml").read_text())


def get(ds, path):
    """One response, from a thread of its own (Playwright's tests leave an event loop in this one)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, ds.client.get(path)).result()


@pytest.fixture(scope="module")
def other(built, tmp_path_factory):
    """A copy of the built database under another name."""
    path = tmp_path_factory.mktemp("other") / "other.db"
    shutil.copy(built["db"], path)
    return serve.app(path)


@pytest.mark.parametrize("path", ["/", "/timeline", "/timeline?action=sanction", "/vendors/hikvision",
                                  "/organisations/cabinet-office", "/sources", "/timeline.atom", "/types.css"])
def test_a_database_under_another_name_serves_every_page(other, path):
    """Serving a copy named other.db: every page answers (it was a 500), links point at /other."""
    response = get(other, path)
    assert response.status_code == 200, response.text[:300]
    if path.startswith("/timeline") and not path.endswith(".atom"):
        assert 'href="/other"' in response.text and "/tracker/" not in response.text


def test_the_schema_is_described_under_any_name(other):
    """Table and column descriptions of site/metadata.yml reach a database served under another name."""
    response = get(other, "/other/topic")
    assert response.status_code == 200
    assert "What this database tracks" in response.text


def test_colours_and_labels_come_from_the_vocabulary(other):
    """The chart, the legend, the badges (types.css) draw each type in its vocabulary colour and label."""
    css = get(other, "/types.css").text
    page = get(other, "/timeline").text
    for kind, spec in VOCAB["actions"].items():
        assert f".swatch-{kind} {{ background: {spec['colour']}; }}" in css, kind
        assert f'<span class="swatch swatch-{kind}"></span>{spec["label"]}' in page, kind
    fills = dict(re.findall(r'fill="(#[0-9a-f]{6})" data-type="([a-z_]+)"', page))
    assert fills and all(VOCAB["actions"][kind]["colour"] == colour for colour, kind in fills.items())
    assert '<link rel="stylesheet" href="/types.css">' in page


def test_the_topic_speaks_on_the_home_page_and_the_class_target(other, built):
    """The home page's title and lede are the topic's; a class target reads as the topic names it."""
    home = get(other, "/").text
    assert VOCAB["about"]["title"] in home
    conn = sqlite3.connect(built["db"])
    labelled = conn.execute("SELECT vendors FROM timeline WHERE vendors LIKE ? LIMIT 1",
                            (f"%{VOCAB['about']['class_target']}%",)).fetchone()
    assert labelled, "no class target in the timeline view"
    assert dict(conn.execute("SELECT key, value FROM topic"))["name"] == "cameras"


def test_the_feed_is_well_formed_atom(other):
    """/timeline.atom, now a template, parses as Atom with one entry per event shown, text only."""
    body = get(other, "/timeline.atom?all=1").content
    filtered = ET.fromstring(get(other, "/timeline.atom?action=sanction").content)
    feed = ET.fromstring(body)
    entries = feed.findall(f"{ATOM}entry")
    assert feed.tag == f"{ATOM}feed" and len(entries) > 10
    for entry in entries:
        assert entry.find(f"{ATOM}id").text.startswith("tag:policy-tracker,2024:event/")
        for stamp in ("published", "updated"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry.find(f"{ATOM}{stamp}").text)
        assert entry.find(f"{ATOM}content").get("type") == "text"
    link = filtered.find(f"{ATOM}link[@rel='self']").get("href")
    assert "/timeline.atom?" in link and "action=sanction" in link
    assert {c.get("term") for c in filtered.iter(f"{ATOM}category")} == {"sanction"}


def test_a_schema_4_database_migrates_to_the_topic_columns(tmp_path):
    """A database built before #13 (a `chinese` column, no colours) gains in_scope, colour, role and topic."""
    db = sqlite_utils.Database(tmp_path / "v4.db")
    for name, columns in schema.TABLES.items():
        if name == "topic":
            continue
        columns = columns.replace("in_scope INTEGER", "chinese INTEGER").replace(", colour TEXT, role TEXT", "")
        db.execute(f"CREATE TABLE [{name}] ({columns})")
    db.execute("INSERT INTO entities (id, type, name, slug, chinese) VALUES ('vendor:x', 'vendor', 'X', 'x', 1)")
    db.execute("PRAGMA user_version = 4")
    from db import listing
    listing.create(db)
    assert schema.migrate(db) == 4
    assert db.execute("SELECT in_scope FROM entities").fetchone() == (1,)
    assert {"colour", "role"} <= {c.name for c in db["action_types"].columns}
    assert "topic" in db.table_names()
