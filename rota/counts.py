"""Who holds how many duties in a month: per engineer, per role and per kind of period."""

from datetime import timedelta

from hours.business_hours import is_closed_day
from rota.models import FIRST_TEAM, Engineer
from rota.months import month_periods
from rota.spans import WEEKEND, period_kind

WEEKNIGHTS = "weeknights"
WEEKENDS = "weekends"
HOLIDAYS = "holidays"
KINDS = (WEEKNIGHTS, WEEKENDS, HOLIDAYS)
ROLES = ("primary", "backup")


def report_kind(settings, start, end):
    """WEEKNIGHTS, WEEKENDS, or HOLIDAYS (a period without business hours that runs into a
    public holiday or closure day)."""
    if period_kind(settings, start, end) != WEEKEND:
        return WEEKNIGHTS
    day, last = start.astimezone(settings.tz).date(), end.astimezone(settings.tz).date()
    while day <= last:
        if is_closed_day(settings, day):
            return HOLIDAYS
        day += timedelta(days=1)
    return WEEKENDS


def month_counts(year, month, settings, team=FIRST_TEAM):
    """{engineer name: {role: {kind: count}}} over the team's periods starting in the
    month."""
    names = {e.id: e.name for e in Engineer.select(Engineer.id, Engineer.name)}
    counts = {}
    for period in month_periods(year, month, team):
        kind = report_kind(settings, period.starts_at, period.ends_at)
        for role, engineer_id in zip(ROLES, (period.primary_id, period.backup_id)):
            if engineer_id is None:
                continue
            person = counts.setdefault(names[engineer_id],
                                       {r: dict.fromkeys(KINDS, 0) for r in ROLES})
            person[role][kind] += 1
    return dict(sorted(counts.items()))


def describe_counts(person):
    """'primary: weeknights 5, weekends 3, holidays 1; backup: …' (a role held at all)."""
    parts = []
    for role in ROLES:
        tally = person[role]
        if role == "primary" or any(tally.values()):
            parts.append(f"{role}: " + ", ".join(f"{kind} {tally[kind]}" for kind in KINDS))
    return "; ".join(parts)
