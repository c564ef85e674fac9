"""The dev set's figures stay at or above the issue's targets (a regression guard).

The figures themselves are reported by `make eval` and in the issue notes; the
extractor is also measured on documents outside this repository."""

import pytest

import topics
from nlp.evaluate import TARGETS, evaluate_file


@pytest.fixture(scope="module")
def report():
    return evaluate_file(str(topics.directory("cameras") / "dev.jsonl"))


def test_evidence_is_always_verbatim(report):
    assert report["evidence_verbatim"]["total"] > 30 and report["evidence_verbatim"]["value"] == 1.0


@pytest.mark.parametrize("field", ["vendors", "action_type", "type_actor", "organisations", "people"])
def test_field_meets_its_target(report, field):
    assert report[field]["f1"] >= TARGETS[field], report[field]["errors"]


def test_relevance_and_dates(report):
    assert report["relevance_accuracy"]["value"] >= TARGETS["relevance_accuracy"]
    assert report["action_dates_right"]["value"] >= TARGETS["action_dates_right"]
