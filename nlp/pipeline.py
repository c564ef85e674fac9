"""build_nlp(): spacy.blank("en") + sentences + span rulers + our components.

The span rulers are loaded from nlp/patterns/*.jsonl with validation on;
patterns in Chinese script are matched by policy_entities instead (the English
tokenizer does not split them into words).
"""

from __future__ import annotations

import logging

import spacy
from spacy.language import Language
from spacy.symbols import ORTH

from . import components  # noqa: F401  registers the policy_* factories
from . import resources

logger = logging.getLogger(__name__)

ABBREVIATIONS = ["hon.", "Hon.", "Rt.", "rt.", "cf.", "No.", "no.", "Nos.", "para.", "paras.", "Col.", "col.",
                 "cols.", "Art.", "art.", "Sec.", "sec.", "approx.", "e.g.", "i.e.", "etc.", "vs.", "v.", "Ltd.",
                 "Co.", "Inc.", "Corp.", "Gov.", "Govt.", "Dept.", "St.", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.",
                 "Nov.", "Dec.", "HL.", "Deb.", "Sen.", "Rep.", "Prof.", "Cllr."]


def build_nlp() -> Language:
    nlp = spacy.blank("en")
    for abbreviation in ABBREVIATIONS:  # "the hon. Member" is not the end of a sentence
        nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("policy_paragraphs")
    gazetteer = nlp.add_pipe("span_ruler", name="policy_gazetteer", config={
        "spans_key": "gazetteer", "phrase_matcher_attr": "LOWER", "validate": True, "overwrite": True})
    gazetteer.add_patterns([
        row for name in ("vendors", "organisations", "references") for row in resources.patterns(name)
        if not (isinstance(row["pattern"], str) and resources.CJK.search(row["pattern"]))
    ])
    triggers = nlp.add_pipe("span_ruler", name="policy_triggers", config={
        "spans_key": "triggers", "validate": True, "overwrite": True})
    triggers.add_patterns(list(resources.patterns("actions")))
    nlp.add_pipe("policy_entities")
    nlp.add_pipe("policy_actions")
    nlp.set_error_handler(_log_and_skip)
    return nlp


def _log_and_skip(proc_name, proc, docs, error):
    logger.error("%s failed on a batch of %d document(s): %s", proc_name, len(docs), error)
