"""A topic's pipeline is built from its directory and can be saved and loaded the spaCy way (#13)."""

import json
import shutil

import pytest
import spacy
import srsly
import yaml

import topics
from nlp.extract import extract_records
from nlp.pipeline import build_nlp


@pytest.fixture(scope="module")
def dev_records():
    lines = (topics.directory("cameras") / "eval" / "train.jsonl").read_text(encoding="utf-8").splitlines()
    return [{k: v for k, v in json.loads(line).items() if k not in ("gold", "origin")} for line in lines if line]


@pytest.fixture(scope="module")
def topic_copy(tmp_path_factory):
    """The default topic copied elsewhere, with one vendor added that no other topic has."""
    folder = tmp_path_factory.mktemp("topic") / "copy"
    shutil.copytree(topics.directory("cameras"), folder, ignore=shutil.ignore_patterns("recordings", "eval"))
    vocab = yaml.safe_load((folder / "vocab.yml").read_text())
    vocab["vendors"]["acme_vision"] = {"name": "Acme Vision", "country": "CN", "parent": None, "in_scope": True,
                                       "sector": "surveillance"}
    (folder / "vocab.yml").write_text(yaml.safe_dump(vocab, sort_keys=False))
    rows = list(srsly.read_jsonl(folder / "patterns" / "vendors.jsonl"))
    rows.append({"label": "VENDOR", "pattern": "Acme Vision", "id": "acme_vision"})
    srsly.write_jsonl(folder / "patterns" / "vendors.jsonl", sorted(rows, key=lambda r: r["id"]))
    return folder


SENTENCE = {"id": "s", "title": "", "text": "The Home Office banned Acme Vision cameras from its sites in 2023.",
            "jurisdiction": "GB"}


def test_saved_pipeline_gives_the_same_output(nlp, dev_records, tmp_path):
    """nlp.to_disk then spacy.load (and to_bytes/from_bytes) extract exactly what the built pipeline does."""
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == nlp.pipe_names
    expected = list(extract_records(nlp, dev_records))
    assert sum(len(r["actions"]) for r in expected) > 100
    assert list(extract_records(loaded, dev_records)) == expected
    restored = spacy.util.load_model_from_config(nlp.config).from_bytes(nlp.to_bytes())
    assert list(extract_records(restored, dev_records[:20])) == expected[:20]


def test_the_pipeline_is_built_from_the_topic_directory(topic_copy):
    """A vendor added to a copied topic's data is found by the pipeline built from that directory only."""
    assert next(extract_records(build_nlp("cameras"), [SENTENCE]))["vendors"] == []
    result = next(extract_records(build_nlp(topic_copy), [SENTENCE]))
    assert result["vendors"] == ["Acme Vision"]
    assert [(a["type"], a["actor"], a["vendors"]) for a in result["actions"]] == [
        ("ban_installation", "Home Office", ["Acme Vision"])]


def test_a_saved_pipeline_needs_no_topic_directory(topic_copy, tmp_path):
    """Once saved, the pipeline carries its topic: the directory it was built from can go."""
    folder = tmp_path / "moved"
    shutil.copytree(topic_copy, folder)
    build_nlp(folder).to_disk(tmp_path / "pipeline")
    shutil.rmtree(folder)
    result = next(extract_records(spacy.load(tmp_path / "pipeline"), [SENTENCE]))
    assert result["vendors"] == ["Acme Vision"] and result["actions"]


def test_an_unknown_topic_is_named():
    """A topic that does not exist is an error naming the topics there are."""
    with pytest.raises(topics.UnknownTopic, match="cameras"):
        build_nlp("no-such-topic")
