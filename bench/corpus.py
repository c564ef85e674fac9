"""A deterministic synthetic corpus that reads like the domain.

Sentences and titles come from the recorded documents (build/<topic>/documents.jsonl);
each synthetic document strings 3-12 of them into paragraphs, swapping vendor,
department and number tokens (the topic's, from its vocabulary: ``topic_words``)
so the vocabulary is not a handful of repeated texts (which would flatter the
tokenizer's cache). Seeded: the same size and seed give the same corpus.

Beyond ``unique`` documents the corpus repeats: document i is a copy of document
i mod unique under its own id and URL. Extraction then runs once per distinct
text (``copy_extraction``), which is what makes a database of a million
extracted documents affordable in one bench run; every other stage sees a
million documents.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path

import topics
from nlp.topic import Topic

_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def sentence_pool(documents: Path) -> tuple[list[str], list[str]]:
    sentences, titles = [], []
    for line in open(documents, encoding="utf-8"):
        doc = json.loads(line)
        titles.append(doc["title"])
        for paragraph in doc["text"].split("\n\n"):
            sentences.extend(s.strip() for s in _SPLIT.split(paragraph) if len(s.split()) >= 4)
    return sentences, titles


def topic_words(topic: str | None = None) -> dict:
    """The words of a topic the bench uses (default: the chosen topic): vendor names (the first 16), the first
    in-scope vendors, organisation names (the first 13), the first departments, a restriction's type."""
    vocab = Topic.from_dir(topics.directory(topic)).vocab
    vendors = [v["name"] for v in vocab["vendors"].values()]
    organisations = list(vocab["organisations"].values())
    return {
        "vendors": vendors[:16], "in_scope": [v["name"] for v in vocab["vendors"].values() if v.get("in_scope")],
        "others": [v["name"] for v in vocab["vendors"].values() if not v.get("in_scope")],
        "bodies": [o["name"] for o in organisations[:13]],
        "departments": [o["name"] for o in organisations if o.get("kind") == "department"][:3],
        "restriction": next((k for k, t in vocab["actions"].items() if t.get("restricts")), ""),
    }


def _vary(sentence: str, rng: random.Random, words: dict) -> str:
    for vendor in words["in_scope"][:2]:
        if vendor in sentence and rng.random() < 0.5:
            sentence = sentence.replace(vendor, rng.choice(words["vendors"]))
    for body in words["departments"]:
        if body in sentence and rng.random() < 0.5:
            sentence = sentence.replace(body, rng.choice(words["bodies"]))
    return re.sub(r"\b(\d{2,4})\b", lambda m: str(rng.randint(10, 2025)) if rng.random() < 0.3 else m.group(1),
                  sentence)


def generate(n: int, documents: Path, seed: int = 20241128, unique: int | None = None) -> list[dict]:
    """n Document-shaped records (what crawlers write and db ingests); the first ``unique`` distinct."""
    sentences, titles = sentence_pool(documents)
    words = topic_words()
    rng = random.Random(seed)
    out = []
    for i in range(n):
        if unique and i >= unique:
            native = f"{i:08d}"
            out.append(dict(out[i % unique], id=f"bench:{native}", native_id=native,
                            url=f"https://bench.invalid/{native}"))
            continue
        paragraphs = []
        for _ in range(rng.randint(2, 5)):
            paragraphs.append(" ".join(_vary(rng.choice(sentences), rng, words) for _ in range(rng.randint(1, 3))))
        text = "\n\n".join(paragraphs)
        title = _vary(rng.choice(titles), rng, words)
        year, month, day = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
        native = f"{i:08d}"
        out.append({
            "id": f"bench:{native}", "source": rng.choice(["uk_written_questions", "govuk", "news_feeds"]),
            "native_id": native, "kind": "news", "url": f"https://bench.invalid/{native}", "title": title,
            "text": text, "published": f"{year}-{month:02d}-{day:02d}", "jurisdiction": rng.choice(["GB", "US", ""]),
            "department": rng.choice(words["bodies"]), "retrieved_at": "2025-11-28T00:00:00+00:00",
            "content_hash": hashlib.sha256(f"{title}\x1f{text}".encode()).hexdigest(), "extra": {},
            "people": [], "organisations": [],
        })
    return out


def copy_extraction(records: list[dict], n: int, unique: int) -> list[dict]:
    """Extraction records for documents[:n] from those of the first ``unique`` (see generate)."""
    by_id = {r["id"]: r for r in records}
    out = []
    for i in range(n):
        source = by_id[f"bench:{i % unique:08d}"]
        out.append(source if i < unique else dict(source, id=f"bench:{i:08d}"))
    return out
