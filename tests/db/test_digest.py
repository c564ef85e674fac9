"""`python -m db digest` (issue 17): the events new since a date, for a saved search, as text and HTML."""

import sqlite3
import subprocess
import sys

import pytest

from db.digest import digest
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def conn(built):
    return sqlite3.connect(f"file:{built['db']}?mode=ro", uri=True)


def test_a_digest_holds_the_new_events_the_search_finds(conn):
    result = digest(conn, "2000-01-01", "vendor:hikvision", "https://tracker.example", show_all=True)
    expected = {e for (e,) in conn.execute(  # an event's vendors: named in its sentences or in context (#15)
        "SELECT DISTINCT event_id FROM event_targets WHERE target = 'vendor:hikvision'")}
    assert expected and {e["id"] for e in result.new + result.updated} == expected
    text, html = result.text(), result.html()
    for event in expected:
        assert f"https://tracker.example/events/{event}" in text and f'href="https://tracker.example/events/{event}"' in html
    assert "https://tracker.example/timeline.atom?q=vendor%3Ahikvision&all=1" in text


def test_nothing_new_after_the_build_and_every_event_without_a_search(conn):
    assert digest(conn, "2999-01-01").total == 0 and "Nothing new." in digest(conn, "2999").text()
    assert digest(conn, "2000").total == conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]


def test_the_html_digest_escapes_crawled_text(conn):
    result = digest(conn, "2000")
    result.new[0]["title"] = '<script>alert(1)</script> & "x"'
    assert "<script>alert" not in result.html() and "&lt;script&gt;" in result.html()


def test_bad_dates_are_refused(conn):
    with pytest.raises(ValueError, match="is not a date"):
        digest(conn, "2023-13-45")
    with pytest.raises(ValueError, match="is not a date"):
        digest(conn, "2023", "to:2023-02-30")


def test_the_command_writes_text_and_html(built, tmp_path):
    out = tmp_path / "alerts" / "hikvision"
    result = subprocess.run([sys.executable, "-m", "db", "digest", "--db", str(built["db"]), "--since", "2000-01-01",
                             "--out", str(out), "vendor:hikvision"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "/events/" in (tmp_path / "alerts" / "hikvision.txt").read_text()
    assert (tmp_path / "alerts" / "hikvision.html").read_text().startswith("<!DOCTYPE html>")
