"""Counting working time: a reaction deadline so many business hours after an instant."""

from datetime import timedelta, timezone

from dutyline.localtime import local_instant
from hours.business_hours import is_closed_day

MAX_DAYS = 400


def _windows(settings, day):
    """The open spans of a local date as aware UTC (start, end) pairs."""
    if is_closed_day(settings, day):
        return []
    return sorted((local_instant(day, start, settings.tz), local_instant(day, end, settings.tz))
                  for start, end in settings.hours.get(day.weekday(), ()))


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
