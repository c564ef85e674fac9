"""`python -m nlp`: extract events from documents, and measure the extractor.

\b
    python -m nlp extract build/documents.jsonl -o build/extracted.jsonl
    cat docs.jsonl | python -m nlp extract - -o -
    python -m nlp eval                       # the topic's dev set (topics/<name>/dev.jsonl)
"""

from __future__ import annotations

import json
import sys

import click


@click.group(help=__doc__)
def cli():
    pass


def _read(handle, errors: list):
    from .extract import BadRecord, check

    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            yield check(json.loads(line))
        except (ValueError, BadRecord) as exc:
            message = f"line {number}: skipped: {exc}"
            errors.append(message)
            click.echo(message, err=True)


@cli.command(help="Extract vendors, organisations, people and actions from JSON Lines documents.")
@click.argument("source", type=click.File("r", encoding="utf-8"))
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", show_default=True,
              help="Where to write the extraction records ('-' for stdout).")
@click.option("--batch-size", default=32, show_default=True)
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal).")
def extract(source, output, batch_size, progress):
    from tqdm import tqdm

    from .extract import extract_records
    from .pipeline import build_nlp

    nlp = build_nlp()
    errors: list[str] = []
    show = sys.stderr.isatty() if progress is None else progress
    records = _read(source, errors)
    count = 0
    for result in tqdm(extract_records(nlp, records, batch_size=batch_size), disable=not show,
                       unit="doc", desc="extract"):
        output.write(json.dumps(result, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    click.echo(f"extracted {count} document(s); skipped {len(errors)} bad line(s)", err=True)


@cli.command("eval", help="Precision, recall and F1 per output field on a labelled dev set "
                          "(default: the topic's dev.jsonl).")
@click.argument("devset", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--errors", is_flag=True, help="List the disagreements too.")
def evaluate(devset, as_json, errors):
    import topics

    from .evaluate import evaluate_file, format_report

    report = evaluate_file(devset or str(topics.directory() / "dev.jsonl"))
    if as_json:
        click.echo(json.dumps(report, indent=1))
    else:
        click.echo(format_report(report, show_errors=errors))


def main():
    cli(prog_name="python -m nlp")


if __name__ == "__main__":
    main()
