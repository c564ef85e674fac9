"""Event resolution: every extracted action is a mention; mentions of one act are one event.

Input: documents (the crawl's records: ``id``, ``kind``, ``published``,
``department``, ``jurisdiction``, ``people`` with their roles and offices,
``outlet``...) and extraction records (the output of ``python -m nlp extract``).
Output (:class:`Resolution`): event records, one per real-world act, each with
its mentions (every action as evidence, with its role: ``primary``,
``restatement`` or ``report``), and redirects for event ids that were merged away.
Nothing here knows about SQLite; ``db/`` stores what this returns.

How (ANNOTATION.md section 6; the details are in each module's docstring):
1. ``mentions``: place each action: its actor in the hierarchy (``hierarchy``:
   organisations with parents from the vocabulary; ministers to the department
   they made a statement or answered for), its jurisdiction (the actor's; the
   document's only when the actor is unknown), its targets (vendors in the
   sentence, ``*`` for a class; the document's in-scope vendors kept as vendors in
   context) and the basis of its date: ``record`` (the document is the act),
   ``stated`` (the text gives an earlier date: a restatement), ``reported`` (a
   report made on or after the act) or ``undated``.
2. ``cluster``: records first, then stated, reported and undated mentions, each
   joining the one cluster it is compatible with (type, hierarchy, targets,
   dates that meet or a report that follows the act in matching words) or
   starting its own. Two records are two acts; an action with neither actor nor
   date stays a mention-level event of its own (``status = "unplaced"``).
3. ``records``: the event keeps the official record's values (date, actor) and
   lists every disagreeing value with the documents that give it.
4. ``ids``: ids survive rebuilds and new sources (old ids are taken over by the
   event holding most of their mentions; the rest become redirects).

``python -m nlp events DOCUMENTS EXTRACTED`` runs this from the shell;
``python -m nlp eval-events`` measures it (B-cubed precision and recall against
labelled event keys, ``evaluate``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from . import cluster as _cluster
from . import hierarchy as _hierarchy
from . import ids, mentions as _mentions, records as _records
from .hierarchy import Hierarchy
from .mentions import Mention, action_id

__all__ = ["Hierarchy", "Mention", "Resolution", "action_id", "resolve", "per_document_types"]


@dataclass
class Resolution:
    events: list[dict] = field(default_factory=list)
    redirects: list[dict] = field(default_factory=list)

    def mentions(self) -> list[dict]:
        """One row per mention: the action id, its event and its role."""
        return [dict(m, event_id=e["id"]) for e in self.events for m in e["mentions"]]


def per_document_types(vocab: dict) -> set[str]:
    return flagged_types(vocab, "per_document")


def flagged_types(vocab: dict, flag: str) -> set[str]:
    """The action types the vocabulary marks with a flag (``per_document``, ``lasting``, ``staged``)."""
    return {name for name, spec in (vocab.get("actions") or {}).items() if (spec or {}).get(flag)}


def resolve(documents: Iterable[dict], records: Iterable[dict], topic=None,
            hierarchy: Hierarchy | None = None, per_document: set[str] | None = None,
            previous: dict[tuple[str, str], str] | None = None,
            reserved: set[str] | frozenset = frozenset(), lasting: set[str] | None = None,
            staged: set[str] | None = None) -> Resolution:
    """Events from documents and their extraction records.

    ``topic`` (a ``nlp.topic.Topic``, a topic name or directory; default: the chosen topic) gives the
    hierarchy and the ``per_document``, ``lasting`` and ``staged`` types unless they are passed; ``previous`` maps
    (document id,
    action type) to the event id a previous run gave it.
    """
    if hierarchy is None or per_document is None or lasting is None or staged is None:
        from ..topic import Topic

        if not isinstance(topic, Topic):
            import topics

            topic = Topic.from_dir(topics.directory(str(topic) if topic is not None else None))
        hierarchy = hierarchy or _hierarchy.load(topic)
        per_document = per_document if per_document is not None else per_document_types(topic.vocab)
        lasting = lasting if lasting is not None else flagged_types(topic.vocab, "lasting")
        staged = staged if staged is not None else flagged_types(topic.vocab, "staged")
    docs = {str(d["id"]): d for d in documents if isinstance(d, dict) and d.get("id") is not None}
    hierarchy.learn_posts(docs.values())
    found = _mentions.build(docs, records, hierarchy, lasting, staged)
    clusters = _cluster.cluster(found, hierarchy, _mentions.idf(found), per_document)
    index = _records.RecordIndex(docs, hierarchy)
    events = [_records.assemble(c, hierarchy, docs, index) for c in clusters]
    events.sort(key=lambda e: (e["date"] or "", e["type"], e["primary_document"] or ""), reverse=True)
    redirects = ids.assign(events, previous, reserved)
    return Resolution(events, redirects)
