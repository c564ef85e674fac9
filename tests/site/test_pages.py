"""The site over real HTTP on loopback: pages, feed, headers, and no write surface."""

import re

import feedparser
import httpx
import pytest

from tests.conftest import tally

pytestmark = pytest.mark.serial
PAGES = ["/", "/timeline", "/timeline?vendor=hikvision", "/timeline?q=%22sensitive+sites%22&action=ban_installation",
         "/vendors/hikvision", "/organisations/cabinet-office", "/sources"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_answer_with_security_headers(ds_server, path):
    r = httpx.get(ds_server.url + path)
    assert r.status_code == 200
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "<script" not in r.text  # our pages need no JavaScript


def test_datasette_pages_allow_only_their_own_inline_scripts(ds_server):
    """Datasette's pages get script-src with the hashes of its inline scripts, never 'unsafe-inline' (#18)."""
    r = httpx.get(ds_server.url + "/tracker/documents")
    csp = r.headers["content-security-policy"]
    assert r.status_code == 200 and "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'sha256-" in csp and "unsafe-inline" not in csp


def test_timeline_filters_narrow_the_list(ds_server):
    everything = httpx.get(ds_server.url + "/timeline").text
    sanctions = httpx.get(ds_server.url + "/timeline?action=sanction").text
    assert sanctions.count('class="event"') < everything.count('class="event"')
    assert sanctions.count('class="event"') == sanctions.count("badge type-sanction")


def test_department_filter(ds_server):
    everything = httpx.get(ds_server.url + "/timeline").text
    html = httpx.get(ds_server.url + "/timeline", params={"department": "Cabinet Office"}).text
    assert '<option value="Cabinet Office" selected>' in html
    assert 0 < html.count('class="event"') < everything.count('class="event"')


def test_news_cards_name_their_outlet_and_jurisdiction(ds_server):
    """Regression for #16 point 8: a news card showed neither who published the story nor where."""
    html = httpx.get(ds_server.url + "/timeline", params={"kind": "news", "q": "Entity List"}).text
    card = html[html.index('class="event"'):]
    card = card[:card.index("</li>")]
    assert '<span class="outlet">Trade Law Daily</span>' in card and "news</span> · US" in card


def test_a_news_card_gives_its_outlets_country_beside_the_outlet(ds_server, built):
    """#16 point 8: the source line of a card names the outlet and the outlet's country (the document's
    jurisdiction), which may differ from the event's (the head's badge): a US outlet reporting an act
    in Australia. It showed the event's beside the outlet."""
    import html as html_lib
    import sqlite3
    from urllib.parse import unquote

    conn = sqlite3.connect(built["db"])
    html = httpx.get(ds_server.url + "/timeline", params={"kind": "news", "all": "1"}).text
    cards = html.split('<li class="event"')[1:]
    assert cards
    for card in cards:
        doc_id = unquote(re.search(r'class="document-link" href="/documents/([^"]+)"', card).group(1))
        outlet, jurisdiction = conn.execute("SELECT outlet, jurisdiction FROM documents WHERE id = ?",
                                            (doc_id,)).fetchone()
        source = html_lib.unescape(re.search(r'<p class="source">(.*?)</p>', card, re.S).group(1))
        assert f'<span class="outlet">{outlet}</span>' in source
        assert source.endswith(f"news</span> · {jurisdiction}" if jurisdiction else "news</span>"), source


def test_written_questions_link_to_their_public_pages(ds_server):
    """Regression for #16 point 8: half the written questions linked to the JSON API."""
    html = httpx.get(ds_server.url + "/timeline", params={"kind": "written_question"}).text
    assert html.count('class="event"') > 0 and "questions-statements-api.parliament.uk" not in html
    primary = re.findall(r'<p class="source">.*?<a href="([^"]+)"', html, re.S)  # each card's primary source
    assert len(primary) == html.count('class="event"')
    assert all(url.startswith("https://questions-statements.parliament.uk/written-questions") for url in primary)


def test_search_highlights_matches(ds_server):
    html = httpx.get(ds_server.url + "/timeline?q=Hikvision").text
    assert "<mark>Hikvision</mark>" in html


def test_atom_feed_parses_and_matches_the_page(ds_server):
    """The feed holds the same events, in the same order, as the timeline's pages (#18: it was vacuous past 25)."""
    feed_response = httpx.get(ds_server.url + "/timeline.atom?vendor=hikvision")
    assert feed_response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(feed_response.content)
    assert not feed.bozo and feed.entries
    first = httpx.get(ds_server.url + "/timeline?vendor=hikvision").text
    total = int(re.search(r'role="status">(\d+) event', first).group(1))
    listed = re.findall(r'id="event-(e[0-9a-f]+)"', first)
    for number in range(2, -(-min(total, 100) // 25) + 1):
        listed += re.findall(r'id="event-(e[0-9a-f]+)"',
                             httpx.get(ds_server.url + f"/timeline?vendor=hikvision&page={number}").text)
    assert len(feed.entries) == min(100, total) and len(listed) == len(feed.entries)
    assert [entry.id.split("/")[-1] for entry in feed.entries] == listed
    assert all(entry.link.startswith(("http://", "https://")) for entry in feed.entries)


def test_feeds_follow_every_filter(ds_server):
    all_entries = feedparser.parse(httpx.get(ds_server.url + "/timeline.atom").content).entries
    filtered = feedparser.parse(httpx.get(ds_server.url + "/timeline.atom?action=sanction").content).entries
    assert filtered and len(filtered) < len(all_entries)
    assert all(e.tags[0].term == "sanction" for e in filtered)


@pytest.mark.parametrize("q", ['"', "NEAR(", "title:x", "a OR", "*", "(", "^குகை", "x" * 5000, "docker-compose"])
def test_search_input_never_gives_a_server_error(ds_server, q):
    assert httpx.get(ds_server.url + "/timeline", params={"q": q}).status_code == 200
    assert httpx.get(ds_server.url + "/tracker/documents", params={"_search": q}).status_code < 500


def test_unknown_vendor_is_a_404(ds_server):
    assert httpx.get(ds_server.url + "/vendors/no-such-vendor").status_code == 404


def test_canned_queries_and_exports(ds_server):
    for name in ("ban_matrix", "events_per_month", "declined_on_security_grounds", "whats_new"):
        r = httpx.get(f"{ds_server.url}/tracker/{name}.json?_shape=array")
        assert r.status_code == 200, name
    csv = httpx.get(ds_server.url + "/tracker/timeline.csv")
    assert csv.status_code == 200 and csv.text.startswith("event_id,date,type")
    assert httpx.get(ds_server.url + "/tracker/whats_new.json?_shape=array").json()[0]["atom_id"].startswith("tag:")


@pytest.mark.parametrize("sql", [
    "insert into documents (id) values ('x')", "drop table actions", "select 1; drop table actions",
    "pragma writable_schema=1", "select load_extension('x')", "attach database '/tmp/x.db' as x",
    "update documents set title = 'x'",
])
def test_no_write_gets_through(ds_server, built, sql, figures):
    import hashlib

    before = hashlib.sha256(built["db"].read_bytes()).hexdigest()
    r = httpx.get(ds_server.url + "/tracker.json", params={"sql": sql})
    after = hashlib.sha256(built["db"].read_bytes()).hexdigest()
    tally(figures, "hostile_sql", "queries")
    tally(figures, "hostile_sql", "writes_succeeded", int(r.status_code not in (400, 403)))
    tally(figures, "hostile_sql", "db_hash_changes", int(after != before))
    assert r.status_code in (400, 403)
    assert after == before


def test_huge_allocations_are_refused(ds_server):
    """SQLITE_LIMIT_LENGTH (10 MB): blobs fail with 'too big'; printf gives NULL instead of 1 GB."""
    for sql in ("select length(zeroblob(2000000000))", "select length(randomblob(1000000000))",
                "select length(printf('%.*c', 1000000000, 'x')) as n"):
        r = httpx.get(ds_server.url + "/tracker.json", params={"sql": sql, "_shape": "array"}, timeout=30)
        assert r.status_code == 400 or list(r.json()[0].values()) == [None], sql
    assert httpx.get(ds_server.url + "/", timeout=5).status_code == 200


def test_endless_query_is_stopped_by_the_time_limit(ds_server):
    sql = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"
    r = httpx.get(ds_server.url + "/tracker.json", params={"sql": sql}, timeout=30)
    assert r.status_code == 400 and "interrupted" in r.text.lower()


def test_cross_site_post_is_refused(ds_server):
    r = httpx.post(ds_server.url + "/tracker", data={"sql": "select 1"},
                   headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
    assert r.status_code in (403, 405)


def test_the_timeline_shows_confident_actions_and_the_rest_one_click_away(ds_server):
    """Issue 14: by default only events with a sentence at calibrated confidence 0.8 or more; 'show all' adds the others."""
    confident = httpx.get(ds_server.url + "/timeline").text
    everything = httpx.get(ds_server.url + "/timeline?all=1").text
    assert "Show all, with" in confident and 'href="/timeline?all=1"' in confident
    assert "Only the confident ones" in everything
    assert 0 < confident.count('class="event"') < everything.count('class="event"')


def test_the_sources_page_says_what_each_source_covers(ds_server, built):
    """#16: per source, what was asked, the earliest and latest document, the last run and whether it read
    the recordings or the live service."""
    import sqlite3

    html = httpx.get(ds_server.url + "/sources").text
    conn = sqlite3.connect(built["db"])
    first, last = conn.execute("SELECT MIN(published), MAX(published) FROM documents "
                               "WHERE source = 'us_federal_register'").fetchone()
    row = html[html.index("<code>us_federal_register</code>"):]
    row = row[:row.index("</tr>")]
    assert "term=hikvision, per_page=5" in row and "full_text_terms" not in row
    assert f'<td data-label="Earliest">{first}</td><td data-label="Latest">{last}</td>' in row and "the bundled recordings" in row
    feeds = html[html.index("<code>news_feeds</code>"):]
    feeds = feeds[:feeds.index("</tr>")]
    assert "https://news.google.com/rss/search?q=hikvision" in feeds.replace("&amp;", "&")
    news_first, = conn.execute("SELECT MIN(published) FROM documents WHERE source = 'news_feeds'").fetchone()
    assert len(news_first) > 10 and f'<td data-label="Earliest">{news_first[:10]}</td>' in feeds  # a day, as for all
