"""`python -m nlp`: extract events from documents, and measure the extractor.

\b
    python -m nlp extract build/cameras/documents.jsonl -o build/cameras/extracted.jsonl
    cat docs.jsonl | python -m nlp extract - -o - --topic apps
    python -m nlp eval                       # train and dev parts of topics/<name>/eval/ (--test: test too)
    python -m nlp split NEW.jsonl --into topics/cameras/eval
    python -m nlp package -o build/cameras/pipeline   # a saved pipeline: spacy.load() runs it
    python -m nlp extract docs.jsonl --pipeline build/cameras/pipeline
    python -m nlp events build/cameras/documents.jsonl build/cameras/extracted.jsonl -o events.jsonl
    python -m nlp eval-events topics/cameras/eval/*.jsonl   # B-cubed of event resolution
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

import click

import topics

topic_option = click.option("--topic", envvar="TOPIC", default=topics.DEFAULT, show_default=True,
                            help="The topic: a folder of topics/ or a path to a topic directory ($TOPIC).")


@click.group(help=__doc__)
def cli():
    pass


rules_only_option = click.option("--rules-only", is_flag=True,
                                 help="The rules alone, without the trained type scorer (nlp/learned.py).")


def _nlp(topic: str, pipeline: str | None = None, rules_only: bool = False):
    from .pipeline import AUTO, build_nlp, load_nlp

    if pipeline:
        return load_nlp(pipeline)
    try:
        return build_nlp(topic, learned=None if rules_only else AUTO)
    except topics.UnknownTopic as exc:
        raise click.ClickException(str(exc)) from None


class Tally:
    """What became of each input line: extracted, failed (with the reason, in the output) or dropped (no
    id to fail it under: the reason on stderr); lines whose invalid UTF-8 was replaced are counted too."""

    def __init__(self):
        self.lines = self.extracted = self.mended = 0
        self.failed: Counter = Counter()
        self.dropped: Counter = Counter()

    def summary(self) -> str:
        def reasons(counter):
            return "; ".join(f"{reason} ({n})" for reason, n in counter.most_common(5))
        text = (f"{self.lines} line(s) in: extracted {self.extracted}, failed {sum(self.failed.values())}, "
                f"dropped {sum(self.dropped.values())}, mended {self.mended} (invalid UTF-8 or lone surrogates replaced)")
        if self.failed:
            text += f"; failed: {reasons(self.failed)}"
        if self.dropped:
            text += f"; dropped: {reasons(self.dropped)}"
        return text

    @property
    def lost(self) -> int:
        return sum(self.failed.values()) + sum(self.dropped.values())


def _kind(reason: str) -> str:
    """A failure's reason without its details, to count alike reasons together."""
    return reason.split(": ")[0] + (": " + reason.split(": ")[1] if reason.count(": ") >= 1 else "")


def _read(handle, tally: Tally):
    """Input records from a binary handle: a record, a Failed (a record with an id that cannot be extracted)
    or nothing (a line without an id, dropped with its reason on stderr)."""
    from .extract import BadRecord, Failed, check

    for number, raw in enumerate(handle, start=1):
        if not raw.strip():
            continue
        tally.lines += 1
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("utf-8", errors="replace")  # the same replacement the build makes
            tally.mended += 1
        try:
            record = json.loads(line)
        except RecursionError:
            record, problem = None, "nested too deeply"
        except ValueError as exc:
            record, problem = None, f"not JSON: {exc}"
        else:
            if "\\ud" in line.lower():  # a lone surrogate cannot be written as UTF-8: U+FFFD, as the crawler does
                from crawlers.pipelines import _mended

                record, lone = _mended(record)
                tally.mended += bool(lone)
            try:
                yield check(record)
                continue
            except BadRecord as exc:
                problem = str(exc)
        record_id = record.get("id") if isinstance(record, dict) else None
        if isinstance(record_id, (str, int)) and not isinstance(record_id, bool) and record_id != "":
            yield Failed(record_id, f"input: {problem}")
        else:
            tally.dropped[problem.split(":")[0]] += 1
            click.echo(f"line {number}: dropped: {problem}", err=True)


@cli.command(help="Extract vendors, organisations, people and actions from JSON Lines documents. One output line "
                  "per input document: its extraction, or {\"id\", \"failed\": reason} when it cannot be extracted "
                  "(db build then keeps its earlier actions); a line without an id is dropped with the reason on "
                  "stderr. The output file appears only when the run completes (no partial output).")
@click.argument("source", type=click.File("rb"))
@click.option("-o", "--output", default="-", show_default=True,
              help="Where to write the extraction records ('-' for stdout).")
@click.option("--batch-size", default=32, show_default=True)
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal).")
@click.option("--strict", is_flag=True, help="Exit 1 when any document failed or any line was dropped.")
@topic_option
@click.option("--pipeline", type=click.Path(exists=True, file_okay=False),
              help="A saved pipeline (python -m nlp package) instead of the topic's directory.")
@rules_only_option
def extract(source, output, batch_size, progress, strict, topic, pipeline, rules_only):
    nlp = _nlp(topic, pipeline, rules_only)
    tally = Tally()
    show = sys.stderr.isatty() if progress is None else progress
    if output == "-":
        _extract_to(nlp, source, sys.stdout, tally, batch_size, show)
    else:
        target = Path(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                _extract_to(nlp, source, handle, tally, batch_size, show)
            os.replace(temporary, target)  # the output appears whole or not at all
        finally:
            Path(temporary).unlink(missing_ok=True)
    click.echo(f"extract: {tally.summary()}", err=True)
    if strict and tally.lost:
        raise SystemExit(1)


def _extract_to(nlp, source, handle, tally: Tally, batch_size: int, show: bool) -> None:
    from tqdm import tqdm

    from .extract import extract_records

    for result in tqdm(extract_records(nlp, _read(source, tally), batch_size=batch_size), disable=not show,
                       unit="doc", desc="extract"):
        line = json.dumps(result, ensure_ascii=False, sort_keys=True)
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate from a \\udxxx escape: kept escaped, still valid JSON
            line = json.dumps(result, sort_keys=True)
        handle.write(line + "\n")
        if "failed" in result:
            tally.failed[_kind(result["failed"])] += 1
            click.echo(f"document {result['id']}: failed: {result['failed']}", err=True)
        else:
            tally.extracted += 1


@cli.command("eval", help="Precision, recall and F1 per output field: on the train and dev parts of the topic's "
                          "eval/ (with --test, the test part too), or on the labelled files given.")
@click.argument("devsets", nargs=-1)
@click.option("--part", "parts", multiple=True, type=click.Choice(["train", "dev", "test"]),
              help="Only these parts of the topic's eval/ (repeatable).")
@click.option("--test", "with_test", is_flag=True,
              help="Score the test part too: only when a piece of work is finished; note the figures and the "
                   "date in the topic's eval/README.md.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--errors", is_flag=True, help="List the disagreements too.")
@topic_option
@rules_only_option
def evaluate(devsets, parts, with_test, as_json, errors, topic, rules_only):
    from pathlib import Path

    from .evaluate import evaluate_file, format_report
    from .scoreboard import evaluate_parts, format_parts

    nlp = _nlp(topic, rules_only=rules_only)
    if devsets:
        reports = {path: evaluate_file(path, nlp) for path in devsets}
    else:
        directory = topics.directory(topic) / "eval"
        if not directory.is_dir():  # a topic without an evaluation set yet: its dev.jsonl
            reports = {"dev": evaluate_file(str(topics.directory(topic) / "dev.jsonl"), nlp)}
        else:
            chosen = tuple(parts) or (("train", "dev", "test") if with_test else ("train", "dev"))
            reports = evaluate_parts(Path(directory), chosen, nlp)
    if as_json:
        click.echo(json.dumps(reports, indent=1))
    elif errors or len(reports) == 1:
        for name, report in reports.items():
            click.echo(f"== {name}\n" + format_report(report, show_errors=errors) + "\n")
    else:
        click.echo(format_parts(reports))


@cli.command(help="Split labelled documents into the train, dev and test parts of an evaluation directory. "
                  "Parts already there are kept as they are; new documents join their story's part, new stories "
                  "are dealt by kind with a fixed seed (nlp/split.py).")
@click.argument("sources", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--into", "directory", required=True, type=click.Path(file_okay=False),
              help="The evaluation directory (e.g. topics/cameras/eval).")
@click.option("--check", is_flag=True, help="Only check that no story spans two parts.")
def split(sources, directory, check):
    from pathlib import Path

    from . import split as splitter

    path = Path(directory)
    parts = splitter.read_parts(path)
    if not check:
        new = [r for source in sources for r in splitter.read(Path(source))]
        try:
            parts = splitter.assign(parts, new)
        except splitter.SplitError as exc:
            raise click.ClickException(str(exc)) from None
        splitter.write_parts(path, parts)
    problems = splitter.check(parts)
    click.echo(splitter.summary(parts))
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    if problems:
        raise SystemExit(1)


@cli.command("train-types", help="Train the scorer of action types (nlp/learned.py) on the train part of the "
                                 "topic's eval/, with the settings of the topic's learned.json, and save it (make "
                                 "types-model). A topic without learned.json gets a model marked disabled.")
@click.option("-o", "--output", type=click.Path(file_okay=False),
              help="Where to save it (default: build/<topic>/types-model).")
@topic_option
def train_types(output, topic):
    import shutil

    from . import learned
    from .split import read

    directory = topics.directory(topic)
    target = Path(output) if output else learned.default_path(directory)
    settings = learned.settings_of(directory)
    if target.exists():
        shutil.rmtree(target)
    if settings is None:
        target.mkdir(parents=True)
        (target / "settings.json").write_text(json.dumps({"enabled": False}) + "\n", encoding="utf-8")
        click.echo(f"{directory.name}: no {learned.SETTINGS}: wrote a disabled model to {target}", err=True)
        return
    model = learned.train(read(directory / "eval" / "train.jsonl"), _nlp(topic, rules_only=True), settings)
    model.to_disk(target)
    click.echo(f"trained on {model.settings['keep_examples']} actions of the rules and "
               f"{model.settings['propose_examples']} sentences; wrote {target}", err=True)


@cli.command(help="Save the topic's pipeline with nlp.to_disk: a directory spacy.load() runs without the "
                  "topic's files (import nlp.components first so the policy_* factories are registered).")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Where to save it.")
@topic_option
def package(output, topic):
    nlp = _nlp(topic)
    nlp.meta["name"] = f"policy_tracker_{topics.directory(topic).name}"
    nlp.to_disk(output)
    click.echo(f"saved the {topics.directory(topic).name} pipeline to {output}: "
               f"{', '.join(nlp.pipe_names)}", err=True)


def _jsonl(handle, errors: list) -> list[dict]:
    out = []
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            errors.append(f"{handle.name}:{number}: skipped: {exc}")
            continue
        if isinstance(record, dict) and record.get("id") is not None:
            out.append(record)
        else:
            errors.append(f"{handle.name}:{number}: skipped: not a record with an id")
    return out


@cli.command(help="Resolve extracted actions into events: one JSON line per event, with its mentions.")
@click.argument("documents", type=click.File("r", encoding="utf-8"))
@click.argument("extracted", type=click.File("r", encoding="utf-8"))
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", show_default=True,
              help="Where to write the events ('-' for stdout).")
@click.option("--previous", type=click.File("r", encoding="utf-8"),
              help="Events written by an earlier run: their ids are kept for the same acts.")
@topic_option
def events(documents, extracted, output, previous, topic):
    from .events import resolve

    errors: list[str] = []
    docs, records = _jsonl(documents, errors), _jsonl(extracted, errors)
    known = {}
    for event in _jsonl(previous, errors) if previous else []:
        for m in event.get("mentions") or []:
            known[(m["document_id"], event["type"])] = event["id"]
    for message in errors:
        click.echo(message, err=True)
    try:
        result = resolve(docs, records, topic=topic, previous=known)
    except topics.UnknownTopic as exc:
        raise click.ClickException(str(exc)) from exc
    for event in result.events:
        output.write(json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n")
    for redirect in result.redirects:
        click.echo(f"event {redirect['old_id']} {redirect['reason']}"
                   + (f" into {redirect['new_id']}" if redirect["new_id"] else ""), err=True)
    mentions = sum(len(e["mentions"]) for e in result.events)
    unplaced = sum(e["status"] == "unplaced" for e in result.events)
    click.echo(f"{mentions} mention(s) -> {len(result.events)} event(s) ({unplaced} unplaced); "
               f"skipped {len(errors)} bad line(s)", err=True)


@cli.command("eval-events", help="B-cubed precision and recall of event resolution on files with labelled "
                                 "event keys.")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--extract/--no-extract", default=True, show_default=True,
              help="Also run the extractor and score its actions (slower).")
@click.option("--split-by-story", is_flag=True,
              help="Score a fixed half of the stories apart from the other (for files without a split).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--errors", is_flag=True, help="List acts split over several events and events lumping acts.")
@topic_option
def eval_events(files, extract, split_by_story, as_json, errors, topic):
    from .events import evaluate as ev

    nlp = _nlp(topic) if extract else None
    reports = {}
    for path in files:
        records = ev.load(path)
        parts = ev.split_by_story(records) if split_by_story else {"": records}
        for part, subset in parts.items():
            name = Path(path).name + (f" [{part}]" if part else "")
            reports[name] = ev.evaluate(subset, ev.run_extractor(subset, nlp) if extract else None, topic=topic)
    if as_json:
        click.echo(json.dumps(reports, indent=1))
        return
    click.echo(ev.HEADER)
    for name, report in reports.items():
        for line in ev.format_report(name, report, show_errors=errors):
            click.echo(line)


@cli.command(help="Fit the confidence model (nlp/confidence.py) on the train part of the topic's eval/ (a topic "
                  "without one: its dev.jsonl) and write it to the topic's confidence.json, which extraction then "
                  "reads.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Where to write it (default: "
              "topics/<topic>/confidence.json).")
@topic_option
def calibrate(output, topic):
    from pathlib import Path

    from .confidence import calibrate as fit_model
    from .split import read

    directory = topics.directory(topic)
    train = directory / "eval" / "train.jsonl"
    labelled = train if train.is_file() else directory / "dev.jsonl"
    model = fit_model(read(labelled), _nlp(topic))
    model["fitted_on"] = labelled.relative_to(directory).as_posix()
    path = Path(output or directory / "confidence.json")
    path.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    click.echo(f"fitted on {model['actions']} actions; train: {model['train_right_at_0.8']:.3f} right at "
               f"confidence >= 0.8 ({model['train_count_at_0.8']} actions); wrote {path}", err=True)


def main():
    cli(prog_name="python -m nlp")


if __name__ == "__main__":
    main()
