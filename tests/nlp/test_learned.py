"""The trained scorer of action types (nlp/learned.py, issue 14): trained reproducibly from the train part,
better than the rules alone on the dev part, calibrated where it matters, saved with the pipeline, and the
rules-only path still there."""

import pytest
import spacy
from click.testing import CliRunner

import topics
from nlp import cli, learned, split
from nlp.evaluate import evaluate
from nlp.extract import extract_records
from nlp.pipeline import build_nlp

TOPIC = topics.directory("cameras")


@pytest.fixture(scope="module")
def rules_only():
    return build_nlp("cameras", learned=None)


@pytest.fixture(scope="module")
def trained(rules_only, tmp_path_factory):
    """A model trained here from the repository's data (not the one make may have built)."""
    model = learned.train(split.read(TOPIC / "eval" / "train.jsonl"), rules_only, learned.settings_of(TOPIC))
    path = tmp_path_factory.mktemp("types") / "types-model"
    model.to_disk(path)
    return path


@pytest.fixture(scope="module")
def with_model(trained):
    return build_nlp("cameras", learned=trained)


@pytest.fixture(scope="module")
def dev():
    return split.read(TOPIC / "eval" / "dev.jsonl")


def test_training_is_reproducible(rules_only, trained):
    """The same data and settings give the same model, byte for byte: make builds it, nothing is committed."""
    again = learned.train(split.read(TOPIC / "eval" / "train.jsonl"), rules_only, learned.settings_of(TOPIC))
    first = learned.TypeModel.load(trained)
    assert again.keep.to_bytes() == first.keep.to_bytes()
    assert again.propose.to_bytes() == first.propose.to_bytes()
    assert first.settings["keep_examples"] > 200 and first.settings["propose_examples"] > 500


def test_the_scorer_does_better_than_the_rules_alone_on_dev(rules_only, with_model, dev):
    """Action type and (type, actor) F1 on the dev part (never the test part) rise with the scorer, and of the
    actions at confidence 0.8 or more at least 80% stay right."""
    before, after = evaluate(dev, rules_only), evaluate(dev, with_model)
    assert after["action_type"]["f1"] > before["action_type"]["f1"]
    assert after["action_type"]["precision"] > before["action_type"]["precision"]
    assert after["type_actor"]["f1"] > before["type_actor"]["f1"]
    assert after["confident_right"]["total"] >= 10 and after["confident_right"]["value"] >= 0.8


def test_proposed_actions_stay_below_the_confident_default(with_model, dev):
    """Types the scorer adds carry the rules' actor and evidence, and never reach 0.8 (they are not calibrated)."""
    proposed = [(r, a) for r in extract_records(with_model, [{k: v for k, v in d.items() if k != "gold"} for d in dev])
                for a in r["actions"] if a["rule"].endswith(learned.PROPOSED)]
    assert proposed
    text = {d["id"]: d["text"] for d in dev}
    for record, action in proposed:
        assert action["confidence"] <= learned.PROPOSED_CAP
        assert text[record["id"]][action["start"]:action["end"]] == action["evidence"]


def test_the_rules_only_path_runs_the_rules_alone(rules_only, with_model, dev):
    """build_nlp(learned=None) (python -m nlp --rules-only) has no scorer and proposes nothing; the scorer only
    drops rule actions or adds its own."""
    assert rules_only.get_pipe("policy_actions").rules.learned is None
    assert with_model.get_pipe("policy_actions").rules.learned is not None
    inputs = [{k: v for k, v in d.items() if k != "gold"} for d in dev]
    plain = {r["id"]: r for r in extract_records(rules_only, inputs)}
    scored = {r["id"]: r for r in extract_records(with_model, inputs)}
    assert not any(a["rule"].endswith(learned.PROPOSED) for r in plain.values() for a in r["actions"])
    dropped = 0
    for doc_id, record in scored.items():
        rules = [(a["type"], a["start"]) for a in plain[doc_id]["actions"]]
        kept = [(a["type"], a["start"]) for a in record["actions"] if not a["rule"].endswith(learned.PROPOSED)]
        if plain[doc_id]["relevant"] and record["relevant"]:
            assert set(kept) <= set(rules)
            dropped += len(set(rules) - set(kept))
    assert dropped > 0


def test_a_saved_pipeline_keeps_the_scorer(with_model, dev, tmp_path):
    """nlp.to_disk and spacy.load carry the trained scorer: the same actions come out."""
    with_model.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.get_pipe("policy_actions").rules.learned is not None
    inputs = [{k: v for k, v in d.items() if k != "gold"} for d in dev[:25]]
    assert list(extract_records(loaded, inputs)) == list(extract_records(with_model, inputs))


def test_a_topic_without_settings_gets_a_disabled_model(tmp_path):
    """python -m nlp train-types on a topic without learned.json writes a model marked disabled: the rules alone."""
    result = CliRunner().invoke(cli.cli, ["train-types", "--topic", "apps", "-o", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    assert learned.TypeModel.load(tmp_path / "m") is None
    assert build_nlp("apps", learned=tmp_path / "m").get_pipe("policy_actions").rules.learned is None
