"""Local dates and wall-clock times in the team's zone, as UTC instants.

Every conversion from the team's wall clock to an instant goes through here, so that all
of them read a wall time the DST changes skip or repeat in the same way: a time the clocks
jump over counts with the offset before the jump (01:30 on the last Sunday of March in
London is 02:30 BST), a time they repeat counts as its first occurrence (01:30 on the last
Sunday of October is 01:30 BST), and a day whose midnight is skipped begins when its
clocks start.
"""

from datetime import datetime, time, timedelta, timezone


def local_instant(day, clock, tz):
    """The UTC instant of the wall-clock time `clock` on the local date `day` in `tz`;
    `time.max` (a window that runs to 24:00) is the next day's midnight."""
    if clock == time.max:
        day, clock = day + timedelta(days=1), time(0)
    return datetime.combine(day, clock, tzinfo=tz).astimezone(timezone.utc)


def local_midnight(day, tz):
    """The UTC instant the local date `day` begins in `tz`."""
    return local_instant(day, time(0), tz)


def local_day_span(first, last, tz):
    """(start, end) in UTC of the local dates `first` to `last`, both included."""
    return local_midnight(first, tz), local_midnight(last + timedelta(days=1), tz)


def wall_clock_to_utc(value, tz):
    """A date-time as UTC; one without an offset is wall-clock time in `tz`."""
    if value.tzinfo is None:
        return local_instant(value.date(), value.time(), tz)
    return value.astimezone(timezone.utc)
