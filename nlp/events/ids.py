"""Stable event ids: an event keeps its id across rebuilds and as new sources attach.

The previous build's ids are given as a map from (document id, action type), (document id,
action type, actor) and (document id, action type, actor, date) to event id: a mention is known by
where it is and what it says happened, not by its character offsets, so an extractor that moves a
sentence boundary does not renumber the events. Each new event takes the old id most of its mentions had
(each old id goes to one event only, the one holding most of its mentions);
events with no old id get a new one from their primary document and type. An
old id that lost its event gets a redirect: to the event that holds most of its
former mentions ("merged"), or to nothing ("withdrawn": no mention is left).
"""

from __future__ import annotations

import hashlib
from collections import Counter


def _fresh(event: dict, taken: set[str]) -> str:
    seed = f"{event.get('primary_document')}|{event['type']}|{event.get('date')}"
    for attempt in range(1000):
        digest = hashlib.sha1(f"{seed}|{attempt}".encode("utf-8")).hexdigest()[:12]
        candidate = f"e{digest}"
        if candidate not in taken:
            return candidate
    raise RuntimeError("no free event id")  # a thousand sha1 collisions: not in this universe


def _keys(event: dict) -> set[tuple]:
    """(document, type) for each mention, (document, type, actor) and (document, type, actor, date): one document
    can hold several events of a type (several actors of one sentence; an act of the day and an earlier one),
    and each keeps its own id (a key the previous build gave to two events is left out of ``previous``)."""
    return {(m["document_id"], event["type"]) for m in event["mentions"]} \
        | {(m["document_id"], event["type"], event.get("actor")) for m in event["mentions"]} \
        | {(m["document_id"], event["type"], event.get("actor"), event.get("date")) for m in event["mentions"]}


def assign(events: list[dict], previous: dict[tuple[str, str], str] | None = None,
           reserved: set[str] | frozenset = frozenset()) -> list[dict]:
    """Set ``id`` on every event; return the redirects for old ids that lost their event."""
    previous = previous or {}
    votes = [Counter(previous[k] for k in _keys(e) if k in previous) for e in events]
    pairs = sorted(((n, old, i) for i, vote in enumerate(votes) for old, n in vote.items()),
                   key=lambda p: (-p[0], p[1], p[2]))
    given: dict[int, str] = {}
    used: set[str] = set()
    for _, old, i in pairs:
        if i not in given and old not in used:
            given[i] = old
            used.add(old)
    taken = set(previous.values()) | set(reserved)
    for i, event in enumerate(events):
        event["id"] = given.get(i) or _fresh(event, taken)
        taken.add(event["id"])
    redirects = []
    for old in sorted(set(previous.values()) - used):
        holders = Counter()
        for i, vote in enumerate(votes):
            if vote.get(old):
                holders[events[i]["id"]] += vote[old]
        target = min(holders, key=lambda e: (-holders[e], e)) if holders else None
        redirects.append({"old_id": old, "new_id": target, "reason": "merged" if target else "withdrawn"})
    return redirects
