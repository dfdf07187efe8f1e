"""The month of the rota as a grid of local days: periods, overrides, absences, closed days and
the coverage check's problems, each placed on the days it touches."""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta

from dutyline.localtime import local_day_span
from hours.business_hours import is_closed_day
from rota.absences import list_absences
from rota.check import ABSENT, BACK_TO_BACK, GAP, NO_BACKUP, check_month
from rota.counts import month_counts
from rota.engineers import list_engineers
from rota.months import month_periods
from rota.overrides import overrides_between
from rota.periods import local_handover
from rota.models import FIRST_TEAM, Engineer, TeamMember


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
    started: bool = False  # its duty period has started: history, locked

    @property
    def tags(self):
        """What the cell says of its problems, once each: "coverage gap", "back to back: Ben
        Smith", "absent" …"""
        tags = []
        for problem in self.problems:
            if problem.kind == GAP:
                tag = "coverage gap"
            elif problem.kind == BACK_TO_BACK:
                tag = f"back to back: {problem.engineer}"
            else:
                tag = problem.kind.replace("_", " ")
            if tag not in tags:
                tags.append(tag)
        return tags


def _local_day_bounds(day, tz):
    return local_day_span(day, day, tz)


def _days_touched(start, end, tz, first, last):
    """The local dates from `first` to `last` that the span [start, end) touches."""
    day = max(start.astimezone(tz).date(), first)
    stop = min((end - timedelta(microseconds=1)).astimezone(tz).date(), last)
    while day <= stop:
        yield day
        day += timedelta(days=1)


def _period_days(start, end, tz, first, last):
    """The local dates from `first` to `last` of the cells showing the periods that run from
    `start` to `end` (handover to handover): the day each starts on, not the one it ends on."""
    day = max(start.astimezone(tz).date(), first)
    stop = min((end.astimezone(tz) - timedelta(days=1)).date(), last)
    while day <= stop:
        yield day
        day += timedelta(days=1)


def _of_periods(problem):
    """True when the problem concerns whole duty periods (shown on their days)."""
    return problem.kind in (BACK_TO_BACK, NO_BACKUP) or (
        problem.kind == ABSENT and problem.role in ("primary", "backup"))


def month_grid(year, month, settings, now, team=FIRST_TEAM, engineers=None):
    """(weeks of Day or None, problems, overrides, absences, the month's duties per engineer)
    of the team's (its id) month, in its zone; a day whose period has started by `now` is
    locked. `engineers` are those the forms offer (every active engineer by default)."""
    tz = settings.tz
    first = date(year, month, 1)
    last = date(year, month, monthrange(year, month)[1])
    days = {first + timedelta(days=n): Day(first + timedelta(days=n)) for n in range(last.day)}
    names = {e.id: e.name for e in Engineer.select(Engineer.id, Engineer.name)}
    periods = month_periods(year, month, team)
    for cell in days.values():
        cell.closed = is_closed_day(settings, cell.day)
        cell.weekend = cell.day.weekday() >= 5
        cell.started = local_handover(cell.day, settings) <= now  # unless a period says
    # a weekly period shows on each day it runs
    for period in periods:
        for n in range(settings.period_days):
            cell = days.get(period.day + timedelta(days=n))
            if cell is not None:
                cell.period = period
                cell.started = period.starts_at <= now
    start = _local_day_bounds(first, tz)[0]
    end = _local_day_bounds(last, tz)[1]
    overrides = overrides_between(start, end, team)
    for item in overrides:
        for day in _days_touched(item.starts_at, item.ends_at, tz, first, last):
            days[day].overrides.append(item)
    in_team = {m.engineer_id for m in TeamMember.select().where(TeamMember.team == team)}
    absences = [a for a in list_absences(start)  # the team's engineers' only
                if a.starts_at < end and a.engineer_id in in_team]
    for item in absences:
        for day in _days_touched(item.starts_at, item.ends_at, tz, first, last):
            days[day].absent.append(names.get(item.engineer_id, "?"))
    problems = check_month(year, month, settings, team)
    for problem in problems:
        touched = _period_days if _of_periods(problem) else _days_touched
        for day in touched(problem.starts_at, problem.ends_at, tz, first, last):
            days[day].problems.append(problem)
            days[day].gap = days[day].gap or problem.kind == GAP
    lead = [None] * first.weekday()
    cells = lead + [days[d] for d in sorted(days)]
    cells += [None] * (-len(cells) % 7)
    weeks = [cells[n:n + 7] for n in range(0, len(cells), 7)]
    return {"weeks": weeks, "problems": problems, "overrides": overrides,
            "absences": absences, "names": names,
            "engineers": list_engineers() if engineers is None else engineers,
            "days": days, "counts": month_counts(year, month, settings, team)}


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
