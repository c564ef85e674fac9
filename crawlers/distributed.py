"""Distributed crawling on scrapy-redis: N workers, one Redis-backed queue and dupefilter.

scrapy-redis shares the request queue and the duplicate filter; what it does
not do is give back the requests a worker had taken when that worker dies.
This module adds exactly that, on the same Redis:

- ``ReliableScheduler`` moves each request it takes from the shared queue into
  a per-spider ``inflight`` hash (owner, score, encoded request) in one Lua
  step, so no instant exists where a request is in neither; it clears the
  entry once the response (or the failure) has been fully scraped: callback or
  errback output consumed, every item through the pipelines, every new request
  queued. A retry or redirect made by a downloader middleware replaces its
  request's entry in the same step that queues it. When its own queue runs dry
  it puts back the requests of workers whose heartbeat key has expired.
- ``DistributedCoordination`` keeps the worker's heartbeat alive and keeps an
  idle worker open while any worker still has requests in flight.

A re-run request may yield an item a dead worker had already written: ingest
upserts by the document's id, so every document lands exactly once.

If Redis goes away, a worker keeps what it cannot store (new requests, entries to
clear) in memory and retries for DISTRIBUTED_REDIS_GRACE seconds; if Redis is
still gone, the spider closes with the reason ``redis_unavailable`` and the crawl
command exits non-zero, so a supervisor knows to run it again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import time

from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeoutError
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.scheduler import Scheduler

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)

logger = logging.getLogger(__name__)

# KEYS: dupefilter, queue, inflight.  ARGV: fingerprint ('' when the request is not
# filtered), score, encoded request, in-flight id this request replaces ('' if none).
_ENQUEUE = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
if ARGV[4] ~= '' then redis.call('HDEL', KEYS[3], ARGV[4]) end
return 1
"""

# KEYS: queue, inflight.  ARGV: owner.  Returns {id, encoded request} or nil.
_TAKE = r"""
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return nil end
redis.call('ZREM', KEYS[1], top[1])
local id = redis.sha1hex(top[1])
redis.call('HSET', KEYS[2], id, ARGV[1] .. '\n' .. top[2] .. '\n' .. top[1])
return {id, top[1]}
"""

# KEYS: queue, inflight.  ARGV: id, the entry as read.  Puts it back only if nobody did already.
_GIVE_BACK = r"""
local entry = redis.call('HGET', KEYS[2], ARGV[1])
if entry ~= ARGV[2] then return 0 end
local owner_end = string.find(entry, '\n', 1, true)
local score_end = string.find(entry, '\n', owner_end + 1, true)
redis.call('ZADD', KEYS[1], string.sub(entry, owner_end + 1, score_end - 1), string.sub(entry, score_end + 1))
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
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
        # a Redis that stops answering must not hang the worker: calls time out and count as an outage
        "REDIS_PARAMS": {"socket_timeout": 5, "socket_connect_timeout": 5, "retry_on_timeout": False},
        "DISTRIBUTED_RUN_ID": run_id,
        "DISTRIBUTED_WORKER": worker or f"{socket.gethostname()}-{os.getpid()}",
        "DISTRIBUTED_HEARTBEAT_TTL": 3,
        "DISTRIBUTED_REDIS_GRACE": 30,
        "EXTENSIONS": {"crawlers.runs.CrawlRecorder": 500, "crawlers.distributed.DistributedCoordination": 600},
    }


def _keys(settings, spider_name: str) -> dict:
    run = settings.get("DISTRIBUTED_RUN_ID")
    base = f"policy-tracker:{run}:{spider_name}"
    # one heartbeat per worker and spider: a worker runs several spiders, and one of them
    # finishing must not make the others' requests look abandoned
    return {"inflight": f"{base}:inflight", "heartbeat": f"{base}:worker:%s"}


def inflight_id(encoded: bytes) -> str:
    """The in-flight hash field of a queued request: the SHA-1 of its queue entry, as Lua computes it."""
    return hashlib.sha1(encoded).hexdigest()


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
        self._enqueue = self.server.register_script(_ENQUEUE)
        self._take = self.server.register_script(_TAKE)
        self._give_back = self.server.register_script(_GIVE_BACK)
        self.scraping: set[str] = set()  # in-flight ids whose response is being scraped now
        self.held: set[str] = set()  # in-flight ids this worker took and has not cleared or handed over
        self.unsent: list = []  # requests Redis could not take while it was away
        self.uncleared: set[str] = set()  # in-flight entries to clear once Redis is back
        self.down_since: float | None = None
        self.grace = self.crawler.settings.getfloat("DISTRIBUTED_REDIS_GRACE", 30)
        self._clear_when_scraped(self.crawler.engine.scraper)

    # -- Redis going away ------------------------------------------------------

    def redis_down(self, exc) -> None:
        if self.down_since is None:
            self.down_since = time.monotonic()
            logger.error("lost Redis (%s); keeping new requests in memory and retrying for %.0f s", exc, self.grace)

    def redis_up(self) -> None:
        if self.down_since is not None:
            logger.warning("Redis is back after %.1f s", time.monotonic() - self.down_since)
            self.down_since = None

    @property
    def redis_gone(self) -> bool:
        """Redis has been unreachable for longer than the grace period."""
        return self.down_since is not None and time.monotonic() - self.down_since > self.grace

    def _catch_up(self) -> None:
        """Send what Redis missed while it was away: requests to queue, entries to clear."""
        while self.unsent:
            self._enqueue_now(self.unsent[0])
            self.unsent.pop(0)
        for key in list(self.uncleared):
            self.server.hdel(self.keys["inflight"], key)
            self.uncleared.discard(key)

    def _clear_when_scraped(self, scraper):
        """Clear a request's in-flight entry when Scrapy has finished scraping its response or
        failure. Scrapy has no signal for that moment, so wrap this engine's own
        ``Scraper.enqueue_scrape``, whose Deferred fires exactly then (the engine calls it for
        every response and every download failure)."""
        original = scraper.enqueue_scrape

        def enqueue_scrape(result, request):
            key = request.meta.get("inflight_id")
            if key:
                self.scraping.add(key)

            def done(outcome):
                if key:
                    self.scraping.discard(key)
                    self.held.discard(key)
                    try:
                        self.server.hdel(self.keys["inflight"], key)
                    except REDIS_DOWN as exc:
                        self.redis_down(exc)
                        self.uncleared.add(key)
                return outcome

            return original(result, request).addBoth(done)

        scraper.enqueue_scrape = enqueue_scrape

    def enqueue_request(self, request):
        """Mark seen and queue in one atomic step (scrapy-redis does it in two, and a worker
        killed between them leaves a request marked seen that no queue holds). A request a
        downloader middleware made from one in flight (a retry, a redirect) takes over from it
        in the same step; a request a callback yields while its parent is scraped does not."""
        parent = request.meta.pop("inflight_id", None)
        request.meta["inflight_replaces"] = parent if parent and parent not in self.scraping else ""
        if self.unsent:  # keep the order: Redis has not taken the earlier ones yet
            self.unsent.append(request)
            return True
        try:
            return self._enqueue_now(request)
        except REDIS_DOWN as exc:
            self.redis_down(exc)
            self.unsent.append(request)
            return True

    def _enqueue_now(self, request) -> bool:
        replaces = request.meta.pop("inflight_replaces", "")
        fp = "" if request.dont_filter else self.df.request_fingerprint(request)
        try:
            added = self._enqueue(keys=[self.df.key, self.queue.key, self.keys["inflight"]],
                                  args=[fp, -request.priority, self.queue._encode_request(request), replaces])
        except REDIS_DOWN:
            request.meta["inflight_replaces"] = replaces  # for the next attempt
            raise
        self.held.discard(replaces)  # handed over (or already gone): the new request carries it
        if not added:
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        if self.redis_gone:
            self._close_for_redis()
            return None
        try:
            self._catch_up()
            request = self._take_one()
            if request is None and self.reclaim():
                request = self._take_one()
        except REDIS_DOWN as exc:
            self.redis_down(exc)
            return None  # a take whose reply was lost stays in the in-flight hash; reclaim() finds it
        self.redis_up()
        if request is not None:  # a request in hand is crawled even if the heartbeat cannot be written
            try:
                ttl = self.crawler.settings.getint("DISTRIBUTED_HEARTBEAT_TTL", 3)
                self.server.set(self.keys["heartbeat"] % self.worker, b"busy", ex=ttl)  # working again
            except REDIS_DOWN as exc:
                self.redis_down(exc)
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self):
        try:
            return bool(self.unsent) or super().has_pending_requests()
        except REDIS_DOWN as exc:
            self.redis_down(exc)
            return bool(self.unsent)  # what Redis holds is out of reach; the idle handler decides

    def _close_for_redis(self) -> None:
        """Close the spider once (reason redis_unavailable): its run record says so and the crawl
        command exits non-zero."""
        if getattr(self, "_closing", False):
            return
        self._closing = True
        logger.error("Redis has been unreachable for more than %.0f s; closing (%d request(s) not queued)",
                     self.grace, len(self.unsent))
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="redis_unavailable"))

    def __len__(self):
        try:
            return len(self.unsent) + super().__len__()
        except REDIS_DOWN as exc:
            self.redis_down(exc)
            return len(self.unsent)

    def _take_one(self):
        taken = self._take(keys=[self.queue.key, self.keys["inflight"]], args=[self.worker])
        if not taken:
            return None
        key, encoded = taken
        request = self.queue._decode_request(encoded)
        request.meta["inflight_id"] = key.decode()
        self.held.add(request.meta["inflight_id"])
        return request

    def reclaim(self) -> int:
        """Put back the in-flight requests of workers whose heartbeat has stopped, and this
        worker's own entries that it does not hold: a take that timed out on the way back while
        Redis had done it (a frozen Redis runs the script when it wakes) would wait forever."""
        returned = 0
        for field, value in self.server.hgetall(self.keys["inflight"]).items():
            owner = value.partition(b"\n")[0].decode()
            if owner == self.worker:
                if field.decode() in self.held:
                    continue
            elif self.server.exists(self.keys["heartbeat"] % owner):
                continue
            returned += self._give_back(keys=[self.queue.key, self.keys["inflight"]], args=[field, value])
        if returned:
            logger.warning("reclaimed %d request(s) from stopped workers or lost replies", returned)
            self.stats.inc_value("distributed/reclaimed", returned)
        return returned

    def _others_in_flight(self) -> bool:
        return self.server.hlen(self.keys["inflight"]) > 0


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
        try:
            if state:
                scheduler.server.set(key, state, ex=self.ttl)
            elif not scheduler.server.expire(key, self.ttl):
                scheduler.server.set(key, "busy", ex=self.ttl)
        except REDIS_DOWN as exc:  # the scheduler decides when to give up
            scheduler.redis_down(exc)

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
        if scheduler.redis_gone:
            scheduler._close_for_redis()
            raise DontCloseSpider  # the close is under way, with its own reason
        try:
            if scheduler.unsent or scheduler.reclaim() or len(scheduler) or scheduler._others_in_flight():
                self.beat("busy")
                raise DontCloseSpider
            self.beat("idle")
            if self._others_busy(scheduler):
                raise DontCloseSpider
        except REDIS_DOWN as exc:
            scheduler.redis_down(exc)
            raise DontCloseSpider from None

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
        try:
            scheduler.server.delete(scheduler.keys["heartbeat"] % self.worker)
        except REDIS_DOWN:
            pass  # the key expires by itself
