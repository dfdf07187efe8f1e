"""Calls by weekday and hour of the day, in the team's local time: the Reports page's heat map.

Read from the same kept figures as report() (reports.units): each closed day's calls by
local hour, on that day's weekday, each closed hour of today on its own, and the rest
counted from the call log. A call is counted once, at the local hour it arrived: on the
day the clocks go back both 01:00 hours are hour 1, and the day they go forward has no
hour 1 at all. Only the number of calls is read from each entry, so a year's map costs
little more than reading its days. One team's map (`span.team`) is counted from the call
log, as its report is (reports.report).
"""

from dataclasses import replace
from datetime import date

from reports import units
from reports.call_figures import call_tallies
from reports.limits import check_length
from reports.unit_figures import CALL_FIELDS

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CALLS = CALL_FIELDS.index("calls")


def weekday_hours(span, *, kept=True, budget=None):
    """{(weekday, hour): calls} that arrived in `span` (weekday 0 = Monday, hour 0 to 23,
    local), the pairs with calls only. StillCounting when figures of closed days are still
    missing once `budget` is spent, ReportError for too long a span."""
    check_length(span)
    counts = {}

    def add(key, calls):
        counts[key] = counts.get(key, 0) + calls

    def kept_entry(key, entry):
        add(key, entry[0][CALLS])

    pieces = (units.read_kept(span, "weekday_hour", kept_entry, budget)
              if kept and span.team is None and units.ready() else [(span.start, span.end)])
    for start, end in pieces:
        sub = replace(span, start=start, end=end, now=span.as_of)
        for (day, hour), tally in call_tallies(sub, ("day", "hour")).items():
            add((date.fromisoformat(day).weekday(), int(hour)), tally.calls)
    return {key: calls for key, calls in counts.items() if calls}


def grid(span, calls):
    """[(weekday name, [calls at 00:00 … 23:00])], the weekdays from the span's week_start."""
    order = [(span.week_start + n) % 7 for n in range(7)]
    return [(WEEKDAYS[day], [calls.get((day, hour), 0) for hour in range(24)])
            for day in order]
