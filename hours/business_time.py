"""Counting working time: a reaction deadline so many business hours after an instant, and
the business minutes that passed between two instants (a reaction measured in them)."""

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


def business_minutes_between(settings, start, end):
    """The minutes of open business time between the aware instants `start` and `end`: the
    team's weekly hours in its zone, closed days left out; 0 when `end` is not after `start`.

    Counted on the instants, so a window keeps its true length on the days the clocks change
    (an 08:00-18:00 window is ten hours on either side of a DST change)."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("business_minutes_between needs aware datetimes")
    start, end = start.astimezone(timezone.utc), end.astimezone(timezone.utc)
    if end <= start:
        return 0.0
    total = timedelta(0)
    day = start.astimezone(settings.tz).date()
    last = end.astimezone(settings.tz).date()
    while day <= last:
        for begin, finish in _windows(settings, day):
            overlap = min(finish, end) - max(begin, start)
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return total.total_seconds() / 60
