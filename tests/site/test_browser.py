"""The pages in real headless Chromium (Debian's chromium driven by Playwright)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.serial]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 1400})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    yield page
    context.close()


def test_timeline_loads_without_console_errors_and_shows_events(page, ds_server, artifacts):
    page.goto(ds_server.url + "/timeline?all=1")  # every event: the page holds 25
    assert page.locator("li.event").count() == 25
    first = page.locator("li.event").first
    evidence = first.locator("details.evidence-list blockquote.evidence").first
    assert not evidence.is_visible()  # the sentences wait behind the disclosure
    first.locator("details.evidence-list summary").click()
    assert evidence.is_visible() and evidence.inner_text().strip()
    page.screenshot(path=str(artifacts / "timeline.png"), full_page=True)
    assert page.console_errors == []


def test_the_chart_renders(page, ds_server):
    page.goto(ds_server.url + "/timeline?all=1")
    chart = page.locator("svg.chart")
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 50
    assert page.locator("svg.chart rect").count() >= 10


def test_filters_and_search_through_the_form(page, ds_server, artifacts):
    page.goto(ds_server.url + "/timeline")
    page.select_option("#action", "sanction")
    page.click("button[type=submit]")
    page.wait_for_url("**/timeline?**action=sanction**")
    badges = page.locator("li.event .badge").all_inner_texts()
    assert badges and set(badges) == {"Sanction"}
    page.fill("#q", '"sensitive sites"')
    page.select_option("#action", "")
    page.click("button[type=submit]")
    page.wait_for_url("**q=%22sensitive+sites%22**")
    assert page.locator("mark").count() >= 1
    page.screenshot(path=str(artifacts / "timeline-search.png"))
    assert page.console_errors == []


def test_keyboard_and_phone_width(browser, ds_server, artifacts):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(ds_server.url + "/timeline")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    for control in ("#q", "#vendor", "#action", "#actor", "#from", "#to"):
        label = page.locator(f"label[for={control[1:]}]")
        assert label.count() == 1, control
    page.screenshot(path=str(artifacts / "timeline-phone.png"), full_page=False)
    context.close()


@pytest.mark.parametrize("path", ["/", "/vendors/hikvision", "/organisations/cabinet-office", "/sources"])
def test_other_pages_have_no_console_errors(page, ds_server, path):
    page.goto(ds_server.url + path)
    assert page.locator("h1").count() == 1
    assert page.console_errors == []


@pytest.mark.parametrize("path", ["/tracker", "/tracker?sql=select+1", "/tracker/actions", "/tracker/timeline"])
def test_datasette_pages_run_their_own_scripts_under_a_script_policy(page, ds_server, path):
    """Datasette's inline scripts are allowed by hash (#18): no CSP violation, and the SQL editor starts."""
    page.goto(ds_server.url + path)
    page.wait_for_load_state("load")
    assert "script-src 'self' 'sha256-" in page.evaluate(
        "fetch(location.href).then(r => r.headers.get('content-security-policy'))")
    if path.startswith("/tracker?") or path == "/tracker":
        assert page.locator(".CodeMirror").count() == 1
    assert page.console_errors == []
