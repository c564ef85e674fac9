"""Atomic publish: the live file is never written in place; a crash leaves it intact; bad builds are refused."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from db.build import PublishRefused, build, check
from tests.conftest import ROOT, tally

pytestmark = pytest.mark.reliability


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("point", ["copied", "mid-ingest", "mid-fts", "before-swap"])
def test_a_crash_at_any_point_leaves_the_live_database_intact(built, tmp_path, point, figures):
    live = tmp_path / "tracker.db"
    shutil.copyfile(built["db"], live)
    before = sha(live)
    result = subprocess.run([sys.executable, "-m", "db", "build", "--crawl", str(built["crawl"]), "--extracted",
                             str(built["extracted"]), "--out", str(live), "--crash-at", point],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    integrity = sqlite3.connect(live).execute("PRAGMA integrity_check").fetchone()[0]
    tally(figures, "crash_points", "points")
    tally(figures, "crash_points", "live_db_changed", int(sha(live) != before))
    tally(figures, "crash_points", "integrity_not_ok", int(integrity != "ok"))
    assert result.returncode == 137
    assert sha(live) == before
    assert integrity == "ok"
    assert not any(p.name.startswith("tracker.db-") for p in tmp_path.iterdir())  # no journal beside the live file
    build(built["crawl"], built["extracted"], live)  # the next build succeeds


def test_a_truncated_or_corrupt_file_is_refused(built, tmp_path):
    bad = tmp_path / "bad.db"
    data = built["db"].read_bytes()
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(PublishRefused):
        check(bad, {}, {}, 0.2)
    flipped = bytearray(data)
    for i in range(4096, len(flipped), 997):
        flipped[i] ^= 0xFF
    bad.write_bytes(bytes(flipped))
    with pytest.raises(PublishRefused):
        check(bad, {}, {}, 0.2)


def test_a_build_that_loses_too_many_rows_is_not_published(built, tmp_path):
    live = tmp_path / "tracker.db"
    shutil.copyfile(built["db"], live)
    before = sha(live)
    empty = tmp_path / "empty-crawl"
    empty.mkdir()
    with pytest.raises(PublishRefused, match="documents would drop"):
        build(empty, None, live, fresh=True)
    assert sha(live) == before
