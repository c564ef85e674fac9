"""build_nlp(topic): spacy.blank("en") + span rulers + our components, for one topic.

The pipeline is built the spaCy way: components are added by factory name,
and their data (the topic's patterns and vocabulary) is named in the config's
[initialize] section by registered readers, then loaded by ``nlp.initialize()``.
Every component keeps its data with ``to_disk``, so ``nlp.to_disk(path)`` gives
a pipeline ``spacy.load(path)`` runs without the topic directory (import
``nlp.components`` first, or let ``python -m nlp extract --pipeline`` do it).

The span rulers take the topic's patterns/*.jsonl with validation on, as phrase
matchers wherever a pattern allows it (nlp/compile.py); patterns in CJK script
are matched by policy_entities (the English tokenizer does not split them into
words), and so are the few trigger patterns with wildcards.

There is no sentencizer: sentences are found only around triggers, from the
text (nlp/shapes.sentence_around). Splitting every document into sentences
cost more than all the matching together (BENCHMARKS.md).
"""

from __future__ import annotations

import logging
from pathlib import Path

import spacy
import srsly
from spacy.language import Language
from spacy.symbols import ORTH

import topics

from . import components  # noqa: F401  registers the policy_* factories
from . import compile
from .learned import default_path, settings_of
from .topic import CJK, Topic

logger = logging.getLogger(__name__)

ABBREVIATIONS = ["hon.", "Hon.", "Rt.", "rt.", "cf.", "No.", "no.", "Nos.", "para.", "paras.", "Col.", "col.",
                 "cols.", "Art.", "art.", "Sec.", "sec.", "approx.", "e.g.", "i.e.", "etc.", "vs.", "v.", "Ltd.",
                 "Co.", "Inc.", "Corp.", "Gov.", "Govt.", "Dept.", "St.", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.",
                 "Nov.", "Dec.", "HL.", "Deb.", "Sen.", "Rep.", "Prof.", "Cllr."]
PATTERN_FILES = ("vendors", "organisations", "references", "actions")  # the order the rulers take them in
# Patterns of the domain's language every topic shares (nlp/patterns/): references to a government,
# to the document's issuer ("we", "my department") and to those who call for action ("MPs").
GENERIC_PATTERNS = Path(__file__).parent / "patterns"
RULERS = (("LOWER", ""), ("ORTH", "_orth"), ("TOKEN", "_tokens"))  # matcher kind, suffix of the ruler's name
RULER = "policy_phrases"


@spacy.registry.misc("policy_tracker.topic.v1")
def read_topic(path: str) -> dict:
    """A topic directory as the data our components take (nlp/topic.py)."""
    return Topic.from_dir(path).to_dict()


@spacy.registry.misc("policy_tracker.ruler_patterns.v1")
def read_ruler_patterns(path: str, matcher: str) -> list[dict]:
    """The patterns of a topic directory one span ruler takes: matcher LOWER, ORTH or TOKEN."""
    return ruler_patterns(Topic.from_dir(path))[matcher]


def ruler_patterns(topic: Topic) -> dict[str, list[dict]]:
    """The topic's patterns by matcher: phrase patterns (LOWER, ORTH) where a pattern allows it, token
    patterns (TOKEN) for the rest; CJK-script vendors and wildcard triggers are policy_entities' own."""
    groups: dict[str, list[dict]] = {"LOWER": [], "ORTH": [], "TOKEN": []}
    for name in PATTERN_FILES:
        rows = topic.patterns(name) + generic_patterns(name)
        for row in sorted(rows, key=lambda r: r["id"]):  # each file is sorted by id (tests/nlp/test_patterns.py)
            if isinstance(row["pattern"], str) and CJK.search(row["pattern"]):
                continue
            kind, expanded = compile.expand(row)
            if kind == "TOKEN" and row["label"] == "TRIGGER":
                continue  # matched as regular expressions by policy_entities (compile.to_regex)
            groups[kind].extend(expanded)
    for kind in ("LOWER", "ORTH"):
        groups[kind] = [dict(r, pattern=r["pattern"] if isinstance(r["pattern"], str) else " ".join(r["pattern"]))
                        for r in groups[kind]]
    return groups


def generic_patterns(name: str) -> list[dict]:
    """nlp/patterns/<name>.jsonl: the domain's patterns every topic's pipeline takes."""
    path = GENERIC_PATTERNS / f"{name}.jsonl"
    return list(srsly.read_jsonl(path)) if path.is_file() else []


AUTO = "auto"


def build_nlp(topic: str | Path | None = None, learned: str | Path | None = AUTO) -> Language:
    """The extraction pipeline for a topic (a name under topics/ or a directory; default: the chosen topic).

    `learned`: the trained type scorer's directory (nlp/learned.py); ``"auto"`` takes the one ``make
    types-model`` builds for the topic (build/<topic>/types-model) when it is there, None runs the rules only."""
    directory = topics.directory(str(topic) if topic is not None else None)
    if learned == AUTO:
        learned = learned_model(directory)
    patterns = ruler_patterns(Topic.from_dir(directory))
    nlp = spacy.blank("en")
    for abbreviation in ABBREVIATIONS:  # "the hon. Member" is not the end of a sentence
        nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    nlp.config["paths"]["topic"] = str(directory)
    init = nlp.config["initialize"]["components"]
    first = True
    for kind, suffix in RULERS:
        if not patterns[kind]:
            continue
        config = {"spans_key": "phrases", "validate": True, "overwrite": first}
        if kind != "TOKEN":
            config["phrase_matcher_attr"] = kind
        nlp.add_pipe("span_ruler", name=RULER + suffix, config=config)
        init[RULER + suffix] = {"patterns": {"@misc": "policy_tracker.ruler_patterns.v1", "path": "${paths.topic}",
                                             "matcher": kind}}
        first = False
    for name in ("policy_entities", "policy_actions"):
        nlp.add_pipe(name)
        init[name] = {"topic": {"@misc": "policy_tracker.topic.v1", "path": "${paths.topic}"}}
    if learned is not None:
        init["policy_actions"]["learned"] = str(learned)
    nlp.initialize()
    return nlp  # a component's error raises: extract_records fails that document alone, with the reason


def learned_model(directory: Path) -> Path | None:
    """The topic's built type scorer, or None (with a warning when the topic has one to build)."""
    path = default_path(directory)
    if (path / "settings.json").is_file():
        return path
    if settings_of(directory) is not None:
        logger.warning("no trained type scorer at %s (make types-model): the rules alone", path)
    return None


def load_nlp(path: str | Path) -> Language:
    """A pipeline saved with ``nlp.to_disk`` (see ``python -m nlp package``)."""
    return spacy.load(path)
