"""A confidence that means something: how likely an action's type and actor are right.

The rules describe each action they find by a few signals (``signals``): its type, whether
its trigger is a specific phrase or a common word, whether the text names the actor and
the targets, whether the actor is only the government of the document's country by
default, whether the sentence dates the act, whether the document is official or
reporting. A logistic model over those signals, fitted on the evaluation set's train part
(``python -m nlp calibrate``; an action is right when its type and actor match a labelled
action of its document), turns them into a probability. The fitted weights are kept in
the topic's ``confidence.json``; without that file the rules' own estimate stands. The model is fitted on
the rules' actions without the trained type scorer (nlp/learned.py), which has seen the train part.
``make eval`` shows on dev and test how many of the actions at 0.8 or more are right.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

SIGNALS = ["bias", "specific_rule", "word_rule", "statement", "actor_in_text", "vendors_in_text",
           "actor_by_default", "no_actor", "by_convention", "dated", "official", "long_sentence", "person_actor"]
OFFICIAL = {"written_question", "written_statement", "hansard", "govuk", "federal_register", "gov_other"}


def signals(kind: str, rule: str, specific: bool, actor: str | None, actor_kind: str | None, actor_in_text: bool,
            vendors_in_text: bool, by_convention: bool, dated: bool, doc_kind: str, sentence_length: int) -> dict:
    """The signals of one action, as 0/1 (or a fraction) by name; its type is the signal ``type:<type>``
    (the other types' signals are 0, left out)."""
    out = {
        "bias": 1.0, "specific_rule": float(specific), "word_rule": float(rule.endswith(".word")),
        "statement": float(rule.endswith(".statement")), "actor_in_text": float(actor_in_text),
        "vendors_in_text": float(vendors_in_text),
        "actor_by_default": float(not actor_in_text and actor_kind in ("government", "GOVREF")),
        "no_actor": float(actor is None), "by_convention": float(by_convention), "dated": float(dated),
        "official": float(doc_kind in OFFICIAL), "long_sentence": min(1.0, sentence_length / 400),
        "person_actor": float(actor_kind == "PERSON"),
    }
    out[f"type:{kind}"] = 1.0
    return out


def names(types: list[str]) -> list[str]:
    """Every signal of a topic with these action types."""
    return SIGNALS + [f"type:{t}" for t in types]


class Model:
    """Logistic weights over the signals (see ``fit``)."""

    def __init__(self, weights: dict[str, float]):
        self.weights = weights

    @classmethod
    def load(cls, path: str | Path) -> Model | None:
        path = Path(path)
        return cls(json.loads(path.read_text(encoding="utf-8"))["weights"]) if path.is_file() else None

    def score(self, values: dict) -> float:
        z = sum(self.weights.get(k, 0.0) * v for k, v in values.items())
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def fit(rows: list[tuple[dict, bool]], types: list[str] | None = None, l2: float = 1.0, steps: int = 4000,
        rate: float = 0.5) -> dict[str, float]:
    """Weights by gradient descent on the mean log-loss with an L2 penalty (deterministic: no sampling), over
    the signals of the topic's action `types` (default: the types the rows have)."""
    import numpy

    if types is None:
        types = sorted({k[5:] for values, _ in rows for k in values if k.startswith("type:")})
    keys = names(types)
    x = numpy.array([[values.get(k, 0.0) for k in keys] for values, _ in rows] or [[0.0] * len(keys)])
    y = numpy.array([float(ok) for _, ok in rows] or [0.0])
    w = numpy.zeros(len(keys))
    penalty = numpy.array([0.0 if k == "bias" else l2 for k in keys]) / len(y)
    for _ in range(steps):
        p = 1 / (1 + numpy.exp(-numpy.clip(x @ w, -30, 30)))
        w -= rate * (x.T @ (p - y) / len(y) + penalty * w)
    return {k: round(float(v), 4) for k, v in zip(keys, w)}


def right(action: dict, gold: list[dict]) -> bool:
    """An action is right when a labelled action of its document has its type and actor."""
    actor = (action.get("actor") or "").strip().lower()
    return any(g["type"] == action["type"] and (g.get("actor") or "").strip().lower() == actor for g in gold)


def precision_at(scored: list[tuple[float, bool]], threshold: float = 0.8) -> tuple[float, int]:
    """(share right, count) of the actions scored at or above `threshold`."""
    kept = [ok for score, ok in scored if score >= threshold]
    return (sum(kept) / len(kept) if kept else 0.0), len(kept)


def calibrate(train: list[dict], nlp) -> dict:
    """Fit the model on the train part's documents: each action the rules find, right or not."""
    from .extract import extract_records

    pipe = nlp.get_pipe("policy_actions")
    pipe._checked()
    pipe.rules.keep_signals = True
    # the rules' actions alone: the trained type scorer (nlp/learned.py) has seen the train part's answers, so
    # its choices there would make the rules look surer than they are; it only drops actions, and caps the
    # confidence of those it adds
    learned, pipe.rules.learned = pipe.rules.learned, None
    try:
        inputs = [{k: v for k, v in r.items() if k not in ("gold", "origin")} for r in train]
        gold = {r["id"]: r["gold"]["actions"] for r in train}
        rows = [(a["signals"], right(a, gold[p["id"]])) for p in extract_records(nlp, inputs)
                for a in p["actions"] if a.get("signals")]
    finally:
        pipe.rules.keep_signals = False
        pipe.rules.learned = learned
    from .components import pipeline_topic

    weights = fit(rows, pipeline_topic(nlp).action_types())
    model = Model(weights)
    scored = [(model.score(values), ok) for values, ok in rows]
    share, count = precision_at(scored)
    return {"about": "python -m nlp calibrate: logistic weights over the rules' signals (nlp/confidence.py), "
                     "fitted on the evaluation set's train part", "actions": len(rows),
            "train_right_at_0.8": round(share, 3), "train_count_at_0.8": count, "weights": weights}
