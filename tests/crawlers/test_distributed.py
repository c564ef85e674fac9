"""Two crawl workers on scrapy-redis against a real redis-server and the replay server.

Every recorded response is processed once by one of them, the work is split,
and a worker killed with SIGKILL mid-crawl loses nothing: the other takes back
its requests once its heartbeat stops."""

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest
import redis

from crawlers.replay import Faults, ReplayServer
from tests.conftest import ROOT, SOURCES, free_port, jsonl

pytestmark = [pytest.mark.redis, pytest.mark.serial, pytest.mark.timing]


def start_redis(workdir):
    binary = shutil.which("redis-server")
    if not binary:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed; `make test` installs it (make browser-deps)")
        pytest.skip("redis-server not installed")
    port = free_port()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    return server, f"redis://127.0.0.1:{port}/0"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    server, url = start_redis(tmp_path_factory.mktemp("redis"))
    yield url
    server.terminate()
    server.wait(10)


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of the test's own, to stop, freeze or kill."""
    server, url = start_redis(tmp_path)
    yield server, url
    if server.poll() is None:
        server.send_signal(signal.SIGCONT)
        server.kill()
        server.wait(10)


@pytest.fixture
def worker():
    """Start a crawl worker process; any still running when the test ends (a hang) is killed."""
    started = []

    def start(name, run_id, redis_url, replay_url, out, *extra):
        started.append(_worker(name, run_id, redis_url, replay_url, out, *extra))
        return started[-1]

    yield start
    for process in started:
        if process.poll() is None:  # hung: dump every thread's stack into its log, then kill it
            process.send_signal(signal.SIGABRT)
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
            print(f"--- {process.log} ---\n" + log_of(process)[-6000:])


def _worker(name, run_id, redis_url, replay_url, out, *extra):
    out.mkdir(parents=True, exist_ok=True)
    log = out / f"{name}.log"  # a file, not a pipe: a pipe nobody reads fills up and blocks the worker
    process = subprocess.Popen(
        [sys.executable, "-m", "crawlers", "crawl", "--out", str(out / name), "--archive", str(out / "raw"),
         "--replay-url", replay_url, "--redis", redis_url, "--run-id", run_id, "--worker", name,
         "-s", "CONCURRENT_REQUESTS=2", *extra],  # a small prefetch, so a second worker gets a share of a small crawl
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(log, "w"),
        env=dict(os.environ, PYTHONPATH=str(ROOT), PYTHONFAULTHANDLER="1"))
    process.log = log
    return process


def log_of(process) -> str:
    return process.log.read_text(errors="replace")


def outputs(folder):
    items = []
    for name in SOURCES:
        path = folder / f"{name}.jsonl"
        if path.exists():
            for line in path.read_text().splitlines():
                try:
                    items.append(json.loads(line))
                except ValueError:
                    pass  # a line cut by SIGKILL: ingest skips it the same way
    return items


def wait_for(condition, message, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.02)


def a_holds_requests(client, run_id) -> bool:
    return any(value.startswith(b"A\n") for key in client.keys(f"policy-tracker:{run_id}:*:inflight")
               for value in client.hvals(key))


def expected_ids(built):
    return {d["id"] for name in SOURCES for d in jsonl(built["crawl"] / f"{name}.jsonl")}


def assert_nothing_left(client, run_id):
    """A finished crawl leaves no request queued and none recorded as in flight."""
    left = {key.decode(): client.zcard(key) if key.endswith(b":requests") else client.hlen(key)
            for pattern in ("requests", "inflight") for key in client.scan_iter(f"policy-tracker:{run_id}:*:{pattern}")}
    assert not any(left.values()), left


def test_two_workers_share_the_work_and_process_each_response_once(redis_url, tmp_path, built, worker):
    # the replay server answers nothing until both workers run, so both get a share however slowly
    # each starts (#18: not a race with the clock); 503s and 429s make retries, which must take over
    # their request's in-flight entry
    both_running = threading.Event()
    server = ReplayServer(faults=Faults(delay=0.3, error_rate=0.1, retry_after_every=9, seed=3,
                                        hold=both_running)).start()
    try:
        client = redis.Redis.from_url(redis_url)
        first = worker("A", "split", redis_url, server.url, tmp_path)
        wait_for(lambda: any(client.scan_iter("policy-tracker:split:*:worker:A")), "worker A never started", 180)
        workers = [first, worker("B", "split", redis_url, server.url, tmp_path)]
        wait_for(lambda: any(client.scan_iter("policy-tracker:split:*:worker:B")), "worker B never started", 180)
        both_running.set()
        for w in workers:
            assert w.wait(300) == 0, log_of(w)[-3000:]
    finally:
        both_running.set()
        server.stop()
    items = {n: outputs(tmp_path / n) for n in ("A", "B")}
    pairs = [(d["id"], d["api_url"]) for n in items for d in items[n]]
    assert len(pairs) == len(set(pairs)), "a response was processed twice"
    assert {p[0] for p in pairs} == expected_ids(built)
    requests = {n: sum(json.loads((tmp_path / n / f"{s}.run.json").read_text())["requests"] for s in SOURCES)
                for n in ("A", "B")}
    assert requests["A"] >= 3 and requests["B"] >= 3, requests
    assert sum(1 for entry in server.log if entry["status"] in ("429", "503")) >= 3
    assert_nothing_left(client, "split")


@pytest.mark.parametrize("kill_after", [10, 30])  # responses served before the kill: early, and mid-crawl
def test_a_killed_worker_loses_nothing(redis_url, tmp_path, built, worker, kill_after, figures):
    run_id = f"kill{kill_after}"
    server = ReplayServer(faults=Faults(delay=0.25)).start()
    try:
        client = redis.Redis.from_url(redis_url)
        a = worker("A", run_id, redis_url, server.url, tmp_path)
        wait_for(lambda: a_holds_requests(client, run_id), "worker A never held a request")
        b = worker("B", run_id, redis_url, server.url, tmp_path)
        wait_for(lambda: len(server.log) >= kill_after and a_holds_requests(client, run_id), "no point to kill A at")
        a.send_signal(signal.SIGKILL)  # while it holds requests it took from the shared queue
        a.wait(10)
        assert b.wait(120) == 0, log_of(b)[-3000:]
    finally:
        server.stop()
    got = {d["id"] for n in ("A", "B") for d in outputs(tmp_path / n)}
    expected = expected_ids(built)
    reclaimed = sum(json.loads((tmp_path / "B" / f"{s}.run.json").read_text())["reclaimed"] for s in SOURCES)
    killed = figures.setdefault("killed_worker", {"kills": 0, "requests_taken_back": 0, "documents_lost": 0})
    killed["kills"] += 1
    killed["requests_taken_back"] += reclaimed
    killed["documents_lost"] += len(expected - got)
    assert got == expected
    assert reclaimed >= 1
    assert_nothing_left(client, run_id)


OUTAGE = ("-s", "DISTRIBUTED_REDIS_GRACE=6", "-s", 'REDIS_PARAMS={"socket_timeout": 1, "socket_connect_timeout": 1}')


def test_a_short_redis_outage_is_ridden_out(own_redis, tmp_path, built, worker):
    redis_server, url = own_redis
    server = ReplayServer(faults=Faults(delay=0.25)).start()
    try:
        a = worker("A", "outage", url, server.url, tmp_path, *OUTAGE)
        wait_for(lambda: len(server.log) >= 8, "the crawl never got going")
        redis_server.send_signal(signal.SIGSTOP)  # Redis stops answering (a freeze, a failover)
        time.sleep(3)
        redis_server.send_signal(signal.SIGCONT)
        assert a.wait(180) == 0, log_of(a)[-3000:]
        log = log_of(a)
    finally:
        server.stop()
    assert "lost Redis" in log and "Redis is back" in log
    assert {d["id"] for d in outputs(tmp_path / "A")} == expected_ids(built)


def test_redis_gone_for_good_is_a_clear_failure(own_redis, tmp_path, worker):
    redis_server, url = own_redis
    server = ReplayServer(faults=Faults(delay=0.25)).start()
    try:
        a = worker("A", "gone", url, server.url, tmp_path, *OUTAGE)
        wait_for(lambda: len(server.log) >= 8, "the crawl never got going")
        redis_server.kill()
        redis_server.wait(10)
        stopped = time.monotonic()
        code = a.wait(120)
        log = log_of(a)
    finally:
        server.stop()
    assert code == 1 and "the crawl did not finish" in log and "Redis has been unreachable" in log, log[-3000:]
    assert time.monotonic() - stopped < 60  # the grace period and a little, not a hang
    runs = [json.loads(p.read_text()) for p in (tmp_path / "A").glob("*.run.json")]
    assert runs and any(r["finish_reason"] == "redis_unavailable" for r in runs)
