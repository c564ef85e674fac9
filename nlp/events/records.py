"""Clusters -> event records: primary source, canonical actor, date, roles, disagreements.

- Primary source: the record of the act (the statement, order or notice) when a
  mention sits in one; else a record in the corpus by the same body on the act's
  day (a statement the answers cite but the extractor read nothing in); else the
  earliest report.
- The event keeps the record's values: its date and actor. Without a record,
  the date is the most precise date a text states, else the day it was first
  reported (``date_basis`` says which), and the actor the most specific body in
  the mentions' hierarchy.
- Every other value the mentions give (a date a day off, an actor outside the
  hierarchy, another jurisdiction) is listed under ``disagreements``.
- Roles: ``primary`` (a mention in the primary document), ``restatement`` (an
  official text referring to the act), ``report`` (news and other texts).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from . import dates
from .cluster import Cluster
from .hierarchy import Hierarchy
from .mentions import Mention, document_class

_CLASS_RANK = {"act": 0, "answer": 1, "report": 2}
ACTING_ROLES = ("making", "answering", "speaker")


class RecordIndex:
    """Documents that are records of acts, by day, for citing a record nobody extracted from."""

    def __init__(self, documents: dict[str, dict], hierarchy: Hierarchy):
        self.by_day: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for doc_id, doc in documents.items():
            issuer = hierarchy.organisation(doc.get("department"))
            day = dates.day(doc.get("published"))
            if issuer and day and document_class(doc) == "act":
                self.by_day[day].append((doc_id, issuer))

    def find(self, day: str | None, actor: str | None, hierarchy: Hierarchy) -> str | None:
        if not day or not actor or ":" in actor:
            return None
        found = sorted(doc_id for doc_id, issuer in self.by_day.get(day, [])
                       if hierarchy.comparable(actor, issuer))
        return found[0] if len(found) == 1 else None


def assemble(c: Cluster, hierarchy: Hierarchy, documents: dict[str, dict], records: RecordIndex) -> dict:
    mentions = c.mentions
    actor = _actor(c, hierarchy)
    primary, primary_basis = _primary(c, actor, hierarchy, records)
    date, basis = _date(c, primary)
    jurisdiction = _jurisdiction(c, actor, hierarchy)
    roles = {m.id: "primary" if m.document_id == primary else
             ("restatement" if m.kind in ("act", "answer") else "report") for m in mentions}
    sources = {m.source for m in mentions}
    if primary and primary not in c.documents:
        sources.add((documents[primary].get("department") or primary).lower())
    targets = sorted(set().union(*(m.targets for m in mentions)))
    context = sorted(set().union(*(m.context for m in mentions)) - set(targets))
    placed = any(m.actor_kind != "none" for m in mentions) and date is not None
    doc_dates = [m.doc_date for m in mentions if m.doc_date]
    return {
        "type": c.type, "status": "event" if placed else "unplaced",
        "actor": _actor_name(actor, mentions, hierarchy), "actor_id": actor,
        "actors_named": sorted({m.actor_named for m in mentions if m.actor_named}),
        "announced_by": _announced_by(mentions, documents.get(primary or "")),
        "jurisdiction": jurisdiction, "date": date, "date_precision": _precision(date), "date_basis": basis,
        "first_reported": min(doc_dates) if doc_dates else None,
        "primary_document": primary, "primary_basis": primary_basis,
        "documents": len(c.documents | ({primary} if primary else set())), "sources": len(sources),
        "targets": targets, "context_vendors": context,
        "disagreements": _disagreements(c, date, actor, jurisdiction, hierarchy),
        "mentions": [{"action_id": m.id, "document_id": m.document_id, "role": roles[m.id],
                      "actor": m.actor_named, "date": m.date, "date_basis": m.basis} for m in mentions],
    }


def _actor(c: Cluster, hierarchy: Hierarchy) -> str | None:
    for m in sorted(c.mentions, key=_record_order):
        if m.basis == "record" and m.actor in c.actors:
            return m.actor
    organisations = [a for a in c.actors if ":" not in a]
    if organisations:  # they are all in one line of the hierarchy: the most specific acted
        counts = Counter(m.actor for m in c.mentions)
        return max(organisations, key=lambda a: (hierarchy.depth(a), counts[a], a))
    return min(c.actors) if c.actors else None


def _actor_name(actor: str | None, mentions: list[Mention], hierarchy: Hierarchy) -> str | None:
    if actor and ":" not in actor:
        return hierarchy.name(actor)
    if actor:
        return next(m.actor_named for m in mentions if m.actor == actor)
    named = Counter(m.actor_named for m in mentions if m.actor_named)
    return min(named, key=lambda n: (-named[n], n)) if named else None


def _record_order(m: Mention):
    return m.doc_date or "9999", _CLASS_RANK[m.kind], m.document_id, m.start


def _primary(c: Cluster, actor, hierarchy, records: RecordIndex) -> tuple[str | None, str | None]:
    ordered = sorted(c.mentions, key=_record_order)
    recorded = [m for m in ordered if m.basis == "record" and m.kind in ("act", "answer")]
    if recorded:
        return recorded[0].document_id, "record"
    stated = [m for m in ordered if m.basis == "stated" and m.date and len(m.date) >= 10]
    if stated:
        cited = records.find(stated[0].date[:10], actor, hierarchy)
        if cited:
            return cited, "record"
    return (ordered[0].document_id, "report") if ordered else (None, None)


def _date(c: Cluster, primary: str | None) -> tuple[str | None, str | None]:
    for m in sorted(c.mentions, key=_record_order):
        if m.document_id == primary and m.basis == "record":
            return m.date, "record"
    stated = Counter(m.date for m in c.mentions if m.basis == "stated")
    if stated:
        return min(stated, key=lambda d: (-len(d), -stated[d], d)), "stated"
    reported = sorted(m.doc_date for m in c.mentions if m.basis in ("reported", "record") and m.doc_date)
    if reported:
        return reported[0], "reported"
    return None, None


def _precision(date: str | None) -> str | None:
    return {4: "year", 7: "month", 10: "day"}.get(len(date)) if date else None


def _jurisdiction(c: Cluster, actor: str | None, hierarchy: Hierarchy) -> str | None:
    from_actor = hierarchy.jurisdiction(actor) if actor and ":" not in actor else None
    if from_actor:
        return from_actor
    if c.jurisdiction:
        return c.jurisdiction
    seen = Counter(m.jurisdiction for m in c.mentions if m.jurisdiction)
    return min(seen, key=lambda j: (-seen[j], j)) if seen else None


def _announced_by(mentions: list[Mention], primary_doc: dict | None) -> list[str]:
    people = {m.person: None for m in mentions if m.person}
    for person in (primary_doc or {}).get("people") or []:
        if isinstance(person, dict) and person.get("role") in ACTING_ROLES and person.get("name"):
            if person["name"] in people or person.get("office") or not people:
                people[person["name"]] = person.get("office")
    return [f"{name} ({office})" if office else name for name, office in people.items()]


def _disagreements(c: Cluster, date, actor, jurisdiction, hierarchy: Hierarchy) -> list[dict]:
    found: dict[tuple, list[str]] = defaultdict(list)
    for m in c.mentions:
        if date and m.date and m.basis in ("stated", "record") and not (
                m.date.startswith(date) or date.startswith(m.date)):
            found[("date", m.date)].append(m.document_id)
        if date and len(date) == 10 and m.basis == "reported" and m.doc_date and m.doc_date < date:
            found[("reported before the act", m.doc_date)].append(m.document_id)
        if m.actor_named and (m in c.conflicts or (m.actor is None and actor)):
            found[("actor", m.actor_named)].append(m.document_id)
        from_actor = m.jurisdiction if m.jurisdiction_from == "actor" else None
        if jurisdiction and from_actor and from_actor != jurisdiction:
            found[("jurisdiction", m.jurisdiction)].append(m.document_id)
    return [{"field": field, "value": value, "documents": sorted(set(docs))}
            for (field, value), docs in sorted(found.items())]
