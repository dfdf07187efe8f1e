"""Business hours and closed days (public holidays, closure days), in the team's time zone."""

from dutyline.holidays import is_public_holiday

IN_HOURS = "in_hours"
OUT_OF_HOURS = "out_of_hours"


def is_closed_day(settings, day):
    """True when the whole local date is closed: a public holiday or a configured closure day."""
    return day in settings.closed or is_public_holiday(settings.holidays, day)


def is_in_hours(settings, now):
    """True when the aware instant `now` falls inside the team's weekly hours on an open day."""
    if now.tzinfo is None:
        raise ValueError("is_in_hours needs an aware datetime")
    local = now.astimezone(settings.tz)
    if is_closed_day(settings, local.date()):
        return False
    clock = local.time().replace(tzinfo=None)
    return any(start <= clock < end for start, end in settings.hours.get(local.weekday(), ()))


def mode_at(settings, now):
    """IN_HOURS or OUT_OF_HOURS at the aware instant `now`."""
    return IN_HOURS if is_in_hours(settings, now) else OUT_OF_HOURS
