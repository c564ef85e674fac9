"""B-cubed precision and recall of event resolution against labelled event keys.

A labelled file holds documents in the PLAN record format whose gold actions
carry an ``event`` key ("GB:<type>:2022-11-24:sensitive-sites-wms");
actions with the same key are one event. Two measures per file:

- ``gold``: the labelled actions themselves are resolved, as if the extractor
  were perfect: clustering alone.
- ``extracted``: the extractor's own actions on the same documents, each matched
  to the labelled action it is (same document and type; the one whose evidence
  overlaps it when there are several): clustering as the site shows it.
  Extracted actions that match no label are counted, not scored.

B-cubed (Bagga and Baldwin, 1998): for each mention, precision is the share of
its predicted event that belongs to its gold event and recall the share of its
gold event found in its predicted event; both are averaged over mentions.
Pairs of cards for one act and of acts on one card are listed as errors.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path

from . import resolve
from .mentions import words

TARGET_F1 = 0.90


def load(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def split_by_story(records: list[dict]) -> dict[str, list[dict]]:
    """A fixed half/half split that keeps each story on one side (for files without a split)."""
    halves: dict[str, list[dict]] = {"tune": [], "held-out": []}
    for r in records:
        story = str(r.get("story") or r["id"])
        side = "held-out" if int(hashlib.sha1(story.encode("utf-8")).hexdigest(), 16) % 2 else "tune"
        halves[side].append(r)
    return halves


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> dict:
    """B-cubed over the mentions both maps know: mention id -> predicted / gold cluster."""
    items = sorted(set(predicted) & set(gold))
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for m in items:
        by_pred[predicted[m]].add(m)
        by_gold[gold[m]].add(m)
    precision = recall = 0.0
    for m in items:
        shared = len(by_pred[predicted[m]] & by_gold[gold[m]])
        precision += shared / len(by_pred[predicted[m]])
        recall += shared / len(by_gold[gold[m]])
    n = len(items) or 1
    p, r = precision / n, recall / n
    f = 2 * p * r / (p + r) if p + r else 0.0
    split = sorted(f"{key} ({len({predicted[m] for m in ms})} cards)" for key, ms in by_gold.items()
                   if len({predicted[m] for m in ms}) > 1)
    lumped = sorted(" + ".join(sorted({gold[m] for m in ms})) for ms in by_pred.values()
                    if len({gold[m] for m in ms}) > 1)
    return {"mentions": len(items), "events": len(by_pred), "gold_events": len(by_gold),
            "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "split": split, "lumped": lumped}


def _gold_records(records: list[dict]) -> list[dict]:
    """Extraction-shaped records made of the gold actions."""
    out = []
    for r in records:
        actions = []
        for a in (r.get("gold") or {}).get("actions") or []:
            start = max(0, (r.get("text") or "").find(a.get("evidence") or "\x00"))
            actions.append(dict(a, start=start, end=start + len(a.get("evidence") or "")))
        out.append({"id": r["id"], "vendors": (r.get("gold") or {}).get("vendors") or [], "actions": actions,
                    "people": (r.get("gold") or {}).get("people") or []})
    return out


def _inputs(records: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in ("gold",)} for r in records]


def _event_map(records_in: list[dict], extraction: list[dict], topic=None) -> dict[str, str]:
    resolution = resolve(_inputs(records_in), extraction, topic=topic)
    return {m["action_id"]: e["id"] for e in resolution.events for m in e["mentions"]}


def _match(predicted: dict, gold_actions: list[dict], text: str) -> dict | None:
    same = [g for g in gold_actions if g["type"] == predicted["type"]]
    if len(same) <= 1:
        return same[0] if same else None
    best, best_score = None, 0.0
    mine = words(predicted.get("evidence") or "")
    overlapping = []
    for g in same:
        start = text.find(g.get("evidence") or "\x00")
        if start >= 0 and start < predicted["end"] and predicted["start"] < start + len(g["evidence"]):
            overlapping.append(g)
    if overlapping:  # one sentence, several acts of a type ("two retailers have stopped buying"): the actor's
        actor = (predicted.get("actor") or "").lower()
        return next((g for g in overlapping if (g.get("actor") or "").lower() == actor), overlapping[0])
    for g in same:
        theirs = words(g.get("evidence") or "")
        score = len(mine & theirs) / (len(mine | theirs) or 1)
        if score > best_score:
            best, best_score = g, score
    return best if best_score >= 0.2 else None


def evaluate(records: list[dict], extracted: list[dict] | None = None, topic=None) -> dict:
    """Figures for one set of labelled documents (``extracted``: the extractor's records, if run)."""
    from .mentions import action_ids

    gold_records = _gold_records(records)
    gold_keys = {key: a["event"] for r in gold_records for a, key in zip(r["actions"], action_ids(r["id"], r["actions"]))
                 if a.get("event")}
    report = {"documents": len(records), "gold": bcubed(_event_map(records, gold_records, topic), gold_keys)}
    if extracted is not None:
        by_id = {r["id"]: r for r in records}
        keys, unmatched, total = {}, 0, 0
        for record in extracted:
            source = by_id.get(record["id"])
            actions = record.get("actions") or []
            for a, key in zip(actions, action_ids(record["id"], actions)):
                total += 1
                g = _match(a, (source.get("gold") or {}).get("actions") or [], source.get("text") or "")
                if g and g.get("event"):
                    keys[key] = g["event"]
                else:
                    unmatched += 1
        report["extracted"] = bcubed(_event_map(records, extracted, topic), keys)
        report["extracted"].update(actions=total, unmatched=unmatched)
    return report


def run_extractor(records: list[dict], nlp) -> list[dict]:
    """The extractor's records for the labelled documents (``nlp``: a built pipeline)."""
    from ..extract import extract_records

    return list(extract_records(nlp, _inputs(records)))


def format_report(name: str, report: dict, show_errors: bool = False) -> list[str]:
    lines = []
    for mode in ("gold", "extracted"):
        r = report.get(mode)
        if not r:
            continue
        extra = ""
        if "unmatched" in r:
            extra = f"  ({r['unmatched']} of {r['actions']} extracted actions match no label)"
        lines.append(f"{name:34} {mode:9} {r['mentions']:8} {r['events']:6} {r['gold_events']:6} "
                     f"{r['precision']:9.3f} {r['recall']:6.3f} {r['f1']:6.3f}{extra}")
        if show_errors:
            lines += [f"    one act on several cards: {s}" for s in r["split"]]
            lines += [f"    several acts on one card: {s}" for s in r["lumped"]]
    return lines


HEADER = (f"{'event clustering (B-cubed)':34} {'input':9} {'mentions':>8} {'events':>6} {'gold':>6} "
          f"{'precision':>9} {'recall':>6} {'F1':>6}   target F1 >= {TARGET_F1}")
