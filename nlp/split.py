"""Split labelled documents into train, dev and test parts that no story crosses.

Documents are grouped by their ``story`` key, and two stories are one group when
both report the same act as news (an action's ``event`` key whose date lies
within NEWS_DAYS of the document's date): so no act reported in one part is
news in another. A restatement of an old act in a later story does not join
the groups (every story restates the big acts; joining on those would leave one
group holding a third of the set).

Parts already written are fixed: a new batch only adds groups, and a new
document whose group already has a part goes to that part. New groups are
shuffled with a fixed seed and dealt, kind by kind (the group's commonest
``kind``), largest first, to the part furthest below its share of documents plus
actions, so each kind and the actions are spread in the same proportions.
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

PARTS = ("train", "dev", "test")
SHARES = {"train": 0.5, "dev": 0.2, "test": 0.3}
NEWS_DAYS = 30
SEED = 14


class SplitError(ValueError):
    """Records that cannot be split (no id, a duplicate id, a group across parts)."""


def _day(value: str | None) -> date | None:
    """The middle of the period a YYYY, YYYY-MM or YYYY-MM-DD value names."""
    parts = (value or "").split("-")
    try:
        if len(parts) == 3:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        if len(parts) == 2:
            return date(int(parts[0]), int(parts[1]), 15)
    except ValueError:
        return None
    return None  # a year alone is too vague to call news of the day


def news_events(record: dict) -> list[str]:
    """The event keys a document reports as news: the act's date within NEWS_DAYS of the document's."""
    published = _day(record.get("published"))
    keys = []
    for action in (record.get("gold") or {}).get("actions", []):
        key = action.get("event") or ""
        fields = key.split(":")
        when = _day(fields[2]) if len(fields) >= 4 else None
        if published and when and abs((published - when).days) <= NEWS_DAYS + (15 if len(fields[2]) == 7 else 0):
            keys.append(key)
    return keys


class _Groups:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _story(record: dict) -> str:
    return "story:" + (record.get("story") or f"doc:{record['id']}")


def group_records(records: list[dict]) -> dict[str, list[dict]]:
    """Group key -> the records of one group."""
    groups = _Groups()
    for record in records:
        groups.find(_story(record))
        for key in news_events(record):
            groups.union(_story(record), "event:" + key)
    out: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        out[groups.find(_story(record))].append(record)
    return dict(out)


def assign(existing: dict[str, list[dict]], new: list[dict], seed: int = SEED) -> dict[str, list[dict]]:
    """The parts after adding `new` records to the `existing` parts (which are never changed)."""
    seen = Counter(r["id"] for part in existing.values() for r in part) + Counter(r["id"] for r in new)
    duplicates = sorted(k for k, v in seen.items() if v > 1)
    if duplicates:
        raise SplitError(f"duplicate ids: {', '.join(duplicates[:5])}")
    part_of = {r["id"]: part for part, records in existing.items() for r in records}
    everything = [r for part in PARTS for r in existing.get(part, [])] + list(new)
    parts: dict[str, list[dict]] = {p: list(existing.get(p, [])) for p in PARTS}
    free = []
    for key, records in sorted(group_records(everything).items()):
        fixed = {part_of[r["id"]] for r in records if r["id"] in part_of}
        if len(fixed) > 1:
            raise SplitError(f"group {key} already spans {sorted(fixed)}")
        fresh = [r for r in records if r["id"] not in part_of]
        if fixed:
            parts[fixed.pop()].extend(fresh)
        elif fresh:
            free.append((key, fresh))
    rng = random.Random(seed)
    rng.shuffle(free)
    by_kind: dict[str, list] = defaultdict(list)
    for key, records in free:
        kind = Counter(r.get("kind") or "" for r in records).most_common(1)[0][0]
        by_kind[kind].append(records)
    for kind in sorted(by_kind):
        have = Counter({p: sum(_weight(r) for r in parts[p] if r.get("kind") == kind and r.get("origin") == "outside")
                        for p in PARTS})
        todo = sorted(by_kind[kind], key=lambda records: -sum(map(_weight, records)))  # stable: shuffled ties
        for records in todo:
            weight = sum(map(_weight, records))
            total = sum(have.values()) + weight
            part = max(PARTS, key=lambda p: (SHARES[p] * total - have[p], -PARTS.index(p)))
            parts[part].extend(records)
            have[part] += weight
    return parts


def _weight(record: dict) -> int:
    """A document counts once, and once more per labelled action (parts should hold both in proportion)."""
    return 1 + len((record.get("gold") or {}).get("actions", []))


def check(parts: dict[str, list[dict]]) -> list[str]:
    """Problems of a split: groups across parts."""
    part_of = {r["id"]: p for p, records in parts.items() for r in records}
    problems = []
    for key, records in group_records([r for p in PARTS for r in parts.get(p, [])]).items():
        found = sorted({part_of[r["id"]] for r in records})
        if len(found) > 1:
            problems.append(f"{key} spans {', '.join(found)}: {', '.join(r['id'] for r in records)}")
    return problems


def read_parts(directory: Path) -> dict[str, list[dict]]:
    return {p: read(directory / f"{p}.jsonl") for p in PARTS if (directory / f"{p}.jsonl").is_file()}


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_parts(directory: Path, parts: dict[str, list[dict]]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for part, records in parts.items():
        records = sorted(records, key=lambda r: (r.get("origin") != "outside", _natural(r["id"])))
        with open(directory / f"{part}.jsonl", "w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def _natural(value: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in str(value).split(":"))


def summary(parts: dict[str, list[dict]]) -> str:
    lines = []
    for part in PARTS:
        records = parts.get(part, [])
        kinds = Counter(r.get("kind") for r in records)
        actions = sum(len((r.get("gold") or {}).get("actions", [])) for r in records)
        relevant = sum(1 for r in records if (r.get("gold") or {}).get("relevant"))
        lines.append(f"{part:5} {len(records):4} documents ({relevant} relevant), {actions:4} actions; "
                     + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    return "\n".join(lines)
