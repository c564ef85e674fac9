"""spaCy components of the pipeline, registered under the ``policy_`` prefix.

- ``policy_entities``: triggers apart (plus the wildcard trigger patterns as
  regular expressions); the gazetteer matches filtered to the longest, plus
  vendors written in CJK script, organisations found by shape, acronyms the text
  defines, people and dates -> ``doc.spans["entities"]``, ``doc._.dates``;
- ``policy_actions``: triggers resolved into actions with actor, targets, date
  and evidence -> ``doc._.policy_actions`` (see nlp/actions.py for the rules).

Both take the topic as data through ``initialize(topic=...)`` (a dict, see
nlp/topic.py; nlp/pipeline.py names it in the config's [initialize] section)
and keep it with ``to_disk``/``from_disk``, as spaCy's span_ruler keeps its
patterns: a saved pipeline needs no topic directory.

(No ``from __future__ import annotations`` here: spaCy validates the
``initialize`` settings against the annotations at run time.)
"""

import re
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import SimpleFrozenList, ensure_path, filter_spans

from . import compile, people, shapes
from .actions import ActionRules
from .confidence import Model
from .learned import TypeModel
from .topic import CJK, Topic

for _name, _default in (("policy_actions", None), ("dates", None), ("meta", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


class _TopicData:
    """What a component of ours shares: its topic, given by initialize() and kept by to_disk()."""

    name: str
    topic: Optional[Topic] = None

    def initialize(self, get_examples: Optional[Callable[[], Iterable[Any]]] = None, *,
                   nlp: Optional[Language] = None, topic: Optional[dict] = None) -> None:
        """Take the topic's data (nlp/topic.py: {"name", "vocab", "patterns"})."""
        if not topic:
            raise ValueError(f"{self.name}: initialize() needs the topic's data (see nlp/pipeline.build_nlp)")
        self.set_topic(Topic(topic))

    def set_topic(self, topic: Topic) -> None:
        self.topic = topic

    def _checked(self) -> Topic:
        if self.topic is None:
            raise ValueError(f"{self.name} has no topic: build the pipeline with nlp/pipeline.build_nlp() "
                             "or load a saved one")
        return self.topic

    def to_bytes(self, *, exclude: Iterable[str] = SimpleFrozenList()) -> bytes:
        return srsly.msgpack_dumps(self._checked().to_dict())

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = SimpleFrozenList()):
        self.set_topic(Topic(srsly.msgpack_loads(data)))
        return self

    def to_disk(self, path, *, exclude: Iterable[str] = SimpleFrozenList()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(Path(path) / "topic.json", self._checked().to_dict())

    def from_disk(self, path, *, exclude: Iterable[str] = SimpleFrozenList()):
        self.set_topic(Topic(srsly.read_json(ensure_path(path) / "topic.json")))
        return self


class PolicyEntities(_TopicData):
    """Merge gazetteer hits with the shape finders into one list of entity spans."""

    def __init__(self, name: str):
        self.name = name

    def set_topic(self, topic: Topic) -> None:
        self.topic = topic
        self.vendor_names = {vid: v["name"] for vid, v in topic.vocab["vendors"].items()}
        self.org_names = {oid: o["name"] for oid, o in topic.vocab["organisations"].items()}
        cjk = [row for row in topic.patterns("vendors") if isinstance(row["pattern"], str)
               and CJK.search(row["pattern"])]
        cjk.sort(key=lambda row: -len(row["pattern"]))
        self.trigger_regexes = [(compile.to_regex(row["pattern"]), row["id"]) for row in topic.patterns("actions")
                                if compile.expand(row)[0] == "TOKEN"]
        self.cjk_pattern = re.compile("|".join(re.escape(r["pattern"]) for r in cjk)) if cjk else None
        self.cjk_ids = {r["pattern"]: r["id"] for r in cjk}
        self.not_names = frozenset(people.NOT_NAMES) | frozenset(topic.vocab.get("not_names") or [])

    def __call__(self, doc: Doc) -> Doc:
        topic = self._checked()
        text = (doc._.meta or {}).get("text") or doc.text  # Doc.text is rebuilt from tokens on each access
        found = doc.spans.get("phrases", [])
        triggers = [span for span in found if span.label_ == "TRIGGER"]
        for pattern, rule in self.trigger_regexes:
            for m in pattern.finditer(text):
                span = doc.char_span(m.start(), m.end(), label="TRIGGER", alignment_mode="contract")
                if span is not None and len(span):
                    triggers.append(Span(doc, span.start, span.end, label="TRIGGER", span_id=rule))
        doc.spans["triggers"] = triggers
        spans = [self._canonical(span) for span in found if span.label_ != "TRIGGER"
                 and not (span.label_ == "VENDOR" and len(span) == 1 and span[0].is_lower)]  # "the axis of"
        if self.cjk_pattern is not None:
            for m in self.cjk_pattern.finditer(text):
                span = doc.char_span(m.start(), m.end(), label="VENDOR", alignment_mode="expand")
                if span is not None:
                    spans.append(Span(doc, span.start, span.end, label="VENDOR",
                                      kb_id=self.vendor_names[self.cjk_ids[m.group(0)]]))
        chosen = filter_spans(spans)
        taken = _Coverage(chosen)
        extra = []
        for start, end, value in shapes.organisation_shapes(text):
            span = doc.char_span(start, end, alignment_mode="contract")
            if span is not None and len(span) and not taken.free(span):
                span = taken.free_tail(span)  # "US Federal Communication Commission": the US is a place
                value = span.text if span is not None else value
            if span is not None and len(span) and taken.free(span):
                extra.append(Span(doc, span.start, span.end, label="ORG",
                                  kb_id=topic.canonical_organisation(value)))
                taken.add(extra[-1])
        meta = doc._.meta or {}
        reporting = meta.get("part", "text") == "text" and meta.get("offset", 0) == 0 \
            and (meta.get("kind") or "") in ("news", "ngo", "law_firm", "company", "")
        for start, end, value in shapes.outlet_shapes(text, self.not_names, reporting):  # "The Epoch Times", a byline's
            span = doc.char_span(start, end, alignment_mode="contract")
            if span is not None and len(span) and taken.free(span):
                extra.append(Span(doc, span.start, span.end, label="ORG", kb_id=topic.canonical_organisation(value)))
                taken.add(extra[-1])
        orgs = [(s.start_char, s.end_char, s.kb_id_) for s in chosen + extra if s.label_ == "ORG"]
        acronyms = dict(shapes.acronym_definitions(text, orgs))
        for acronym, canonical in acronyms.items():
            for m in re.finditer(rf"\b{re.escape(acronym)}\b", text):
                span = doc.char_span(m.start(), m.end(), alignment_mode="contract")
                if span is not None and len(span) and taken.free(span):
                    extra.append(Span(doc, span.start, span.end, label="ORG", kb_id=canonical))
                    taken.add(extra[-1])
        offices = [s for s in chosen if s.label_ == "OFFICE"]  # "Defence Minister Richard Marles" names him too
        for start, end, value in shapes.people(text, self.not_names):
            span = doc.char_span(start, end, alignment_mode="contract")
            if span is not None and len(span) and (taken.free(span) or any(
                    o.start <= span.start and span.end <= o.end for o in offices)):
                extra.append(Span(doc, span.start, span.end, label="PERSON", kb_id=value))
                taken.add(extra[-1])
        extra += self._surnames(doc, text, [s for s in extra if s.label_ == "PERSON"], taken)
        doc.spans["entities"] = sorted(chosen + extra, key=lambda s: s.start)
        published = _as_date((doc._.meta or {}).get("published"))
        doc._.dates = shapes.dates(text, published)
        return doc

    def _surnames(self, doc: Doc, text: str, persons: list[Span], taken) -> list[Span]:
        """"Paterson, the shadow minister, urged ...": a surname alone, after the text has named the person in
        full, is that person (kb_id the full name), so that they can act."""
        full = {}
        for person in persons:
            words = person.kb_id_.split()
            if len(words) >= 2 and words[0] not in PEER_TITLES and words[-1] not in self.not_names:
                full.setdefault(words[-1], (person.kb_id_, person.start_char))
        out = []
        for surname, (name, first) in full.items():
            for m in re.finditer(rf"(?<![\w.'’-])({re.escape(surname)})(?!\w|[ \t]+[A-Z])", text):
                if m.start() < first:
                    continue
                span = doc.char_span(m.start(1), m.end(1), alignment_mode="contract")
                if span is not None and len(span) and taken.free(span):
                    out.append(Span(doc, span.start, span.end, label="PERSON", kb_id=name))
                    taken.add(out[-1])
        return out

    def _canonical(self, span: Span) -> Span:
        label, key = span.label_, span.id_
        if label == "VENDOR":
            name = self.vendor_names[key]
        elif label in ("ORG", "GPE", "OFFICE"):
            name = self.org_names[key]
        else:
            name = key
        return Span(span.doc, span.start, span.end, label=label, kb_id=name, span_id=key)


PEER_TITLES = {"Lord", "Baroness", "Lady", "Viscount", "Earl", "Baron"}


class _Coverage:
    def __init__(self, spans):
        self.tokens = set()
        for span in spans:
            self.add(span)

    def add(self, span):
        self.tokens.update(range(span.start, span.end))

    def free(self, span) -> bool:
        return not any(i in self.tokens for i in range(span.start, span.end))

    def free_tail(self, span):
        """The span without its leading taken tokens, if the rest is free and still two words or more."""
        i = span.start
        while i < span.end and i in self.tokens:
            i += 1
        tail = span.doc[i:span.end]
        return tail if len(tail) >= 2 and self.free(tail) and tail[0].is_title else None


def _as_date(value) -> Optional[date]:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@Language.factory("policy_entities", assigns=["doc.spans", "doc._.dates"], requires=["doc.spans"])
def make_policy_entities(nlp: Language, name: str):
    return PolicyEntities(name)


class PolicyActions(_TopicData):
    """The rules (nlp/actions.py), with the trained scorer of action types (nlp/learned.py) when one is given:
    ``initialize(topic=..., learned=<a directory python -m nlp train-types wrote>)``; kept by to_disk."""

    def __init__(self, name: str, window: int):
        self.name = name
        self.window = window
        self.learned: Optional[TypeModel] = None

    def initialize(self, get_examples: Optional[Callable[[], Iterable[Any]]] = None, *,
                   nlp: Optional[Language] = None, topic: Optional[dict] = None, learned: Optional[str] = None) -> None:
        """Take the topic's data and, from the directory `learned` names, the trained type scorer (None: rules
        only)."""
        self.learned = TypeModel.load(learned) if learned else None
        super().initialize(get_examples, nlp=nlp, topic=topic)

    def set_topic(self, topic: Topic) -> None:
        self.topic = topic
        model = (topic.data.get("confidence") or {}).get("weights")
        self.rules = ActionRules(topic.vocab, window=self.window, confidence=Model(model) if model else None)
        self.rules.learned = self.learned

    def to_disk(self, path, *, exclude: Iterable[str] = SimpleFrozenList()) -> None:
        super().to_disk(path, exclude=exclude)
        if self.learned is not None:
            self.learned.to_disk(ensure_path(path) / "learned")

    def to_bytes(self, *, exclude: Iterable[str] = SimpleFrozenList()) -> bytes:
        return srsly.msgpack_dumps({"topic": self._checked().to_dict(),
                                    "learned": self.learned.to_bytes() if self.learned is not None else None})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = SimpleFrozenList()):
        data = srsly.msgpack_loads(data)
        self.learned = TypeModel.from_bytes(data["learned"]) if data.get("learned") else None
        self.set_topic(Topic(data["topic"]))
        return self

    def from_disk(self, path, *, exclude: Iterable[str] = SimpleFrozenList()):
        saved = ensure_path(path) / "learned"
        self.learned = TypeModel.load(saved) if saved.is_dir() else None
        return super().from_disk(path, exclude=exclude)

    def __call__(self, doc: Doc) -> Doc:
        self._checked()
        doc._.policy_actions = self.rules.actions(doc)
        return doc


def pipeline_topic(nlp: Language) -> Topic:
    """The topic a pipeline was built for (kept by policy_entities)."""
    return nlp.get_pipe("policy_entities")._checked()


@Language.factory(
    "policy_actions",
    assigns=["doc._.policy_actions"],
    requires=["doc.spans"],
    default_config={"window": 12},
)
def make_policy_actions(nlp: Language, name: str, window: int):
    return PolicyActions(name, window=window)
