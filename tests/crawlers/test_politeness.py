"""Retry-After parsing and the pieces of PoliteRetryMiddleware."""

from email.utils import format_datetime
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import example, given, strategies as st

from crawlers.middlewares import parse_retry_after
from tests.conftest import FIGURES, tally


def test_seconds_and_http_dates():
    assert parse_retry_after(b"120") == 120.0
    now = datetime(2025, 1, 1, tzinfo=timezone.utc)
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(later, now=now.timestamp()) == pytest.approx(90.0)
    assert parse_retry_after(format_datetime(now - timedelta(days=1), usegmt=True), now=now.timestamp()) == 0.0


@given(st.text(max_size=60))
@example("²")  # a Unicode digit that float() refuses; found by this test
def test_any_header_value_parses_or_is_none(value):
    tally(FIGURES, "hypothesis", "retry_after_examples")
    result = parse_retry_after(value)
    assert result is None or result >= 0
