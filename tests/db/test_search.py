"""The search helper never errors on user input and supports phrases, OR, -exclusion and filters."""

import re
import sqlite3

import pytest
from hypothesis import given, settings, strategies as st

from db.search import parse_query, timeline
from tests.conftest import FIGURES, tally

TORTURE = ["", " ", '"', "docker-compose", "title:x", "a OR", "NEAR(", "*", "(", "^குகை", "Hikvision's", "x" * 10000,
           "-", "--", "OR OR", '""', "AND", "NOT", "hikvision -", ")", "{}", "\x00", "ban*", "vendor:", "from:zzz"]


@pytest.fixture(scope="module")
def conn(built):
    return sqlite3.connect(f"file:{built['db']}?mode=ro", uri=True, check_same_thread=False)


@pytest.mark.parametrize("text", TORTURE)
def test_torture_strings_never_raise(conn, text, figures):
    tally(figures, "search_torture", "strings")
    try:
        rows = timeline(conn, text)
    except Exception:
        tally(figures, "search_torture", "errors")
        raise
    tally(figures, "search_torture", "errors", 0)
    assert isinstance(rows, list)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_random_unicode_never_raises(conn, text):
    tally(FIGURES, "hypothesis", "search_examples")
    timeline(conn, text)


def test_phrase_or_and_exclusion(conn):
    """A phrase matches its words in order and side by side (#18: the old check was always true)."""
    phrase = timeline(conn, '"cease deployment"', limit=500)
    assert phrase and all(re.search(r"\x02ceas\w* deploy\w*\x03", r["snippet"] or "", re.I) for r in phrase)
    assert len(timeline(conn, "deployment cease", limit=500)) >= len(phrase)
    assert timeline(conn, '"deployment cease"', limit=500) == []  # the same words, out of order
    hik = {r["event_id"] for r in timeline(conn, "Hikvision", limit=500)}
    both = {r["event_id"] for r in timeline(conn, "Hikvision OR Dahua", limit=500)}
    without = {r["event_id"] for r in timeline(conn, "Hikvision -Dahua", limit=500)}
    assert hik <= both and without <= hik and without != hik


def test_filters(conn):
    rows = timeline(conn, "vendor:hikvision action:sanction", limit=100)
    assert rows and all(r["type"] == "sanction" and "hikvision" in r["targets"] + r["context"] for r in rows)
    dated = timeline(conn, "from:2023-01-01 to:2023-12-31", limit=500)
    assert dated and all("2023-01-01" <= r["date"] <= "2023-12-31" for r in dated)
    assert all(r["jurisdiction"] == "US" for r in timeline(conn, "jurisdiction:us", limit=500))
    home = timeline(conn, 'department:"home office"', limit=500)
    assert home and all(r["department"] == "Home Office" for r in home)
    assert len(timeline(conn, department="Cabinet", limit=500)) == \
        len([r for r in timeline(conn, limit=500) if "Cabinet" in (r["department"] or "")])


def test_parse_query_shapes():
    assert parse_query('"sensitive sites" OR cameras -Dahua vendor:hikvision').fts == \
        '("sensitive sites" OR "cameras") NOT "Dahua"'
    assert parse_query("vendor:hikvision").filters == {"vendor": "hikvision"}
    assert parse_query("-alone").fts == ""
