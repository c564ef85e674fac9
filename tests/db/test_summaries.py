"""vendor_summary, department_summary and scrutiny are tables laid out by the build (issue 19): exactly
what their statements give over the built database, read by Datasette without grouping the corpus."""

import sqlite3

import pytest

from db import summaries


@pytest.fixture(scope="module")
def conn(built):
    return sqlite3.connect(f"file:{built['db']}?mode=ro", uri=True)


@pytest.mark.parametrize("name", sorted(summaries.SUMMARIES))
def test_a_summary_is_its_statement_laid_out(conn, name):
    assert conn.execute("SELECT type FROM sqlite_master WHERE name = ?", (name,)).fetchone() == ("table",)
    stored = sorted(conn.execute(f"SELECT * FROM [{name}]").fetchall(), key=repr)
    assert stored == sorted(conn.execute(summaries.SUMMARIES[name]).fetchall(), key=repr)
    plan = " ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN SELECT * FROM [{name}] LIMIT 101"))
    assert plan == f"SCAN {name}", plan  # its own rows only: no events, documents or actions read


def test_the_vendor_summary_has_rows(conn):
    assert conn.execute("SELECT COUNT(*) FROM vendor_summary").fetchone()[0] > 0
