"""The replay server implements the index's rule over real HTTP on loopback."""

import httpx
import pytest

from crawlers.replay import Faults, ReplayServer, original_address, replay_address, request_key


def test_query_order_and_encoding_do_not_matter():
    a = request_key("GET", "https://h.example/p?conditions%5Bterm%5D=x&fields%5B%5D=a&fields%5B%5D=b")
    b = request_key("GET", "https://h.example/p?fields[]=b&conditions[term]=x&fields[]=a")
    assert a == b
    assert request_key("GET", "https://h.example/p?q=a+b") == request_key("GET", "https://h.example/p?q=a%20b")


def test_addresses_round_trip():
    url = "https://www.gov.uk/api/search.json?q=surveillance+camera&start=5"
    assert original_address(replay_address("http://127.0.0.1:1", url)[len("http://127.0.0.1:1"):]) == url


def test_attempts_are_served_in_order_then_the_last_repeats(replay_server):
    url = ("https://www.gov.uk/api/search.json?q=surveillance+camera&order=-public_timestamp&count=5&start=5")
    statuses = [httpx.get(replay_address(replay_server.url, url)).status_code for _ in range(3)]
    assert statuses == [429, 200, 200]
    first = replay_server.log[0]
    assert first["url"] == url and first["status"] == 429


def test_recorded_headers_and_bytes_are_served_unchanged(replay_server, recordings):
    entry = next(e for e in recordings.entries if e["id"] == "govuk-atom-all-surveillance-camera")
    response = httpx.get(replay_address(replay_server.url, entry["url"]))
    assert response.headers["etag"] == entry["response_headers"]["ETag"]
    assert response.content == recordings.body(entry)


def test_an_unrecorded_request_gets_404_and_a_log_line(replay_server, caplog):
    url = "https://www.gov.uk/api/content/not/recorded"
    response = httpx.get(replay_address(replay_server.url, url))
    assert response.status_code == 404 and url in response.text
    assert any(url in r.getMessage() for r in caplog.records)


def test_injected_faults_do_not_use_up_recorded_attempts():
    server = ReplayServer(faults=Faults(retry_after_every=2, retry_after="3")).start()
    try:
        url = replay_address(server.url, "https://www.gov.uk/api/search.json?q=surveillance+camera"
                                         "&order=-public_timestamp&count=5&start=5")
        responses = [httpx.get(url) for _ in range(4)]
        assert [r.status_code for r in responses] == [429, 429, 200, 429]
        assert responses[1].headers["retry-after"] == "3"
    finally:
        server.stop()
