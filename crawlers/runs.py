"""CrawlRecorder: a record of every run of every source, for source health.

At the end of a run it writes, beside the documents:

- ``<spider>.run.json``: start, end, requests, responses, items, errors by kind;
- ``<spider>.failures.jsonl``: requests that failed for good (URL, status, reason),
  which the database keeps in ``crawl_failures`` and the next run asks again;
- ``<spider>.dropped.jsonl``: items a pipeline dropped, with the reason;
- ``<spider>.limits.jsonl``: caps and windows the run hit (pages not fetched, fields cut), with the
  reason; they are counted in the run's errors as ``limit_<kind>``, and a run that hit one is not
  clean (an incremental run does not start after it).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals

from .pipelines import open_output


# stats counted into the run's errors besides errors/*: caps and windows hit, text mended
COUNTED = {"limits/": "limit_", "repaired/": "repaired_"}


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def reason_key(reason: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", reason.split(":")[0].strip().lower()).strip("_") or "other"


class CrawlRecorder:
    def __init__(self, crawler):
        self.crawler = crawler
        self.out_dir = Path(crawler.settings.get("CRAWL_OUTPUT_DIR"))
        self.started = None
        self.dropped: list[dict] = []

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.item_dropped, signal=signals.item_dropped)
        return ext

    def spider_opened(self, spider):
        self.started = _now()
        jobdir = self.crawler.settings.get("JOBDIR")
        if jobdir:  # a resumed job started when its first run did
            marker = Path(jobdir) / "policy-tracker.started"
            marker.parent.mkdir(parents=True, exist_ok=True)
            if marker.exists():
                self.started = marker.read_text().strip() or self.started
            else:
                marker.write_text(self.started)

    def item_dropped(self, item, response, exception, spider):
        reason = str(exception)
        self.crawler.stats.inc_value(f"dropped/{reason_key(reason)}")
        self.dropped.append({"source": spider.name, "run": self.started, "n": len(self.dropped),
                             "id": getattr(item, "id", None), "reason": reason,
                             "url": getattr(item, "url", None)})

    def spider_closed(self, spider, reason):
        if not self.crawler.settings.getdict("ITEM_PIPELINES"):  # scrapy check: nothing exported, no run
            return
        stats = self.crawler.stats.get_stats()
        failures = getattr(spider, "failures", [])
        errors = Counter({k.split("/", 1)[1]: v for k, v in stats.items()
                          if k.startswith("errors/") and isinstance(v, int)})
        for key, value in stats.items():
            if key.startswith("spider_exceptions/") and isinstance(value, int):
                errors["exception_" + key.split("/", 1)[1]] += value
            for prefix, label in COUNTED.items():  # left out on purpose, or mended: counted, never silent
                if key.startswith(prefix) and isinstance(value, int):
                    errors[label + key[len(prefix):]] += value
        limits = getattr(spider, "limits", [])
        record = {
            "source": spider.name, "started": self.started, "finished": _now(),
            "finish_reason": reason,
            "requests": stats.get("downloader/request_count", 0),
            "responses": stats.get("downloader/response_count", 0),
            "bytes": stats.get("downloader/response_bytes", 0),
            "items": stats.get("item_scraped_count", 0),
            "dropped": len(self.dropped), "failures": len(failures), "limits": len(limits),
            "retries": stats.get("retry/count", 0) + stats.get("retry_after/count", 0),
            "reclaimed": stats.get("distributed/reclaimed", 0),
            "mode": self.crawler.settings.get("CRAWL_MODE", "live"),
            "errors": dict(errors),
        }
        self.out_dir.mkdir(parents=True, exist_ok=True)
        (self.out_dir / f"{spider.name}.run.json").write_text(json.dumps(record, indent=1, sort_keys=True))
        failures_path = self.out_dir / f"{spider.name}.failures.jsonl"
        _write_jsonl(failures_path, failures, self.crawler.settings)
        _write_jsonl(self.out_dir / f"{spider.name}.dropped.jsonl", self.dropped, self.crawler.settings)
        _write_jsonl(self.out_dir / f"{spider.name}.limits.jsonl", limits, self.crawler.settings)
        if reason == "finished" and not failures_path.read_text().strip() and not limits:  # a resumed job too
            self._remember_success(spider.name)

    def _remember_success(self, name: str) -> None:
        """The start of the last clean run per source: where an incremental crawl starts next time."""
        path = Path(self.crawler.settings.get("CRAWL_STATE_FILE"))
        path.parent.mkdir(parents=True, exist_ok=True)
        state = json.loads(path.read_text() or "{}") if path.exists() else {}
        state[name] = {"last_success": self.started}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=1, sort_keys=True))
        tmp.replace(path)


def _write_jsonl(path: Path, rows: list[dict], settings) -> None:
    with open_output(path, settings) as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
