"""The actor hierarchy: who acts for whom, as data.

Organisations come from the vocabulary: each has a jurisdiction and may name a
``parent`` (an agency its department, a department its government). People come
from the documents' member fields: the minister who made a statement or answered
a question acts for that document's department (or for the office named beside
them), from that date. Two actors are *comparable* when one is the other or one
of its ancestors: a minister and their department, an agency and its department,
departments and their government. Siblings (two departments) are not.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable

_SPACES = re.compile(r"\s+")
_ACTING_ROLES = ("making", "answering", "speaker", "minister")


class BadHierarchy(ValueError):
    """The vocabulary's parents name an unknown organisation or make a loop."""


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    kind: str | None
    jurisdiction: str | None
    parent: str | None


def _key(name: str) -> str:
    key = _SPACES.sub(" ", name.replace("’", "'")).strip().lower()
    return key[4:] if key.startswith("the ") else key


class Hierarchy:
    """Organisations with parents, vendors, and people's posts; lookups by name."""

    def __init__(self, organisations: dict[str, dict], aliases: dict[str, str] | None = None,
                 offices: dict[str, str] | None = None, vendors: dict[str, dict] | None = None):
        self.orgs = {oid: Organisation(oid, o["name"], o.get("kind"), o.get("jurisdiction"), o.get("parent"))
                     for oid, o in organisations.items()}
        self._names: dict[str, str] = {}
        for oid, org in self.orgs.items():
            self._names.setdefault(_key(org.name), oid)
            self._names.setdefault(_key(oid.replace("_", " ")), oid)
        for alias, oid in (aliases or {}).items():
            if oid in self.orgs:
                self._names.setdefault(_key(alias), oid)
        self._offices = {_key(title): oid for title, oid in (offices or {}).items() if oid in self.orgs}
        # short names a body goes by in its own country's texts ("Defence"): used only for a sentence's subject
        # when the extractor named no actor, and only when the name is one body's (in the jurisdiction, if known)
        self._short: dict[str, list[str]] = {}
        for oid, o in organisations.items():
            for short in o.get("short") or []:
                self._short.setdefault(_key(short), []).append(oid)
        self.vendors = {_key(v["name"]): (v["name"], v.get("country")) for v in (vendors or {}).values()}
        self._posts: dict[str, list[tuple[str, str]]] = {}
        self._governments: dict[str, str] | None = None
        self._chains: dict[str, tuple[str, ...]] = {}
        for oid in self.orgs:
            self._chains[oid] = self._walk(oid)

    def _walk(self, oid: str) -> tuple[str, ...]:
        chain = [oid]
        while self.orgs[chain[-1]].parent:
            parent = self.orgs[chain[-1]].parent
            if parent not in self.orgs:
                raise BadHierarchy(f"{chain[-1]}: parent {parent!r} is not an organisation")
            if parent in chain:
                raise BadHierarchy(f"{oid}: parents loop through {parent!r}")
            chain.append(parent)
        return tuple(chain)

    # -- organisations ---------------------------------------------------------
    def organisation(self, name: str | None) -> str | None:
        """The organisation id a name, alias or office title stands for, or None."""
        if not name:
            return None
        key = _key(name)
        return self._names.get(key) or self._offices.get(key)

    def short(self, name: str | None, jurisdiction: str | None = None) -> str | None:
        """The one organisation going by this short name (in the jurisdiction when it is known), or None."""
        found = self._short.get(_key(name)) if name else None
        if found and jurisdiction:
            root = jurisdiction.split("-")[0].upper()
            found = [oid for oid in found if str(self.orgs[oid].jurisdiction or "").split("-")[0].upper() == root]
        return found[0] if found and len(found) == 1 else None

    def office(self, title: str | None) -> str | None:
        return self._offices.get(_key(title)) if title else None

    def chain(self, oid: str) -> tuple[str, ...]:
        """The organisation, its parent, its parent's parent... up to the root."""
        return self._chains.get(oid, (oid,))

    def comparable(self, a: str, b: str) -> bool:
        return a == b or a in self.chain(b) or b in self.chain(a)

    def depth(self, oid: str) -> int:
        return len(self.chain(oid))

    def name(self, oid: str) -> str:
        org = self.orgs.get(oid)
        return org.name if org else oid

    def jurisdiction(self, oid: str | None) -> str | None:
        org = self.orgs.get(oid or "")
        return org.jurisdiction if org else None

    def government(self, jurisdiction: str | None) -> str | None:
        """The government of a jurisdiction: its root organisation of kind government, if there is one."""
        if not jurisdiction:
            return None
        if self._governments is None:
            self._governments = {}
            for oid, org in sorted(self.orgs.items()):
                if org.kind == "government" and not org.parent and org.jurisdiction:
                    self._governments.setdefault(str(org.jurisdiction).upper(), oid)
        return self._governments.get(jurisdiction.upper())

    def vendor(self, name: str | None) -> tuple[str, str | None] | None:
        """(canonical name, country) when the name is a vendor (the actor of a denial)."""
        return self.vendors.get(_key(name)) if name else None

    # -- people ----------------------------------------------------------------
    def learn_posts(self, documents: Iterable[dict]) -> None:
        """Who acted for which body, read off the documents' member fields (replaces what it knew)."""
        self._posts = {}
        for doc in documents:
            date = (doc.get("published") or "")[:10]
            department = self.organisation(doc.get("department"))
            for person in doc.get("people") or []:
                if not isinstance(person, dict) or not person.get("name"):
                    continue
                body = self.office(person.get("office"))
                if body is None and person.get("role") in _ACTING_ROLES and doc.get("kind") != "news":
                    body = department
                if body:
                    bisect.insort(self._posts.setdefault(_key(person["name"]), []), (date, body))

    def person(self, name: str | None, date: str | None = None) -> str | None:
        """The body a person acted for, at the post nearest the date (None when unknown)."""
        posts = self._posts.get(_key(name)) if name else None
        if not posts:
            return None
        if not date:
            return posts[-1][1]
        index = bisect.bisect_left(posts, (date[:10], ""))
        nearby = posts[max(0, index - 1):index + 1]
        return min(nearby, key=lambda post: abs(_days(post[0]) - _days(date)))[1]


def _days(date: str) -> int:
    try:
        year, month, day = (int(p) for p in (date[:10] + "-01-01")[:10].split("-"))
        return year * 372 + month * 31 + day
    except ValueError:
        return 0


def from_vocabulary(vocab: dict, organisation_patterns: Iterable[dict] = ()) -> Hierarchy:
    """A hierarchy from a vocabulary dict and the ORG/OFFICE patterns that name its organisations."""
    aliases, offices = {}, {}
    for row in organisation_patterns:
        text = row["pattern"] if isinstance(row["pattern"], str) else " ".join(
            t.get("ORTH", t.get("LOWER", "")) for t in row["pattern"])
        if row.get("label") == "ORG":
            aliases[text] = row["id"]
        elif row.get("label") == "OFFICE":
            offices[text] = row["id"]
    return Hierarchy(vocab.get("organisations") or {}, aliases, offices, vocab.get("vendors") or {})


def load(topic=None) -> Hierarchy:
    """The hierarchy of a topic (a ``nlp.topic.Topic``, a topic name or directory; default: the chosen)."""
    from ..topic import Topic

    if not isinstance(topic, Topic):
        import topics

        topic = Topic.from_dir(topics.directory(str(topic) if topic is not None else None))
    return from_vocabulary(topic.vocab, topic.patterns("organisations"))
