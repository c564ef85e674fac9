"""Pattern files are valid spaCy patterns, sorted, and every id is in nlp/vocab.yml."""

import pytest
import srsly
from spacy.pipeline.span_ruler import SpanRuler  # noqa: F401  (validate=True uses its schema)

from nlp import resources

FILES = ["vendors", "organisations", "references", "actions"]


@pytest.mark.parametrize("name", FILES)
def test_every_pattern_id_is_in_the_vocabulary(name):
    vocab = resources.vocab()
    known = {
        "VENDOR": set(vocab["vendors"]), "ORG": set(vocab["organisations"]), "GPE": set(vocab["organisations"]),
        "OFFICE": set(vocab["organisations"]), "GOVREF": set(vocab["references"]) | {"callers"},
        "CLASS": set(vocab["classes"]), "EQUIP": set(vocab["classes"]),
        "TRIGGER": set(vocab["actions"]) | set(vocab["trigger_families"]),
    }
    rows = list(srsly.read_jsonl(resources.PATTERNS / f"{name}.jsonl"))
    assert rows
    for row in rows:
        family = row["id"].split(".")[0] if row["label"] == "TRIGGER" else row["id"]
        assert family in known[row["label"]], row


@pytest.mark.parametrize("name", FILES)
def test_rows_are_sorted_by_id(name):
    ids = [row["id"] for row in srsly.read_jsonl(resources.PATTERNS / f"{name}.jsonl")]
    assert ids == sorted(ids)


def test_the_pipeline_loads_every_pattern_with_validation(nlp):
    assert [name for name, _ in nlp.pipeline] == ["sentencizer", "policy_paragraphs", "policy_gazetteer",
                                                   "policy_triggers", "policy_entities", "policy_actions"]
    ruler = nlp.get_pipe("policy_gazetteer")
    cjk = sum(1 for n in ("vendors", "organisations", "references") for r in resources.patterns(n)
              if isinstance(r["pattern"], str) and resources.CJK.search(r["pattern"]))
    total = sum(len(resources.patterns(n)) for n in ("vendors", "organisations", "references"))
    assert len(ruler.patterns) == total - cjk


def test_every_vendor_has_its_own_name_as_a_pattern():
    texts = {(r["id"], r["pattern"] if isinstance(r["pattern"], str) else " ".join(t["ORTH"] for t in r["pattern"]))
             for r in resources.patterns("vendors")}
    for vid, vendor in resources.vocab()["vendors"].items():
        assert (vid, vendor["name"]) in texts, vid
