import pytest

from nlp.pipeline import build_nlp


@pytest.fixture(scope="session")
def nlp():
    return build_nlp()


@pytest.fixture(scope="session")
def extract(nlp):
    from nlp.extract import extract_records

    def run(text, title="", **fields):
        record = {"id": "t", "title": title, "text": text, **fields}
        return next(extract_records(nlp, [record]))

    return run
