"""nh3 sanitising and HTML-to-text: properties and known payloads."""

import html5lib
import pytest
from hypothesis import given, settings, strategies as st

from crawlers.html import ALLOWED_TAGS, URL_SCHEMES, sanitise, strip_tags, to_text
from tests.conftest import FIGURES, tally

PAYLOADS = [
    "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "<svg onload=alert(1)>",
    '<a href="java&#9;script:alert(1)">x</a>', '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", '<iframe srcdoc="<script>alert(1)</script>">',
    '<base href="https://evil.example/">', '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<form action="https://evil.example"><input></form>', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_known_payloads_lose_their_teeth(payload):
    clean = sanitise(f"<p>ok</p>{payload}").lower()
    for bad in ("<script", "onerror", "onload", "javascript:", "<iframe", "<base", "<meta", "<form", "<svg",
                "<math", "data:text"):
        assert bad not in clean


markup = st.lists(st.sampled_from([
    "<p>", "</p>", "<a href='https://ok.example/'>", "<a href='javascript:x'>", "</a>", "<script>", "</script>",
    "<img src=x onerror=y>", "<b>", "</b>", "<svg>", "<math>", "<style>", "text", "&amp;", "&lt;", "<table>",
    "<td onclick=z>", "<iframe>", "'", '"', "<!--", "-->", "<textarea>", "<li>",
]), max_size=30).map("".join)


@settings(max_examples=2000, deadline=None)
@given(markup)
def test_sanitiser_properties(fragment):
    tally(FIGURES, "hypothesis", "sanitiser_examples")
    once = sanitise(fragment)
    assert sanitise(once) == once
    tree = html5lib.parseFragment(once, namespaceHTMLElements=False)
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag in ALLOWED_TAGS | {"DOCUMENT_FRAGMENT"}
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on")
            if name in ("href", "src"):
                assert value.split(":", 1)[0].lower() in URL_SCHEMES or ":" not in value


def test_text_keeps_paragraphs_and_decodes_entities():
    assert to_text("<p>One &amp; two</p><p>Three</p><script>x()</script>") == "One & two\n\nThree"
    assert strip_tags("Australia to remove <b>Chinese-made</b> cameras") == "Australia to remove Chinese-made cameras"
