"""/events/<id> (issue #15): the act once, its sources, a line to cite it, its JSON; old ids redirect.

Datasette runs in process (``ds.client``) on a copy of the built database, with the
site's real metadata, templates and plugins.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import shutil
import sqlite3

import pytest

from db import serve

STATEMENT = "uk_written_statements:9100001"  # the API's id (#16)


@pytest.fixture(scope="module")
def site(built, tmp_path_factory):
    path = tmp_path_factory.mktemp("events") / "tracker.db"
    shutil.copy(built["db"], path)
    conn = sqlite3.connect(path)
    ids = {row[0]: row[1] for row in conn.execute(
        "SELECT primary_document_id || '/' || type, id FROM events WHERE primary_document_id IS NOT NULL")}
    conn.execute("INSERT INTO event_redirects VALUES ('emerged', ?, 'merged', '2026-01-01T00:00:00Z')",
                 (ids[f"{STATEMENT}/ban_installation"],))
    conn.execute("INSERT INTO event_redirects VALUES ('egone', NULL, 'withdrawn', '2026-01-01T00:00:00Z')")
    conn.commit()
    conn.close()
    ds = serve.app(path)  # site/ as Datasette's configuration directory, as `python -m db serve` runs it
    return ds, ids


def get(ds, path):
    """One response, from a thread of its own (Playwright's tests leave an event loop in this one)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, ds.client.get(path)).result()


def test_the_event_page_shows_the_act_once_with_its_sources(site):
    """The November 2022 decision: one page, the statement first as primary, then answers and news."""
    ds, ids = site
    r = get(ds, f"/events/{ids[f'{STATEMENT}/ban_installation']}")
    assert r.status_code == 200
    assert "script-src 'self'" in r.headers["content-security-policy"] and "<script" not in r.text
    html = r.text
    assert "Installation ban by" in html and "Cabinet Office" in html and "24 November 2022" in html
    roles = [part.split('"', 1)[0] for part in html.split('class="role-')[1:]]
    assert roles[0] == "primary" and "restatement" in roles and "report" in roles
    assert roles == sorted(roles, key=["primary", "restatement", "report"].index)
    assert html.index("Security Update on Surveillance Equipment") < html.index("UK govt bans Chinese")
    assert "Oliver Dowden (Chancellor of the Duchy of Lancaster)" in html


def test_the_cite_line_names_actor_action_date_number_url_and_retrieval(site):
    """'Cite this' gives the actor, the action, the date, the statement's number, its URL and when it was read."""
    ds, ids = site
    html = get(ds, f"/events/{ids[f'{STATEMENT}/ban_installation']}").text
    line = html.split('class="cite-line">', 1)[1].split("</p>", 1)[0]
    assert line.startswith("Cabinet Office, installation ban, 24 November 2022.")
    assert "Written statement HCWS386" in line and "UK Parliament" in line
    assert "https://questions-statements.parliament.uk/written-statements/detail/2022-11-24/HCWS386" in line
    assert "(retrieved " in line


def test_a_federal_register_event_is_cited_by_its_document_number(site):
    """An FCC order is cited as 'FR Doc. <number> (<citation>)'."""
    ds, ids = site
    key = next(k for k in ids if k.startswith("us_federal_register:2022-28263/"))
    page = get(ds, f"/events/{ids[key]}.json").json()
    assert "FR Doc. 2022-28263 (88 FR 7592)" in page["cite"]
    assert page["primary_source"]["id"] == "us_federal_register:2022-28263"


def test_the_event_json_carries_the_record_and_its_sources(site):
    """/events/<id>.json: the event's fields, its vendors, the cite line and every source with its sentences."""
    ds, ids = site
    r = get(ds, f"/events/{ids[f'{STATEMENT}/ban_installation']}.json")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    page = r.json()
    assert page["event"]["date"] == "2022-11-24" and page["action"] == "Installation ban"
    assert page["vendors"] == ["Chinese-made equipment (class)"]
    assert set(page["vendors_in_context"]) == {"Hikvision", "Dahua"}
    assert page["sources"][0]["document_id"] == STATEMENT and page["sources"][0]["role"] == "primary"
    assert all(s["sentences"] for s in page["sources"])
    assert page["event"]["documents"] == len(page["sources"])


def test_old_ids_redirect_and_withdrawn_ones_say_so(site):
    """A merged id answers 301 to its event (HTML and JSON); a withdrawn one 410; an unknown one 404."""
    ds, ids = site
    target = ids[f"{STATEMENT}/ban_installation"]
    r = get(ds, "/events/emerged")
    assert r.status_code == 301 and r.headers["location"] == f"/events/{target}"
    assert get(ds, "/events/emerged.json").headers["location"] == f"/events/{target}.json"
    gone = get(ds, "/events/egone")
    assert gone.status_code == 410 and "withdrawn" in gone.text
    assert get(ds, "/events/enosuchevent").status_code == 404
