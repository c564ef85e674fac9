"""Odd dates: each is right in UTC, or None so the raw text is kept."""

from datetime import datetime, timezone

import pytest

from crawlers.dates import source_date, to_iso

NOW = datetime(2025, 11, 28, tzinfo=timezone.utc)


@pytest.mark.parametrize("raw, expected", [
    ("2023-07-21T00:00:00", "2023-07-21"),                      # Parliament: midnight, no zone
    ("2023-06-07T00:00:00+01:00", "2023-06-07"),                # GOV.UK: a BST calendar date keeps its day
    ("2022-11-24", "2022-11-24"),
    ("2023-06-07T15:30:00+01:00", "2023-06-07T14:30:00+00:00"),  # a real time is converted to UTC
    ("Thu, 24 Nov 2022 00:00:00 +0000", "2022-11-24T00:00:00+00:00"),
    ("Wed, 29 Mar 2023 00:00:00 GMT", "2023-03-29T00:00:00+00:00"),
    ("Wed, 29 Mar 2023 10:00:00 -0000", "2023-03-29T10:00:00+00:00"),
    ("2016/6/29 15:07:41", "2016-06-29T15:07:41+00:00"),
    ("2099-01-01", None),                                         # far future
    ("1970-01-01T00:00:00Z", None),                               # the epoch: before 1990
    ("", None), (None, None), ("soon", None),
    ("Thu, 01 Jun 23 00:00:00 GMT", None),                        # two-digit year: not guessed
])
def test_source_dates(raw, expected, figures):
    assert source_date(raw, now=NOW) == expected
    dates = figures.setdefault("dates", {"cases": 0, "null_with_raw_kept": 0})
    dates["cases"] += 1
    dates["null_with_raw_kept"] += expected is None


def test_no_timezone_means_utc():
    assert to_iso("2023-01-02T03:04:05", now=NOW) == "2023-01-02T03:04:05+00:00"
