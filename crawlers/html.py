"""Crawled HTML made safe (nh3) and made plain text (for NLP and search).

nh3 (the Rust ammonia sanitiser) is the one place HTML is cleaned: an allow
list of tags and attributes, only http, https and mailto links, and every link
gets rel="noopener noreferrer nofollow".
"""

from __future__ import annotations

import html as html_lib
import re

import lxml.html
import nh3

ALLOWED_TAGS = {
    "p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "blockquote", "a", "h2",
    "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "div", "span", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}
URL_SCHEMES = {"http", "https", "mailto"}
_BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
           "ul", "ol", "table", "br", "section", "article", "header", "footer", "pre"}
_DROP = {"script", "style", "template", "noscript", "iframe", "object", "svg", "math"}


def sanitise(markup: str | None) -> str | None:
    """nh3-clean HTML; idempotent: sanitise(sanitise(x)) == sanitise(x)."""
    if markup is None:
        return None
    # One pass is not always a fixed point: html5 parsing re-nests mis-nested
    # markup (<a><table><a>) differently the second time. Clean until stable.
    previous, current = None, markup
    for _ in range(4):
        previous, current = current, _clean_once(current)
        if current == previous:
            break
    return current


def _clean_once(markup: str) -> str:
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        clean_content_tags=_DROP - {"svg", "math"} | {"title"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def to_text(markup: str | None) -> str:
    """Plain text of an HTML fragment: blocks become paragraphs, entities decoded."""
    if not markup:
        return ""
    if "<" not in markup:
        return _tidy(html_lib.unescape(markup))
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return _tidy(html_lib.unescape(re.sub(r"<[^>]*>", " ", markup)))
    parts: list[str] = []
    _walk(root, parts)
    return _tidy("".join(parts))


def _walk(element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _DROP:
        if element.tail:
            parts.append(element.tail)
        return
    block = tag in _BLOCKS
    if block:
        parts.append("\n")
    if tag in ("td", "th"):
        parts.append(" ")
    if element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
    if block:
        parts.append("\n")
    if element.tail:
        parts.append(element.tail)


def _tidy(text: str) -> str:
    text = text.replace("\xa0", " ").replace("\r", "")
    lines = [re.sub(r"[ \t\f\v]+", " ", line).strip() for line in text.split("\n")]
    out, blank = [], False
    for line in lines:
        if line:
            out.append(line)
            blank = False
        elif not blank and out:
            out.append("")
            blank = True
    return "\n".join(out).strip()


def strip_tags(text: str | None) -> str:
    """A title or summary as plain text: tags dropped, entities decoded, one line."""
    return re.sub(r"\s+", " ", to_text(text)).strip()
