"""`python -m crawlers`: run the spiders, on the recordings or live.

\b
    python -m crawlers crawl                 # every source, replaying the recordings
    python -m crawlers crawl uk_hansard      # one source
    python -m crawlers crawl --live          # the real services (needs the internet)
    python -m crawlers crawl --topic apps    # another topic's sources and recordings
    python -m crawlers list                  # the sources and their spiders

The mode is a settings module (crawlers.settings.replay or .live); the
spiders are the same in both. The topic (--topic, else $TOPIC, else the
default) says what to ask each source and which recordings to replay.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import click

import topics

from . import config

topic_option = click.option("--topic", envvar="TOPIC", default=topics.DEFAULT, show_default=True,
                            help="The topic: a folder of topics/ or a path to a topic directory ($TOPIC).")


@click.group(help=__doc__)
def cli():
    pass


@cli.command("list", help="List the topic's sources and their spiders.")
@topic_option
def list_sources(topic):
    for name, source in _sources(topic).items():
        click.echo(f"{name:24} {source['kind']:18} {source['jurisdiction'] or '-':3} {source['title']}")


@cli.command(help="Crawl sources into OUT/<source>.jsonl (all sources when none is named).")
@click.argument("names", nargs=-1)
@click.option("--live", is_flag=True, help="Crawl the real services instead of the recordings.")
@click.option("--out", "out_dir", default="build/crawl", show_default=True, help="Output folder.")
@click.option("--archive", "archive_dir", default="data/raw", show_default=True,
              help="Folder for the compressed raw responses.")
@click.option("--state", "state_file", default="data/crawl-state.json", show_default=True,
              help="Where the last clean run per source is kept (incremental live crawls start there).")
@click.option("--replay-url", default="", help="A running replay server (default: start one).")
@click.option("--strict", is_flag=True, help="Exit 1 if any document fails validation.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting (repeatable).")
@click.option("--redis", "redis_url", default="", help="Join a distributed crawl: the shared Redis (redis://host:port/db).")
@click.option("--run-id", default="default", show_default=True, help="With --redis: the crawl all workers share.")
@click.option("--worker", default="", help="With --redis: this worker's name (default host-pid).")
@click.option("-a", "spider_args", multiple=True, metavar="NAME=VALUE",
              help="Pass an argument to the spiders (e.g. -a feeds=URL,URL for news_feeds).")
@click.option("--jobdir", default="", metavar="DIR",
              help="Pausable crawl: keep Scrapy's job state in DIR/<source>; stop with one Ctrl-C (SIGINT or "
                   "SIGTERM), run the same command again to resume. Outputs are appended to while resuming.")
@click.option("--log-level", default="WARNING", show_default=True)
@topic_option
def crawl(names, live, out_dir, archive_dir, state_file, replay_url, strict, overrides, redis_url, run_id, worker, spider_args,
          jobdir, log_level, topic):
    if jobdir and redis_url:
        raise click.UsageError("--jobdir and --redis do not combine: in a distributed crawl the queue lives in Redis")
    module = "crawlers.settings.live" if live else "crawlers.settings.replay"
    os.environ["SCRAPY_SETTINGS_MODULE"] = module
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.set("CRAWL_OUTPUT_DIR", out_dir)
    settings.set("RAW_ARCHIVE_DIR", archive_dir)
    settings.set("CRAWL_STATE_FILE", state_file)
    settings.set("LOG_LEVEL", log_level)
    settings.set("VALIDATION_STRICT", strict)
    sources = _sources(topic)
    settings.set("REPLAY_RECORDINGS", str(topics.directory(topic) / "recordings"))
    if replay_url:
        settings.set("REPLAY_URL", replay_url)
    if jobdir:
        settings.set("JOBDIR_ROOT", jobdir)
    if redis_url:
        check_redis(redis_url)
        from .distributed import settings_for

        for key, value in settings_for(redis_url, run_id, worker or None).items():
            settings.set(key, value)
    for item in overrides:
        key, _, value = item.partition("=")
        settings.set(key, value)
    unknown = [n for n in names if n not in sources]
    if unknown:
        raise click.ClickException(f"unknown source(s) for topic {topic}: {', '.join(unknown)}; "
                                   f"see `python -m crawlers list --topic {topic}`")
    process = CrawlerProcess(settings)
    kwargs = dict(item.partition("=")[::2] for item in spider_args)
    kwargs["topic"] = topic
    for name in names or sources:
        process.crawl(name, **kwargs)
    started = time.time()
    process.start()
    summary = summarise(Path(out_dir), names or list(sources), since=started - 1)
    click.echo(summary["text"], err=True)
    if summary["unfinished"]:  # a crash, a lost Redis: say so in the exit status, for cron and CI
        raise click.ClickException(f"the crawl did not finish for {', '.join(summary['unfinished'])}; see the log above")
    if strict and summary["invalid"]:
        raise click.ClickException(f"{summary['invalid']} invalid document(s); see *.dropped.jsonl")


def _sources(topic: str) -> dict:
    try:
        return config.sources(topic)
    except (topics.UnknownTopic, KeyError) as exc:
        raise click.ClickException(str(exc.args[0] if exc.args else exc)) from None


def check_redis(url: str) -> None:
    """Fail at once, in one line, when the shared Redis of a distributed crawl cannot be used."""
    try:
        import redis
    except ImportError:
        raise click.ClickException("--redis needs the distributed extras: pip install -e '.[distributed]'") from None
    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except (redis.RedisError, ValueError) as exc:
        raise click.ClickException(f"cannot use Redis at {url}: {exc}") from None


def summarise(out_dir: Path, names, since: float = 0.0) -> dict:
    """One line per source from its run record; the sources whose run did not finish (no record
    written by this run, or a finish reason other than finished or a requested shutdown)."""
    lines, invalid, unfinished = [], 0, []
    for name in names:
        path = out_dir / f"{name}.run.json"
        if not path.exists() or path.stat().st_mtime < since:
            lines.append(f"{name:24} no run record")
            unfinished.append(name)
            continue
        run = json.loads(path.read_text())
        if run.get("finish_reason") not in ("finished", "shutdown"):
            unfinished.append(name)
        dropped = [json.loads(l) for l in open(out_dir / f"{name}.dropped.jsonl")]
        invalid += sum(1 for d in dropped if d["reason"].startswith("invalid"))
        errors = ", ".join(f"{k} {v}" for k, v in sorted(run["errors"].items())) or "none"
        lines.append(f"{name:24} {run['items']:4} documents, {run['requests']:3} requests, "
                     f"{run['dropped']} dropped, {run['failures']} failed, {run.get('limits', 0)} limited; "
                     f"errors: {errors}")
    return {"text": "\n".join(lines), "invalid": invalid, "unfinished": unfinished}


def main():
    cli(prog_name="python -m crawlers")


if __name__ == "__main__":
    sys.exit(main())
