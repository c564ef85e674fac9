"""Precision, recall and F1 of the extractor per field of the output contract.

The dev set (a topic's dev.jsonl) holds input records with a ``gold`` object:
``relevant``, ``vendors``, ``organisations``, ``people`` and ``actions``
(``type``, ``actor``, ``vendors``, ``date``). Fields are scored as sets of
(document, value) pairs, case-insensitively; action dates over the gold
actions whose type was found; evidence over every predicted action.
"""

from __future__ import annotations

import json
from collections import defaultdict

from spacy.language import Language

from .confidence import right
from .extract import extract_records
from .pipeline import build_nlp


def _prf(gold: set, pred: set) -> dict:
    tp = len(gold & pred)
    p = tp / len(pred) if pred else (1.0 if not gold else 0.0)
    r = tp / len(gold) if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "gold": len(gold),
            "predicted": len(pred), "errors": sorted(map(str, (gold - pred) | (pred - gold)))[:50]}


def _norm(value) -> str:
    return (value or "").strip().lower()


def evaluate(records: list[dict], nlp: Language | None = None) -> dict:
    """Figures per field for labelled records, with a pipeline (default: the chosen topic's)."""
    nlp = nlp or build_nlp()
    inputs = [{k: v for k, v in r.items() if k not in ("gold", "origin")} for r in records]
    predictions = {p["id"]: p for p in extract_records(nlp, inputs)}
    sets = defaultdict(lambda: (set(), set()))
    relevance = {"correct": 0, "total": 0, "errors": []}
    dates = {"right": 0, "total": 0, "errors": []}
    evidence = {"verbatim": 0, "total": 0}
    confident = {"right": 0, "total": 0}
    for record in records:
        gold, pred, doc = record["gold"], predictions[record["id"]], record["id"]
        relevance["total"] += 1
        if bool(gold["relevant"]) == bool(pred["relevant"]):
            relevance["correct"] += 1
        else:
            relevance["errors"].append(f"{doc}: gold {gold['relevant']}, predicted {pred['relevant']}")
        sets["relevant"][0].update({doc} if gold["relevant"] else set())
        sets["relevant"][1].update({doc} if pred["relevant"] else set())
        for field in ("vendors", "organisations", "people"):
            sets[field][0].update((doc, _norm(v)) for v in gold.get(field, []))
            sets[field][1].update((doc, _norm(v)) for v in pred.get(field, []))
        sets["action_type"][0].update((doc, a["type"]) for a in gold["actions"])
        sets["action_type"][1].update((doc, a["type"]) for a in pred["actions"])
        sets["type_actor"][0].update((doc, a["type"], _norm(a["actor"])) for a in gold["actions"])
        sets["type_actor"][1].update((doc, a["type"], _norm(a["actor"])) for a in pred["actions"])
        text = record.get("text") or ""
        for a in pred["actions"]:
            if a.get("confidence", 0) >= 0.8:  # the timeline's default: of these, how many are right
                confident["total"] += 1
                confident["right"] += int(right(a, gold["actions"]))
            evidence["total"] += 1
            evidence["verbatim"] += int(text[a["start"]:a["end"]] == a["evidence"])
        for a in gold["actions"]:
            found = [p for p in pred["actions"] if p["type"] == a["type"]]
            if not found or not a.get("date"):
                continue
            dates["total"] += 1
            if any(p.get("date") == a["date"] for p in found):
                dates["right"] += 1
            else:
                dates["errors"].append(f"{doc} {a['type']}: gold {a['date']}, predicted {[p.get('date') for p in found]}")
    report = {name: _prf(g, p) for name, (g, p) in sets.items()}
    report["relevance_accuracy"] = {"value": round(relevance["correct"] / max(1, relevance["total"]), 3),
                                    "errors": relevance["errors"]}
    report["action_dates_right"] = {"value": round(dates["right"] / max(1, dates["total"]), 3),
                                    "total": dates["total"], "errors": dates["errors"]}
    report["evidence_verbatim"] = {"value": round(evidence["verbatim"] / max(1, evidence["total"]), 3),
                                   "total": evidence["total"]}
    report["confident_right"] = {"value": round(confident["right"] / max(1, confident["total"]), 3),
                                 "total": confident["total"]}
    report["documents"] = len(records)
    return report


def evaluate_file(path: str, nlp: Language | None = None) -> dict:
    with open(path, encoding="utf-8") as handle:
        return evaluate([json.loads(line) for line in handle if line.strip()], nlp)


TARGETS = {"relevance_accuracy": 0.95, "vendors": 0.98, "action_type": 0.85, "type_actor": 0.65,
           "organisations": 0.75, "people": 0.80, "action_dates_right": 0.60, "evidence_verbatim": 1.0}


def format_report(report: dict, show_errors: bool = False) -> str:
    lines = [f"dev set: {report['documents']} documents", "",
             f"{'field':22} {'precision':>9} {'recall':>7} {'F1':>6} {'gold':>5} {'pred':>5}  target"]
    for name in ("relevant", "vendors", "organisations", "people", "action_type", "type_actor"):
        r = report[name]
        target = TARGETS.get(name)
        lines.append(f"{name:22} {r['precision']:9.3f} {r['recall']:7.3f} {r['f1']:6.3f} {r['gold']:5} "
                     f"{r['predicted']:5}  {'F1 >= ' + str(target) if target else ''}")
    for name in ("relevance_accuracy", "action_dates_right", "evidence_verbatim"):
        lines.append(f"{name:22} {report[name]['value']:9.3f}{'':27}  >= {TARGETS[name]}")
    if show_errors:
        for name in ("relevant", "vendors", "organisations", "people", "action_type", "type_actor"):
            if report[name]["errors"]:
                lines += ["", f"{name} disagreements:"] + [f"  {e}" for e in report[name]["errors"]]
        for name in ("relevance_accuracy", "action_dates_right"):
            if report[name]["errors"]:
                lines += ["", f"{name} disagreements:"] + [f"  {e}" for e in report[name]["errors"]]
    return "\n".join(lines)
