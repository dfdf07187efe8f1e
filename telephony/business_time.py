"""Counting working time: a reaction deadline so many business hours after an instant."""

import re
from datetime import datetime, time, timedelta, timezone

from telephony.hours import is_closed_day

MAX_DAYS = 400


def parse_duration(text):
    """'4h', '90m', '2h30m' -> minutes; ValueError for anything else."""
    match = re.fullmatch(r"\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*", str(text or ""))
    if not match or not any(match.groups()):
        raise ValueError(f"not a duration like 4h, 90m or 2h30m: {text!r}")
    minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    if minutes <= 0:
        raise ValueError(f"a duration must be positive: {text!r}")
    return minutes


def format_duration(minutes):
    hours, rest = divmod(int(minutes), 60)
    return (f"{hours}h" if hours else "") + (f"{rest}m" if rest or not hours else "")


def _windows(settings, day):
    """The open spans of a local date as aware UTC (start, end) pairs."""
    if is_closed_day(settings, day):
        return []
    spans = []
    for start, end in settings.hours.get(day.weekday(), ()):
        begin = datetime.combine(day, start, tzinfo=settings.tz)
        if end == time.max:
            finish = datetime.combine(day + timedelta(days=1), time(0), tzinfo=settings.tz)
        else:
            finish = datetime.combine(day, end, tzinfo=settings.tz)
        spans.append((begin.astimezone(timezone.utc), finish.astimezone(timezone.utc)))
    return sorted(spans)


def add_business_time(settings, start, minutes):
    """The instant `minutes` of open business time after the aware instant `start` (UTC)."""
    remaining = timedelta(minutes=minutes)
    cursor = start.astimezone(timezone.utc)
    day = start.astimezone(settings.tz).date()
    for _ in range(MAX_DAYS):
        for begin, finish in _windows(settings, day):
            begin = max(begin, cursor)
            if begin >= finish:
                continue
            available = finish - begin
            if available >= remaining:
                return begin + remaining
            remaining -= available
        day += timedelta(days=1)
    raise ValueError("no business hours within a year: check the [hours] settings")
