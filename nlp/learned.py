"""A trained scorer for action types (issue 14): it filters the rules' actions and proposes types they missed.

Two small spaCy ``textcat_multilabel`` models (bag of words and word pairs, ``spacy.TextCatBOW.v3``),
trained on the labelled sentences of the evaluation set's train part only (``python -m nlp train-types``,
``make types-model``; fixed seed, so the same data gives the same model):

- ``keep`` scores each action the rules found: is its type one a labelled action of that sentence has?
  An action scored below the topic's ``keep_threshold`` is dropped (reviews, bans and bills read where the
  text gives a power in a bill, an argument, a regulator seeking comment, background).
- ``propose`` scores the sentences near a trigger or a vendor for a few types the rules often miss (the
  topic's ``propose`` list: calls, rebuttals, removals); a type scored at ``propose_threshold`` or more
  that the rules did not find in the document becomes an action of the sentence scored highest, its actor,
  targets and date found by the rules' own resolvers.

Both read the sentence with its entities and triggers written as their labels ("ORG_NGO called for ...",
"VENDOR said ..."), numbers as NUM, the document's kind, and (``keep``) the rule and its signals; so they
learn the wording around an act rather than names. They run only on sentences that hold a trigger or name a
vendor, a class of vendors or the equipment, after the rules.

The topic's ``learned.json`` holds the settings (types proposed, thresholds chosen on the dev part, seed,
epochs); a topic without one has no model. ``build_nlp(learned=None)`` (``--rules-only``) runs the rules
alone. A proposed action's confidence is the calibrated model's score, kept below the timeline's 0.8
(``PROPOSED_CAP``): the confidence model is fitted on the rules' actions of the train part, where the
trained scorer has seen every answer, so it says nothing yet of how often a proposal is right.

``build_nlp()`` takes the model ``make types-model`` built in build/<topic>/types-model when it is there; the
make targets that extract, evaluate, calibrate, test or bench rebuild it first when the code, the topic's
patterns and vocabulary or the train part changed (training takes seconds, so the model is not committed).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from spacy.language import Language

from . import confidence as calibration
from .shapes import sentence_around

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = "learned.json"
PROPOSED_CAP = 0.79
PROPOSED = ".learned"  # the rule id suffix of a proposed action
ANCHORS = ("VENDOR", "CLASS", "EQUIP")
CACHE = 20_000  # texts whose scores are kept (some 10 MB at most)


def default_path(topic_dir: str | Path) -> Path:
    """Where ``make types-model`` builds the topic's model: build/<topic>/types-model."""
    return ROOT / "build" / Path(topic_dir).name / "types-model"


def settings_of(topic_dir: str | Path) -> dict | None:
    path = Path(topic_dir) / SETTINGS
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


# -- what the models read ----------------------------------------------------------------------------------

class Reader:
    """A document as the models read it: lower case, each entity and trigger as its label ("ORG_NGO",
    "VENDOR", "TRIG_BAN banned"), numbers as NUM. Token attributes are taken as arrays once per document."""

    def __init__(self, doc, org_kind: dict, entities=None):
        from spacy.attrs import LIKE_NUM, LOWER

        self.doc = doc
        self.lower = doc.to_array(LOWER).tolist()
        self.number = doc.to_array(LIKE_NUM).tolist()
        self.strings = doc.vocab.strings
        self.marks: dict[int, tuple[int, str]] = {}
        spans = list(doc.spans.get("entities", []) if entities is None else entities) + list(doc.spans.get("triggers", []))
        for x in spans:
            label = x.label_
            if label == "TRIGGER":
                tag = "TRIG_" + x.id_.split(".")[0].upper() + " " + x.text.lower()
            elif label == "ORG":
                tag = "ORG_" + (org_kind.get(x.kb_id_) or "x").upper()
            elif label == "GOVREF":
                tag = "GOVREF_" + (x.id_ or "x").upper()
            else:
                tag = label
            if x.start not in self.marks or x.end > self.marks[x.start][0]:
                self.marks[x.start] = (x.end, tag)

    def sentence(self, start: int, end: int) -> str:
        """The text between two character offsets as the models read it (entities wholly inside it)."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return ""
        out, i, last = [], span.start, span.end
        while i < last:
            mark = self.marks.get(i)
            if mark is not None and mark[0] <= last:
                out.append(mark[1])
                i = mark[0]
            else:
                out.append("NUM" if self.number[i] else self.strings[self.lower[i]])
                i += 1
        return " ".join(out)


def as_doc(nlp: Language, text: str):
    """A model's input: the words as written (split on spaces), without the tokenizer."""
    from spacy.tokens import Doc

    return Doc(nlp.vocab, words=text.split())


def action_text(kind: str, rule: str, signals: dict | None, doc_kind: str, sentence: str) -> str:
    """What ``keep`` reads of one action."""
    flags = " ".join("SIG_" + k for k, v in sorted((signals or {}).items())
                     if v >= 0.5 and k != "bias" and not k.startswith("type:"))
    return f"RULE_{kind} {flags} RULEID_{rule.replace('.', '_')} KIND_{doc_kind or 'none'} {sentence}"


def sentence_text(marks: set[str], doc_kind: str, sentence: str) -> str:
    """What ``propose`` reads of one sentence: its anchors and the document's kind (not the rules' types: it
    proposes only types the rules did not find)."""
    head = [f"KIND_{doc_kind or 'none'}"] + [f"MARK_{m}" for m in sorted(marks)]
    return " ".join(head) + " " + sentence


def candidate_sentences(doc, text: str, entities=None) -> dict[tuple[int, int], set[str]]:
    """(start, end) of each sentence holding a trigger or naming a vendor, a class of vendors or the
    equipment -> what it holds."""
    out: dict[tuple[int, int], set[str]] = {}
    entities = doc.spans.get("entities", []) if entities is None else entities
    anchors = list(doc.spans.get("triggers", [])) + [e for e in entities if e.label_ in ANCHORS]
    for a in anchors:
        bounds = sentence_around(text, a.start_char, a.end_char)
        out.setdefault(bounds, set()).add("trig_" + a.id_.split(".")[0] if a.label_ == "TRIGGER" else a.label_.lower())
    return out


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


# -- the model ---------------------------------------------------------------------------------------------

class TypeModel:
    """The two trained text classifiers and the settings they were trained with."""

    def __init__(self, keep: Language, propose: Language | None, settings: dict):
        self.keep, self.propose, self.settings = keep, propose, settings
        self.keep_threshold = float(settings["keep_threshold"])
        self.propose_threshold = float(settings["propose_threshold"])
        self.proposed = list(settings.get("propose") or [])
        self._cache: dict[int, dict[str, dict[str, float]]] = {}

    def _scores(self, model: Language, texts: list[str]) -> list[dict[str, float]]:
        """Each text's score per label (the text classifier's predict, without Language.pipe's bookkeeping);
        a text read before is not scored again (documents repeat sentences: boilerplate, quotes, restatements)."""
        cache = self._cache.setdefault(id(model), {})
        new = [t for t in dict.fromkeys(texts) if t not in cache]
        if new:
            textcat = model.get_pipe("textcat_multilabel")
            labels = textcat.labels
            if len(cache) + len(new) > CACHE:
                cache.clear()
            for text, row in zip(new, textcat.predict([as_doc(model, t) for t in new]).tolist()):
                cache[text] = dict(zip(labels, row))
        return [cache[t] for t in texts]

    @classmethod
    def load(cls, path: str | Path) -> TypeModel | None:
        import spacy

        path = Path(path)
        settings = json.loads((path / "settings.json").read_text(encoding="utf-8"))
        if not settings.get("enabled", True):
            return None
        propose = spacy.load(path / "propose") if (path / "propose").is_dir() else None
        return cls(spacy.load(path / "keep"), propose, settings)

    def to_disk(self, path: str | Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.keep.to_disk(path / "keep")
        if self.propose is not None:
            self.propose.to_disk(path / "propose")
        (path / "settings.json").write_text(json.dumps(self.settings, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    def to_bytes(self) -> bytes:
        import srsly

        def pack(nlp):
            return None if nlp is None else [nlp.config.to_str(), nlp.to_bytes()]
        return srsly.msgpack_dumps({"settings": self.settings, "keep": pack(self.keep), "propose": pack(self.propose)})

    @classmethod
    def from_bytes(cls, data: bytes) -> TypeModel:
        import srsly
        from spacy.util import load_model_from_config
        from thinc.api import Config

        def unpack(packed):
            if packed is None:
                return None
            return load_model_from_config(Config().from_str(packed[0]), auto_fill=True).from_bytes(packed[1])
        data = srsly.msgpack_loads(data)
        return cls(unpack(data["keep"]), unpack(data["propose"]), data["settings"])

    # the hook ActionRules.actions calls, before confidence
    def refine(self, rules, doc, found: list, ctx: dict) -> list:
        text = rules.text
        reader = Reader(doc, rules.org_kind, rules.entities)
        kept = found
        if found:
            sentences = {(a.start, a.end): reader.sentence(a.start, a.end) for a in found}
            inputs = [action_text(a.type, a.rule, a.signals, ctx["kind"], sentences[(a.start, a.end)]) for a in found]
            scores = [row["KEEP"] for row in self._scores(self.keep, inputs)]
            kept = [a for a, p in zip(found, scores) if p >= self.keep_threshold]
        if self.propose is None or not self.proposed:
            return kept
        have = {a.type for a in found}
        wanted = [t for t in self.proposed if t not in have and t in rules.types]
        if not wanted:
            return kept
        candidates = candidate_sentences(doc, text, rules.entities)
        if not candidates:
            return kept
        bounds = sorted(candidates)
        scores = self._scores(self.propose, [sentence_text(candidates[b], ctx["kind"], reader.sentence(*b)) for b in bounds])
        for kind in wanted:
            best = max(range(len(bounds)), key=lambda i: scores[i][kind])
            if scores[best][kind] >= self.propose_threshold:
                action = proposal(rules, doc, kind, bounds[best], ctx)
                if action is not None:
                    kept.append(action)
        return kept


def proposal(rules, doc, kind: str, bounds: tuple[int, int], ctx: dict):
    """An action of `kind` for the sentence at `bounds`, with the rules' actor, targets and date."""
    from .actions import STRONG_CALL, WEAK_CALL, Action

    start, end = bounds
    sent = doc.char_span(start, end, alignment_mode="expand")
    if sent is None or not len(sent):
        return None
    ents = [e for e in rules.entities if sent.start <= e.start < sent.end]
    role = rules._role(kind)
    anchor = sent[-1:]
    if role == "calls_for":
        m = STRONG_CALL.search(rules.text, start, end) or WEAK_CALL.search(rules.text, start, end)
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand") if m else None
        if span is not None and len(span):
            anchor = span
    rules.actor_span = None
    if role == "denies":
        vendor = next((e for e in ents if e.label_ == "VENDOR"), None)
        actor, actor_kind, from_text = (vendor.kb_id_, "VENDOR", True) if vendor is not None else \
            (rules._main_vendor(ctx), "VENDOR", False)
    else:
        actor, actor_kind, from_text = rules._actor(doc, sent, anchor, ents, ctx, kind)
        if role == "calls_for":
            body = rules._caller_body(doc, sent, rules.actor_span, ents)
            if body is not None:
                actor, actor_kind = rules._resolve(body, ctx)
        else:
            actor = rules.conventions.refine(kind, actor, actor_kind == "GOVREF", rules.text[start:end].lower())
    if actor is None and role == "denies":
        return None
    vendors, vendors_from_text = rules._targets(ents, actor, kind, ctx)
    rule = kind + PROPOSED
    signals = calibration.signals(kind, rule, False, actor, actor_kind, from_text, vendors_from_text, False,
                                  bool(rules._dates_in(doc, sent)), ctx["kind"], end - start)
    return Action(type=kind, actor=actor, vendors=vendors, date=rules._date(doc, sent, ctx, anchor),
                  evidence=rules.text[start:end], start=start, end=end, confidence=0.5, rule=rule, trigger="",
                  signals=signals)


# -- training ----------------------------------------------------------------------------------------------

def _classifier(labels: list[str], ngrams: int, length: int) -> Language:
    import spacy

    nlp = spacy.blank("en")
    model = {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": ngrams,
             "no_output_layer": False, "length": length}
    textcat = nlp.add_pipe("textcat_multilabel", config={"model": model, "threshold": 0.5})
    for label in labels:
        textcat.add_label(label)
    return nlp


def _fit(nlp: Language, rows: list[tuple[str, dict]], epochs: int, seed: int) -> Language:
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    examples = [Example.from_dict(as_doc(nlp, text), {"cats": cats}) for text, cats in rows]
    optimizer = nlp.initialize(lambda: examples)
    order = random.Random(seed)
    for _ in range(epochs):
        order.shuffle(examples)
        for batch in minibatch(examples, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.2)
    return nlp


def training_rows(records: list[dict], nlp: Language, proposed: list[str]) -> tuple[list, list]:
    """(keep rows, propose rows) of labelled documents, each (text, cats), from the rules' output.

    An action of the rules is right (KEEP 1) when a labelled action of its sentence has its type, wrong (0)
    when the document has no labelled action of the type; a type labelled elsewhere in the document (a
    restatement, an act whose evidence is another sentence) or with no evidence is left out (unknown)."""
    from .components import pipeline_topic
    from .extract import _docs

    topic = pipeline_topic(nlp)
    words = (topic.vocab.get("context") or {}).get("title")
    title_context = re.compile(words, re.I) if words else None
    pipe = nlp.get_pipe("policy_actions")
    org_kind = pipe.rules.org_kind
    saved, pipe.rules.learned, pipe.rules.keep_signals = pipe.rules.learned, None, True
    keep_rows, propose_rows = [], []
    try:
        for record in records:
            gold = record["gold"]
            inputs = {k: v for k, v in record.items() if k not in ("gold", "origin")}
            full = record.get("text") or ""
            labelled = gold["actions"] if gold.get("relevant") else []
            types = {a["type"] for a in labelled}
            unknown = {a["type"] for a in labelled if not a.get("evidence") or full.find(a["evidence"]) < 0}
            evidence = [(a["type"], full.find(a["evidence"]), len(a["evidence"])) for a in labelled
                        if a.get("evidence") and full.find(a["evidence"]) >= 0]
            docs = [d for d in nlp.pipe(_docs(nlp, inputs, topic, title_context)) if d._.meta["part"] == "text"]
            for doc in docs:
                offset, text, kind = doc._.meta["offset"], doc._.meta["text"], doc._.meta["kind"]
                reader = Reader(doc, org_kind)

                def here(bounds, wanted):
                    return any(t == wanted and _overlaps((i - offset, i - offset + n), bounds) for t, i, n in evidence)

                def label(wanted, bounds):
                    if here(bounds, wanted):
                        return 1.0
                    return None if wanted in types or wanted in unknown else 0.0

                actions = doc._.policy_actions or []
                for a in actions:
                    value = label(a["type"], (a["start"], a["end"]))
                    if value is not None:
                        sentence = reader.sentence(a["start"], a["end"])
                        keep_rows.append((action_text(a["type"], a["rule"], a.get("signals"), kind, sentence),
                                          {"KEEP": value}))
                for bounds, held in sorted(candidate_sentences(doc, text).items()):
                    cats = {t: v for t in proposed if (v := label(t, bounds)) is not None}
                    propose_rows.append((sentence_text(held, kind, reader.sentence(*bounds)),
                                         cats))
    finally:
        pipe.rules.learned, pipe.rules.keep_signals = saved, False
    return keep_rows, propose_rows


def train(records: list[dict], nlp: Language, settings: dict) -> TypeModel:
    """Both models, trained on labelled documents (the train part) with the topic's settings."""
    proposed = list(settings.get("propose") or [])
    keep_rows, propose_rows = training_rows(records, nlp, proposed)
    seed = int(settings.get("seed", 14))
    keep = _fit(_classifier(["KEEP"], 2, 2 ** 16), keep_rows, int(settings.get("keep_epochs", 8)), seed)
    propose = None
    if proposed:
        propose = _fit(_classifier(proposed, 1, 2 ** 16), [r for r in propose_rows if r[1]],
                       int(settings.get("propose_epochs", 12)), seed)
    out = dict(settings, enabled=True, keep_examples=len(keep_rows), propose_examples=len(propose_rows))
    return TypeModel(keep, propose, out)
