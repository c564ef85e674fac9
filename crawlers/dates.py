"""Dates as the sources write them, parsed to UTC ISO strings or None.

A date we cannot trust comes back as None so the caller keeps the raw text;
nothing outside [1990-01-01, now + 2 days] is accepted.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

logger = logging.getLogger(__name__)

EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc)
_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d",
            "%Y/%m/%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y")


def _plausible(moment: datetime, now: datetime | None) -> bool:
    now = now or datetime.now(timezone.utc)
    return EARLIEST <= moment <= now + timedelta(days=2)


def parse_datetime(raw, now: datetime | None = None) -> datetime | None:
    """Parse ISO 8601, RFC 822 and a few plain forms; naive means UTC."""
    if raw is None:
        return None
    if isinstance(raw, datetime):
        moment = raw
    elif isinstance(raw, date):
        moment = datetime(raw.year, raw.month, raw.day)
    else:
        text = str(raw).strip()
        if not text:
            return None
        moment = _parse_text(text)
        if moment is None:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc)
    return moment if _plausible(moment, now) else None


def _parse_text(text: str) -> datetime | None:
    iso = text.replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        pass
    if re.search(r"[A-Za-z]{3},? \d{1,2} [A-Za-z]{3} \d{2,4}", text) or re.match(r"\d{1,2} [A-Za-z]{3} \d{4} \d", text):
        try:
            moment = parsedate_to_datetime(text)
            if re.search(r"\b\d{2} \d{2}:", text) and not re.search(r"\b\d{4} \d{2}:", text):
                return None  # a two-digit year: refuse to guess the century
            return moment
        except (TypeError, ValueError, IndexError):
            return None
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def to_iso(raw, now: datetime | None = None, date_only: bool = False) -> str | None:
    """`YYYY-MM-DD` (date_only) or `YYYY-MM-DDTHH:MM:SS+00:00`, or None."""
    moment = parse_datetime(raw, now)
    if moment is None:
        return None
    if date_only:
        return moment.date().isoformat()
    return moment.replace(microsecond=0).isoformat()


def source_date(raw, now: datetime | None = None) -> str | None:
    """A source's date: a bare date stays a date; a midnight local date keeps its day.

    Parliament and GOV.UK publish calendar dates as midnight timestamps
    (``2023-06-07T00:00:00+01:00``); converting those to UTC would move the
    day back, so a midnight timestamp is read as the calendar date it names.
    """
    if raw is None:
        return None
    text = str(raw).strip()
    m = re.match(r"^(\d{4}-\d{2}-\d{2})(?:T00:00:00(?:\.0+)?(?:Z|[+-]\d{2}:?\d{2})?)?$", text)
    if m:
        return to_iso(m.group(1), now, date_only=True)
    return to_iso(text, now)
