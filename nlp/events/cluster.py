"""Mentions -> clusters, one cluster per real-world act (ANNOTATION.md section 6).

Mentions are taken in a fixed order: records first (a document that is the record
of an act starts its event), then stated dates, then reports, then undated
mentions; actors known before unknown ones; then by date. Each mention joins the
best cluster it is compatible with, or starts its own. Compatible means:

- the same type, targets that overlap (a class covers every vendor), and the same
  jurisdiction when both are known;
- dates that meet: the mention's window overlaps the cluster's ("near"); or the
  mention is a report or restatement, which can only follow the act, and its
  wording matches an earlier cluster's ("far": similarity >= FAR, or >= CUE when
  the sentence points back, "as set out in the statement of ...");
- actors in one hierarchy (a minister and their department; a department and its
  government); people are compared with people and bodies with bodies, since a
  minister may speak for the body. An actor in the line of some of the event's
  actors but not all (a report has pinned the event on a sibling department) is
  "mixed": it joins like an unknown actor, by close wording only, and is listed
  as a disagreement. A mention without a known actor joins only
  the single cluster it fits. A known actor outside the hierarchy joins only as
  a near report whose wording matches closely (>= CONFLICT), and the event lists
  the disagreement;
- a record joins another document's record only when it is the same text
  (a statement made in both Houses: >= TWIN); two orders are two acts; bodies
  named beside the issuer in a record's sentence share its act (co-issuers),
  while bodies named together in a report's sentence each act on their own;
- a mention without an actor that fits several acts equally joins the one by a
  body its own document names elsewhere, if exactly one is; an undated
  restatement by the actor's line that fits several acts and matches none in
  words joins the one reported in PREVALENT times as many documents as any other;
- a type marked ``per_document`` in the vocabulary joins its own document only;
- a mention with neither actor nor date joins nothing: a mention-level event;
- in its own document, a mention joins the act of that type whose date it meets,
  or, undated, the one by its own actor unless it says the act came "earlier".

Similarity is the IDF-weighted overlap of content words between the mention's
sentence and the closest sentence already in the cluster.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .hierarchy import Hierarchy
from .mentions import Mention

FAR, CUE, WEAK, CONFLICT, TWIN = 0.5, 0.3, 0.6, 0.8, 0.8
PREVALENT = 2  # an undated restatement that fits several acts goes to one reported this many times more
BUCKET_DAYS = 16
_BASIS_RANK = {"record": 0, "stated": 1, "reported": 2, "undated": 3}
_UNIQUE = {3, 4, 5}  # ranks accepted only when the cluster is the mention's only candidate


@dataclass
class Cluster:
    number: int
    type: str
    mentions: list[Mention] = field(default_factory=list)
    actors: set[str] = field(default_factory=set)
    jurisdiction: str | None = None
    jurisdiction_from: str = "none"
    lo: int | None = None
    hi: int | None = None
    documents: set[str] = field(default_factory=set)
    records: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)
    open: bool = True
    conflicts: list[Mention] = field(default_factory=list)
    joint: list[Mention] = field(default_factory=list)  # co-issuers named beside the record's issuer
    spans: set[tuple] = field(default_factory=set)  # (document, start, end) of the records' sentences
    sentences: set[tuple] = field(default_factory=set)  # (document, start, end) of every mention
    stages: set[str] = field(default_factory=set)  # the stages of a bill its mentions name


@lru_cache(maxsize=1024)
def _root(jurisdiction: str) -> str:
    return jurisdiction.split("-")[0].upper()


class Clusterer:
    def __init__(self, hierarchy: Hierarchy, idf: dict[str, float], per_document: set[str] = frozenset(),
                 frequency: dict[str, int] | None = None, common_limit: int = 50):
        self.hierarchy, self.idf, self.per_document = hierarchy, idf, set(per_document)
        self.frequency = frequency or {}  # in how many sentences each word is
        # words in over 5% of the sentences find too much to be a clue
        self.common = {w for w, n in self.frequency.items() if n > common_limit}
        self.clusters: list[Cluster] = []
        self._near: dict[tuple, list[Cluster]] = {}
        self._words: dict[tuple, list[Cluster]] = {}
        self._actors: dict[tuple, list[Cluster]] = {}
        self._by_document: dict[tuple, list[Cluster]] = {}
        self._weight: dict[str, float] = {}

    # -- the loop --------------------------------------------------------------
    def run(self, mentions: list[Mention]) -> list[Cluster]:
        def order(m: Mention):
            when = m.lo if m.lo is not None else 1 << 40
            return _BASIS_RANK[m.basis], m.actor is None, when, m.document_id, m.start

        for m in mentions:
            self._weight[m.id] = sum(self.idf.get(w, 0.0) for w in m.words)
        for m in sorted(mentions, key=order):
            best = self._choose(m)
            if best is None:
                best = Cluster(len(self.clusters), m.type)
                best.open = m.actor_kind != "none" or m.basis != "undated"
                self.clusters.append(best)
            self._add(best, m)
        return self.clusters

    def _choose(self, m: Mention) -> Cluster | None:
        """The cluster the mention joins, or None.

        Ranks 3-5 are taken when one cluster fits, with two tie-breaks that look at every fitting cluster, so
        a candidate search must find them all, not stop at two: a mention without actor takes the one event by
        a body its document names (``hint``: the clusters of the hint's actor line near its date, the key
        (type, date bucket, actor line of the hint)); an undated restatement with several rank-4 fits takes
        the event with PREVALENT times the documents (its candidates: the undated ones by actor root, as
        ``_candidates`` finds them)."""
        if m.actor_kind == "none" and m.basis == "undated":  # nothing to place it by: a mention-level event
            return None
        judged = []
        for c in self._candidates(m):
            verdict = self._judge(m, c)
            if verdict is not None:
                judged.append([verdict[0], verdict[1], verdict[2], c.number, c])
        if not judged:
            return None
        rank = min(j[0] for j in judged)
        if rank in _UNIQUE and len(judged) > 1:
            for exact in (True, False):  # the body itself (or one acting for it) first, then its line
                hinted = [j for j in judged if j[0] == rank and self._fits_hint(m, j[4], exact)]
                if hinted:
                    return hinted[0][4] if len(hinted) == 1 else None
            if rank == 4:  # an undated restatement by the actor's line that words cannot place: the act the
                # corpus reports most, when it has at least PREVALENT times the documents of the next one
                counts = sorted(((len(j[4].documents), j[3]) for j in judged if j[0] == rank), reverse=True)
                if len(counts) > 1 and counts[0][0] >= PREVALENT * counts[1][0]:
                    return self.clusters[counts[0][1]]
            return None
        best = [j for j in judged if j[0] == rank]
        if len(best) > 1:  # the closest wording wins, then the closest date
            for j in best:
                j[1] = self._similarity(m, j[4]) if j[1] is None else j[1]
            best.sort(key=lambda j: (-j[1], j[2], j[3]))
        return best[0][4]

    # -- candidates ------------------------------------------------------------
    def _candidates(self, m: Mention) -> list[Cluster]:
        seen: dict[int, Cluster] = {}
        for c in self._by_document.get((m.document_id, m.type), []):
            seen[c.number] = c
        if m.lo is not None:
            for bucket in range(m.lo // BUCKET_DAYS, m.hi // BUCKET_DAYS + 1):
                for c in self._near.get((m.type, bucket), []):
                    seen[c.number] = c
            for c in self._near.get((m.type, "wide"), []):
                seen[c.number] = c
        if m.basis in ("reported", "undated"):  # earlier acts said in the same words: via the word index
            shared: dict[int, float] = {}
            shared_words = [w for w in m.words - self.common if self.frequency.get(w, 0) > 1]
            clues = sorted(shared_words, key=lambda w: (-self.idf.get(w, 0.0), w))[:8]
            for word in clues:  # its rarest words other sentences use, among the latest clusters using them
                weight = self.idf.get(word, 0.0)
                for c in self._words.get((m.type, word), [])[-100:]:
                    shared[c.number] = shared.get(c.number, 0.0) + weight
            for number in sorted(shared, key=lambda n: -shared[n])[:25]:
                seen[number] = self.clusters[number]
        if m.basis == "undated" and m.actor:
            for c in self._actors.get((m.type, self.hierarchy.chain(m.actor)[-1]), [])[-50:]:
                seen[c.number] = c
            for c in self._near.get((m.type, "undated"), [])[-50:]:
                seen[c.number] = c
        return list(seen.values())

    def _judge(self, m: Mention, c: Cluster):
        """(rank, similarity or None, distance) when m may join c, else None; lower ranks are better.

        Cheap tests first; the wording is compared only where a rule depends on it."""
        if not c.open or c.type != m.type:
            return None
        if "*" not in m.targets and "*" not in c.targets and not (m.targets & c.targets):
            return None
        if m.jurisdiction and c.jurisdiction and _root(m.jurisdiction) != _root(c.jurisdiction):
            return None
        if m.stage and c.stages and m.stage not in c.stages:
            return None  # a bill's introduction, committee report, passage and enactment are four acts
        same_document = m.document_id in c.documents
        if m.type in self.per_document and not same_document:
            return None
        if same_document and self._co_issuer(m, c):
            return 0, None, 0
        if m.lo is None and c.lo is not None and m.before is not None and c.lo > m.before:
            return None  # an act after the document that reports it
        if m.lo is None or c.lo is None:
            when, distance = "undated", 0 if c.lo is None or m.before is None else max(0, m.before - c.hi)
        elif m.lo <= c.hi and c.lo <= m.hi:
            when, distance = "near", abs((m.lo + m.hi) - (c.lo + c.hi)) // 2
        elif m.far_lo is not None and m.far_lo <= c.hi and c.lo <= m.hi:
            when, distance = "far", abs((m.lo + m.hi) - (c.lo + c.hi)) // 2
        else:
            return None
        relation = self._relation(m, c)
        similarity = None
        if m.basis == "record" and (c.records - {m.document_id}):
            if relation == "conflict" or not self._may_be_twins(m, c):
                return None
            similarity = self._similarity(m, c)
            if similarity < TWIN:
                return None
        own = relation not in ("conflict", "mixed")
        if same_document and own and (when == "near" or when == "undated" and not m.earlier
                                      and (m.actor is None or m.actor in c.actors)):
            return 0, similarity, distance
        if relation == "strong" and when == "near":
            return 1, similarity, distance
        if relation == "weak" and when == "near":
            return 3, similarity, distance
        if relation == "conflict" and (m.basis == "record" or m.kind in ("act", "answer") or when != "near"
                                       or (m.document_id, m.start, m.end) in c.sentences):
            return None  # bodies named together in one sentence ("two retailers have stopped buying") each act
        similarity = self._similarity(m, c) if similarity is None else similarity
        if relation == "strong":
            if similarity >= FAR or (m.cue and similarity >= CUE):
                return 2, similarity, distance
            return (4, similarity, distance) if when == "undated" else None
        if relation == "mixed" and (m.document_id, m.start, m.end) in c.sentences:
            return None  # a sibling named beside the event's actor in its own sentence acts on its own
        if relation in ("weak", "mixed"):
            return (3, similarity, distance) if similarity >= WEAK else None
        return (5, similarity, distance) if similarity >= CONFLICT else None

    def _relation(self, m: Mention, c: Cluster) -> str:
        """strong (one line of the hierarchy, or the same named actor), weak (an actor unknown on one side;
        a person, who may speak for any body), mixed (in the line of some of the event's actors, not all), or
        conflict."""
        if m.actor is None:
            return "weak"
        person = m.actor.startswith("person:")  # people are compared with people, bodies with bodies:
        others = [a for a in c.actors if a.startswith("person:") == person]  # a minister may act for the body
        if not others:
            return "weak"
        fits = [self._comparable(m.actor, other) for other in others]
        return "strong" if all(fits) else ("mixed" if any(fits) else "conflict")

    def _comparable(self, a: str, b: str) -> bool:
        if a.startswith("person:") and b.startswith("person:"):  # "Stefanik" is "Elise Stefanik"
            first, second = a[7:].split(), b[7:].split()
            return first == second or (min(len(first), len(second)) == 1 and first[-1] == second[-1])
        if ":" in a or ":" in b:  # named bodies outside the vocabulary, vendors: only themselves
            return a == b
        return self.hierarchy.comparable(a, b)

    def _fits_hint(self, m: Mention, c: Cluster, exact: bool = False) -> bool:
        """An actorless mention's document names a body in the line of the event's actors (exact: an actor of the
        event is that body or acts for it)."""
        if exact:
            return any(h in self.hierarchy.chain(a) for a in c.actors if ":" not in a for h in m.hint)
        return any(":" not in a and self.hierarchy.comparable(a, h) for a in c.actors for h in m.hint)

    @staticmethod
    def _co_issuer(m: Mention, c: Cluster) -> bool:
        """A body named beside the issuer in the sentence of a record ("the department, the procurement agency
        and the space agency are hosting ..."): the record is their joint act, one event (the guide's joint
        guidance: the first-named issuer acts)."""
        return (m.kind == "act" and m.actor_kind == "organisation" and m.lo is not None
                and (m.document_id, m.start, m.end) in c.spans)

    @staticmethod
    def _may_be_twins(m: Mention, c: Cluster) -> bool:
        """A quick count before the weighted comparison: twin records share most of their words."""
        return any(len(m.words & o.words) >= 0.6 * min(len(m.words), len(o.words)) for o in c.mentions[:25]
                   if o.basis == "record")

    def _similarity(self, m: Mention, c: Cluster) -> float:
        best, mine, idf = 0.0, self._weight[m.id], self.idf
        for other in c.mentions[:25]:
            smaller = min(mine, self._weight[other.id])
            if smaller > 0:
                best = max(best, sum(idf.get(w, 0.0) for w in m.words & other.words) / smaller)
        return best

    # -- bookkeeping -----------------------------------------------------------
    def _add(self, c: Cluster, m: Mention) -> None:
        joint = bool(c.mentions) and m.document_id in c.documents and self._co_issuer(m, c)
        relation = self._relation(m, c) if c.mentions else "strong"
        c.mentions.append(m)
        c.documents.add(m.document_id)
        c.sentences.add((m.document_id, m.start, m.end))
        if m.stage:
            c.stages.add(m.stage)
        c.targets |= m.targets
        if m.basis == "record":
            c.records.add(m.document_id)
            c.spans.add((m.document_id, m.start, m.end))
        if joint:
            c.joint.append(m)
        elif relation in ("conflict", "mixed"):
            c.conflicts.append(m)
        elif m.actor:
            if m.actor_kind == "organisation" and not any(":" not in a for a in c.actors):
                self._actors.setdefault((m.type, self.hierarchy.chain(m.actor)[-1]), []).append(c)
            c.actors.add(m.actor)
        if m.jurisdiction and (not c.jurisdiction or c.jurisdiction_from != "actor" == m.jurisdiction_from):
            c.jurisdiction, c.jurisdiction_from = m.jurisdiction, m.jurisdiction_from
        self._by_document.setdefault((m.document_id, m.type), []).append(c)
        if m.lo is not None and c.lo is None:
            c.lo, c.hi = m.lo, m.hi
            self._index_dates(c)
        elif m.lo is not None and m.lo <= c.hi and c.lo <= m.hi and relation == "strong":
            # a near mention narrows the window, if its actor is in the event's line (not one unknown or
            # outside it, which may be reporting another step of the act)
            c.lo, c.hi = max(c.lo, m.lo), min(c.hi, m.hi)
        elif m.lo is None and len(c.mentions) == 1 and c.open:
            self._near.setdefault((m.type, "undated"), []).append(c)
        for word in m.words:
            bucket = self._words.setdefault((m.type, word), [])
            if not bucket or bucket[-1] is not c:
                bucket.append(c)

    def _index_dates(self, c: Cluster) -> None:
        first, last = c.lo // BUCKET_DAYS, c.hi // BUCKET_DAYS
        keys = [(c.type, b) for b in range(first, last + 1)] if last - first <= 40 else [(c.type, "wide")]
        for key in keys:
            self._near.setdefault(key, []).append(c)


def cluster(mentions: list[Mention], hierarchy: Hierarchy, idf: dict[str, float],
            per_document: set[str] = frozenset()) -> list[Cluster]:
    frequency = Counter(w for m in mentions for w in m.words)
    clusterer = Clusterer(hierarchy, idf, per_document, frequency, common_limit=max(50, len(mentions) // 20))
    return clusterer.run(mentions)
