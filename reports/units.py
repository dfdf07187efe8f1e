"""Counted figures of closed days and hours, kept so that report() counts only the open part.

A span is cut into units: each whole local month of the team's zone that is over by the
time of the report (`span.as_of`), each whole local day that is over, then each whole hour
(when the zone's offsets over the span are whole hours) that is over, and the rest, counted
live from the call log as before. A unit's figures are the very tallies the live queries
give, for every call mode and grouping (in total, per hour, engineer and customer), and they
add up exactly: counts, whole milliseconds and histograms of whole seconds. So a report made
of units equals the one counted from the calls, which tests/reports/test_units.py checks.

A unit missing from report_unit is counted and kept (reports.kept) without counting while
writers wait: a marker is put in its place, the unit counted outside any transaction, and
its figures written into the marker only if no change deleted it meanwhile; after that
triggers (dutyline.kept_figures) delete any unit a changed row falls in (a late callback,
an acknowledged ticket), and the next report counts it again. Units that end
before the first logged call hold nothing: they are not kept but counted with the rest,
at once. A report fills missing units until its budget (reports.limits.Budget) is spent,
one unit at least, then answers StillCounting; what it kept is kept for the next one.
"""

import logging
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from dutyline import kept_figures
from dutyline.db import database
from dutyline.localtime import local_day_span
from reports import kept
from reports.call_figures import call_tallies
from reports.leg_figures import leg_tallies
from reports.limits import Budget, StillCounting, first_call_at
from reports.unit_figures import Sums, encode, entries, merge, new_entry
from reports.models import partial_until
from reports.span import Span
from reports.ticket_figures import open_deadlines, ticket_tallies

log = logging.getLogger(__name__)

HOUR = timedelta(hours=1)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)  # a unit's tickets are never late "yet"
KEYS = ("hour", "engineer", "customer")  # what a unit is counted by, besides the mode


class _OutOfTime(Exception):
    """The budget is spent with units still missing."""


def plan(span, quiet_until=None, months=True):
    """([(level, start, end)], [(start, end)]): the units the span is made of and the
    pieces left to count live (adjacent ones joined). A unit that ends by `quiet_until`
    (the first logged call) holds nothing to keep: it is left to count live too. Without
    `months`, a whole month is made of its days."""
    hourly = all(seconds % 3600 == 0 for _, seconds in span.offsets())
    units, live = [], []

    def add_live(start, end):
        if start >= end:
            return
        if live and live[-1][1] == start:
            live[-1] = (live[-1][0], end)
        else:
            live.append((start, end))

    def add_unit(level, start, end):
        if quiet_until is not None and end <= quiet_until:
            add_live(start, end)
        else:
            units.append((level, start, end))

    days = list(span.local_days())
    index = 0
    while index < len(days):
        day = days[index]
        index += 1
        if day.day == 1 and months:  # a whole month that is over: one unit
            last = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            month_start, month_end = local_day_span(day, last, span.tz)
            if span.start <= month_start and month_end <= min(span.end, span.as_of):
                add_unit("month", month_start, month_end)
                index += last.day - 1
                continue
        day_start, day_end = local_day_span(day, day, span.tz)
        start, end = max(day_start, span.start), min(day_end, span.end)
        if (start, end) == (day_start, day_end) and day_end <= span.as_of:
            add_unit("day", day_start, day_end)
            continue
        hour = start.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
        hour = hour if hour == start else hour + HOUR
        cursor = start
        while hourly and hour + HOUR <= min(end, span.as_of):
            add_live(cursor, hour)
            add_unit("hour", hour, hour + HOUR)
            cursor = hour = hour + HOUR
        add_live(cursor, end)
    return units, live


def basis(span):
    """What a unit's figures depend on besides its calls: a unit counted otherwise is not used."""
    until = partial_until()
    return (f"{span.timezone}|{span.threshold_seconds}|{span.short_abandon_seconds}|"
            f"{until.isoformat() if until else ''}")


# the column a grouping reads, and the grouping each column is counted by; "weekday_hour"
# (the heat map's) reads a day's hours with its weekday, so it reads days, never months
COLUMNS = {None: "total", "day": "total", "hour": "hours", "engineer": "engineers",
           "customer": "customers", "weekday_hour": "hours"}
HOURLY = ("hour", "weekday_hour")
BY = {"total": None, "hours": "hour", "engineers": "engineer", "customers": "customer"}
ALL_MODES = "*"


def gather(span, group, live, budget=None):
    """(calls, tickets, legs) as call_tallies, ticket_tallies and leg_tallies give them for
    the span, from its units and `live(sub_span)` for the rest; StillCounting when units
    are still missing once `budget` is spent."""
    sums = Sums()
    pieces = read_kept(span, group, lambda key, entry: sums.add(key, *entry, span.as_of),
                       budget)
    calls, tickets, legs = sums.tallies()
    for start, end in pieces:
        sub = replace(span, start=start, end=end, now=span.as_of)
        for into, found in zip((calls, tickets, legs), live(sub)):
            for key, tally in found.items():
                into.setdefault(key, type(tally)()).add(tally)
    return calls, tickets, legs


def read_kept(span, group, take, budget=None):
    """Hand every entry of the span's units to `take(key, [calls, tickets, open, legs])`,
    keyed as the grouping's rows are (units not yet kept are counted and kept while the
    budget lasts); returns the pieces of the span left to count live, [(start, end)]."""
    units, pieces = plan(span, first_call_at() or span.end, months=group != "weekday_hour")
    if units:
        mode = span.mode or ALL_MODES
        stored = _stored(span, units, group, budget or Budget())
        for (level, start, _end), (column, text) in zip(units, stored):
            weekday = start.astimezone(span.tz).weekday()
            for key, *entry in entries(text, mode):
                if column == "total":
                    key = _whole_key(group, level, start, span, key)
                elif group == "weekday_hour":  # a day's hours, on the day's weekday
                    key = (weekday, key)
                take(key, entry)
    return pieces


def _whole_key(group, level, start, span, key):
    """A unit's key when its total is the group's row: its day, an hour unit's hour, or
    for a month (its total kept by day) the day of the entry."""
    if level == "month":
        return key if group == "day" else 0
    if group == "day":
        return start.astimezone(span.tz).date().isoformat()
    if group in HOURLY:
        local = start.astimezone(span.tz)
        return local.hour if group == "hour" else (local.weekday(), local.hour)
    return 0


def _column(group, level):
    return "total" if group in HOURLY and level == "hour" else COLUMNS[group]


def _stored(span, units, group, budget):
    """[(column, JSON)] of each unit, in order: the kept ones read in one query (the column
    the grouping needs), the others counted now (and kept) while the budget lasts."""
    known = basis(span)
    wanted = {COLUMNS[group], "total"} if group in HOURLY else {COLUMNS[group]}
    stored = kept.rows(units, known, wanted)
    found = []
    try:
        for level, start, end in units:
            row = stored.get((level, start)) or _fill(span, level, start, end, known, budget)
            column = _column(group, level)
            found.append((column, row[column]))
    except _OutOfTime:
        raise StillCounting(_done(span, units, known)) from None
    return found


def _days(sub):
    return [("day", *local_day_span(day, day, sub.tz)) for day in sub.local_days()]


def _fill(span, level, start, end, known, budget):
    """The unit's columns, counted (a month: added up from its days, kept first) and kept
    (reports.kept); _OutOfTime instead once the budget is spent."""
    if budget.due():
        raise _OutOfTime
    sub = replace(span, start=start, end=end, mode=None, now=EPOCH)
    if level == "month":
        days = _days(sub)
        if not database.in_transaction():
            stored = kept.rows(days, known, ())
            for unit in days:
                if unit[:2] not in stored:
                    _fill(span, *unit, known, budget)
            if budget.due():
                raise _OutOfTime

        def counted():
            return _month(sub, days, known)
    else:
        def counted():
            return count(sub, level)
    columns = kept.keep(level, start, end, known, counted)
    budget.filled += 1
    return columns


def _done(span, units, known):
    """The share of the units' time kept (of a month not kept, its kept days)."""
    stored = kept.rows(units, known, ())
    parts = [unit for unit in units if unit[:2] in stored]
    days = [day for level, start, end in units if level == "month" and (level, start) not in
            stored for day in _days(replace(span, start=start, end=end))]
    if days:
        stored = kept.rows(days, known, ())
        parts += [day for day in days if day[:2] in stored]
    return (sum((end - start).total_seconds() for _, start, end in parts)
            / sum((end - start).total_seconds() for _, start, end in units))


def _month(sub, days, known):
    """A month's columns: its days' kept columns (any not kept counted) added up, the
    total kept day by day so that a report by day can read it."""
    stored = kept.rows(days, known, BY)
    columns = [stored.get(unit[:2]) or count(replace(sub, start=unit[1], end=unit[2]), "day")
               for unit in days]
    keys = [start.astimezone(sub.tz).date().isoformat() for _, start, _ in days]
    merged = {name: merge([found[name] for found in columns]) for name in BY if name != "total"}
    return {"total": merge([found["total"] for found in columns], keys), **merged}


def count(sub, level):
    """A unit's columns as JSON (reports.unit_figures), each counted by its grouping and
    by mode, the modes together under "*"."""
    kept = {}

    def entry(column, mode, key):
        found = kept.setdefault(column, {}).setdefault(mode or "", {})
        return found.setdefault(key, new_entry())

    def spread(mode, keys, add):
        for column, by in BY.items():
            if column == "hours" and level != "day":
                continue
            key = 0 if by is None else keys[KEYS.index(by)]
            for each in (mode, ALL_MODES):
                add(entry(column, each, key))

    for (mode, *keys), tally in call_tallies(sub, KEYS, by_mode=True).items():
        spread(mode, keys, lambda found, tally=tally: found["c"].add(tally))
    for (mode, *keys), tally in ticket_tallies(sub, KEYS, by_mode=True).items():
        spread(mode, keys, lambda found, tally=tally: found["t"].add(tally))
    for (mode, *keys), deadline in open_deadlines(sub, KEYS, by_mode=True):
        iso = deadline.isoformat()
        spread(mode, keys, lambda found, at=iso: found["o"].append(at))
    for (mode, engineer), tally in leg_tallies(sub, by_mode=True).items():
        for each in (mode, ALL_MODES):
            entry("engineers", each, engineer)["l"].add(tally)
    return {column: encode(kept.get(column, {})) for column in BY
            if column != "hours" or level == "day"}


def ready():
    """Whether the database has the units' table and every trigger that keeps them right
    (a schema made some other way, or a table rebuilt without its triggers, has not):
    without them reports count everything from the call log. Asked of the database's
    catalogue at every report (about 0.1 ms), so a trigger dropped since is never missed."""
    return kept_figures.in_place(database.obj)


def keep_recent(settings, now):
    """Count and keep yesterday and today's closed hours ahead of the pages that show them
    (the clock process does it every pass; a page then counts only the hour under way)."""
    if not ready():
        return
    today = now.astimezone(settings.tz).date()
    span = Span.days(settings, today - timedelta(days=1), today, now=now)
    try:
        gather(span, None, lambda sub: ({}, {}, {}))
    except StillCounting as exc:  # the next pass goes on
        log.info("reports.units: %s", exc)
