"""How much one report may ask and do, so that no report holds up a caller.

A report covers at most MAX_DAYS local days: three years (366 days each), enough to put a
year beside the two before it. A longer span asked for that reaches back before the first
logged call starts at that call's day instead (there is nothing before it to count), and
one still longer than MAX_DAYS is refused in one line (ReportError).

Counting and keeping the figures of closed days and months (reports.units) is bounded too:
a report fills missing units until its Budget (FILL_SECONDS) is spent, at least one unit
each time, and then, when units are still missing, answers StillCounting instead of
figures; what it kept stays kept, so the next report goes on from there.
"""

import time
from datetime import timedelta

from reports.span import Span
from telephony.models import Call

MAX_DAYS = 3 * 366
FILL_SECONDS = 4.0  # the page, the download, the command and the weekly mail alike


class ReportError(ValueError):
    """A report that cannot be made as asked; the message says why."""


class StillCounting(Exception):
    """A report whose span's closed days and months could not all be counted and kept
    within its budget; the next report goes on where this one stopped."""

    def __init__(self, done):
        self.done = done  # the share of the span's closed time already kept, 0 to 1
        super().__init__(f"still counting this span's figures ({done:.0%} done): ask again "
                         "to go on")


class Budget:
    """The time a report (or a page's reports together) may spend filling kept figures.
    A timer, not the clock: it reads only how long the work has run."""

    def __init__(self, seconds=FILL_SECONDS):
        self.ends = time.monotonic() + seconds
        self.filled = 0  # units counted (and kept, where they could be) under this budget

    def due(self):
        """Whether to stop filling: the time is spent, and one unit at least was filled
        (so that every report takes the work a step further)."""
        return self.filled > 0 and time.monotonic() >= self.ends


def first_call_at():
    """When the first logged call arrived (one step into the index on arrival), or None."""
    first = Call.select(Call.started_at).order_by(Call.started_at).limit(1).first()
    return first.started_at if first else None


def _too_long(first, last, since_first_call=False):
    days = (last - first).days + 1
    if days > MAX_DAYS:
        start = f"{first} (the first call logged)" if since_first_call else f"{first}"
        raise ReportError(f"a report covers at most {MAX_DAYS:,} days (three years): {start} "
                          f"to {last} is {days:,} days")


def report_span(settings, first, last, mode=None, now=None, team=None):
    """The span of a report of the local days `first` to `last` (both included), as the web
    page, the download and `dutyline report calls` ask it, of one team's calls with `team`
    (an id); ReportError when too long."""
    if last < first:
        raise ReportError(f"the last day {last} is before the first {first}")
    since_first_call = False
    if (last - first).days + 1 > MAX_DAYS:
        at = first_call_at()
        day = at.astimezone(settings.tz).date() if at else None
        if day is not None and first < day <= last:
            first, since_first_call = day, True
    _too_long(first, last, since_first_call)
    return Span.days(settings, first, last, mode=mode, now=now, team=team)


def check_length(span):
    """ReportError for a span of more than MAX_DAYS local days, however it was made."""
    first = span.start.astimezone(span.tz).date()
    last = (span.end - timedelta(microseconds=1)).astimezone(span.tz).date()
    _too_long(first, last)
