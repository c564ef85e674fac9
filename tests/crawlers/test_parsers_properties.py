"""Property-based tests for the parsers of every source format: any drift of a record's fields
(missing, wrong type, odd values) is logged and skipped; the good records on the page are kept."""

import json

from hypothesis import HealthCheck, given, settings, strategies as st
from scrapy.http import TextResponse

from crawlers.items import Document, InvalidDocument, validate_document
from crawlers.spiders.govuk import GovukSpider
from crawlers.spiders.uk_hansard import UkHansardSpider
from crawlers.spiders.uk_written_questions import UkWrittenQuestionsSpider
from crawlers.spiders.uk_written_statements import UkWrittenStatementsSpider
from crawlers.spiders.us_federal_register import UsFederalRegisterSpider
from tests.conftest import FIGURES, make_spider, tally

junk = st.one_of(st.none(), st.integers(), st.text(max_size=30), st.lists(st.integers(), max_size=3),
                 st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


def drifted(record: dict, data) -> dict:
    """The record with a few fields removed or replaced by values of other types."""
    record = dict(record)
    for key in data.draw(st.lists(st.sampled_from(sorted(record)), max_size=4, unique=True)):
        if data.draw(st.booleans()):
            record.pop(key)
        else:
            record[key] = data.draw(junk)
    return record


CASES = [
    (UkHansardSpider, "hansard-search-hikvision", lambda page: page["Results"], {"params": {"skip": 0, "take": 20}}),
    (UsFederalRegisterSpider, "fedreg-hikvision-page1", lambda page: page["results"],
     {"params": {"page": 1, "per_page": 5}}),
    (UkWrittenQuestionsSpider, "wq-search-hikvision-skip0", lambda page: [r["value"] for r in page["results"]], None),
    (UkWrittenStatementsSpider, "ws-search-surveillance-equipment", lambda page: [r["value"] for r in page["results"]], None),
    (GovukSpider, "govuk-search-start0", lambda page: page["results"], {"params": {"start": 0, "count": 5}}),
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_one_drifted_record_never_costs_the_others(recorded, tmp_path, data):
    tally(FIGURES, "hypothesis", "parser_examples", len(CASES))
    for spider_cls, entry, records_of, kwargs in CASES:
        spider = make_spider(spider_cls, tmp_path)
        original = recorded(entry)
        page = json.loads(original.text)
        records = records_of(page)
        bad_index = data.draw(st.integers(0, len(records) - 1))
        bad = drifted(records[bad_index], data)
        if "results" in page and isinstance(page["results"][0], dict) and "value" in page["results"][0]:
            page["results"][bad_index]["value"] = bad
        else:
            (page.get("results") if "results" in page else page["Results"])[bad_index] = bad
        response = TextResponse(url=original.url, body=json.dumps(page).encode(), request=original.request,
                                headers={"Content-Type": "application/json"})
        call_kwargs = kwargs if kwargs is not None else {"params": {"skip": 0, "take": 5}}
        out = list(spider.parse(response, **call_kwargs))  # must not raise
        docs = [o for o in out if isinstance(o, Document)]
        followed = [o for o in out if not isinstance(o, Document)]
        assert len(docs) + len(followed) >= len(records) - 1, spider_cls.name
        for doc in docs:  # a drifted document is either valid or refused with the field named
            try:
                validate_document(doc)
            except InvalidDocument as exc:
                assert exc.reason
