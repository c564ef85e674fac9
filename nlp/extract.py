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
from dataclasses import dataclass
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
    for field in ("title", "text", "published", "kind", "jurisdiction", "department", "url"):
        if record.get(field) is not None and not isinstance(record[field], str):
            raise BadRecord(f"{field} is not a string")
    if record.get("people") is not None and not isinstance(record["people"], list):
        raise BadRecord("people is not a list")
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
        "published": record.get("published"), "kind": record.get("kind") or "", "peers": topic.peers,
    }


@dataclass
class Failed:
    """An input record that cannot be extracted: it comes out as ``{"id", "failed": reason}`` in its place."""
    id: str | int
    reason: str


def failed_record(record_id, reason: str) -> dict:
    """The output record of a document whose extraction failed: the build keeps its earlier actions."""
    return {"id": record_id, "failed": reason}


def extract_records(nlp: Language, records: Iterable[dict | Failed], batch_size: int = 32) -> Iterator[dict]:
    """Extraction records, in input order, one per input record.

    Documents go through the pipeline a batch at a time, so memory holds one batch whatever the input's
    length. When a component raises on a batch, its documents are run again one by one: each that fails
    again comes out as a failed record naming the component and the error (``failed_record``), the
    others as usual. A ``Failed`` input (a line the reader could not take) comes out failed in its place.
    """
    topic = pipeline_topic(nlp)
    words = (topic.vocab.get("context") or {}).get("title")
    title_context = re.compile(words, re.I) if words else None  # a title naming the subject without a vendor
    relevance = Relevance(topic.vocab)
    batch: list = []
    for record in records:
        batch.append(record)
        if len(batch) >= batch_size:
            yield from _extract_batch(nlp, topic, title_context, relevance, batch)
            batch = []
    if batch:
        yield from _extract_batch(nlp, topic, title_context, relevance, batch)


def _docs(nlp: Language, record: dict, topic: Topic, title_context) -> list:
    """The record's title and text as spaCy docs, each at most CHUNK characters (spaCy refuses texts over
    nlp.max_length: E088); a long title is cut in pieces like a long text."""
    check(record)
    meta = _meta(record, topic, title_context)
    docs = []
    for part in ("title", "text"):
        for offset, piece in chunks(record.get(part) or ""):
            doc = nlp.make_doc(piece)
            doc._.meta = dict(meta, part=part, offset=offset, text=piece)
            docs.append(doc)
    return docs


def _reason(stage: str, exc: BaseException) -> str:
    return f"{stage}: {type(exc).__name__}: {str(exc)[:300]}"


def _run_alone(nlp: Language, docs: list) -> list:
    """The pipeline on one document's docs, component by component, so an error names its component."""
    done = []
    for doc in docs:
        name = "pipeline"
        try:
            for name, proc in nlp.pipeline:
                doc = proc(doc)
        except Exception as exc:  # noqa: BLE001  any component's error fails this document only
            raise _ComponentError(_reason(name, exc)) from exc
        done.append(doc)
    return done


class _ComponentError(RuntimeError):
    pass


def _extract_batch(nlp: Language, topic: Topic, title_context, relevance: Relevance, batch: list) -> Iterator[dict]:
    prepared: list[tuple] = []  # (record, docs) or (Failed, None)
    for record in batch:
        if isinstance(record, Failed):
            prepared.append((record, None))
            continue
        try:
            prepared.append((record, _docs(nlp, record, topic, title_context)))
        except Exception as exc:  # noqa: BLE001  a record that cannot be made into docs fails alone
            prepared.append((Failed(_record_id(record), _reason("input", exc)), None))
    together = [doc for _, docs in prepared if docs for doc in docs]
    try:
        processed = list(nlp.pipe(together, batch_size=max(1, len(together))))
    except Exception:  # noqa: BLE001  someone's document broke a component: find whose, one by one
        processed = None
    position = 0
    for record, docs in prepared:
        if docs is None:
            yield failed_record(record.id, record.reason)
            continue
        mine = processed[position:position + len(docs)] if processed is not None else None
        position += len(docs)
        try:
            result = _assemble(relevance, record, mine if mine is not None else
                               _run_alone(nlp, _docs(nlp, record, topic, title_context)))
        except _ComponentError as exc:
            result = failed_record(record["id"], str(exc))
        except Exception as exc:  # noqa: BLE001
            result = failed_record(record["id"], _reason("assemble", exc))
        yield result


def _record_id(record) -> str | int | None:
    return record.get("id") if isinstance(record, dict) else None


def _assemble(relevance: Relevance, record: dict, docs: list) -> dict:
    vendors, orgs, people, mentions, actions = [], [], [], [], []
    has_class = False
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
                if part != "text":  # someone named only in the title is not listed (guide 4)
                    continue
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
        if not name or not isinstance(name, str):
            continue
        if name in text or name.lower() in text.lower() or any(name.startswith(p + " ") for p in people) \
                or any(" " in name and name.lower().endswith(" " + p.lower()) for p in people):
            people.append(name)  # "Lord Alton" -> his title; "Minister Example" -> the answerer "Jo Example"
    peers = docs[0]._.meta.get("peers") if docs else None
    if peers:  # "Lord Alton" -> "Lord Alton of Liverpool", the Hansard title (topic data)
        people = [peers.get(p, p) for p in people]
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
