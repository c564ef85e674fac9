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

Candidates (which clusters a mention is judged against) are found through
indexes, so that a mention looks at the clusters that could take it, not at
every cluster of its type whose 16-day date bucket it meets (``Block``): by
actor line (a strong relation needs a comparable actor), by the rare words of
the sentences (any rule that needs the wording needs a shared word among the
rarest, ``prefix``), and, only to count whether more than one cluster fits, the
clusters without an actor of the mention's kind. The judge and its decisions
are the same as comparing with every cluster of the bucket (``exhaustive=True``
does that; tests/nlp/test_event_blocking.py checks the two agree).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import chain as _chained
from functools import lru_cache

from .hierarchy import Hierarchy
from .mentions import Mention

FAR, CUE, WEAK, CONFLICT, TWIN = 0.5, 0.3, 0.6, 0.8, 0.8
PREVALENT = 2  # an undated restatement that fits several acts goes to one reported this many times more
BUCKET_DAYS = 16
_BASIS_RANK = {"record": 0, "stated": 1, "reported": 2, "undated": 3}
_UNIQUE = {3, 4, 5}  # ranks accepted only when the cluster is the mention's only candidate
SIMILAR = min(FAR, CUE, WEAK, CONFLICT, TWIN)  # the lowest similarity any rule asks for


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
    blocks: list = field(default_factory=list, repr=False)  # the date buckets' Blocks it is indexed in
    # the first mention of each wording among the first 25: those _similarity compares (the same sentence
    # again, as reports repeat it, gives the same figure)
    compared: list[Mention] = field(default_factory=list, repr=False)


class Block:
    """The clusters of one (type, date bucket), indexed the ways a mention may join them.

    - ``actors``: by actor key (``_actor_keys``): a strong relation needs a comparable actor;
    - ``full`` and ``prefix``: by every word, and by the rarest words (``Clusterer._prefix``), of the
      first 25 sentences (those ``_similarity`` compares): any rule that needs the wording to match
      (similarity >= SIMILAR) needs one of the mention's rarest words in a sentence, or one of the
      sentence's rarest words in the mention;
    - ``no_body``, ``no_person``, ``clusters``: clusters without an actor that is a body, a person (when
      indexed; lists shed the ones that gained one), and all: what a weak relation may join.
    """

    __slots__ = ("clusters", "actors", "full", "prefix", "no_body", "no_person")

    def __init__(self):
        self.clusters: list[Cluster] = []
        self.actors: dict[tuple, list[Cluster]] = {}
        self.full: dict[str, list[Cluster]] = {}
        self.prefix: dict[str, list[Cluster]] = {}
        self.no_body: list[Cluster] = []
        self.no_person: list[Cluster] = []


@lru_cache(maxsize=1024)
def _root(jurisdiction: str) -> str:
    return jurisdiction.split("-")[0].upper()


class Clusterer:
    def __init__(self, hierarchy: Hierarchy, idf: dict[str, float], per_document: set[str] = frozenset(),
                 frequency: dict[str, int] | None = None, common_limit: int = 50, exhaustive: bool = False):
        self.hierarchy, self.idf, self.per_document = hierarchy, idf, set(per_document)
        # exhaustive: judge every cluster of the mention's date buckets (the reference the indexes must agree with)
        self.exhaustive = exhaustive
        self.counts: Counter = Counter()  # judged: clusters judged; scanned: entries of the weak lists read
        self._blocks: dict[tuple, Block] = {}
        self._prefixes: dict[int, tuple[str, ...]] = {}
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
        verdicts: dict[int, tuple | None] = {}
        if self.exhaustive:
            self._judge_all(m, self._candidates(m), verdicts)
            return self._decide(m, verdicts)
        # Tiers, each judged only while what is known leaves the decision open (_decide). Rank 0 is in the
        # mention's own document; rank 1 needs a strong relation and a near date (the actor index of the date
        # buckets); rank 2 a strong relation and, from the date buckets, a similarity >= SIMILAR (their word
        # index), else one of the bounded extras (_candidates: rare words, actor, undated; every rank-4 fit is
        # one of these, strong too). Ranks 3-5 take a cluster only when it is the one that fits, or by a
        # tie-break: then what matters is whether two fit, the lowest rank, and every fit by the hint's line.
        self._judge_all(m, self._by_document.get((m.document_id, m.type), ()), verdicts)
        blocks = self._blocks_of(m)
        self._judge_all(m, self._strong_near(m, m.actor, blocks), verdicts)
        if self._best(verdicts) <= 1:
            return self._decide(m, verdicts)
        extras = self._candidates(m, buckets=False)
        if m.actor is not None:  # a strong relation is possible: every cluster that may rank 2 (or 4)
            strong = (lambda c: c.number not in verdicts and self._relation(m, c) == "strong")
            self._judge_all(m, filter(strong, extras), verdicts)
            self._judge_all(m, filter(strong, self._similar(m, blocks)), verdicts)
            if self._best(verdicts) <= 2:
                return self._decide(m, verdicts)
        if m.hint:  # the tie-break by the bodies the document names: every fit in their lines
            hinted = (lambda c: c.number not in verdicts and self._fits_hint(m, c))
            for body in sorted(m.hint):
                self._judge_all(m, self._strong_near(m, body, blocks), verdicts)
            self._judge_all(m, filter(hinted, extras), verdicts)
            self._judge_all(m, filter(hinted, self._similar(m, blocks)), verdicts)
        # only ranks 3-5 are left (a weak or mixed relation, a conflict worded alike, an undated restatement):
        # judge until two fit, and, when an undated restatement fits (rank 4), until a rank 3 shows or none is left
        fits = [v[0] for v in verdicts.values() if v is not None]
        fitting, lower = len(fits), 3 in fits or 4 not in fits
        for c in _chained(extras, self._similar(m, blocks), self._weak_near(m, blocks)):
            if fitting > 1 and lower:
                break
            if c.number not in verdicts:
                verdict = verdicts[c.number] = self._judge(m, c)
                self.counts["judged"] += 1
                if verdict is not None:
                    fitting += 1
                    lower = lower or verdict[0] == 3
        return self._decide(m, verdicts)

    def _judge_all(self, m: Mention, clusters, verdicts: dict) -> None:
        for c in clusters:
            if c.number not in verdicts:
                verdicts[c.number] = self._judge(m, c)
                self.counts["judged"] += 1

    @staticmethod
    def _best(verdicts: dict) -> int:
        return min((v[0] for v in verdicts.values() if v is not None), default=99)

    def _decide(self, m: Mention, verdicts: dict) -> Cluster | None:
        judged = [[v[0], v[1], v[2], number, self.clusters[number]] for number, v in verdicts.items()
                  if v is not None]
        if not judged:
            return None
        rank = min(j[0] for j in judged)
        if rank in _UNIQUE and len(judged) > 1:
            for exact in (True, False):  # the body itself (or one acting for it) first, then its line
                hinted = [j for j in judged if j[0] == rank and self._fits_hint(m, j[4], exact)]
                if hinted:
                    return hinted[0][4] if len(hinted) == 1 else None
            if rank == 4 and not m.instrument:  # an undated restatement by the actor's line that words cannot
                # place: the act the corpus reports most, when it has at least PREVALENT times the documents of the
                # next one (not when it names its law: "the Secure Equipment Act" is that act, however rare)
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
    def _candidates(self, m: Mention, buckets: bool = True) -> list[Cluster]:
        """Clusters of the mention's document, of its rarest words, of its actor (undated); with ``buckets``,
        every cluster of its type whose date buckets it meets (the exhaustive reference)."""
        seen: dict[int, Cluster] = {}
        for c in self._by_document.get((m.document_id, m.type), []):
            seen[c.number] = c
        if m.lo is not None and buckets:
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

    # -- the blocked candidates of the date buckets ------------------------------
    def _blocks_of(self, m: Mention) -> list[Block]:
        if m.lo is None or m.type in self.per_document:  # a per-document type joins its own document only
            return []
        keys = [(m.type, b) for b in range(m.lo // BUCKET_DAYS, m.hi // BUCKET_DAYS + 1)] + [(m.type, "wide")]
        return [self._blocks[k] for k in keys if k in self._blocks]

    def _actor_keys(self, actor: str) -> list[tuple]:
        """Index keys of an actor in a cluster: two actors are comparable only if they share one of these
        and the querying side asks for it (``_query_keys``)."""
        if actor.startswith("person:"):  # "Stefanik" is "Elise Stefanik": the surname
            names = actor[7:].split()
            return [("surname", names[-1] if names else "")]
        if ":" in actor:
            return [("is", actor)]
        return [("is", actor)] + [("up", a) for a in self.hierarchy.chain(actor)]

    def _query_keys(self, actor: str) -> list[tuple]:
        """Keys under which the clusters with an actor comparable to this one are indexed: the actor or one
        of its descendants (``up``), or one of its ancestors (``is``)."""
        if actor.startswith("person:") or ":" in actor:
            return self._actor_keys(actor)
        return [("up", actor)] + [("is", a) for a in self.hierarchy.chain(actor)]

    def _strong_near(self, m: Mention, actor: str | None, blocks: list[Block]):
        """Clusters near the mention's date with an actor comparable to ``actor`` (the mention's, or a hint's)."""
        if actor is None:
            return
        keys = self._query_keys(actor)
        for block in blocks:
            for key in keys:
                for c in block.actors.get(key, ()):
                    if m.lo <= c.hi and c.lo <= m.hi:
                        yield c

    def _prefix(self, m: Mention) -> tuple[str, ...]:
        """The rarest words of a sentence without which less than SIMILAR of its weight is left: a sentence
        sharing none of them shares less than SIMILAR of this one's weight (prefix filtering)."""
        found = self._prefixes.get(id(m))
        if found is None:
            idf = self.idf
            rest = sum(idf.get(w, 0.0) for w in m.words)
            bound = (SIMILAR - 1e-9) * self._weight[m.id]  # below the threshold, with room for rounding
            out = []
            for word in sorted(m.words, key=lambda w: (-idf.get(w, 0.0), w)):
                if rest < bound:
                    break
                out.append(word)
                rest -= idf.get(word, 0.0)
            found = self._prefixes[id(m)] = tuple(out)
        return found

    def _similar(self, m: Mention, blocks: list[Block]):
        """Clusters whose first 25 sentences may reach SIMILAR with the mention's: similarity is the shared
        weight over the smaller sentence's, so the smaller one's rarest words (its prefix) meet the other."""
        prefix = self._prefix(m)
        for block in blocks:
            for word in prefix:
                yield from block.full.get(word, ())
            for word in m.words:
                yield from block.prefix.get(word, ())

    def _weak_near(self, m: Mention, blocks: list[Block]):
        """Clusters near the mention's date without an actor of its kind (all, for a mention without an actor):
        the only ones a weak relation may join without matching words; the latest first."""
        person = m.actor is not None and m.actor.startswith("person:")
        for block in blocks:
            listed = block.clusters if m.actor is None else block.no_person if person else block.no_body
            stale = 0
            for c in reversed(listed):
                self.counts["scanned"] += 1
                if m.actor is not None and any(a.startswith("person:") == person for a in c.actors):
                    stale += 1  # it has gained an actor of that kind: never weak for this kind again
                elif m.lo <= c.hi and c.lo <= m.hi:
                    yield c
            if stale > 8:
                listed[:] = [c for c in listed if not any(a.startswith("person:") == person for a in c.actors)]

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
        for other in c.compared:
            smaller = min(mine, self._weight[other.id])
            if smaller > 0:
                best = max(best, sum(idf.get(w, 0.0) for w in m.words & other.words) / smaller)
        return best

    # -- bookkeeping -----------------------------------------------------------
    def _add(self, c: Cluster, m: Mention) -> None:
        joint = bool(c.mentions) and m.document_id in c.documents and self._co_issuer(m, c)
        relation = self._relation(m, c) if c.mentions else "strong"
        indexed = bool(c.blocks)  # in its date buckets' indexes already: index what this mention adds
        actors = len(c.actors)
        c.mentions.append(m)
        worded = len(c.mentions) <= 25 and all(o.evidence != m.evidence for o in c.compared)
        if worded:
            c.compared.append(m)
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
        if indexed:
            for block in c.blocks:
                if len(c.actors) > actors:
                    self._index_actor(block, c, m.actor)
                if worded:
                    self._index_words(block, c, m)

    def _index_dates(self, c: Cluster) -> None:
        first, last = c.lo // BUCKET_DAYS, c.hi // BUCKET_DAYS
        keys = [(c.type, b) for b in range(first, last + 1)] if last - first <= 40 else [(c.type, "wide")]
        for key in keys:
            self._near.setdefault(key, []).append(c)
            if self.exhaustive:
                continue
            block = self._blocks.get(key)
            if block is None:
                block = self._blocks[key] = Block()
            c.blocks.append(block)
            block.clusters.append(c)
            if not any(not a.startswith("person:") for a in c.actors):
                block.no_body.append(c)
            if not any(a.startswith("person:") for a in c.actors):
                block.no_person.append(c)
            for actor in sorted(c.actors):
                self._index_actor(block, c, actor)
            for other in c.compared:
                self._index_words(block, c, other)

    def _index_actor(self, block: Block, c: Cluster, actor: str) -> None:
        for key in self._actor_keys(actor):
            listed = block.actors.setdefault(key, [])
            if not listed or listed[-1] is not c:
                listed.append(c)

    def _index_words(self, block: Block, c: Cluster, m: Mention) -> None:
        for word in m.words:
            listed = block.full.setdefault(word, [])
            if not listed or listed[-1] is not c:
                listed.append(c)
        for word in self._prefix(m):
            listed = block.prefix.setdefault(word, [])
            if not listed or listed[-1] is not c:
                listed.append(c)


def cluster(mentions: list[Mention], hierarchy: Hierarchy, idf: dict[str, float],
            per_document: set[str] = frozenset(), exhaustive: bool = False) -> list[Cluster]:
    frequency = Counter(w for m in mentions for w in m.words)
    clusterer = Clusterer(hierarchy, idf, per_document, frequency, common_limit=max(50, len(mentions) // 20),
                          exhaustive=exhaustive)
    return clusterer.run(mentions)
