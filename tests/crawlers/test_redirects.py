"""RedirectGuardMiddleware: which redirects are followed and which are refused with a reason."""

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawlers.middlewares import RedirectGuardMiddleware


class Spider:
    allowed_domains = ["www.gov.uk", "parliament.uk"]


def follow(location, url="https://www.gov.uk/api/content/a", status=302, chain=()):
    request = Request(url, meta={"redirect_urls": list(chain)} if chain else {})
    response = Response(url, status=status, headers={"Location": location}, request=request)
    return RedirectGuardMiddleware().process_response(request, response, Spider())


@pytest.mark.parametrize("location", ["/api/content/b", "https://www.gov.uk/api/content/b",
                                      "https://questions-statements-api.parliament.uk/api/x", "http://www.gov.uk/b"])
def test_redirects_on_the_source_are_left_to_scrapy(location):
    assert follow(location).status == 302


@pytest.mark.parametrize("location, reason", [
    ("http://169.254.169.254/latest/meta-data/", "off the source"),
    ("http://127.0.0.1:6379/", "off the source"),
    ("https://www.gov.uk.evil.example/", "off the source"),
    ("https://notparliament.uk/", "off the source"),
    ("file:///etc/passwd", "file"),
    ("gopher://www.gov.uk/", "gopher"),
    ("https://www.gov.uk/api/content/a", "loop"),
])
def test_redirects_off_the_source_or_in_a_loop_are_refused(location, reason):
    with pytest.raises(IgnoreRequest, match=reason):
        follow(location)


def test_a_loop_through_the_chain_is_refused():
    with pytest.raises(IgnoreRequest, match="loop"):
        follow("https://www.gov.uk/one", url="https://www.gov.uk/two", chain=["https://www.gov.uk/one"])


def test_other_statuses_and_dont_redirect_pass():
    assert follow("file:///etc/passwd", status=200).status == 200
    request = Request("https://www.gov.uk/a", meta={"dont_redirect": True})
    response = Response(request.url, status=302, headers={"Location": "file:///x"}, request=request)
    assert RedirectGuardMiddleware().process_response(request, response, Spider()) is response
