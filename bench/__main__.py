"""python -m bench [--sizes 10000,100000,1000000] [--quick]

Writes bench/results.json and regenerates the figures table in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import shutil
import tempfile
import time
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from . import corpus, stages

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"nlp_vs_tokenizer": (">=", 1 / 3), "ingest_vs_raw": ("<=", 1.5), "search_p95_ms": ("<=", 50.0),
           "search_vs_raw": ("<=", 3.0), "recrawl_bytes_ratio": ("<=", 0.05), "recrawl_requests_ratio": ("<=", 0.05),
           "recrawl_new_rows": ("<=", 0)}
NLP_MAX = 100_000  # extraction beyond this takes too long for one run; its growth is measured up to here


def exponent(sizes: list[int], values: list[float]) -> float | None:
    if len(sizes) < 2 or values[0] <= 0 or values[-1] <= 0:
        return None
    return round(math.log(values[-1] / values[0]) / math.log(sizes[-1] / sizes[0]), 3)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="corpus sizes, comma-separated")
    parser.add_argument("--quick", action="store_true", help="small sizes, no profile of misses")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    started = time.perf_counter()
    try:
        print("end to end on the recordings …", flush=True)
        e2e = stages.end_to_end(work / "e2e")
        print("incremental recrawl …", flush=True)
        recrawl = stages.recrawl(work / "recrawl")
        print(f"corpus of {max(sizes)} documents …", flush=True)
        everything = corpus.generate(max(sizes), e2e.pop("documents"))
        nlp_runs, ingest_runs, search_runs = {}, {}, {}
        for n in sizes:
            docs = everything[:n]
            if n <= NLP_MAX:
                print(f"extraction vs tokenizer, {n} …", flush=True)
                nlp_runs[n] = stages.nlp_vs_tokenizer(docs, profile=not args.quick)
            print(f"ingest vs raw executemany, {n} …", flush=True)
            ingest_runs[n] = stages.ingest_vs_raw(docs, work)
            print(f"search through Datasette vs raw FTS5, {n} …", flush=True)
            search_runs[n] = stages.search(work / "ours.db")
        largest = max(sizes)
        largest_nlp = max(nlp_runs)
        figures = {
            "nlp_vs_tokenizer": nlp_runs[largest_nlp]["ratio"],
            "ingest_vs_raw": ingest_runs[largest]["ratio"],
            "search_p95_ms": search_runs[largest]["datasette_http"]["p95_ms"],
            "search_vs_raw": search_runs[largest]["ratio_p95"],
            "recrawl_bytes_ratio": recrawl["bytes_ratio"],
            "recrawl_requests_ratio": recrawl["requests_ratio"],
            "recrawl_new_rows": recrawl["new_rows"],
        }
        ns = sorted(nlp_runs)
        scaling = {
            "extract_seconds_exponent": exponent(ns, [nlp_runs[n]["words"] / nlp_runs[n]["extract_words_per_s"] for n in ns]),
            "ingest_seconds_exponent": exponent(sizes, [ingest_runs[n]["ours_s"] for n in sizes]),
            "raw_ingest_seconds_exponent": exponent(sizes, [ingest_runs[n]["raw_s"] for n in sizes]),
            "search_p95_exponent": exponent(sizes, [search_runs[n]["datasette_http"]["p95_ms"] for n in sizes]),
        }
        results = {
            "date": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            "machine": {"platform": platform.platform(), "processor": platform.machine(),
                        "cpus": __import__("os").cpu_count(), "python": platform.python_version()},
            "versions": {p: version(p) for p in ("scrapy", "spacy", "sqlite-utils", "datasette", "feedparser")}
            | {"sqlite": __import__("sqlite3").sqlite_version},
            "sizes": sizes, "quick": args.quick, "figures": figures,
            "targets": {k: f"{op} {v:.3g}" for k, (op, v) in TARGETS.items()},
            "met": {k: (figures[k] >= v if op == ">=" else figures[k] <= v) for k, (op, v) in TARGETS.items()},
            "end_to_end": e2e, "recrawl": recrawl, "nlp": nlp_runs, "ingest": ingest_runs, "search": search_runs,
            "scaling": scaling, "wall_seconds": round(time.perf_counter() - started, 1),
        }
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(results, indent=1, default=str))
        write_markdown(results)
        print(json.dumps({"figures": figures, "met": results["met"]}, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_markdown(results: dict, path: Path = ROOT / "BENCHMARKS.md") -> None:
    """Replace the generated block of BENCHMARKS.md (between the markers) with this run's figures."""
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    f, m = results["figures"], results["met"]
    lines = [begin, "", f"Run {results['date']} on {results['machine']['platform']} ({results['machine']['cpus']} CPUs, "
             f"Python {results['machine']['python']}); sizes {', '.join(map(str, results['sizes']))}"
             f"{' (quick)' if results['quick'] else ''}; wall time {results['wall_seconds']} s.",
             "Versions: " + ", ".join(f"{k} {v}" for k, v in results["versions"].items()) + ".", "",
             "| figure | value | target | met |", "| --- | --- | --- | --- |"]
    for key, value in f.items():
        lines.append(f"| `{key}` | {value} | {results['targets'][key]} | {'yes' if m[key] else '**no**'} |")
    lines += ["", "| stage (recordings) | seconds | peak RSS MB |", "| --- | --- | --- |"]
    for name, stage in results["end_to_end"]["stages"].items():
        lines.append(f"| {name} | {stage['seconds']} | {stage['peak_rss_mb']} |")
    lines += ["", "| documents | extract words/s | tokenizer words/s | ratio | ingest s (ours / raw) | ratio | "
              "search p50 / p95 ms (HTTP) | p95 raw ms |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for n in results["sizes"]:
        nl = results["nlp"].get(n) or results["nlp"].get(str(n))
        ing, se = results["ingest"][n], results["search"][n]
        nlp_cells = (f"{nl['extract_words_per_s']} | {nl['tokenizer_words_per_s']} | {nl['ratio']}" if nl
                     else "— | — | —")
        lines.append(f"| {n} | {nlp_cells} | {ing['ours_s']} / {ing['raw_s']} | {ing['ratio']} | "
                     f"{se['datasette_http']['p50_ms']} / {se['datasette_http']['p95_ms']} | {se['raw']['p95_ms']} |")
    lines += ["", "Growth exponents (time ∝ n^k): " + ", ".join(f"{k} {v}" for k, v in results["scaling"].items()) + ".",
              f"Recrawl: first {results['recrawl']['first']}, second {results['recrawl']['second']}, "
              f"{results['recrawl']['not_modified_304']} answered 304.", ""]
    profile = next((r.get("profile") for r in results["nlp"].values() if r.get("profile")), None)
    if profile:
        lines += ["Where extraction time goes (cProfile, top functions by own time):", "", "```"] + profile + ["```", ""]
    lines.append(end)
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{begin}\n{end}\n"
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(end)
    path.write_text(head + "\n".join(lines) + tail)


if __name__ == "__main__":
    main()
