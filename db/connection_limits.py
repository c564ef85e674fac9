"""Limits on every SQLite connection the site opens (#18, RELIABILITY.md §1.2).

Datasette's time limit bounds how long a query runs, not how much it allocates or returns:
- run-time limits: no string or blob over 10 MB, no SQL text over 100 kB, no ATTACH;
- an authorizer refuses functions that hand out or take raw pointers (``fts3_tokenizer``)
  or load code (``load_extension``), whatever SQL a client writes;
- a row factory counts the bytes a query returns and stops it past ``RESULT_BUDGET``, so a
  page of large values fails with a clear message instead of growing the server by gigabytes;
- ``work_limit``: the site's pages' time limit, on the work of the thread that runs them (#19).
"""

from __future__ import annotations

import sqlite3
import time
import weakref
from contextlib import contextmanager

from datasette.utils import sqlite_timelimit

MAX_LENGTH = 10_000_000  # bytes in one string or blob
MAX_SQL_LENGTH = 100_000
RESULT_BUDGET = 8 * 1024 * 1024  # bytes of values one query may return
DENIED_FUNCTIONS = frozenset({"fts3_tokenizer", "load_extension"})


class ResultTooLarge(sqlite3.OperationalError):
    """A query returned more than RESULT_BUDGET bytes (Datasette shows it as a 400)."""


def _authorize(action, arg1, arg2, database, trigger):
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


class RowBudget:
    """A row factory giving sqlite3.Row, counting each cursor's bytes against a budget."""

    def __init__(self, budget: int = RESULT_BUDGET):
        self.budget = budget
        self.used: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __call__(self, cursor, values):
        size = 0
        for value in values:
            if isinstance(value, (str, bytes)):
                size += len(value)
        if size:
            total = self.used.get(cursor, 0) + size
            self.used[cursor] = total
            if total > self.budget:
                raise ResultTooLarge(f"the result is over {self.budget // 2**20} MB; ask for fewer rows or columns")
        return sqlite3.Row(cursor, values)


def limit(conn: sqlite3.Connection) -> None:
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_LENGTH)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_LENGTH)
    conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    conn.set_authorizer(_authorize)
    conn.row_factory = RowBudget()


WALL_FACTOR = 3  # a page is stopped at its time limit of its own work, or at this many times it in all


@contextmanager
def work_limit(conn: sqlite3.Connection, ms: int):
    """Interrupt the statements on ``conn`` once this thread has worked ``ms`` milliseconds (its CPU time), or
    once WALL_FACTOR times that has passed. Datasette's ``sqlite_timelimit`` (used here for a tiny limit)
    counts wall time only: on a machine whose other processes took most of the cores, pages doing nothing
    wrong ran past it and answered 503 (the bench's concurrent mix, #19); the limit is there to stop a
    query that works too long."""
    if ms <= 20:  # as Datasette's: a tiny limit (tests) is checked at every step
        with sqlite_timelimit(conn, ms):
            yield
        return
    work, wall = time.thread_time() + ms / 1000, time.perf_counter() + WALL_FACTOR * ms / 1000

    def handler():
        return 1 if time.thread_time() >= work or time.perf_counter() >= wall else None

    conn.set_progress_handler(handler, 1000)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 1000)
