"""A month of the rota: which duty periods it holds and what span of time they cover."""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from rota.engineers import RotaError
from rota.models import FIRST_TEAM, DutyPeriod, Engineer
from rota.periods import period_bounds
from rota.spans import period_kind


@dataclass(frozen=True)
class PeriodSlot:
    """One duty period as the planner sees it: where it starts, ends, and what kind it is."""

    day: date
    starts_at: object
    ends_at: object
    kind: str


def parse_month(text):
    """'2026-12' -> (2026, 12), or RotaError."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", (text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise RotaError(f"not a month (YYYY-MM): {text!r}")
    return int(match.group(1)), int(match.group(2))


def period_days(year, month, settings):
    """The local dates in the month on which a duty period starts."""
    first = date(year, month, 1)
    days = [first + timedelta(days=n) for n in range(monthrange(year, month)[1])]
    if settings.period == "week":
        days = [day for day in days if day.weekday() == settings.week_start]
    return days


def month_slots(year, month, settings):
    """PeriodSlot for every duty period starting in the month, in order."""
    slots = []
    for day in period_days(year, month, settings):
        starts_at, ends_at = period_bounds(day, settings)
        slots.append(PeriodSlot(day, starts_at, ends_at, period_kind(settings, starts_at, ends_at)))
    return slots


def month_span(year, month, settings):
    """(start, end) in UTC covered by the month's periods: first handover to last handover."""
    days = period_days(year, month, settings)
    return period_bounds(days[0], settings)[0], period_bounds(days[-1], settings)[1]


def month_periods(year, month, team=FIRST_TEAM):
    """The team's stored periods starting in the month, in order, with their engineers."""
    first = date(year, month, 1)
    last = date(year, month, monthrange(year, month)[1])
    return list(DutyPeriod
                .select()
                .where(DutyPeriod.team == team, DutyPeriod.day.between(first, last))
                .order_by(DutyPeriod.day))


def period_as_dict(period, settings):
    """A stored period as plain data for output, with local times and names."""
    tz = settings.tz

    def name(engineer_id):
        return Engineer.get_by_id(engineer_id).name if engineer_id else None

    return {"day": period.day.isoformat(), "starts_at": period.starts_at.isoformat(),
            "ends_at": period.ends_at.isoformat(),
            "local": f"{period.starts_at.astimezone(tz):%a %d %b %H:%M} to "
                     f"{period.ends_at.astimezone(tz):%a %d %b %H:%M}",
            "kind": period_kind(settings, period.starts_at, period.ends_at),
            "primary": name(period.primary_id), "backup": name(period.backup_id)}
