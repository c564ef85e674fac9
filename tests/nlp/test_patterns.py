"""Pattern files are valid spaCy patterns, sorted, and every id is in the topic's vocab.yml."""

import pytest
import srsly

import topics
from nlp.topic import CJK, Topic

PATTERNS = topics.directory("cameras") / "patterns"
TOPIC = Topic.from_dir(topics.directory("cameras"))

FILES = ["vendors", "organisations", "references", "actions"]


@pytest.mark.parametrize("name", FILES)
def test_every_pattern_id_is_in_the_vocabulary(name):
    vocab = TOPIC.vocab
    known = {
        "VENDOR": set(vocab["vendors"]), "ORG": set(vocab["organisations"]), "GPE": set(vocab["organisations"]),
        "OFFICE": set(vocab["organisations"]), "GOVREF": set(vocab["references"]) | {"callers"},
        "CLASS": set(vocab["classes"]), "EQUIP": set(vocab["classes"]),
        "TRIGGER": set(vocab["actions"]) | set(vocab["trigger_families"]),
    }
    rows = list(srsly.read_jsonl(PATTERNS / f"{name}.jsonl"))
    assert rows
    for row in rows:
        family = row["id"].split(".")[0] if row["label"] == "TRIGGER" else row["id"]
        assert family in known[row["label"]], row


@pytest.mark.parametrize("name", FILES)
def test_rows_are_sorted_by_id(name):
    ids = [row["id"] for row in srsly.read_jsonl(PATTERNS / f"{name}.jsonl")]
    assert ids == sorted(ids)


def test_the_pipeline_loads_every_pattern(nlp):
    """Every row is a phrase (LOWER or ORTH ruler), a Chinese-script vendor, or a trigger regex."""
    from nlp import compile

    assert [name for name, _ in nlp.pipeline] == ["policy_phrases", "policy_phrases_orth", "policy_entities",
                                                   "policy_actions"]
    expected = {"LOWER": 0, "ORTH": 0}
    regexes = 0
    for name in FILES:
        for row in TOPIC.patterns(name):
            if isinstance(row["pattern"], str) and CJK.search(row["pattern"]):
                continue
            kind, rows = compile.expand(row)
            if kind == "TOKEN":
                assert row["label"] == "TRIGGER", row
                compile.to_regex(row["pattern"])  # raises if it has no regex form
                regexes += 1
            else:
                expected[kind] += len(rows)
    assert len(nlp.get_pipe("policy_phrases").patterns) == expected["LOWER"]
    assert len(nlp.get_pipe("policy_phrases_orth").patterns) == expected["ORTH"]
    assert len(nlp.get_pipe("policy_entities").trigger_regexes) == regexes > 0


def test_every_vendor_has_its_own_name_as_a_pattern():
    texts = {(r["id"], r["pattern"] if isinstance(r["pattern"], str) else " ".join(t["ORTH"] for t in r["pattern"]))
             for r in TOPIC.patterns("vendors")}
    for vid, vendor in TOPIC.vocab["vendors"].items():
        assert (vid, vendor["name"]) in texts, vid
