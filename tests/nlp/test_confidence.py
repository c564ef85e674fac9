"""The confidence is calibrated: refitting reproduces the shipped model, and on the dev part most actions at
0.8 or more are right (issue 14: 'of actions at confidence >= 0.8, at least 80% right')."""

import json
import shutil

import pytest

import topics
from nlp import confidence, split
from nlp.evaluate import evaluate
from nlp.pipeline import build_nlp

TOPIC = topics.directory("cameras")


@pytest.fixture(scope="module")
def nlp():
    return build_nlp("cameras")


def test_the_shipped_model_is_what_calibrate_fits(nlp):
    """topics/cameras/confidence.json is python -m nlp calibrate's output on the current rules and train part."""
    shipped = json.loads((TOPIC / "confidence.json").read_text(encoding="utf-8"))
    fresh = confidence.calibrate(split.read(TOPIC / "eval" / "train.jsonl"), nlp)
    assert fresh["actions"] == shipped["actions"], "rules changed: run `make calibrate`"
    for name, weight in fresh["weights"].items():
        assert shipped["weights"][name] == pytest.approx(weight, abs=0.01), f"{name}: run `make calibrate`"


def test_confident_actions_are_mostly_right_on_dev(nlp):
    """Of the dev part's actions at confidence 0.8 or more, at least 80% have the right type and actor."""
    report = evaluate(split.read(TOPIC / "eval" / "dev.jsonl"), nlp)
    assert report["confident_right"]["total"] >= 10 and report["confident_right"]["value"] >= 0.8


def test_without_a_model_the_rules_estimate_stands(tmp_path):
    """A topic without confidence.json still extracts (the rules-only path), with the rules' own confidence."""
    copy = tmp_path / "cameras"
    shutil.copytree(TOPIC, copy, ignore=shutil.ignore_patterns("recordings", "eval", "confidence.json"))
    from nlp.extract import extract_records

    out = next(extract_records(build_nlp(str(copy)), [{"id": "t", "title": "", "kind": "news", "text":
               "The Example Council decided to remove its Hikvision cameras on 3 May 2023."}]))
    assert out["actions"] and all(0.1 <= a["confidence"] <= 0.9 for a in out["actions"])


def test_the_model_fits_what_it_is_shown():
    """Signals that always go with right actions get a positive weight, and the score orders them first."""
    good = confidence.signals("remove", "remove.word", True, "X", "department", True, True, False, True, "govuk", 100)
    bad = confidence.signals("review", "review.word", False, None, None, False, False, False, False, "news", 380)
    model = confidence.Model(confidence.fit([(good, True)] * 20 + [(bad, False)] * 20))
    assert model.score(good) > 0.8 > 0.2 > model.score(bad)
