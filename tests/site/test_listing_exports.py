"""Exports that keep the listing's filters (issue 17): the CSV and JSON links of a listing give exactly its
rows, every page of them; the JSON endpoint takes the search syntax; bad dates get a message; search finds
members, UINs, document numbers and outlets. Over real HTTP on loopback."""

import csv
import io
import re
from urllib.parse import unquote

import httpx
import pytest

pytestmark = pytest.mark.serial
SHAPES = ["action=ban_procurement&from=2022-01-01&to=2023-12-31&all=1", "action=ban_procurement&all=1",
          "vendor=hikvision", "vendor=hikvision&all=1", "all=1", "q=Hikvision&all=1", "q=%22sensitive+sites%22",
          "jurisdiction=GB&kind=written_question&all=1", "q=nothingmatcheszzz"]
CARD = re.compile(r'<li class="event" id="[a-z]+-([^"]+)"')


def _page_rows(url: str) -> tuple[list[str], str]:
    """Every row of a listing, following its pager; and the first page's HTML."""
    found, first, next_url = [], None, url
    while next_url:
        html = httpx.get(next_url).text
        first = first or html
        found += CARD.findall(html)
        older = re.search(r'<a rel="next" href="([^"]+)">Older', html)
        next_url = url.split("?")[0] + "?" + older.group(1).replace("&amp;", "&").split("?", 1)[1] if older else None
    return found, first


def _link(html: str, ext: str) -> str:
    return re.search(rf'href="(/timeline\.{ext}[^"]*)"', html).group(1).replace("&amp;", "&")


@pytest.mark.parametrize("shape", SHAPES)
def test_the_pages_csv_and_json_links_give_exactly_its_rows(ds_server, shape):
    rows, html = _page_rows(f"{ds_server.url}/timeline?{shape}")
    csv_response = httpx.get(ds_server.url + _link(html, "csv"))
    assert csv_response.status_code == 200 and csv_response.headers["content-type"].startswith("text/csv")
    assert re.fullmatch(r'attachment; filename="policy-tracker-timeline[a-z0-9-]*\.csv"',
                        csv_response.headers["content-disposition"])
    records = list(csv.reader(io.StringIO(csv_response.text)))
    assert [r[0] for r in records[1:]] == rows
    data = httpx.get(ds_server.url + _link(html, "json")).json()
    assert [next(iter(r.values())) for r in data["rows"]] == rows and data["count"] == len(rows)
    if "nothing" not in shape:
        assert rows
    total = re.search(r'role="status">(\d+) ', html)
    assert total is None or int(total.group(1)) == len(rows)


def test_entity_and_person_pages_offer_exports_with_their_filters(ds_server, built):
    import sqlite3

    html = httpx.get(ds_server.url + "/vendors/hikvision?all=1").text
    assert _link(html, "csv") == "/timeline.csv?vendor=hikvision&all=1"
    conn = sqlite3.connect(f"file:{built['db']}?mode=ro", uri=True)
    slug, actions = conn.execute("SELECT slug, actions FROM people WHERE entity_id IS NOT NULL "
                                 "ORDER BY actions DESC, slug LIMIT 1").fetchone()
    person = httpx.get(ds_server.url + f"/people/{slug}").text
    data = httpx.get(ds_server.url + _link(person, "json")).json()
    assert data["count"] == len(CARD.findall(person)) == actions


def test_the_json_endpoint_takes_the_search_syntax(ds_server):
    by_syntax = httpx.get(ds_server.url + "/timeline.json", params={"q": "vendor:hikvision action:guidance",
                                                                    "all": "1"}).json()
    by_form = httpx.get(ds_server.url + "/timeline.json", params={"vendor": "hikvision", "action": "guidance",
                                                                  "all": "1"}).json()
    assert by_syntax["rows"] == by_form["rows"] and by_syntax["count"] > 0
    phrase = httpx.get(ds_server.url + "/timeline.json", params={"q": '"sensitive sites" -Dahua', "all": "1"}).json()
    assert phrase["count"] > 0 and all("dahua" not in (r["evidence"] or "").lower() for r in phrase["rows"])


def test_the_documents_listing_exports_every_document(ds_server, built):
    import sqlite3

    conn = sqlite3.connect(f"file:{built['db']}?mode=ro", uri=True)
    html = httpx.get(ds_server.url + "/documents?kind=hansard").text
    link = re.search(r'href="(/documents\.csv[^"]*)"', html).group(1).replace("&amp;", "&")
    records = list(csv.DictReader(io.StringIO(httpx.get(ds_server.url + link).text)))
    hansard = {i for (i,) in conn.execute("SELECT id FROM documents WHERE kind = 'hansard'")}
    assert {r["id"] for r in records} == hansard
    everything = httpx.get(ds_server.url + "/documents.json").json()
    assert {r["id"] for r in everything["rows"]} == {i for (i,) in conn.execute("SELECT id FROM documents")}


@pytest.mark.parametrize("query", ["q=from:2023-13-45", "from=2023-13-45", "to=2023-02-30", "q=x+to:2023-1",
                                   "from=yesterday"])
def test_a_bad_date_gets_a_message_never_an_empty_result(ds_server, query):
    page = httpx.get(f"{ds_server.url}/timeline?{query}")
    assert page.status_code == 400 and 'role="alert"' in page.text and "is not a date" in page.text
    assert '<header class="site-header">' in page.text
    for ext in ("json", "csv", "atom"):
        r = httpx.get(f"{ds_server.url}/timeline.{ext}?{query}")
        assert r.status_code == 400 and "is not a date" in r.text, ext
    assert httpx.get(f"{ds_server.url}/timeline?from=2023-02&to=2024-02-29").status_code == 200


@pytest.mark.parametrize("q, document", [("HL5910", "uk_written_questions:9000008"),
                                         ('"Baroness Williams of Trafford"', "uk_written_questions:9000008"),
                                         ('"Trade Law Daily"', None), ("2025-21001", "us_federal_register:2025-21001"),
                                         ('"Chancellor of the Duchy of Lancaster"', "uk_written_statements:9100001")])
def test_search_finds_members_numbers_and_outlets(ds_server, q, document):
    rows = httpx.get(ds_server.url + "/timeline.json", params={"q": q, "all": "1"}).json()["rows"]
    assert rows, q
    if document:
        assert document in {r["document_id"] for r in rows}
    else:
        assert all(r["outlet"] == "Trade Law Daily" for r in rows)


def test_the_command_line_search_refuses_a_bad_date(built):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "db", "search", "--db", str(built["db"]), "from:2023-13-45 Hikvision"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "is not a date" in result.stderr
