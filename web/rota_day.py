"""The day a manager picked on the Rota grid: its duty period, whether it has started, and the
values the assign, swap and override forms start with for it."""

from datetime import date, timedelta

from rota.periods import period_bounds

LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # a datetime-local field's value
ROUND = 5  # an override from now starts at the next multiple of these minutes


def _soon(now):
    """`now` rounded up to the next multiple of ROUND minutes (time to send the form)."""
    at = now.replace(second=0, microsecond=0)
    return at + timedelta(minutes=ROUND - at.minute % ROUND)


def picked_day(text, days, names, settings, now):
    """What the page shows of the day `text` ('YYYY-MM-DD') among the month's `days` (the
    grid's {date: Day}); None when it names no day of the month shown."""
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        return None
    cell = days.get(day)
    if cell is None:
        return None
    tz, period = settings.tz, cell.period
    if period is not None:
        first, (starts_at, ends_at) = period.day, (period.starts_at, period.ends_at)
    else:
        first, (starts_at, ends_at) = day, period_bounds(day, settings)
    under_way = starts_at <= now < ends_at
    override_from = max(_soon(now), starts_at) if under_way else starts_at
    primary = names.get(period.primary_id, "") if period is not None else ""
    backup = names.get(period.backup_id, "") if period is not None else ""
    return {
        "day": day, "first": first, "period": period, "starts_at": starts_at,
        "ends_at": ends_at, "primary": primary, "backup": backup,
        "started": starts_at <= now, "under_way": under_way, "over": ends_at <= now,
        "assign": {"day": first.isoformat(), "primary": primary, "backup": backup},
        "swap": {"first": first.isoformat()},
        "override": {"starts": override_from.astimezone(tz).strftime(LOCAL_INPUT),
                     "ends": ends_at.astimezone(tz).strftime(LOCAL_INPUT)},
    }
