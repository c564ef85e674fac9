"""Hostile feeds: each parses within a bound or fails cleanly; no local file reaches the output;
memory stays bounded. feedparser gets bytes, never a URL."""

import resource
import time

import pytest

from crawlers.feeds import parse_feed

pytestmark = pytest.mark.reliability

RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
CASES = {
    "xxe_file": ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                 '<rss version="2.0"><channel><title>&x;</title><item><title>a &x;</title><link>https://a.invalid/</link>'
                 '</item></channel></rss>'),
    "billion_laughs": ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                       + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
                       + ']><rss version="2.0"><channel><item><title>&lol9;</title></item></channel></rss>'),
    "pathological_author": RSS.format(items='<item><title>x</title><author>a@' + "a." * 16000 + '!</author></item>'),
    "ten_thousand_items": RSS.format(items="".join(f"<item><title>t{i}</title><link>https://a.invalid/{i}</link></item>"
                                                   for i in range(10000))),
    "deep_html_summary": RSS.format(items="<item><title>x</title><description>" + "&lt;div&gt;" * 10000
                                    + "deep</description></item>"),
    "empty": "",
    "html_as_rss": "<html><body><p>not a feed</p></body></html>",
    "json_as_rss": '{"items": [1, 2, 3]}',
    "truncated": RSS.format(items="<item><title>whole</title></item><item><title>cut").split("</channel>")[0],
    "atom_no_entries": '<feed xmlns="http://www.w3.org/2005/Atom"><title>empty</title></feed>',
}
BOUND_S = 2.5  # the per-feed timeout (2 s) plus slack


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_hostile_feed_is_bounded_and_classified(name, figures):
    start = time.perf_counter()
    feed = parse_feed(CASES[name].encode(), f"https://hostile.invalid/{name}")
    elapsed = time.perf_counter() - start
    text = repr(feed.entries) + repr(feed.title)
    assert "root:" not in text  # no local file content
    assert elapsed < BOUND_S, f"{name} took {elapsed:.2f}s"
    assert feed.outcome in ("ok", "ok_with_bozo", "failed")
    if name == "ten_thousand_items":
        assert len(feed.entries) == 10000
    if name == "pathological_author":
        assert feed.outcome == "failed" and "FeedTimeout" in feed.error
    if name == "truncated":
        assert feed.entries and feed.entries[0].title == "whole"
    figures.setdefault("hostile_feeds", {"cases": 0, "max_seconds": 0.0})
    figures["hostile_feeds"]["cases"] += 1
    figures["hostile_feeds"]["max_seconds"] = round(max(figures["hostile_feeds"]["max_seconds"], elapsed), 3)
    figures["hostile_feeds"]["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
