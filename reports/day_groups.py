"""Local days grouped into weeks and calendar months: a report by week or by month is its
report by day added up, so the figures are the very ones of the days (kept or counted).

A week is seven local days from the team's `week_start` (Monday by default, the ISO week),
a month a calendar month of the team's zone; the first and last of a span are cut to the
days the span covers, and each row says which days it holds.
"""

from datetime import date, timedelta

GROUPS = ("week", "month")


def period_start(day, group, week_start=0):
    """The first day of the week (starting on weekday `week_start`, 0 = Monday) or the
    month that `day` falls in."""
    if group == "month":
        return day.replace(day=1)
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def period_key(day, group, week_start=0):
    """A row's key: the week's first day ("2026-11-30"), or the month ("2026-11")."""
    first = period_start(day, group, week_start)
    return first.isoformat() if group == "week" else f"{first:%Y-%m}"


def periods(span, group):
    """[(key, label, first day, last day)] of every week or month the span touches, in
    order; first and last are the days of it the span covers."""
    found = {}
    for day in span.local_days():
        key = period_key(day, group, span.week_start)
        first, _ = found.get(key, (day, day))
        found[key] = (first, day)
    return [(key, _label(group, first, last), first, last)
            for key, (first, last) in found.items()]


def _label(group, first, last):
    if group == "week":
        return f"{first:%a %d %b} – {last:%a %d %b %Y}"
    whole = first.day == 1 and (last + timedelta(days=1)).day == 1
    return f"{first:%B %Y}" if whole else f"{first:%B %Y} ({first.day}–{last.day})"


def fold(tallies, group, week_start=0):
    """{day key ("2026-11-30"): tally} added up into {week or month key: tally}."""
    folded = {}
    for key, tally in tallies.items():
        into = period_key(date.fromisoformat(key), group, week_start)
        folded.setdefault(into, type(tally)()).add(tally)
    return folded
