"""Index pages, people, lists of documents, slugs and the 404 (issue 17), over real HTTP on loopback."""

import re
import sqlite3
from urllib.parse import unquote

import httpx
import pytest

pytestmark = pytest.mark.serial
INDEXES = ["/vendors", "/organisations", "/people", "/jurisdictions"]


@pytest.fixture(scope="module")
def db(built):
    return sqlite3.connect(f"file:{built['db']}?mode=ro", uri=True)


@pytest.mark.parametrize("path", INDEXES)
def test_index_pages_list_entries_with_counts_and_each_entry_answers(ds_server, path):
    html = httpx.get(ds_server.url + path).text
    rows = re.findall(r'<tr>\s*<th scope="row"><a href="([^"]+)">[^<]+</a></th>\s*<td>(\d+)</td><td>(\d+)</td>', html)
    assert rows, path
    assert any(int(actions) or int(documents) for _, actions, documents in rows)
    for href, _, _ in rows[:40]:
        assert httpx.get(ds_server.url + href.replace("&amp;", "&")).status_code == 200, href


def test_index_counts_are_the_databases(ds_server, db):
    html = httpx.get(ds_server.url + "/vendors").text
    hikvision = re.search(r'href="/vendors/hikvision">Hikvision</a></th>\s*<td>(\d+)</td><td>(\d+)</td>', html)
    documents = db.execute("SELECT COUNT(DISTINCT document_id) FROM mentions WHERE entity_id = 'vendor:hikvision'")
    assert int(hikvision.group(2)) == documents.fetchone()[0]
    actions = db.execute("SELECT COUNT(*) FROM listing_targets WHERE target = 'vendor:hikvision'").fetchone()[0]
    assert int(hikvision.group(1)) == actions


@pytest.mark.parametrize("typed, canonical", [("/vendors/Hikvision", "/vendors/hikvision"),
                                              ("/vendors/HIKVISION?all=1", "/vendors/hikvision?all=1"),
                                              ("/people/Lord-Alton-of-Liverpool", "/people/lord-alton-of-liverpool"),
                                              ("/organisations/Cabinet-Office", "/organisations/cabinet-office")])
def test_slugs_in_any_case_redirect_to_the_canonical_one(ds_server, typed, canonical):
    r = httpx.get(ds_server.url + typed)
    assert r.status_code == 301 and r.headers["location"] == canonical
    assert httpx.get(ds_server.url + typed, follow_redirects=True).status_code == 200


@pytest.mark.parametrize("path", ["/no-such-page", "/vendors/no-such-vendor", "/people/nobody-at-all",
                                  "/documents/no:such-document", "/tracker/no_such_table"])
def test_a_404_keeps_the_sites_header_and_navigation(ds_server, path):
    r = httpx.get(ds_server.url + path)
    assert r.status_code == 404
    assert '<header class="site-header">' in r.text and 'href="/timeline"' in r.text and 'href="/people"' in r.text
    assert "<h1>Not found</h1>" in r.text


def test_a_person_is_never_listed_under_organisations(ds_server, db):
    people = {slug for (slug,) in db.execute("SELECT slug FROM entities WHERE type = 'person'")}
    assert people
    listed = set(re.findall(r'href="/organisations/([a-z0-9-]+)"', httpx.get(ds_server.url + "/organisations").text))
    listed |= set(re.findall(r'href="/organisations/([a-z0-9-]+)"', httpx.get(ds_server.url + "/").text))
    assert listed and not listed & people
    person = sorted(people)[0]
    r = httpx.get(ds_server.url + f"/organisations/{person}")
    assert r.status_code == 301 and r.headers["location"] == f"/people/{person}"


def test_a_person_page_lists_their_questions_and_answers(ds_server, db):
    asked = db.execute("SELECT d.id FROM documents d, json_each(d.members) m WHERE d.kind = 'written_question' "
                       "AND json_extract(m.value, '$.name') = 'Lord Alton of Liverpool' "
                       "AND json_extract(m.value, '$.role') = 'asking'").fetchall()
    assert len(asked) >= 2
    html = httpx.get(ds_server.url + "/people/lord-alton-of-liverpool").text
    section = html[html.index("Questions asked"):]
    section = section[:section.index("</section>")]
    assert sorted(unquote(h) for h in re.findall(r'href="/documents/([^"]+)"', section)) == sorted(i for (i,) in asked)
    paged = _follow(ds_server, "/people/lord-alton-of-liverpool?role=asked")  # the section's own pages
    assert sorted(paged) == sorted(i for (i,) in asked)
    assert "Speeches" in html  # he also spoke in the Lords
    answered = httpx.get(ds_server.url + "/people/baroness-williams-of-trafford").text
    assert "Answers given" in answered and "Answering for Home Office" in answered  # a post, from member fields


def _follow(ds_server, path: str, pager: str = "Older documents") -> list[str]:
    found, url = [], ds_server.url + path
    for _ in range(100):
        html = httpx.get(url).text
        for block in re.findall(r'<ol class="documents">(.*?)</ol>', html, re.S):
            found += [unquote(h) for h in re.findall(r'<a href="/documents/([^"]+)">', block)]
        older = re.search(rf'<a rel="next" href="([^"]+)">{pager}', html)
        if not older:
            return found
        url = ds_server.url + (path.split("?")[0] if older.group(1).startswith("?") else "") + \
            older.group(1).replace("&amp;", "&")
    raise AssertionError("pager never ended")


def test_every_document_is_reachable_from_the_documents_listing(ds_server, db):
    listed = _follow(ds_server, "/documents")
    assert len(listed) == len(set(listed))
    assert set(listed) == {i for (i,) in db.execute("SELECT id FROM documents")}
    without = {i for (i,) in db.execute("SELECT id FROM documents d WHERE NOT EXISTS "
                                        "(SELECT 1 FROM actions a WHERE a.document_id = d.id)")}
    assert without and without <= set(listed)


def test_a_vendor_page_lists_its_documents(ds_server, db):
    listed = _follow(ds_server, "/vendors/hikvision")
    named = {i for (i,) in db.execute("SELECT DISTINCT document_id FROM mentions WHERE entity_id = 'vendor:hikvision'")}
    assert len(named) >= 10 and sorted(listed) == sorted(named)


@pytest.mark.parametrize("path, feed", [("/", "/timeline.atom"), ("/timeline?vendor=hikvision", "/timeline.atom?vendor=hikvision"),
                                        ("/vendors/hikvision", "/timeline.atom?vendor=hikvision"),
                                        ("/organisations/cabinet-office", "/timeline.atom?actor=cabinet-office")])
def test_every_listing_offers_its_atom_feed(ds_server, path, feed):
    html = httpx.get(ds_server.url + path).text
    link = re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)">', html)
    assert link and link.group(1).replace("&amp;", "&") == feed
    assert httpx.get(ds_server.url + feed).headers["content-type"].startswith("application/atom+xml")


def test_the_database_file_is_downloadable_with_a_note_on_its_size(ds_server, built):
    r = httpx.get(ds_server.url + "/tracker.db")
    assert r.status_code == 200 and r.content == built["db"].read_bytes()
    assert r.headers["content-disposition"] == 'attachment; filename="tracker.db"'
    sources = httpx.get(ds_server.url + "/sources").text
    assert f"({built['db'].stat().st_size:,} bytes)" in sources and 'href="/tracker.db" download' in sources
    assert httpx.get(ds_server.url + "/other.db").status_code == 404


def test_documents_search_finds_a_document_without_actions_by_its_member(ds_server, db):
    doc_id, name = db.execute(
        "SELECT d.id, json_extract(m.value, '$.name') FROM documents d, json_each(d.members) m WHERE NOT EXISTS "
        "(SELECT 1 FROM actions a WHERE a.document_id = d.id) ORDER BY d.id LIMIT 1").fetchone()
    html = httpx.get(ds_server.url + "/documents", params={"q": f'"{name}"'}).text
    assert doc_id in {unquote(h) for h in re.findall(r'<a href="/documents/([^"]+)">', html)}
    uin_doc = db.execute("SELECT id, json_extract(extra, '$.uin') FROM documents WHERE json_extract(extra, '$.uin') "
                         "IS NOT NULL ORDER BY id LIMIT 1").fetchone()
    found = httpx.get(ds_server.url + "/documents.json", params={"q": uin_doc[1]}).json()
    assert uin_doc[0] in {r["id"] for r in found["rows"]}
