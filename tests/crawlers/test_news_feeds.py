"""news_feeds against its recordings: RSS, a malformed feed, HTML in a title, a missing date."""

from crawlers.feeds import canonical_link, parse_feed
from crawlers.items import validate_document
from crawlers.spiders.news_feeds import NewsFeedsSpider


def test_every_story_kept_with_headline_outlet_and_date(crawl_offline):
    items, spider, _ = crawl_offline(NewsFeedsSpider)
    assert len(items) == 17  # 13 + 2 recovered from the malformed feed + 2; one repeats across feeds
    assert len({i.id for i in items}) == 16
    bis = next(i for i in items if i.title.startswith("BIS Adds 11 to Entity List"))
    assert bis.outlet == "Trade Law Daily" and bis.published == "2023-03-29T00:00:00+00:00"
    for item in items:
        validate_document(item)


def test_html_in_a_title_is_stripped(crawl_offline):
    items, _, _ = crawl_offline(NewsFeedsSpider)
    titles = [i.title for i in items]
    assert "Australia to remove Chinese-made security cameras from govt buildings over spyware fears" in titles
    assert not any("<" in t for t in titles)


def test_a_story_without_a_date_keeps_no_date(crawl_offline):
    items, _, _ = crawl_offline(NewsFeedsSpider)
    clark = next(i for i in items if "ROSS CLARK" in i.title)
    assert clark.published is None and clark.published_raw is None
    assert "ito=1490" not in next(i for i in items if "STOP installing" in i.title).url


def test_malformed_feed_recovers_its_complete_items(recorded):
    response = recorded("googlenews-dahua-malformed")
    feed = parse_feed(response.body, response.url)
    assert feed.outcome == "ok_with_bozo" and "SAXParseException" in feed.error
    assert feed.entries[0].title.startswith("Australia orders checks on Chinese-made cameras")


def test_a_feed_with_no_entries_and_a_parse_error_fails_cleanly():
    feed = parse_feed(b"<html><body>not a feed", "https://example.org/feed")
    assert feed.outcome == "failed" and feed.entries == []


def test_ad_hoc_feeds_from_the_command_line(tmp_path):
    from tests.conftest import make_spider

    spider = make_spider(NewsFeedsSpider, tmp_path, feeds="https://example.org/a.rss, https://example.net/b.atom")
    assert [r.url for r in spider.start_requests()] == ["https://example.org/a.rss", "https://example.net/b.atom"]
    assert {"example.org", "example.net"} <= set(spider.allowed_domains)


def test_tracking_parameters_are_stripped():
    url = "https://www.bbc.co.uk/news/uk-politics-64644692?at_medium=RSS&at_campaign=KARANGA&page=2"
    assert canonical_link(url) == "https://www.bbc.co.uk/news/uk-politics-64644692?page=2"


def test_every_story_has_its_outlet_and_its_site_and_never_the_feeds_title(crawl_offline):
    """Regression for #16 point 8: an item without <source> took the feed's title ('"dahua" - Google News')
    as its outlet; it is named by its headline's suffix, and a redirect link keeps the outlet's site."""
    items, _, _ = crawl_offline(NewsFeedsSpider)
    assert not [i.outlet for i in items if "Google News" in (i.outlet or "") or "|" in (i.outlet or "")]
    aus = next(i for i in items if i.title.startswith("The Aus Govt has ordered"))
    assert aus.outlet == "The Daily Aus" and not aus.title.endswith("The Daily Aus")
    times = next(i for i in items if i.title.startswith("Chinese firms face procurement ban"))
    assert times.url.startswith("https://news.google.com/rss/articles/")  # Google's redirect, not decodable
    assert times.outlet == "The Times" and times.extra["outlet_site"] == "https://www.thetimes.co.uk"
    mail = next(i for i in items if "STOP installing" in i.title)
    assert mail.outlet == "Daily Mail" and mail.extra["outlet_site"] == "https://www.dailymail.co.uk"


def test_a_story_takes_its_outlets_country_as_jurisdiction_and_none_is_guessed(crawl_offline):
    """Regression for #16 point 8: no news document had a jurisdiction; it is the outlet's country (outlets.yml
    by site or name, else a country-code domain), and stays empty for an outlet nobody listed."""
    items, _, _ = crawl_offline(NewsFeedsSpider)
    by_outlet = {i.outlet: i.jurisdiction for i in items}
    assert by_outlet["The Times"] == "GB" and by_outlet["Senator James Paterson"] == "AU"  # .co.uk, .com.au
    assert by_outlet["Breitbart"] == "US" and by_outlet["WION"] == "IN"  # listed in crawlers/outlets.yml
    assert by_outlet["The Daily Aus"] == "AU" and by_outlet["Daily Mail"] == "GB"
    assert by_outlet["DilSe.IT"] is None  # .it is not taken for Italy
