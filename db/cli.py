"""`python -m db`: build, check, search and serve the tracker database.

\b
    python -m db build --crawl build/crawl --extracted build/extracted.jsonl --out data/tracker.db
    python -m db search "cease deployment" --db data/tracker.db
    python -m db serve --db data/tracker.db --port 8001
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import click

import topics


@click.group(help=__doc__)
def cli():
    pass


@cli.command(help="Build the database from crawl output and extractions, then publish it atomically. Malformed "
                  "lines are skipped with their reasons, counted in the summary; a document whose extraction failed "
                  "keeps its earlier actions. One build at a time per database file (a lock beside it).")
@click.option("--crawl", "crawl_dir", default="build/crawl", show_default=True, type=click.Path(file_okay=False))
@click.option("--extracted", default="build/extracted.jsonl", show_default=True, type=click.Path(dir_okay=False),
              help="The extraction records (python -m nlp extract); it must exist and cover every crawled document.")
@click.option("--without-extractions", is_flag=True,
              help="Build from the crawl alone (documents keep the actions they had), ignoring --extracted.")
@click.option("--out", default="data/tracker.db", show_default=True, type=click.Path(dir_okay=False))
@click.option("--fresh", is_flag=True, help="Start from an empty database instead of the published one.")
@click.option("--max-drop", default=0.2, show_default=True,
              help="Refuse to publish if documents or actions shrink more (1: no shrink check, even when the live "
                   "database cannot be read).")
@click.option("--strict", is_flag=True, help="Exit 1 (after publishing) if any line was skipped or any document's "
                                             "extraction had failed.")
@click.option("--crash-at", hidden=True, help="Test hook: exit abruptly at a named point.")
@click.option("--topic", envvar="TOPIC", default=topics.DEFAULT, show_default=True,
              help="The topic whose vocabulary and sources describe the build ($TOPIC; a name or a directory).")
def build(crawl_dir, extracted, without_extractions, out, fresh, max_drop, strict, crash_at, topic):
    from .build import PublishRefused, build as run_build

    try:
        topics.directory(topic)
    except topics.UnknownTopic as exc:
        raise click.ClickException(str(exc)) from None
    if not Path(crawl_dir).is_dir():
        raise click.ClickException(f"no crawl output in {crawl_dir}; run `python -m crawlers crawl` first")
    if without_extractions:
        extracted = None
    elif not Path(extracted).is_file():
        raise click.ClickException(f"no extraction file {extracted}: run `python -m nlp extract` (a failed extract "
                                   "leaves none), or build without extractions (--without-extractions)")
    try:
        report = run_build(crawl_dir, extracted, out, fresh=fresh, max_drop=max_drop,
                           progress=lambda m: click.echo(f"… {m}", err=True), crash_at=crash_at, topic=topic)
    except PublishRefused as exc:
        raise click.ClickException(f"not published: {exc}") from exc
    counts = report.counts
    rows, events = counts["rows"], counts.get("events", {})
    documents, extractions = counts.get("documents", {}), counts.get("extractions", {})
    click.echo(f"published {out} (build {report.build_id}): {rows.get('documents', 0)} documents, "
               f"{rows.get('actions', 0)} actions, {rows.get('events', 0)} events "
               f"({events.get('new', 0)} new, {events.get('updated', 0)} with new sources, "
               f"{events.get('unplaced', 0)} unplaced), {rows.get('mentions', 0)} mentions; "
               f"timings {json.dumps(report.timings)}", err=True)
    failed = extractions.get("failed", 0)
    click.echo(f"records: documents read {sum(documents.values())} ({documents.get('new', 0)} new, "
               f"{documents.get('changed', 0)} changed, {documents.get('unchanged', 0)} unchanged); extractions "
               f"{extractions.get('documents', 0)} stored, {failed} failed (earlier actions kept), "
               f"{extractions.get('skipped', 0)} for documents not in the database; {counts['skipped_summary']}; "
               f"{counts['mended_lines']} line(s) with invalid UTF-8 mended; "
               f"{counts['stale_copies_removed']} stale working copies removed", err=True)
    for example in counts.get("failed_extractions", []):
        click.echo(f"extraction failed: {example}", err=True)
    if strict and (counts["bad_lines"] or failed):
        raise SystemExit(1)


@cli.command(help="Run PRAGMA integrity_check and the FTS checks on a database.")
@click.option("--db", "path", default="data/tracker.db", show_default=True, type=click.Path(exists=True, dir_okay=False))
def check(path):
    from .build import PublishRefused, check as run_check

    try:
        run_check(Path(path), {}, {}, 1.0)
    except PublishRefused as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{path}: ok")


@cli.command(help="Search the timeline: words, \"phrases\", OR, -exclusion, prefix*, and the filters vendor:, "
                  "actor:, action:, jurisdiction:, department:, kind:, from:, to: (see the README's Searching).")
@click.argument("query", required=False, default="")
@click.option("--db", "path", default="data/tracker.db", show_default=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def search(query, path, limit, as_json):
    from .pages import date_problems
    from .search import timeline

    problems = date_problems({"q": query})
    if problems:  # never a silent empty result (#17)
        raise click.UsageError(" ".join(problems))
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = timeline(conn, query, limit=limit)
    if as_json:
        click.echo(json.dumps(rows, indent=1, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['date'] or '?':10}  {row['action']:22}  {row['actor'] or '?':30.30}  "
                   f"{row['sources']:>2} source(s)  {(row['title'] or '')[:60]}  /events/{row['event_id']}")
    click.echo(f"{len(rows)} event(s)", err=True)


@cli.command(help="Write a digest of the events new since a date (first published, or given a new source), for a "
                  "saved search: OUT.txt (plain text) and OUT.html, for a mail tool to send. SEARCH is the site's "
                  "search syntax (words, \"phrases\", vendor:, actor:, action:, jurisdiction:, from:, to: ...); "
                  "without it, every new event.")
@click.argument("search", required=False, default="")
@click.option("--since", required=True, help="A date: 2026-11-01, 2026-11 or 2026.")
@click.option("--db", "path", default="data/tracker.db", show_default=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", default="digest", show_default=True, type=click.Path(dir_okay=False),
              help="Where to write: OUT.txt and OUT.html.")
@click.option("--base-url", default="http://127.0.0.1:8001", show_default=True,
              help="The site's address, for the events' links and the feed.")
@click.option("--all", "show_all", is_flag=True, help="Every action, the less certain ones included (as ?all=1).")
def digest(search, since, path, out, base_url, show_all):
    from .digest import digest as make, write

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = make(conn, since, search, base_url, show_all)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    text, html = write(result, Path(out))
    click.echo(f"{result.intro} Wrote {text} and {html}.")


@cli.command(help="Stage a built database as an immutable release for read-only replicas.")
@click.option("--db", "path", default="data/tracker.db", show_default=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--releases", default="releases", show_default=True, type=click.Path(file_okay=False))
def stage(path, releases):
    from .release import stage as run_stage

    click.echo(run_stage(Path(path), Path(releases)))


@cli.command(help="Serve the database with Datasette, site/ as its configuration directory (127.0.0.1 only by "
                  "default). The database's file may have any name.")
@click.option("--db", "path", default="data/tracker.db", show_default=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True)
@click.option("--immutable", is_flag=True, help="Open the file immutable (-i): for replicas of a published build.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes on the one port (each with its own SQL threads): more use more cores.")
def serve(path, host, port, immutable, workers):
    from .serve import run

    click.echo(f"Timeline: http://{host}:{port}/timeline", err=True)
    run(path, host, port, immutable, workers)


def main():
    cli(prog_name="python -m db")


if __name__ == "__main__":
    main()
