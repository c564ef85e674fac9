"""The replay server's injected 429s never starve one request (#18: the faults crawl once lost documents
under two CPU burners). Hosts paused by the same Retry-After resume together and ask again in the same
order; with a 429 on every third request overall, the third URL of such a cycle got every 429 until its
retries ran out, and the test blamed the crawler for the harness."""

import pytest

from crawlers.replay import Faults, ReplayServer

pytestmark = pytest.mark.reliability


def test_a_fixed_cycle_of_requests_does_not_give_one_url_every_429():
    server = ReplayServer(faults=Faults(retry_after_every=3))
    try:
        urls = ["https://a.example/1", "https://b.example/2", "https://c.example/3"]
        outcomes = {url: [] for url in urls}
        for _ in range(30):
            for url in urls:
                outcomes[url].append(server.decide("GET", url)[0])
        for url, seen in outcomes.items():
            assert not any(a == b == "429" for a, b in zip(seen, seen[1:])), (url, seen)
        assert sum(seen.count("429") for seen in outcomes.values()) >= 25  # still about one request in three
    finally:
        server.server_close()
