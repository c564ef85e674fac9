"""Every topic's pattern files are valid spaCy patterns, sorted, and every id is in its vocab.yml;
the vocabulary itself is consistent (types with labels and colours, roles, families, governments)."""

import re

import pytest
import srsly

import topics
from nlp import compile
from nlp.actions import ABOUT_SUBJECT
from nlp.pipeline import GENERIC_PATTERNS, build_nlp, ruler_patterns
from nlp.topic import CJK, Topic

FILES = ["vendors", "organisations", "references", "actions"]
REFERENCES = {"government", "issuer", "callers"}  # the GOVREF ids nlp/actions.py reads
ROLES = {"reviews", "calls_for", "enacts", "advises"} | ABOUT_SUBJECT
TOPICS = topics.names()


def _topic(name):
    return Topic.from_dir(topics.directory(name))


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("topic", TOPICS)
def test_every_pattern_id_is_in_the_vocabulary(topic, name):
    vocab = _topic(topic).vocab
    known = {
        "VENDOR": set(vocab["vendors"]), "ORG": set(vocab["organisations"]), "GPE": set(vocab["organisations"]),
        "OFFICE": set(vocab["organisations"]), "GOVREF": REFERENCES,
        "CLASS": set(vocab.get("classes") or {}), "EQUIP": set(vocab.get("classes") or {}),
        "TRIGGER": set(vocab["actions"]) | set(vocab.get("trigger_families") or {}),
    }
    rows = _topic(topic).patterns(name) + list(srsly.read_jsonl(GENERIC_PATTERNS / "references.jsonl"))
    for row in rows:
        family = row["id"].split(".")[0] if row["label"] == "TRIGGER" else row["id"]
        assert family in known[row["label"]], row


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("topic", TOPICS)
def test_rows_are_sorted_by_id(topic, name):
    path = topics.directory(topic) / "patterns" / f"{name}.jsonl"
    ids = [row["id"] for row in srsly.read_jsonl(path)] if path.exists() else []
    assert ids == sorted(ids)
    generic = [row["id"] for row in srsly.read_jsonl(GENERIC_PATTERNS / "references.jsonl")]
    assert generic == sorted(generic) and set(generic) <= REFERENCES


@pytest.mark.parametrize("topic", TOPICS)
def test_the_vocabulary_is_consistent(topic):
    """Each action type has a label, a description and a colour; roles are known and each played once;
    trigger families, governments and high-confidence rules point at what exists."""
    vocab = _topic(topic).vocab
    types = vocab["actions"]
    for name, spec in types.items():
        assert spec["label"] and spec["description"], name
        assert re.fullmatch(r"#[0-9a-f]{6}", spec["colour"]), name
        assert spec.get("role") in ROLES | {None}, name
        for key in ("context", "requires"):
            if spec.get(key):
                re.compile(spec[key])
    roles = [spec["role"] for spec in types.values() if spec.get("role")]
    assert len(roles) == len(set(roles))
    for family, cues in (vocab.get("trigger_families") or {}).items():
        assert family not in types and all(cue["type"] in types for cue in cues), family
        assert not cues[-1].get("after") and not cues[-1].get("around"), f"{family}: the last cue is the default"
    for rule, families in (vocab.get("rule_scopes") or {}).items():
        assert set(families) <= set(types) | set(vocab.get("trigger_families") or {}), rule
    for jurisdiction, org in (vocab.get("governments") or {}).items():
        assert org in vocab["organisations"], jurisdiction
    rules = {row["id"].split(".", 1)[1] for row in _topic(topic).patterns("actions")}
    assert set(vocab.get("high_confidence_rules") or []) <= rules
    for key, value in (vocab.get("context") or {}).items():
        if isinstance(value, str):
            re.compile(value)
    assert set(vocab["reasons"]) == {"class", "no_context", "only_out_of_scope", "nothing_in_scope"}
    assert vocab["about"]["title"] and vocab["about"]["summary"] and vocab["about"]["class_target"]
    assert any(v.get("in_scope") for v in vocab["vendors"].values())


@pytest.mark.parametrize("topic", TOPICS)
def test_the_pipeline_loads_every_pattern(topic):
    """Every row is a phrase (LOWER or ORTH ruler), a CJK-script vendor, or a trigger regex."""
    nlp = build_nlp(topic)
    data = _topic(topic)
    expected = {"LOWER": 0, "ORTH": 0}
    regexes = 0
    for name in FILES:
        rows = data.patterns(name) + (list(srsly.read_jsonl(GENERIC_PATTERNS / "references.jsonl"))
                                      if name == "references" else [])
        for row in rows:
            if isinstance(row["pattern"], str) and CJK.search(row["pattern"]):
                continue
            kind, rows = compile.expand(row)
            if kind == "TOKEN":
                assert row["label"] == "TRIGGER", row
                compile.to_regex(row["pattern"])  # raises if it has no regex form
                regexes += 1
            else:
                expected[kind] += len(rows)
    assert {k: len(v) for k, v in ruler_patterns(data).items() if k != "TOKEN"} == expected
    assert len(nlp.get_pipe("policy_phrases").patterns) == expected["LOWER"]
    if expected["ORTH"]:
        assert len(nlp.get_pipe("policy_phrases_orth").patterns) == expected["ORTH"]
    assert len(nlp.get_pipe("policy_entities").trigger_regexes) == regexes


@pytest.mark.parametrize("topic", TOPICS)
def test_every_vendor_has_its_own_name_as_a_pattern(topic):
    data = _topic(topic)
    texts = {(r["id"], r["pattern"] if isinstance(r["pattern"], str) else " ".join(t["ORTH"] for t in r["pattern"]))
             for r in data.patterns("vendors")}
    for vid, vendor in data.vocab["vendors"].items():
        assert (vid, vendor["name"]) in texts, vid
