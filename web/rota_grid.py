"""The month of the rota as a grid of local days: periods, overrides, absences, closed days and
the coverage check's problems, each placed on the days it touches."""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta

from dutyline.localtime import local_day_span
from hours.business_hours import is_closed_day
from rota.absences import list_absences
from rota.check import GAP, check_month
from rota.engineers import list_engineers
from rota.months import month_periods
from rota.overrides import overrides_between
from rota.models import Engineer


@dataclass
class Day:
    day: date
    period: object = None
    closed: bool = False
    weekend: bool = False
    overrides: list = field(default_factory=list)
    absent: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    gap: bool = False


def _local_day_bounds(day, tz):
    return local_day_span(day, day, tz)


def _days_touched(start, end, tz, first, last):
    """The local dates from `first` to `last` that the span [start, end) touches."""
    day = max(start.astimezone(tz).date(), first)
    stop = min((end - timedelta(microseconds=1)).astimezone(tz).date(), last)
    while day <= stop:
        yield day
        day += timedelta(days=1)


def month_grid(year, month, settings):
    """(weeks of Day or None, problems, overrides, absences) for the month, in the team's zone."""
    tz = settings.tz
    first = date(year, month, 1)
    last = date(year, month, monthrange(year, month)[1])
    days = {first + timedelta(days=n): Day(first + timedelta(days=n)) for n in range(last.day)}
    names = {e.id: e.name for e in Engineer.select(Engineer.id, Engineer.name)}
    periods = month_periods(year, month)
    for cell in days.values():
        cell.closed = is_closed_day(settings, cell.day)
        cell.weekend = cell.day.weekday() >= 5
    # a weekly period shows on each day it runs
    for period in periods:
        for n in range(settings.period_days):
            cell = days.get(period.day + timedelta(days=n))
            if cell is not None:
                cell.period = period
    start = _local_day_bounds(first, tz)[0]
    end = _local_day_bounds(last, tz)[1]
    overrides = overrides_between(start, end)
    for item in overrides:
        for day in _days_touched(item.starts_at, item.ends_at, tz, first, last):
            days[day].overrides.append(item)
    absences = [a for a in list_absences(start) if a.starts_at < end]
    for item in absences:
        for day in _days_touched(item.starts_at, item.ends_at, tz, first, last):
            days[day].absent.append(names.get(item.engineer_id, "?"))
    problems = check_month(year, month, settings)
    for problem in problems:
        for day in _days_touched(problem.starts_at, problem.ends_at, tz, first, last):
            days[day].problems.append(problem)
            days[day].gap = days[day].gap or problem.kind == GAP
    lead = [None] * first.weekday()
    cells = lead + [days[d] for d in sorted(days)]
    cells += [None] * (-len(cells) % 7)
    weeks = [cells[n:n + 7] for n in range(0, len(cells), 7)]
    return {"weeks": weeks, "problems": problems, "overrides": overrides,
            "absences": absences, "names": names, "engineers": list_engineers()}


def month_of(text, now, tz):
    """(year, month) from 'YYYY-MM', or the month of `now` in the team's zone."""
    if text:
        from rota.months import parse_month

        return parse_month(text)
    here = now.astimezone(tz)
    return here.year, here.month


def neighbours(year, month):
    """'YYYY-MM' of the months before and after."""
    before = (year - 1, 12) if month == 1 else (year, month - 1)
    after = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{before[0]}-{before[1]:02d}", f"{after[0]}-{after[1]:02d}"
