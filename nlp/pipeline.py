"""build_nlp(): spacy.blank("en") + span rulers + our components.

The span rulers are loaded from the topic's patterns/*.jsonl with validation on, as
phrase matchers wherever a pattern allows it (nlp/compile.py); patterns in
Chinese script are matched by policy_entities (the English tokenizer does not
split them into words), and so are the few trigger patterns with wildcards.

There is no sentencizer: sentences are found only around triggers, from the
text (nlp/shapes.sentence_around). Splitting every document into sentences
cost more than all the matching together (BENCHMARKS.md).
"""

from __future__ import annotations

import logging

import spacy
from spacy.language import Language
from spacy.symbols import ORTH

from . import components  # noqa: F401  registers the policy_* factories
from . import compile, resources

logger = logging.getLogger(__name__)

ABBREVIATIONS = ["hon.", "Hon.", "Rt.", "rt.", "cf.", "No.", "no.", "Nos.", "para.", "paras.", "Col.", "col.",
                 "cols.", "Art.", "art.", "Sec.", "sec.", "approx.", "e.g.", "i.e.", "etc.", "vs.", "v.", "Ltd.",
                 "Co.", "Inc.", "Corp.", "Gov.", "Govt.", "Dept.", "St.", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.",
                 "Nov.", "Dec.", "HL.", "Deb.", "Sen.", "Rep.", "Prof.", "Cllr."]


def build_nlp() -> Language:
    nlp = spacy.blank("en")
    for abbreviation in ABBREVIATIONS:  # "the hon. Member" is not the end of a sentence
        nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    rows = [row for name in ("vendors", "organisations", "references", "actions") for row in resources.patterns(name)
            if not (isinstance(row["pattern"], str) and resources.CJK.search(row["pattern"]))]
    _add_rulers(nlp, "policy_phrases", "phrases", rows)
    nlp.add_pipe("policy_entities")
    nlp.add_pipe("policy_actions")
    nlp.set_error_handler(_log_and_skip)
    return nlp


def _add_rulers(nlp: Language, name: str, spans_key: str, rows: list[dict]) -> None:
    """Span rulers for one family of patterns: phrase matchers (LOWER, ORTH) where the
    patterns allow it, a token matcher for the rest (see nlp/compile.py)."""
    groups: dict[str, list[dict]] = {"LOWER": [], "ORTH": [], "TOKEN": []}
    for row in rows:
        kind, expanded = compile.expand(row)
        if kind == "TOKEN" and row["label"] == "TRIGGER":
            continue  # matched as regular expressions by policy_entities (compile.to_regex)
        groups[kind].extend(expanded)
    first = True
    for kind, suffix in (("LOWER", ""), ("ORTH", "_orth"), ("TOKEN", "_tokens")):
        if not groups[kind]:
            continue
        config = {"spans_key": spans_key, "validate": True, "overwrite": first}
        if kind != "TOKEN":
            config["phrase_matcher_attr"] = kind
        ruler = nlp.add_pipe("span_ruler", name=name + suffix, config=config)
        if kind == "TOKEN":
            ruler.add_patterns(groups[kind])
        else:
            ruler.add_patterns([dict(r, pattern=r["pattern"] if isinstance(r["pattern"], str) else " ".join(r["pattern"]))
                                for r in groups[kind]])
        first = False


def _log_and_skip(proc_name, proc, docs, error):
    logger.error("%s failed on a batch of %d document(s): %s", proc_name, len(docs), error)
