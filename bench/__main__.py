"""python -m bench [--sizes 10000,100000,1000000] [--quick]

Measures every stage against its limit and writes bench/results.json (ignored by git). It never
touches a tracked file: `python -m bench.report` (make bench-docs) turns results.json into the
figures block of BENCHMARKS.md, as an explicit step.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import sqlite3
import tempfile
import time
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from . import corpus, pages, stages

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"nlp_vs_tokenizer": (">=", 1 / 3), "ingest_vs_raw": ("<=", 1.5), "ingest_extractions_vs_raw": ("<=", 1.5),
           "search_p95_ms": ("<=", 50.0), "search_vs_raw": ("<=", 3.0), "recrawl_bytes_ratio": ("<=", 0.05),
           "recrawl_requests_ratio": ("<=", 0.05), "recrawl_new_rows": ("<=", 0)}
PAGE_TARGETS = {"ms": 100.0, "vs_select_1": 20.0, "exponent": 0.3, "mix_p95_ms": 500.0}
# event resolution (db build's events stage) against storing the same documents and extractions (its ingest and
# extractions stages) in the same build, and its growth with the corpus: linear, like theirs (#15)
EVENT_TARGETS = {"events_vs_ingest": ("<=", 2.0), "events_seconds_exponent": ("<=", 1.15)}
NLP_MAX = 100_000  # extraction beyond this takes too long for one run; larger corpora repeat these texts


def exponent(sizes: list[int], values: list[float]) -> float | None:
    if len(sizes) < 2 or values[0] <= 0 or values[-1] <= 0:
        return None
    return round(math.log(values[-1] / values[0]) / math.log(sizes[-1] / sizes[0]), 3)


def page_figures(sizes: list[int], runs: dict, mix: dict | None) -> tuple[dict, dict]:
    """One figure per page of issue 19 (p95 ms at the largest size), its ratio to select 1, growth."""
    figures, targets = {}, {}
    largest = runs[max(sizes)]
    for name in pages.PAGES:
        if largest[name].get("statuses", [200]) != [200]:  # a page that did not always answer misses its target
            figures[f"page_{name}_not_200"] = 1
            targets[f"page_{name}_not_200"] = ("<=", 0)
        figures[f"page_{name}_p95_ms"] = largest[name]["p95_ms"]
        targets[f"page_{name}_p95_ms"] = ("<=", PAGE_TARGETS["ms"])
        figures[f"page_{name}_vs_select_1"] = largest[name]["vs_select_1"]
        targets[f"page_{name}_vs_select_1"] = ("<=", PAGE_TARGETS["vs_select_1"])
    growth = [exponent(sizes, [runs[n][name]["p50_ms"] for n in sizes]) for name in pages.PAGES]
    if all(g is not None for g in growth):
        figures["pages_growth_exponent"] = max(growth)
        targets["pages_growth_exponent"] = ("<=", PAGE_TARGETS["exponent"])
    if mix:
        figures["pages_mix_p95_ms"] = mix["p95_ms"]
        targets["pages_mix_p95_ms"] = ("<=", PAGE_TARGETS["mix_p95_ms"])
        figures["pages_mix_errors"] = mix["errors_5xx"] + sum(v for k, v in mix["non_200"].items()
                                                              if not k.startswith("5"))
        targets["pages_mix_errors"] = ("<=", 0)
    return figures, targets


def event_figures(sizes: list[int], builds: dict) -> tuple[dict, dict]:
    """The events stage of `python -m db build`: its seconds as a ratio to the build's ingest and extractions
    stages at the largest size, and its growth exponent over the sizes."""
    figures = {}
    largest = builds.get(max(sizes)) or {}
    stored = (largest.get("ingest") or 0) + (largest.get("extractions") or 0)
    if largest.get("events") is not None and stored > 0:
        figures["events_vs_ingest"] = round(largest["events"] / stored, 3)
    growth = exponent(sizes, [(builds.get(n) or {}).get("events") or 0 for n in sizes])
    if growth is not None:
        figures["events_seconds_exponent"] = growth
    return figures, {k: EVENT_TARGETS[k] for k in figures}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="corpus sizes, comma-separated")
    parser.add_argument("--quick", action="store_true", help="fewer samples, no profile of misses, no concurrent mix")
    parser.add_argument("--rounds", type=int, default=0, help="timed requests per page (default 30, quick 10)")
    parser.add_argument("--unique", type=int, default=NLP_MAX,
                        help=f"distinct documents (default {NLP_MAX:,}): larger corpora repeat their texts, and "
                             "extraction and its figures run on sizes up to this only")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    rounds = args.rounds or (10 if args.quick else 30)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    started = time.perf_counter()
    load_at_start = [round(x, 2) for x in os.getloadavg()]  # the machine may be shared: say how busy it was
    try:
        print("end to end on the recordings …", flush=True)
        e2e = stages.end_to_end(work / "e2e")
        print("incremental recrawl …", flush=True)
        recrawl = stages.recrawl(work / "recrawl")
        print(f"corpus of {max(sizes)} documents …", flush=True)
        unique = min(max(sizes), args.unique)
        everything = corpus.generate(max(sizes), e2e.pop("documents"), unique=unique)
        nlp_runs, ingest_runs, extraction_runs, search_runs, page_runs, builds = {}, {}, {}, {}, {}, {}
        extracted: list[dict] = []
        for n in (n for n in sizes if n <= unique):
            print(f"extraction vs tokenizer, {n} …", flush=True)
            nlp_runs[n], extracted = stages.nlp_vs_tokenizer(everything[:n], profile=not args.quick)
        if max(sizes) > unique and len(extracted) < unique:
            print(f"extracting the {unique} distinct documents …", flush=True)
            _, extracted = stages.nlp_vs_tokenizer(everything[:unique], profile=False)
        for n in sizes:
            docs = everything[:n]
            records = corpus.copy_extraction(extracted, n, len(extracted))
            print(f"ingest vs raw executemany, {n} …", flush=True)
            ingest_runs[n] = stages.ingest_vs_raw(docs, work)
            print(f"extraction ingest vs raw executemany, {n} …", flush=True)
            extraction_runs[n] = stages.extractions_vs_raw(docs, records, work)
            print(f"search through Datasette vs raw FTS5, {n} …", flush=True)
            search_runs[n] = stages.search(work / "ours.db")
            (work / "ours.db").unlink(missing_ok=True)
            print(f"python -m db build, {n} …", flush=True)
            db_path, builds[n] = pages.build(docs, records, work / f"pages-{n}")
            builds[n]["rows"] = _rows(db_path)
            print(f"the pages over HTTP, {n} ({rounds} rounds) …", flush=True)
            page_runs[n] = pages.time_pages(db_path, rounds=rounds)
            if n == max(sizes) and not args.quick:
                print("20 concurrent clients on the pages for 30 s …", flush=True)
                mix = pages.concurrent(db_path, clients=20, seconds=30)
            else:
                mix = None
            if n != max(sizes):
                shutil.rmtree(work / f"pages-{n}", ignore_errors=True)
        largest = max(sizes)
        figures = {
            "nlp_vs_tokenizer": nlp_runs[max(nlp_runs)]["ratio"],
            "ingest_vs_raw": ingest_runs[largest]["ratio"],
            "ingest_extractions_vs_raw": extraction_runs[largest]["ratio"],
            "search_p95_ms": search_runs[largest]["datasette_http"]["p95_ms"],
            "search_vs_raw": search_runs[largest]["ratio_p95"],
            "recrawl_bytes_ratio": recrawl["bytes_ratio"],
            "recrawl_requests_ratio": recrawl["requests_ratio"],
            "recrawl_new_rows": recrawl["new_rows"],
        }
        targets = dict(TARGETS)
        more, page_targets = page_figures(sizes, page_runs, mix)
        figures.update(more)
        targets.update(page_targets)
        more, event_targets = event_figures(sizes, builds)
        figures.update(more)
        targets.update(event_targets)
        ns = sorted(nlp_runs)
        scaling = {
            "extract_seconds_exponent": exponent(ns, [nlp_runs[n]["words"] / nlp_runs[n]["extract_words_per_s"]
                                                      for n in ns]),
            "ingest_seconds_exponent": exponent(sizes, [ingest_runs[n]["ours_s"] for n in sizes]),
            "raw_ingest_seconds_exponent": exponent(sizes, [ingest_runs[n]["raw_s"] for n in sizes]),
            "ingest_extractions_seconds_exponent": exponent(sizes, [extraction_runs[n]["ours_s"] for n in sizes]),
            "search_p95_exponent": exponent(sizes, [search_runs[n]["datasette_http"]["p95_ms"] for n in sizes]),
            "events_seconds_exponent": exponent(sizes, [builds[n].get("events") or 0 for n in sizes]),
        } | {f"page_{name}_p50_exponent": exponent(sizes, [page_runs[n][name]["p50_ms"] for n in sizes])
             for name in pages.PAGES}
        results = {
            "date": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            "machine": {"platform": platform.platform(), "processor": platform.machine(),
                        "cpus": os.cpu_count(), "python": platform.python_version(),
                        "load_average_start": load_at_start,
                        "load_average": [round(x, 2) for x in os.getloadavg()]},
            "versions": {p: version(p) for p in ("scrapy", "spacy", "sqlite-utils", "datasette", "feedparser")}
            | {"sqlite": sqlite3.sqlite_version},
            "sizes": sizes, "quick": args.quick, "unique_documents": unique, "figures": figures,
            "targets": {k: f"{op} {v:.3g}" for k, (op, v) in targets.items()},
            "met": {k: (figures[k] >= v if op == ">=" else figures[k] <= v) for k, (op, v) in targets.items()},
            "end_to_end": e2e, "recrawl": recrawl, "nlp": nlp_runs, "ingest": ingest_runs,
            "ingest_extractions": extraction_runs, "search": search_runs, "builds": builds, "pages": page_runs,
            "pages_mix": mix, "scaling": scaling, "wall_seconds": round(time.perf_counter() - started, 1),
        }
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(results, indent=1, default=str))
        print(json.dumps({"figures": figures, "met": results["met"]}, indent=1))
        print(f"wrote {args.out}; `make bench-docs` puts it into BENCHMARKS.md", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _rows(db_path: Path) -> dict:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return {t: int(v) for t, v in conn.execute("SELECT key, value FROM build_info WHERE key IN "
                                                   "('documents', 'actions')")}
    finally:
        conn.close()


if __name__ == "__main__":
    main()
