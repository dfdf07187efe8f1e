"""The stretch of time a report covers, in the team's time zone, and its UTC offsets."""

from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dutyline.localtime import local_day_span

DEFAULT_THRESHOLD_SECONDS = 12
DEFAULT_SHORT_ABANDON_SECONDS = 5
_STEP = timedelta(hours=6)  # zone changes are months apart; each one found is bisected


@dataclass(frozen=True)
class Span:
    """[start, end) as aware instants, with what the measures depend on.

    `mode` keeps only calls in hours ("in_hours") or out of hours ("out_of_hours");
    `now` is when the report is made (tickets not yet acknowledged count as late only once
    their deadline is before it); it defaults to `end`. `week_start` is the weekday a
    report's weeks start on (0 = Monday, the settings' week_start). `team` keeps only the
    calls (and their tickets and legs) of that team (its id); None counts every team's.
    """

    start: datetime
    end: datetime
    timezone: str = "Europe/London"
    threshold_seconds: int = DEFAULT_THRESHOLD_SECONDS
    short_abandon_seconds: int = DEFAULT_SHORT_ABANDON_SECONDS
    mode: str | None = None
    now: datetime | None = None
    week_start: int = 0
    team: int | None = None

    def __post_init__(self):
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a report span needs aware datetimes")
        if self.end <= self.start:
            raise ValueError("a report span must end after it starts")

    @classmethod
    def days(cls, settings, first, last, mode=None, now=None, team=None):
        """Local midnight of `first` to local midnight after `last` (dates), in the team zone;
        `team` (an id) keeps that team's calls only."""
        zone = settings.tz
        if last < first:
            raise ValueError("the last day of a report comes before its first")
        start, end = local_day_span(first, last, zone)
        return cls(start=start, end=end,
                   timezone=settings.timezone, threshold_seconds=settings.service_level_seconds,
                   short_abandon_seconds=settings.short_abandon_seconds, mode=mode, now=now,
                   week_start=settings.week_start, team=team)

    @property
    def tz(self):
        return ZoneInfo(self.timezone)

    @property
    def as_of(self):
        return self.now or self.end

    def local_days(self):
        """Every local date the span touches, in order."""
        day = self.start.astimezone(self.tz).date()
        last = (self.end - timedelta(microseconds=1)).astimezone(self.tz).date()
        while day <= last:
            yield day
            day += timedelta(days=1)

    def offsets(self):
        """[(utc_until, offset_seconds), …]: the zone's UTC offset over the span, piece by
        piece; the last piece runs to the end (utc_until None)."""
        return utc_offsets(self.tz, self.start, self.end)


def asked_days(today, first=None, last=None, default_days=None):
    """(first, last) local dates of a request: `last` defaults to today, `first` to
    `default_days` before `last` when given, else to the first of `last`'s month."""
    last = last or today
    if first is None:
        first = last - timedelta(days=default_days - 1) if default_days else last.replace(day=1)
    if last < first:
        raise ValueError(f"the last day {last} is before the first {first}")
    return first, last


def _offset(zone, instant):
    return int(instant.astimezone(zone).utcoffset().total_seconds())


@lru_cache(maxsize=256)  # a report asks for the same span's offsets several times
def utc_offsets(zone, start, end):
    """The pieces of [start, end) with one UTC offset each, as (utc_until, seconds)."""
    start, end = start.astimezone(timezone.utc), end.astimezone(timezone.utc)
    pieces = []
    current = _offset(zone, start)
    at = start
    while at < end:
        step = min(at + _STEP, end)
        if _offset(zone, step) != current:
            low, high = at, step  # offset(low) == current, offset(high) differs
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _offset(zone, middle) == current:
                    low = middle
                else:
                    high = middle
            high = high.replace(microsecond=0)
            pieces.append((high, current))
            current = _offset(zone, high)
        at = step
    pieces.append((None, current))
    return tuple(pieces)
