"""Event resolution's candidates come from indexes (issue #15): the same events as judging every cluster of the
date buckets, and a bounded number of clusters judged per mention however large the corpus.

The reference is the exhaustive candidate set (``Clusterer(exhaustive=True)``: every cluster of the mention's
type whose 16-day date buckets it meets); the blocked one must make every decision the same. Mentions are
generated from a seed: actors from the real vocabulary's hierarchy (a government, its departments and an
agency, people, bodies outside the vocabulary, no actor, with the bodies its document names as a hint), every
date basis and precision, dense dates, shared documents and sentences (several actors of one sentence), the
stages of a bill, and wordings drawn from a few templates so that the wording rules fire.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from nlp.events import cluster as cluster_module
from nlp.events import dates, evaluate, hierarchy, mentions
from nlp.events.cluster import Clusterer
from nlp.events.mentions import Mention

HIERARCHY = hierarchy.load("cameras")
ORGS = ["uk_government", "cabinet_office", "home_office", "crown_commercial_service",
        "national_protective_security_authority", "uk_parliament"]
ACTORS = ORGS + ["person:alice harlow", "person:harlow", "person:ben ostrow", "named:legislators",
                 "named:county council", None, None, None]
TEMPLATES = [
    "departments instructed cease deployment surveillance equipment sensitive sites produced companies subject law",
    "government removes cameras built chinese manufacturers central departments review security risks",
    "agency bans procurement video surveillance systems named vendors federal contracts rule",
    "council will replace cameras town centre after concerns data security supplier",
    "minister confirms guidance issued departments covering connected devices procurement framework",
    "retailer withdraws smart doorbells shelves following report vulnerabilities vendor firmware",
]
EXTRA = "review security national risk cameras equipment vendors order statement announced".split()
TARGETS = [frozenset({"*"}), frozenset({"Hikvision"}), frozenset({"Dahua"}), frozenset({"Hikvision", "Dahua"})]
DAY0 = dates.interval("2023-01-02")[0]
LABELS = Path(__file__).resolve().parents[2] / "topics" / "cameras" / "eval" / "recordings-events.jsonl"


def generated(seed: int, n: int = 260) -> list[Mention]:
    rng = random.Random(seed)
    documents: list[tuple[str, int]] = []
    sentences: dict[str, list[int]] = {}
    out = []
    for i in range(n):
        if documents and rng.random() < 0.35:  # another action of a document already seen
            document_id, day = rng.choice(documents)
        else:
            document_id, day = f"doc:{seed}:{len(documents)}", DAY0 + rng.randint(0, 70)
            documents.append((document_id, day))
        # now and then a further actor of a sentence already seen (co-issuers, bodies named together)
        start = rng.choice(sentences[document_id]) if document_id in sentences and rng.random() < 0.3 else i
        sentences.setdefault(document_id, []).append(start)
        actor = rng.choice(ACTORS)
        type_ = rng.choice(["ban", "ban", "remove", "no_comment", "legislation"])
        kind = rng.choice(["act", "answer", "report", "report"])
        basis = rng.choice(["record", "stated", "reported", "reported", "undated"])
        far_lo = dates.EARLIEST
        if basis == "record":
            lo, hi, far_lo = day - rng.choice([1, 121]), day + 1, day - 1
        elif basis == "stated":
            when = day - rng.randint(0, 40)
            lo, hi = rng.choice([(when - 1, when + 1), (when - 15, when + 15), (when - 700, when)])
            far_lo = lo
        elif basis == "reported":
            lo, hi = day - 7, day + 1
        else:
            lo = hi = None
        words = set(rng.choice(TEMPLATES).split())
        for word in rng.sample(sorted(words), rng.randint(0, 4)):
            words.discard(word)
        words |= set(rng.sample(EXTRA, rng.randint(0, 3)))
        jurisdiction = HIERARCHY.jurisdiction(actor) if actor and ":" not in actor else rng.choice(["GB", "US", None])
        out.append(Mention(
            id=f"m{seed}:{i}", document_id=document_id, type=type_,
            evidence=" ".join(sorted(words)), start=start, end=start + 1, actor_named=actor, actor=actor,
            actor_kind="none" if actor is None else "person" if actor.startswith("person:") else
            "named" if actor.startswith("named:") else "organisation",
            person=None, jurisdiction=jurisdiction, jurisdiction_from="actor" if jurisdiction else "none",
            date=None, basis=basis, lo=lo, hi=hi, far_lo=far_lo,
            before=day + 1 - (rng.random() < 0.2) * 9, targets=rng.choice(TARGETS), context=frozenset(),
            doc_date=dates.iso(day), kind=kind, source=document_id, words=frozenset(words),
            cue=rng.random() < 0.2, earlier=rng.random() < 0.1,
            hint=frozenset(rng.sample(ORGS, rng.randint(1, 2))) if actor is None and rng.random() < 0.6
            else frozenset(),
            stage=rng.choice([None, "introduced", "chamber"]) if type_ == "legislation" else None))
    return out


def run(found: list[Mention], exhaustive: bool) -> tuple[list[list[str]], Counter]:
    frequency = Counter(w for m in found for w in m.words)
    clusterer = Clusterer(HIERARCHY, mentions.idf(found), {"no_comment"}, frequency,
                          common_limit=max(50, len(found) // 20), exhaustive=exhaustive)
    clusters = clusterer.run(found)
    return [[m.id for m in c.mentions] for c in clusters], clusterer.counts


SEEDS = range(12)


@pytest.mark.parametrize("seed", SEEDS)
def test_blocked_candidates_decide_as_the_exhaustive_ones(seed):
    """Every mention joins the same cluster (or starts one) whether it is judged against the indexed candidates
    or against every cluster of its date buckets; and the generated mentions do merge."""
    found = generated(seed)
    blocked, counts = run(found, exhaustive=False)
    reference, reference_counts = run(found, exhaustive=True)
    assert blocked == reference
    assert sum(len(c) > 1 for c in reference) >= 10  # mentions merged: the rules were exercised
    assert counts["judged"] <= reference_counts["judged"]


@pytest.mark.parametrize("tier", ["_strong_near", "_similar", "_weak_near"])
def test_each_index_is_needed(monkeypatch, tier):
    """Without any one of the indexes the decisions differ on the generated mentions: the test above would
    catch an index that misses clusters."""
    monkeypatch.setattr(Clusterer, tier, lambda self, m, *rest: iter(()))
    assert any(run(generated(seed), exhaustive=False)[0] != run(generated(seed), exhaustive=True)[0]
               for seed in SEEDS)


def copies(k: int) -> list[Mention]:
    """k copies of the labelled recordings' actions, each copy under its own document ids."""
    records = evaluate.load(LABELS)
    documents = {str(d["id"]): d for d in evaluate._inputs(records)}
    HIERARCHY.learn_posts(documents.values())
    found = mentions.build(documents, evaluate._gold_records(records), HIERARCHY)
    return [Mention(**{**m.__dict__, "id": f"{m.id}#{j}", "document_id": f"{m.document_id}#{j}"})
            for j in range(k) for m in found]


def test_clusters_judged_per_mention_stay_bounded_as_the_corpus_grows():
    """Copies of the recordings' actions (the same acts reported again and again, on the same days): the
    clusters judged per mention stop growing (0.95 at 16 and at 64 copies), where the exhaustive candidates
    keep growing with the copies (1.7 -> 3.9)."""
    per_mention = {}
    for k in (16, 64):
        found = copies(k)
        _, counts = run(found, exhaustive=False)
        _, reference = run(found, exhaustive=True)
        per_mention[k] = (counts["judged"] / len(found), reference["judged"] / len(found))
    assert per_mention[64][0] <= 1.1 * per_mention[16][0]
    assert per_mention[64][1] >= 2 * per_mention[16][1]  # what the indexes save: the exhaustive work grows


def test_denser_generated_mentions_cost_far_less_than_every_cluster_of_the_buckets():
    """Eight times as many generated mentions over the same days: judged clusters per mention grow far less
    (5.3 -> 8.2: a document's hint bodies take every fit of their line) than every cluster of the buckets
    (9.8 -> 39)."""
    small = generated(100, n=200)
    large = [m for seed in range(100, 108) for m in generated(seed, n=200)]
    growth = {}
    for exhaustive in (False, True):
        judged = [run(found, exhaustive)[1]["judged"] / len(found) for found in (small, large)]
        growth[exhaustive] = judged[1] / judged[0]
    assert growth[False] <= 0.5 * growth[True]
    assert cluster_module.SIMILAR == min(cluster_module.FAR, cluster_module.CUE, cluster_module.WEAK,
                                         cluster_module.CONFLICT, cluster_module.TWIN)
