"""python -m bench.report [--results bench/results.json] [--out BENCHMARKS.md]

Regenerates the figures block of BENCHMARKS.md (between its markers) from a results file written
by `python -m bench`. This is the only step that writes a tracked file (`make bench-docs`); a bench
run alone, as CI does it, leaves `git status` clean.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from . import pages

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def _get(mapping: dict, size) -> dict | None:
    return mapping.get(size) or mapping.get(str(size))


def page_table(results: dict) -> list[str]:
    """One row per page: p50 / p95 ms and the p95's ratio to select 1, at every size."""
    sizes = results["sizes"]
    runs = results.get("pages") or {}
    if not runs:
        return []
    lines = ["A page's first request (\"first\", ms) is before the server keeps its counts (db/query.py); the rounds after "
             "it read them from that cache where the same server process answered the first.", "",
             "| page | " + " | ".join(f"{n:,} docs: p50 / p95 ms (× select 1; first)" for n in sizes) + " | growth k |",
             "| --- |" + " --- |" * (len(sizes) + 1)]
    for name, path in pages.page_paths().items():
        cells = []
        for n in sizes:
            run = _get(runs, n)[name]
            first = f"; first {run['first_ms']}" if run.get("first_ms") is not None else ""
            cells.append(f"{run['p50_ms']} / {run['p95_ms']} ({run['vs_select_1']}{first})")
        growth = results["scaling"].get(f"page_{name}_p50_exponent")
        lines.append(f"| `{path}` | " + " | ".join(cells) + f" | {growth} |")
    fixed = [_get(runs, n)["select_1"] for n in sizes]
    lines.append("| Datasette `select 1` (fixed cost) | " + " | ".join(f"{f['p50_ms']} / {f['p95_ms']}" for f in fixed)
                 + " | |")
    raw = [_get(results["search"], n)["raw"] for n in sizes]
    lines.append("| raw FTS5 query, no HTTP (`search_vs_raw`'s) | " +
                 " | ".join(f"{r['p50_ms']} / {r['p95_ms']}" for r in raw) + " | |")
    builds = [_get(results.get("builds") or {}, n) or {} for n in sizes]
    lines += ["", "| `python -m db build` | " + " | ".join(f"{n:,} docs" for n in sizes) + " |",
              "| --- |" + " --- |" * len(sizes)]
    lines.append("| actions | " + " | ".join(f"{b.get('rows', {}).get('actions', '—'):,}" if b.get("rows") else "—"
                                             for b in builds) + " |")
    for step in ("ingest", "extractions", "events", "index", "listing", "check", "wall"):
        lines.append(f"| {step} s | " + " | ".join(str(b.get(step, "—")) for b in builds) + " |")
    mix = results.get("pages_mix")
    if mix:
        slowest = ", ".join(f"`{p}` {ms} ms" for p, ms in mix["slowest_median_ms"].items())
        workers = f", {mix['workers']} server processes" if mix.get("workers") else ""
        lines += ["", f"Concurrent mix at {max(sizes):,} documents: {mix['clients']} clients for {mix['seconds']} s{workers} "
                      f"over the pages above: {mix['requests']} requests ({mix['requests_per_s']}/s), p50 {mix['p50_ms']}"
                      f" ms, p95 {mix['p95_ms']} ms, p99 {mix['p99_ms']} ms, 5xx {mix['errors_5xx']}, other non-200 "
                      f"{sum(v for k, v in mix['non_200'].items() if not k.startswith('5'))}. Slowest (median): "
                      f"{slowest}."]
    return lines


def render(results: dict) -> list[str]:
    f, m = results["figures"], results["met"]
    machine = results["machine"]
    load = f", load average at the end {machine['load_average']}" if machine.get("load_average") else ""
    if machine.get("load_average_start"):
        load = f", load average at the start {machine['load_average_start']}" + load
    lines = [BEGIN, "", f"Run {results['date']} on {machine['platform']} ({machine['cpus']} CPUs, "
             f"Python {machine['python']}{load}); sizes {', '.join(map(str, results['sizes']))}"
             f"{' (quick)' if results['quick'] else ''}"
             f"{'; ' + format(results['unique_documents'], ',') + ' distinct texts' if results.get('unique_documents') else ''}"
             f"; wall time {results['wall_seconds']} s.",
             "Versions: " + ", ".join(f"{k} {v}" for k, v in results["versions"].items()) + ".", "",
             "| figure | value | target | met |", "| --- | --- | --- | --- |"]
    for key, value in f.items():
        lines.append(f"| `{key}` | {value} | {results['targets'][key]} | {'yes' if m[key] else '**no**'} |")
    lines += ["", "### The pages", ""] + page_table(results)
    lines += ["", "### Stages", "", "| stage (recordings) | seconds | peak RSS MB |", "| --- | --- | --- |"]
    for name, stage in results["end_to_end"]["stages"].items():
        lines.append(f"| {name} | {stage['seconds']} | {stage['peak_rss_mb']} |")
    lines += ["", "| documents | extract words/s | tokenizer words/s | ratio | ingest s (ours / raw) | ratio | "
              "extraction ingest CPU s (ours / raw; wall s) | ratio | search p50 / p95 ms (HTTP) | p95 raw ms |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for n in results["sizes"]:
        nl = _get(results["nlp"], n)
        ing, se = _get(results["ingest"], n), _get(results["search"], n)
        ex = _get(results.get("ingest_extractions") or {}, n)
        nlp_cells = (f"{nl['extract_words_per_s']} | {nl['tokenizer_words_per_s']} | {nl['ratio']}" if nl
                     else "— | — | —")
        if ex and "ours_cpu_s" in ex:  # the ratio is of CPU time (bench/stages.py extractions_vs_raw)
            ex_cells = f"{ex['ours_cpu_s']} / {ex['raw_cpu_s']}; wall {ex['ours_s']} / {ex['raw_s']} | {ex['ratio']}"
        else:
            ex_cells = f"{ex['ours_s']} / {ex['raw_s']} | {ex['ratio']}" if ex else "— | —"
        lines.append(f"| {n} | {nlp_cells} | {ing['ours_s']} / {ing['raw_s']} | {ing['ratio']} | {ex_cells} | "
                     f"{se['datasette_http']['p50_ms']} / {se['datasette_http']['p95_ms']} | {se['raw']['p95_ms']} |")
    lines += ["", "Growth exponents (time ∝ n^k): " + ", ".join(f"{k} {v}" for k, v in results["scaling"].items()
                                                               if not k.startswith("page_")) + ".",
              f"Recrawl: first {results['recrawl']['first']}, second {results['recrawl']['second']}, "
              f"{results['recrawl']['not_modified_304']} answered 304.", ""]
    profile = next((r.get("profile") for r in results["nlp"].values() if r.get("profile")), None)
    if profile:
        lines += ["Where extraction time goes (cProfile, top functions by own time):", "", "```"] + profile + ["```", ""]
    lines.append(END)
    return lines


def write(results: dict, path: Path) -> None:
    """Replace the generated block of ``path`` (between the markers) with these figures."""
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    path.write_text(head + "\n".join(render(results)) + tail)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args(argv)
    if not Path(args.results).exists():
        parser.error(f"{args.results} does not exist; run `make bench` first")
    write(json.loads(Path(args.results).read_text()), Path(args.out))
    print(f"wrote the figures of {args.results} into {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
