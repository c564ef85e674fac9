"""`python -m db serve --workers N`: N server processes on one port, each answering the site's pages
(issue 19: a page's Python then uses every core)."""

import os
import sys
import subprocess
from pathlib import Path

import httpx

from tests.conftest import ROOT, free_port, wait_until_responds


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def test_two_workers_answer_the_pages(built, tmp_path):
    db = tmp_path / "tracker.db"
    db.write_bytes(built["db"].read_bytes())
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "db", "serve", "--db", str(db), "--port", str(port),
                               "--workers", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_responds(base + "/-/versions.json", timeout=120)
        with httpx.Client(base_url=base, timeout=60) as client:
            for path in ("/timeline", "/timeline?q=hikvision", "/tracker/timeline.json?_shape=array&_size=5"):
                response = client.get(path)
                assert response.status_code == 200, path
            assert "<svg class=\"chart\"" in client.get("/timeline").text
        workers = children(server.pid)
        assert len(workers) >= 2, workers  # the two workers (and multiprocessing's helper, if any)
    finally:
        server.terminate()
        server.wait(30)
    assert not children(server.pid)
