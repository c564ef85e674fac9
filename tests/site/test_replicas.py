"""Two read-only replicas of one release behind a client that fails over (any HTTP load balancer
would do): a rolling restart onto a new build keeps every answer consistent with exactly one build,
and every round of asking is answered by some replica."""

import shutil
import threading
import time

import httpx
import pytest

from db.build import build
from db.release import build_id, stage
from tests.conftest import DatasetteServer, free_port

pytestmark = [pytest.mark.reliability, pytest.mark.serial, pytest.mark.timing]


def ask(replicas, results, stop):
    """Ask every replica in turn, round after round, as a failing-over client would."""
    with httpx.Client(timeout=30) as client:
        round_number = 0
        while not stop.is_set():
            for r in replicas:
                try:
                    response = client.get(f"http://127.0.0.1:{r['port']}/tracker/build_info.json",
                                          params={"key": "build_id", "_shape": "array"})
                    results.append((round_number, r["port"], response.status_code,
                                    response.json()[0]["value"] if response.status_code == 200 else None))
                except httpx.HTTPError:
                    results.append((round_number, r["port"], "down", None))
            round_number += 1
            time.sleep(0.02)


def test_rolling_restart_onto_a_new_build(built, tmp_path):
    releases = tmp_path / "releases"
    v1 = stage(built["db"], releases)
    second = tmp_path / "second.db"
    shutil.copyfile(built["db"], second)
    build(built["crawl"], built["extracted"], second)  # a new build of the same content: a new build_id
    v2 = stage(second, releases)
    ids = {build_id(v1), build_id(v2)}
    assert len(ids) == 2 and (v1.parent / "inspect.json").exists()
    replicas = [{"port": free_port()} for _ in range(2)]
    for r in replicas:
        r["server"] = DatasetteServer(v1, port=r["port"], immutable=True)
    results, stop = [], threading.Event()
    thread = threading.Thread(target=ask, args=(replicas, results, stop))
    thread.start()
    try:
        time.sleep(0.5)
        for r in replicas:  # one at a time: the other keeps answering
            r["server"].stop()
            r["server"] = DatasetteServer(v2, port=r["port"], immutable=True)
            time.sleep(0.5)
    finally:
        stop.set()
        thread.join()
        for r in replicas:
            r["server"].stop()
    answered = [x for x in results if x[2] == 200]
    assert {x[3] for x in answered} == ids  # every answer names exactly one of the two builds
    assert all(x[2] in (200, "down") for x in results)
    rounds = {}
    for number, port, status, value in results:  # every round was answered by some replica (#18: not by the clock)
        rounds.setdefault(number, set()).add(status)
    assert len(rounds) >= 4 and all(200 in statuses for statuses in rounds.values())
    last = {port: value for _, port, status, value in answered}
    assert set(last.values()) == {build_id(v2)}
