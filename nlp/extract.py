"""extract_records(): documents in, one extraction record out per document.

Input record: ``{"id", "title", "text", "published"?, "url"?, "kind"?,
"jurisdiction"?, "department"?, "people"?}``. Output record (the contract of
``python -m nlp extract``): ``{"id", "relevant", "relevance_reasons",
"vendors", "organisations", "people", "actions", "mentions"}``; every action
carries its evidence sentence as a verbatim slice ``text[start:end]``.

Texts longer than CHUNK characters are cut at paragraph breaks and processed
piece by piece, offsets shifted back, so no document is too long for spaCy.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable, Iterator

from spacy.language import Language

from .components import pipeline_topic
from .people import merge
from .relevance import Relevance
from .topic import Topic

CHUNK = 100_000


class BadRecord(ValueError):
    """A record that is not a document (no id, text that is not a string...)."""


def check(record) -> dict:
    if not isinstance(record, dict):
        raise BadRecord(f"expected a JSON object, got {type(record).__name__}")
    if not record.get("id") or not isinstance(record["id"], (str, int)):
        raise BadRecord("missing id")
    for field in ("title", "text"):
        if record.get(field) is not None and not isinstance(record[field], str):
            raise BadRecord(f"{field} is not a string")
    return record


def chunks(text: str, size: int = CHUNK) -> list[tuple[int, str]]:
    """(offset, piece) pieces of at most about `size` characters, cut at paragraph breaks."""
    if len(text) <= size:
        return [(0, text)]
    pieces, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            if cut == -1:
                cut = text.rfind(". ", start + size // 2, end)
            end = cut + 1 if cut != -1 else end
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def _meta(record: dict, topic: Topic, title_context: re.Pattern | None) -> dict:
    people = record.get("people") or []
    speaker = next((p.get("name") for p in people if isinstance(p, dict) and p.get("role") == "speaker"), None)
    title = record.get("title") or ""
    issuer = topic.canonical_organisation(record.get("department")) or topic.issuer_from(title, record.get("text"))
    title_vendors = topic.vendors_in(title)
    return {
        "issuer": issuer, "title_vendors": title_vendors,
        "title_topical": bool(title_vendors) or bool(title_context and title_context.search(title)),
        "speaker": speaker, "jurisdiction": record.get("jurisdiction") or "",
        "published": record.get("published"), "kind": record.get("kind") or "",
    }


def extract_records(nlp: Language, records: Iterable[dict], batch_size: int = 32) -> Iterator[dict]:
    """Extraction records, in input order, for already-checked input records."""
    topic = pipeline_topic(nlp)
    words = (topic.vocab.get("context") or {}).get("title")
    title_context = re.compile(words, re.I) if words else None  # a title naming the subject without a vendor
    relevance = Relevance(topic.vocab)
    pending: dict[int, dict] = {}
    parts: dict[int, list] = defaultdict(list)
    expected: dict[int, int] = {}

    def docs():
        for index, record in enumerate(records):
            pending[index] = record
            meta = _meta(record, topic, title_context)
            title = record.get("title") or ""
            text = record.get("text") or ""
            pieces = chunks(text)
            expected[index] = len(pieces) + 1
            doc = nlp.make_doc(title)
            doc._.meta = dict(meta, part="title", offset=0, text=title)
            yield doc, index
            for offset, piece in pieces:
                doc = nlp.make_doc(piece)
                doc._.meta = dict(meta, part="text", offset=offset, text=piece)
                yield doc, index

    next_out = 0
    for doc, index in nlp.pipe(docs(), as_tuples=True, batch_size=batch_size):
        parts[index].append(doc)
        while next_out in expected and len(parts[next_out]) == expected[next_out]:
            yield _assemble(relevance, pending.pop(next_out), parts.pop(next_out))
            next_out += 1
    for index in sorted(pending):  # a batch the error handler skipped: report what is left
        yield _assemble(relevance, pending[index], parts.get(index, []))


def _assemble(relevance: Relevance, record: dict, docs: list) -> dict:
    vendors, orgs, people, mentions, actions = [], [], [], [], []
    has_class = False
    title_doc = next((d for d in docs if d._.meta["part"] == "title"), None)
    title = record.get("title") or ""
    for doc in docs:
        offset, part = doc._.meta["offset"], doc._.meta["part"]
        for span in doc.spans.get("entities", []):
            label = span.label_
            if label == "CLASS":
                has_class = True
            if label == "VENDOR":
                vendors.append(span.kb_id_)
            elif label == "ORG":
                orgs.append(span.kb_id_)
            elif label == "PERSON":
                people.append(span.kb_id_)
            else:
                continue
            if part == "text":
                mentions.append({"label": label, "name": span.kb_id_, "text": span.text,
                                 "start": span.start_char + offset, "end": span.end_char + offset})
        if part == "text":
            for action in doc._.policy_actions or []:
                action = dict(action, start=action["start"] + offset, end=action["end"] + offset)
                actions.append(action)
    text = record.get("text") or ""
    for person in record.get("people") or []:  # the asker, answerer or speaker: a person of the text if named in it
        name = person.get("name") if isinstance(person, dict) else person
        if name and (name in text or any(name.startswith(p + " ") for p in people)):  # "Lord Alton" -> his title
            people.append(name)
    vendors, orgs = _unique(vendors), _unique(orgs)
    relevant, reasons = relevance.assess(title, record.get("text") or "", vendors, has_class,
                                         actions, record.get("kind"))
    return {
        "id": record["id"], "relevant": relevant, "relevance_reasons": reasons,
        "vendors": vendors, "organisations": orgs, "people": _people(people),
        "actions": actions if relevant else [], "mentions": mentions,
    }


def _unique(values) -> list:
    return list(dict.fromkeys(v for v in values if v))


def _people(names) -> list[str]:
    return merge(_unique(names))
