"""The pages people load, timed over HTTP on databases built by `python -m db build`.

Each size gets a real build (`python -m db build --fresh` on the synthetic corpus and its
extraction records), then `python -m db serve` on a free loopback port, as a reader would meet it.
Every page is requested sequentially (one warm-up, then ``rounds`` timed requests each, pages
interleaved) beside Datasette's fixed cost: ``select 1`` through the same server. The concurrent
mix replays the same pages from N clients (bench.load).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent


def page_paths() -> dict[str, str]:
    """The pages of issue 19's table, by the key their figures carry in bench/results.json; the vendors and
    the action type are the topic's (its first in-scope vendors, its first restriction)."""
    from db.ingest import slug

    from .corpus import topic_words

    words = topic_words()
    first, second = [slug(name) for name in (words["in_scope"] + ["", ""])[:2]]
    return {
        "home": "/",
        "timeline": "/timeline",
        "timeline_vendor": f"/timeline?vendor={first}",
        "timeline_action_dates": f"/timeline?action={words['restriction']}&from=2022-01-01&to=2023-12-31",
        "search_word": f"/timeline?q={first}",
        "search_phrase": "/timeline?q=" + quote('"sensitive sites"'),
        "atom_search": f"/timeline.atom?q={second}",
        "vendor": f"/vendors/{first}",
        "timeline_json": "/tracker/timeline.json?_size=50",
    }


PAGES = ("home", "timeline", "timeline_vendor", "timeline_action_dates", "search_word", "search_phrase",
         "atom_search", "vendor", "timeline_json")  # page_paths()' keys: the figures' names
WORKERS = 2  # server processes, as `make serve` runs them (its WORKERS)
FIXED = "/tracker.json?sql=" + quote("select 1") + "&_shape=array"


def write_inputs(docs: list[dict], records: list[dict], workdir: Path) -> tuple[Path, Path]:
    """The crawl folder and extraction file `python -m db build` reads."""
    crawl = workdir / "crawl"
    crawl.mkdir(parents=True, exist_ok=True)
    with open(crawl / "corpus.jsonl", "w", encoding="utf-8") as out:
        for doc in docs:
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    extracted = workdir / "extracted.jsonl"
    with open(extracted, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return crawl, extracted


def build(docs: list[dict], records: list[dict], workdir: Path) -> tuple[Path, dict]:
    """Build a fresh database with the project's own command; returns its path and the build's timings."""
    crawl, extracted = write_inputs(docs, records, workdir)
    db_path = workdir / "tracker.db"  # the site serves the database named tracker
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "db", "build", "--crawl", str(crawl), "--extracted", str(extracted),
                             "--out", str(db_path), "--fresh"], cwd=ROOT, capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    if result.returncode != 0:
        raise RuntimeError(f"python -m db build failed: {result.stderr[-3000:]}")
    found = re.search(r"timings (\{.*\})", result.stderr)
    timings = json.loads(found.group(1)) if found else {}
    timings["wall"] = round(time.perf_counter() - start, 1)
    for path in (crawl / "corpus.jsonl", extracted):
        path.unlink()
    return db_path, timings


def _quantile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))] * 1000, 2)


class Server:
    """`python -m db serve --immutable` on a free loopback port, as `make serve` runs it (WORKERS processes)."""

    def __init__(self, db_path: Path):
        from tests.conftest import free_port, wait_until_responds

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([sys.executable, "-m", "db", "serve", "--immutable", "--db", str(db_path),
                                         "--port", str(self.port), "--workers", str(WORKERS)], cwd=ROOT,
                                        stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        wait_until_responds(self.url + "/-/versions.json", timeout=120)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def time_pages(db_path: Path, rounds: int = 20, timeout: float = 120) -> dict:
    """p50/p95 of each page and of `select 1`, sequential requests through one server."""
    server = Server(db_path)
    samples: dict[str, list[float]] = {name: [] for name in [*PAGES, "select_1"]}
    pages = page_paths()
    statuses: dict[str, set] = {name: set() for name in samples}
    first: dict[str, float] = {}
    paths = {**pages, "select_1": FIXED}
    try:
        with httpx.Client(base_url=server.url, timeout=timeout) as client:
            client.get(FIXED)  # the first connection
            for name, path in paths.items():  # warm-up: templates, page cache; timed, as the first request of a
                start = time.perf_counter()   # page, before its counts are kept (db/query.py's cache)
                client.get(path)
                first[name] = round((time.perf_counter() - start) * 1000, 2)
            for _ in range(rounds):
                for name, path in paths.items():
                    start = time.perf_counter()
                    response = client.get(path)
                    samples[name].append(time.perf_counter() - start)
                    statuses[name].add(response.status_code)
    finally:
        server.stop()
    # a page that answered anything but 200 is reported as such (its figures are a miss), not a crashed run:
    # at the largest size a page past its time limit answers 503, and the other figures are still worth having
    wrong = {name: sorted(codes) for name, codes in statuses.items() if codes != {200}}
    fixed = _quantile(samples["select_1"], 0.95)
    out = {"rounds": rounds, "select_1": {"p50_ms": _quantile(samples["select_1"], 0.5), "p95_ms": fixed},
           "not_200": wrong}
    for name in PAGES:
        p95 = _quantile(samples[name], 0.95)
        out[name] = {"path": pages[name], "p50_ms": _quantile(samples[name], 0.5), "p95_ms": p95,
                     "vs_select_1": round(p95 / max(fixed, 0.01), 2), "first_ms": first.get(name),
                     "statuses": sorted(statuses[name])}
    return out


def concurrent(db_path: Path, clients: int = 20, seconds: float = 30) -> dict:
    """The same pages from ``clients`` concurrent clients for ``seconds`` (bench.load, this mix)."""
    from bench import load
    from tests.conftest import free_port

    figures = load.run(db_path, seconds, clients, free_port(), mix=list(page_paths().values()), workers=WORKERS,
                       immutable=True)
    return {k: figures[k] for k in ("clients", "seconds", "requests", "requests_per_s", "p50_ms", "p95_ms", "p99_ms",
                                    "non_200", "errors_5xx", "slowest_median_ms")} | {"workers": WORKERS}
