"""python -m bench.load [--seconds 60] [--clients 50] [--db data/tracker.db]

A sustained load run against the real site: Datasette with the site's plugins is started
on loopback over a built database, N clients request a mix of what readers and analysts
ask for (the timeline with and without search and filters, vendor and organisation pages,
the Atom feed, JSON and CSV from the SQL API), and the run reports throughput, latency
percentiles, every non-200 answer and the server's memory at the start, peak and end (a
leak shows as growth). The figures go to bench/load.json and, with --report, into a block
of RELIABILITY.md. Not run by CI (`make load`): absolute figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- load:begin -->", "<!-- load:end -->"
GENERIC_SEARCHES = ['"sensitive sites"', '"national security"']
COVER_LIMIT = 60  # --cover: never more than 60 times --seconds


def paths(db: Path) -> list[str]:
    """The request mix: fixed pages plus pages for the database's own vendors and organisations."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        vendors = [r[0] for r in conn.execute("select slug from entities where type = 'vendor' limit 5")]
        orgs = [r[0] for r in conn.execute("select slug from entities where type = 'organisation' limit 5")]
    out = ["/", "/timeline", "/timeline?page=2", "/timeline.atom", "/sources",
           "/tracker/timeline.json?_size=50", "/tracker/timeline.csv?_size=100",
           "/tracker.json?sql=" + quote("select type, count(*) from actions group by type")]
    first = (vendors + ["ban"])[0]  # searches the database's own vendors, and the domain's words
    out += [f"/timeline?q={quote(q)}" for q in [first, *GENERIC_SEARCHES, f"{first} AND ban", "ban"]]
    out += [f"/vendors/{slug}" for slug in vendors] + [f"/timeline?vendor={slug}" for slug in vendors]
    out += [f"/organisations/{slug}" for slug in orgs]
    return out


def rss_mb(pid: int) -> float | None:
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"the server did not answer at {url}")


def run(db: Path, seconds: float, clients: int, port: int, mix: list[str] | None = None, workers: int = 1,
        cover: bool = False, immutable: bool = False) -> dict:
    """Hold `clients` on the site for `seconds`; with `cover`, also until every path of the mix has been asked
    once (a busy machine may not get round the mix in a short run), at most COVER_LIMIT times longer."""
    mix = mix or paths(db)
    server = subprocess.Popen([sys.executable, "-m", "db", "serve", "--db", str(db), "--port", str(port),
                               "--workers", str(workers), *(["--immutable"] if immutable else [])], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)))
    base = f"http://127.0.0.1:{port}"
    results: list[tuple[float, object, str]] = []
    lock, stop = threading.Lock(), threading.Event()

    def client(offset: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            i = offset
            while not stop.is_set():
                path = mix[i % len(mix)]
                start = time.perf_counter()
                try:
                    status = http.get(path).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                with lock:
                    results.append((time.perf_counter() - start, status, path))
                i += 1

    try:
        wait_for(base + "/-/versions.json", timeout=120)
        rss = [rss_mb(server.pid)]
        threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
        started = time.monotonic()
        for t in threads:
            t.start()
        def going() -> bool:
            elapsed = time.monotonic() - started
            if elapsed < seconds:
                return True
            if not cover or elapsed >= seconds * COVER_LIMIT:
                return False
            with lock:
                return len({r[2] for r in results}) < len(set(mix))

        while going():
            time.sleep(1)
            rss.append(rss_mb(server.pid))
            done = len(results)
            print(f"\r{time.monotonic() - started:5.0f}/{seconds:.0f} s  {done} requests", end="", file=sys.stderr)
        stop.set()
        for t in threads:
            t.join(15)
        elapsed = time.monotonic() - started
        print(file=sys.stderr)
    finally:
        server.terminate()
        server.wait(10)
    latencies = sorted(r[0] * 1000 for r in results)
    statuses = Counter(str(r[1]) for r in results)
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else [0.0] * 99
    rss = [r for r in rss if r is not None]
    by_path: dict[str, list[float]] = {}
    for seconds_taken, _, path in results:
        by_path.setdefault(path, []).append(seconds_taken * 1000)
    slowest = sorted(((round(statistics.median(v), 1), p) for p, v in by_path.items()), reverse=True)[:3]
    return {
        "when": datetime.now(timezone.utc).replace(microsecond=0).isoformat(), "seconds": round(elapsed, 1),
        "clients": clients, "paths": len(mix), "requests": len(results),
        "requests_per_s": round(len(results) / elapsed, 1),
        "p50_ms": round(quantiles[49], 1), "p95_ms": round(quantiles[94], 1), "p99_ms": round(quantiles[98], 1),
        "non_200": {k: v for k, v in statuses.items() if k != "200"},
        "errors_5xx": sum(v for k, v in statuses.items() if k.startswith("5")),
        "slowest_median_ms": {p: ms for ms, p in slowest},
        "server_rss_mb": {"start": rss[0] if rss else None, "peak": max(rss) if rss else None,
                          "end": rss[-1] if rss else None},
    }


def report(figures: dict, path: Path) -> None:
    """Replace the load block of RELIABILITY.md with these figures."""
    rss = figures["server_rss_mb"]
    lines = [BEGIN, "",
             f"Last `make load`: {figures['when']}, {figures['clients']} clients for {figures['seconds']} s over "
             f"{figures['paths']} pages and API calls: {figures['requests']} requests ({figures['requests_per_s']}/s), "
             f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms; "
             f"5xx {figures['errors_5xx']}, other non-200 {sum(figures['non_200'].values()) - figures['errors_5xx']}; "
             f"server memory {rss['start']} MB at the start, {rss['peak']} MB at the peak, {rss['end']} MB at the end. "
             "Slowest (median): " + ", ".join(f"`{p}` {ms} ms" for p, ms in figures["slowest_median_ms"].items()) + ".",
             "", END]
    text = path.read_text() if path.exists() else f"{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    path.write_text(head + "\n".join(lines) + tail)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=str(ROOT / "data" / "tracker.db"), help="a built database")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--cover", action="store_true",
                        help="run past --seconds until every page of the mix has been asked once (at most "
                             f"{COVER_LIMIT} times --seconds)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--out", default=str(ROOT / "bench" / "load.json"), help="where the figures go (JSON)")
    parser.add_argument("--report", default="", help="also write the figures into this Markdown file's load block")
    args = parser.parse_args(argv)
    if not Path(args.db).exists():
        parser.error(f"{args.db} does not exist; run `make build` first")
    figures = run(Path(args.db), args.seconds, args.clients, args.port, cover=args.cover)
    Path(args.out).write_text(json.dumps(figures, indent=1))
    if args.report:
        report(figures, Path(args.report))
    print(json.dumps(figures, indent=1))
    return 1 if figures["errors_5xx"] or any(not k.isdigit() for k in figures["non_200"]) else 0


if __name__ == "__main__":
    sys.exit(main())
