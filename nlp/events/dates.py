"""Dates as day numbers and intervals: '2022', '2022-11', '2022-11-24' or a timestamp."""

from __future__ import annotations

import calendar
import re
from datetime import date

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
EARLIEST = date(1900, 1, 1).toordinal()
LATEST = date(2200, 1, 1).toordinal()


def interval(value: str | None) -> tuple[int, int, str] | None:
    """(first day, last day, precision) of a date string, or None when it is not a date."""
    m = _DATE.match(value or "")
    if not m:
        return None
    year = int(m.group(1))
    try:
        if m.group(3):
            day = date(year, int(m.group(2)), int(m.group(3))).toordinal()
            return day, day, "day"
        if m.group(2):
            month = int(m.group(2))
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1).toordinal(), date(year, month, last).toordinal(), "month"
        return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal(), "year"
    except ValueError:
        return None


def day(value: str | None) -> str | None:
    """The YYYY-MM-DD part of a date or timestamp, or None."""
    m = _DATE.match(value or "")
    return value[:10] if m and m.group(3) else None


def iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()
