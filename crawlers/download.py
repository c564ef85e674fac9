"""Scrapy's HTTP/1.1 download handler with a bound on the size of a response's header section.

Twisted's HTTP client reads header lines for as long as the server sends them (each line is
capped at 16 KB, their number is not): 3 GB of response headers took a crawler to 3.9 GB of
memory, and the run said "errors: none" (#18). Neither Twisted nor Scrapy has a setting or a
hook for it. Scrapy parses responses with its own subclass of Twisted's parser
(``_LenientHTTPClientParser``, swapped in by class name after Twisted creates the parser), so
the handler puts a subclass of that one in its place, in both modules: it counts the bytes of
the status line and headers and gives up past DOWNLOAD_MAX_HEADER_BYTES. The request then
fails with ResponseHeadersTooLarge, is retried like any broken response (bounded), and ends in
the spider's errback as a failure with that reason. Both names are private: a test crawls a
server that sends headers without end, so an upgrade that moves them fails loudly.
"""

from __future__ import annotations

from scrapy.core.downloader.handlers import http11
from twisted.web import _newclient

DEFAULT_MAX_HEADER_BYTES = 256 * 1024
_Parser = getattr(http11, "_LenientHTTPClientParser", _newclient.HTTPClientParser)


class ResponseHeadersTooLarge(Exception):
    """The response's status line and headers ran past the bound."""


class BoundedHTTPClientParser(_Parser):
    max_header_bytes = DEFAULT_MAX_HEADER_BYTES
    _header_bytes = 0

    def lineReceived(self, line):
        if self.state in (_newclient.STATUS, _newclient.HEADER):
            self._header_bytes += len(line) + 1
            if self._header_bytes > self.max_header_bytes:
                raise ResponseHeadersTooLarge(f"response headers over {self.max_header_bytes} bytes")
        return super().lineReceived(line)


class BoundedHTTP11DownloadHandler(http11.HTTP11DownloadHandler):
    """HTTP11DownloadHandler whose responses' headers are bounded (see the module's docstring)."""

    def __init__(self, crawler):
        super().__init__(crawler)
        BoundedHTTPClientParser.max_header_bytes = crawler.settings.getint(
            "DOWNLOAD_MAX_HEADER_BYTES", DEFAULT_MAX_HEADER_BYTES)
        _newclient.HTTPClientParser = BoundedHTTPClientParser
        if hasattr(http11, "_LenientHTTPClientParser"):
            http11._LenientHTTPClientParser = BoundedHTTPClientParser
