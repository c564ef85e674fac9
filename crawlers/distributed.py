"""Distributed crawling on scrapy-redis: N workers, one Redis-backed queue and dupefilter.

scrapy-redis shares the request queue and the duplicate filter; what it does
not do is give back the requests a worker had taken when that worker dies.
This module adds exactly that, on the same Redis:

- ``ReliableScheduler`` records every request it hands out in a per-spider
  ``inflight`` hash (owner, encoded request) and, when its own queue runs dry,
  puts back the requests of workers whose heartbeat key has expired;
- ``InFlightMiddleware`` clears a request from ``inflight`` once its callback's
  output has been consumed (items written, new requests queued);
- ``DistributedCoordination`` keeps the worker's heartbeat alive and keeps an
  idle worker open while any worker still has requests in flight.

A re-run request may yield an item a dead worker had already written: ingest
upserts by the document's id, so every document lands exactly once.
"""

from __future__ import annotations

import logging
import os
import socket
import time

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.request import fingerprint
from scrapy_redis.scheduler import Scheduler

logger = logging.getLogger(__name__)


_SEEN_AND_PUSH = """
local added = redis.call('SADD', KEYS[1], ARGV[1])
if added == 1 then redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3]) end
return added
"""


def settings_for(redis_url: str, run_id: str, worker: str | None = None) -> dict:
    """The settings that turn any crawl into one worker of a distributed crawl."""
    return {
        "SCHEDULER": "crawlers.distributed.ReliableScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": f"policy-tracker:{run_id}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"policy-tracker:{run_id}:%(spider)s:dupefilter",
        "SCHEDULER_PERSIST": True,  # one worker finishing must not empty the shared queue
        "REDIS_URL": redis_url,
        "DISTRIBUTED_RUN_ID": run_id,
        "DISTRIBUTED_WORKER": worker or f"{socket.gethostname()}-{os.getpid()}",
        "DISTRIBUTED_HEARTBEAT_TTL": 3,
        "SPIDER_MIDDLEWARES": {"crawlers.distributed.InFlightMiddleware": 950},
        "EXTENSIONS": {"crawlers.runs.CrawlRecorder": 500, "crawlers.distributed.DistributedCoordination": 600},
    }


def _keys(settings, spider_name: str) -> dict:
    run = settings.get("DISTRIBUTED_RUN_ID")
    base = f"policy-tracker:{run}:{spider_name}"
    # one heartbeat per worker and spider: a worker runs several spiders, and one of them
    # finishing must not make the others' requests look abandoned
    return {"inflight": f"{base}:inflight", "heartbeat": f"{base}:worker:%s"}


class ReliableScheduler(Scheduler):
    @classmethod
    def from_crawler(cls, crawler):
        instance = super().from_crawler(crawler)
        instance.crawler = crawler
        instance.worker = crawler.settings.get("DISTRIBUTED_WORKER")
        return instance

    def open(self, spider):
        super().open(spider)
        self.keys = _keys(self.crawler.settings, spider.name)
        self._seen_and_push = self.server.register_script(_SEEN_AND_PUSH)

    def enqueue_request(self, request):
        """Mark seen and queue in one atomic step: scrapy-redis does it in two, and a worker
        killed between them leaves a request marked seen that no queue holds."""
        if request.dont_filter:
            return super().enqueue_request(request)
        added = self._seen_and_push(keys=[self.df.key, self.queue.key],
                                    args=[self.df.request_fingerprint(request), -request.priority,
                                          self.queue._encode_request(request)])
        if not added:
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis", spider=self.spider)
        return True

    def next_request(self):
        request = super().next_request()
        if request is None:
            self.reclaim()
            request = super().next_request()
        if request is not None:
            ttl = self.crawler.settings.getint("DISTRIBUTED_HEARTBEAT_TTL", 3)
            self.server.set(self.keys["heartbeat"] % self.worker, b"busy", ex=ttl)  # working again
            request.meta["inflight_id"] = fingerprint(request).hex()
            self.server.hset(self.keys["inflight"], request.meta["inflight_id"],
                             self.worker.encode() + b"\n" + self.queue._encode_request(request))
        return request

    def reclaim(self) -> int:
        """Put back the in-flight requests of workers whose heartbeat has stopped."""
        returned = 0
        for field, value in self.server.hgetall(self.keys["inflight"]).items():
            owner, _, encoded = value.partition(b"\n")
            if owner.decode() == self.worker or self.server.exists(self.keys["heartbeat"] % owner.decode()):
                continue
            # push first, then delete: a worker killed in between leaves a duplicate (ingest
            # dedupes by id), never a lost request
            self.queue.push(self.queue._decode_request(encoded))
            self.server.hdel(self.keys["inflight"], field)
            returned += 1
        if returned:
            logger.warning("reclaimed %d request(s) from stopped workers", returned)
            self.stats.inc_value("distributed/reclaimed", returned)
        return returned

    def _others_in_flight(self) -> bool:
        return self.server.hlen(self.keys["inflight"]) > 0


class InFlightMiddleware:
    """Clear a request from the in-flight hash once its callback's output is all out
    and every item it yielded has left the item pipelines (written, or dropped with a
    reason): a worker killed before that point leaves the request for another worker."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.pending: dict[str, list] = {}  # inflight id -> [items still in the pipelines, output finished]
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self._item_left, signal=signal)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @staticmethod
    def _key(response):
        return response.request.meta.get("inflight_id") if response is not None and response.request else None

    def _clear(self, key):
        scheduler = self.crawler.engine.scheduler
        if key and hasattr(scheduler, "keys"):
            scheduler.server.hdel(scheduler.keys["inflight"], key)

    def _item_left(self, item, response, spider=None, **kwargs):
        key = self._key(response)
        state = self.pending.get(key)
        if state is None:
            return
        state[0] -= 1
        if state[0] <= 0 and state[1]:
            del self.pending[key]
            self._clear(key)

    def _track(self, key, item):
        if key and not isinstance(item, Request):
            self.pending.setdefault(key, [0, False])[0] += 1

    def _finish(self, response):
        key = self._key(response)
        if not key:
            return
        state = self.pending.setdefault(key, [0, False])
        state[1] = True
        if state[0] <= 0:
            del self.pending[key]
            self._clear(key)

    async def process_spider_output_async(self, response, result, spider=None):
        key = self._key(response)
        async for item in result:
            self._track(key, item)
            yield item
        self._finish(response)

    def process_spider_output(self, response, result, spider=None):
        key = self._key(response)
        for item in result:
            self._track(key, item)
            yield item
        self._finish(response)

    def process_spider_exception(self, response, exception, spider=None):
        self._finish(response)


class DistributedCoordination:
    """Heartbeat, and no early exit while another worker may still add work."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.ttl = crawler.settings.getint("DISTRIBUTED_HEARTBEAT_TTL", 3)
        self.worker = crawler.settings.get("DISTRIBUTED_WORKER")
        self.loop = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def _scheduler(self):
        return self.crawler.engine.scheduler

    def beat(self, state: str | None = None):
        """Heartbeat: refresh this worker's key for the spider; set its state ('busy', 'idle') if given."""
        scheduler = self._scheduler()
        key = scheduler.keys["heartbeat"] % self.worker
        if state:
            scheduler.server.set(key, state, ex=self.ttl)
        elif not scheduler.server.expire(key, self.ttl):
            scheduler.server.set(key, "busy", ex=self.ttl)

    def opened(self, spider):
        from twisted.internet import task

        self.loop = task.LoopingCall(self.beat)
        self.loop.start(max(0.5, self.ttl / 3), now=True)
        # An idle worker asks the shared queue for work on the engine's heartbeat, every 5 s by
        # default: far too rarely to share a crawl. Ask every POLL_INTERVAL instead.
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None and slot.heartbeat.running:
            slot.heartbeat.stop()
            slot.heartbeat.start(self.crawler.settings.getfloat("DISTRIBUTED_POLL_INTERVAL", 0.25), now=False)

    def idle(self, spider):
        scheduler = self._scheduler()
        if scheduler.reclaim() or len(scheduler) or scheduler._others_in_flight():
            self.beat("busy")
            raise DontCloseSpider
        self.beat("idle")
        if self._others_busy(scheduler):
            raise DontCloseSpider

    def _others_busy(self, scheduler) -> bool:
        """Another live worker is still busy with this spider: it may yet add work (or die holding some)."""
        mine = (scheduler.keys["heartbeat"] % self.worker).encode()
        for key in scheduler.server.scan_iter(scheduler.keys["heartbeat"] % "*"):
            if key != mine and scheduler.server.get(key) == b"busy":
                return True
        return False

    def closed(self, spider, reason):
        if self.loop and self.loop.running:
            self.loop.stop()
        scheduler = self._scheduler()
        scheduler.server.delete(scheduler.keys["heartbeat"] % self.worker)
