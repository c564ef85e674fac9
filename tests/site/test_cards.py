"""What a card says of its document (issue 17): the asker, the answering minister and department, the UIN
or document number, the outlet of news, and a link to the document's page; over real HTTP on loopback."""

import re
import sqlite3
from urllib.parse import unquote

import httpx
import pytest

pytestmark = pytest.mark.serial


def _cards(html: str) -> list[str]:
    return [part.split('<li class="event"', 1)[0] for part in html.split('<li class="event"')[1:]]


@pytest.fixture(scope="module")
def db(built):
    return sqlite3.connect(f"file:{built['db']}?mode=ro", uri=True)


def test_written_question_cards_name_asker_minister_department_and_uin(ds_server, db):
    cards = _cards(httpx.get(ds_server.url + "/timeline", params={"kind": "written_question", "all": "1"}).text)
    checked = 0
    for card in cards:
        doc_id = unquote(re.search(r'class="document-link" href="/documents/([^"]+)"', card).group(1))
        kind, members, department, uin = db.execute("SELECT kind, members, department, json_extract(extra, '$.uin') "
                                                    "FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if kind != "written_question":  # a card of several documents shows its primary one
            continue
        checked += 1
        facts = re.search(r'<p class="card-facts">(.*?)</p>', card, re.S).group(1)
        if uin:
            assert f"Written question UIN {uin}" in facts
        if '"role": "asking"' in (members or ""):
            assert "Asked by <a href=\"/people/" in facts
        else:
            assert "Asker not given by the source" in facts
        if '"role": "answering"' in (members or ""):
            assert "Answered by <a href=\"/people/" in facts
        assert department and f'<span class="department">{department}</span>' in facts
    assert checked >= 3


def test_a_statement_card_names_its_minister_and_office(ds_server):
    cards = _cards(httpx.get(ds_server.url + "/timeline", params={"kind": "written_statement", "all": "1"}).text)
    cards = [c for c in cards if "Written statement HCWS386" in c]  # a card of several documents shows its primary
    assert cards and all('Made by <a href="/people/oliver-dowden">' in c
                         and "(Chancellor of the Duchy of Lancaster)" in c for c in cards)


def test_news_cards_name_their_outlet(ds_server, db):
    cards = _cards(httpx.get(ds_server.url + "/timeline", params={"kind": "news", "all": "1"}).text)
    checked = 0
    for card in cards:
        doc_id = unquote(re.search(r'class="document-link" href="/documents/([^"]+)"', card).group(1))
        kind, outlet = db.execute("SELECT kind, outlet FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if kind == "news":  # a card of several documents shows its primary one
            checked += 1
            assert outlet and f'<span class="outlet">{outlet}</span>' in card
    assert checked >= 3


def test_every_card_links_to_its_documents_page(ds_server):
    cards = _cards(httpx.get(ds_server.url + "/timeline", params={"all": "1"}).text)
    links = [re.search(r'class="document-link" href="(/documents/[^"]+)"', c) for c in cards]
    assert cards and all(links)
    for link in links[:10]:
        assert httpx.get(ds_server.url + link.group(1)).status_code == 200
