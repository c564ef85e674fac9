"""Every page of the site audited by axe-core in real headless Chromium (Debian's chromium driven by
Playwright, axe-core from the axe-playwright-python package) at 1280 and 390 px: no serious or critical
violation (issue 17). Also: the footer's contrast, the sources table at both widths, and screenshots of the
timeline, an event, a person and a document at both widths in tests/artifacts/screens/ for review."""

import sqlite3
from urllib.parse import quote

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.serial]
WIDTHS = {"desktop": 1280, "phone": 390}
STATIC = ["/", "/timeline", "/timeline?all=1", "/timeline?q=Hikvision&all=1", "/timeline?from=2023-13-45",
          "/vendors", "/organisations", "/people", "/jurisdictions", "/documents", "/documents?kind=hansard",
          "/vendors/hikvision?all=1", "/organisations/cabinet-office", "/sources", "/no-such-page"]


@pytest.fixture(scope="module")
def samples(built) -> dict[str, str]:
    """One page of each kind that is built from data: an event, a person, documents with and without actions."""
    conn = sqlite3.connect(f"file:{built['db']}?mode=ro", uri=True)
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "event": "/events/" + one("SELECT id FROM events ORDER BY documents DESC, id LIMIT 1"),
        "person": "/people/" + one("SELECT slug FROM people ORDER BY asked + answered DESC, slug LIMIT 1"),
        "document": "/documents/" + quote(one("SELECT document_id FROM actions GROUP BY document_id "
                                              "ORDER BY COUNT(*) DESC, document_id LIMIT 1")),
        "document-without-actions": "/documents/" + quote(one(
            "SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM actions a WHERE a.document_id = d.id) "
            "ORDER BY id LIMIT 1")),
        "answered-person": "/people/" + one("SELECT slug FROM people WHERE answered > 0 ORDER BY slug LIMIT 1"),
    }


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _page(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    return context, context.new_page()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_no_serious_or_critical_violation_on_any_page(browser, ds_server, samples, axe, width, figures):
    context, page = _page(browser, width)
    found, audited = {}, 0
    try:
        for path in STATIC + list(samples.values()):
            page.goto(ds_server.url + path)
            result = axe.run(page)
            audited += 1
            bad = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
                   for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
            if bad:
                found[path] = bad
    finally:
        context.close()
    figures.setdefault("accessibility", {})[f"pages_audited_{width}px"] = audited
    assert audited == len(STATIC) + len(samples) and not found, found


def _contrast(page, selector: str) -> float:
    return page.evaluate("""sel => {
      const el = document.querySelector(sel), lum = c => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3)
        .map(v => { v = v / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
      let bg = el, colour = getComputedStyle(el).backgroundColor;
      while (colour === 'rgba(0, 0, 0, 0)' && bg.parentElement) { bg = bg.parentElement; colour = getComputedStyle(bg).backgroundColor; }
      if (colour === 'rgba(0, 0, 0, 0)') colour = 'rgb(255, 255, 255)';
      const a = lum(getComputedStyle(el).color), b = lum(colour);
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); }""", selector)


def test_the_footer_is_readable(browser, ds_server):
    context, page = _page(browser, 1280)
    page.goto(ds_server.url + "/timeline")
    assert _contrast(page, ".site-footer p") >= 4.5 and _contrast(page, ".site-footer a") >= 4.5
    context.close()


def test_the_sources_table_fits_at_1280_and_is_usable_at_390(browser, ds_server):
    context, page = _page(browser, 1280)
    page.goto(ds_server.url + "/sources")
    assert page.evaluate("(() => { const t = document.querySelector('table.sources'); "
                         "return t.scrollWidth <= t.parentElement.clientWidth + 1 "
                         "&& t.getBoundingClientRect().right <= window.innerWidth; })()")
    context.close()
    context, page = _page(browser, 390)
    page.goto(ds_server.url + "/sources")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    cells = page.locator("table.sources tbody tr").first.locator("td")
    assert cells.count() == 9
    for index in range(cells.count()):  # every field of a source shows, labelled, on the phone's width
        cell = cells.nth(index)
        assert cell.is_visible() and cell.bounding_box()["width"] > 200
        assert page.evaluate("c => getComputedStyle(c, '::before').content", cell.element_handle()).strip('"')
    context.close()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_screenshots_for_review(browser, ds_server, samples, artifacts, width):
    context, page = _page(browser, width)
    shots = artifacts / "screens"
    shots.mkdir(exist_ok=True)
    for name, path in [("timeline", "/timeline"), ("event", samples["event"]), ("person", samples["person"]),
                       ("document", samples["document"])]:
        response = page.goto(ds_server.url + path)
        assert response.status == 200, path
        wide = page.evaluate("[document.documentElement.scrollWidth, ...[...document.querySelectorAll('body *')]"
                             ".filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === "
                             "'visible').map(e => e.tagName + '.' + e.className + ':' + e.textContent.slice(0, 40))"
                             ".slice(0, 5)]")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (path, width, wide)
        page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
        assert (shots / f"{name}-{width}.png").stat().st_size > 5000
    context.close()
