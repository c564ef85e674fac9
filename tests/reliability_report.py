"""python -m tests.reliability_report: copy measured figures into RELIABILITY.md (`make reliability-docs`).

A test run only writes tests/artifacts/reliability.json (and reliability-busy.json for the timing
tests run beside two CPU burners), so `make test` leaves the checkout clean (#18). This command
puts a complete, green run's figures between the markers of RELIABILITY.md; it refuses a run that
failed or that did not measure every area, and says which.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

BEGIN, END = "<!-- reliability:begin -->", "<!-- reliability:end -->"
ROWS = [
    ("Load held", "load"), ("Publish while serving", "publish_while_serving"),
    ("SQL endpoint abused (pages probed)", "sql_abuse"), ("Memory attacks on the SQL endpoint", "memory_attacks"),
    ("Faults injected and survived", "faults"), ("Crash points during build", "crash_points"),
    ("Hostile SQL", "hostile_sql"), ("XSS payloads", "xss"), ("Search torture", "search_torture"),
    ("Hostile feeds", "hostile_feeds"), ("Date torture", "dates"), ("Property-based examples", "hypothesis"),
    ("Nothing lost", "nothing_lost"), ("Crawl worker killed (SIGKILL)", "killed_worker"),
    ("Hostile HTTP", "hostile_http"), ("Pause and resume (JOBDIR)", "jobdir"),
    ("Bad input to extract and build", "bad_input"), ("Extraction failures", "extract_failures"),
    ("Extraction memory, one document failing", "extract_memory"),
]
BUSY_ROWS = [("SQL endpoint abused, two CPU burners", "sql_abuse"), ("Load held, two CPU burners", "load")]


class NotReady(Exception):
    """The artifact is not from a complete, green run."""


def _cells(value) -> str:
    return "; ".join(f"{k} {v}" for k, v in value.items()) if isinstance(value, dict) else str(value)


def render(run: dict, busy: dict | None = None) -> str:
    if run.get("exit_status") != 0 or run.get("selection") != "all":
        raise NotReady(f"the run finished {run.get('finished')} with exit status {run.get('exit_status')} "
                       f"on selection {run.get('selection')!r}; run the whole suite green (make test)")
    figures = run["figures"]
    missing = [key for _, key in ROWS if key not in figures]
    if missing:
        raise NotReady(f"the run measured no figures for: {', '.join(missing)}")
    lines = [BEGIN, "", f"Last full run: {run['finished']} ({run['tests']} tests, all passed).", "",
             "| area | figures |", "| --- | --- |"]
    lines += [f"| {label} | {_cells(figures[key])} |" for label, key in ROWS]
    if busy and busy.get("exit_status") == 0:
        lines += ["", f"Timing-sensitive tests beside two CPU-bound processes (`make test`, {busy['finished']}): "
                      f"{busy['tests']} tests, all passed.", "", "| area | figures |", "| --- | --- |"]
        lines += [f"| {label} | {_cells(busy['figures'][key])} |" for label, key in BUSY_ROWS
                  if key in busy["figures"]]
    return "\n".join(lines + ["", END])


def write(block: str, path: Path) -> None:
    text = path.read_text()
    head, found, rest = text.partition(BEGIN)
    if not found:
        raise NotReady(f"{path} has no {BEGIN} marker")
    _, _, tail = rest.partition(END)
    path.write_text(head + block + tail)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.reliability_report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--figures", default="tests/artifacts/reliability.json", type=Path)
    parser.add_argument("--busy", default="tests/artifacts/reliability-busy.json", type=Path)
    parser.add_argument("--doc", default="RELIABILITY.md", type=Path)
    args = parser.parse_args(argv)
    try:
        if not args.figures.exists():
            raise NotReady(f"no {args.figures}; run `make test` first")
        busy = json.loads(args.busy.read_text()) if args.busy.exists() else None
        write(render(json.loads(args.figures.read_text()), busy), args.doc)
    except NotReady as exc:
        print(f"RELIABILITY.md not updated: {exc}", file=sys.stderr)
        return 1
    print(f"{args.doc}: figures of the run in {args.figures}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
