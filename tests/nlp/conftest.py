import pytest

from nlp.pipeline import build_nlp


@pytest.fixture(scope="session")
def nlp():
    """The rules alone: these tests are the rules' specification, sentence by sentence. The trained type scorer
    (nlp/learned.py) is judged on the dev part in test_learned.py."""
    return build_nlp(learned=None)


@pytest.fixture(scope="session")
def extract(nlp):
    from nlp.extract import extract_records

    def run(text, title="", **fields):
        record = {"id": "t", "title": title, "text": text, **fields}
        return next(extract_records(nlp, [record]))

    return run
