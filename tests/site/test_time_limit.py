"""The pages' queries run under a time limit (issue 19): past it a page answers at once with a
clear message and frees its SQL thread; Datasette's own pages are not affected."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import yaml
from datasette.app import Datasette

from db.serve import SITE

PAGES = ["/", "/timeline", "/timeline?q=Hikvision", "/timeline.atom?vendor=hikvision", "/vendors/hikvision",
         "/organisations/cabinet-office", "/sources"]


def serve(db, **config) -> Datasette:
    metadata = yaml.safe_load((SITE / "metadata.yml").read_text())
    metadata["plugins"] = {"tracker-pages": config}
    return Datasette(files=[str(db)], config_dir=SITE, metadata=metadata, settings={"sql_time_limit_ms": 1000})


def get_all(ds: Datasette, paths: list[str]) -> list:
    """The responses, from a thread of its own (Playwright's tests leave an event loop in this one)."""
    async def run():
        return [await ds.client.get(path) for path in paths]

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


def test_a_page_past_its_time_limit_says_so(built):
    ds = serve(built["db"], time_limit_ms=0)  # every page query is interrupted at its first check
    responses = get_all(ds, PAGES + ["/tracker.json?sql=select+1", "/-/versions.json"])
    for path, response in zip(PAGES, responses):
        assert response.status_code == 503, path
        assert "took too long" in response.text and "was stopped" in response.text, path
    assert [r.status_code for r in responses[len(PAGES):]] == [200, 200]


def test_under_the_limit_every_page_answers(built):
    ds = serve(built["db"])
    assert [r.status_code for r in get_all(ds, PAGES)] == [200] * len(PAGES)


HEAVY = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
         "SELECT COUNT(*) FROM (SELECT x FROM c LIMIT ?)")


def test_the_pages_limit_stops_a_query_that_works_too_long():
    import sqlite3

    import pytest

    from db.connection_limits import work_limit

    conn = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        with work_limit(conn, 50):
            conn.execute(HEAVY, [10 ** 9]).fetchone()
    with work_limit(conn, 5000):  # and lets one that does not finish
        assert conn.execute(HEAVY, [1000]).fetchone() == (1000,)


def test_the_pages_limit_counts_the_threads_own_work_not_waiting(monkeypatch):
    """A page on a machine whose other processes take the cores is not stopped for the time it waited
    (#19): the limit reads the thread's CPU clock, with a wall-clock backstop (WALL_FACTOR times it)."""
    import sqlite3

    import pytest

    from db import connection_limits

    conn = sqlite3.connect(":memory:")
    monkeypatch.setattr(connection_limits.time, "thread_time", lambda: 0.0)  # as if this thread never ran
    monkeypatch.setattr(connection_limits, "WALL_FACTOR", 10 ** 6)
    with connection_limits.work_limit(conn, 30):
        assert conn.execute(HEAVY, [3 * 10 ** 6]).fetchone() == (3 * 10 ** 6,)  # far longer than 30 ms of wall time
    monkeypatch.setattr(connection_limits, "WALL_FACTOR", 1)
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):  # the backstop
        with connection_limits.work_limit(conn, 30):
            conn.execute(HEAVY, [10 ** 9]).fetchone()


def test_served_immutable_the_timeline_view_is_counted_once_at_start(built, tmp_path, monkeypatch):
    """`make serve` serves the published file immutable (#19): Datasette's table page of the timeline view
    reads its count from the start-up inspection (exact: the file cannot change while served) instead of
    counting the whole view on every request."""
    import shutil
    import sqlite3

    from datasette.database import Database

    from db.serve import app

    db = tmp_path / "tracker.db"
    shutil.copyfile(built["db"], db)  # no inspect.json beside it
    ran = []
    original = Database.execute

    async def execute(self, sql, *args, **kwargs):
        ran.append(" ".join(sql.split()).lower())
        return await original(self, sql, *args, **kwargs)

    monkeypatch.setattr(Database, "execute", execute)
    ds = app(db, immutable=True)
    response = get_all(ds, ["/tracker/timeline.json?_size=5"])[0]
    live = sqlite3.connect(db).execute("SELECT COUNT(*) FROM listing").fetchone()[0]
    assert response.status_code == 200 and response.json()["filtered_table_rows_count"] == live
    assert ran and not [sql for sql in ran if sql.startswith("select count(*) from timeline")], ran
    assert get_all(app(db), ["/tracker/timeline.json?_size=5"])[0].json()["filtered_table_rows_count"] == live
