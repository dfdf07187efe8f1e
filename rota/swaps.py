"""Swapping whole duty periods: the engineers of two periods change places."""

from rota.duty_changes import period_changes, queue_duty_changes
from rota.engineers import RotaError
from rota.models import FIRST_TEAM, DutyPeriod
from rota.seen import check_seen, rota_write
from rota.started import StartedPeriod, has_started


def period_on(day, settings, team=FIRST_TEAM):
    """The team's stored period running on the local date `day` (the one starting that day
    first)."""
    period = (DutyPeriod
              .select()
              .where(DutyPeriod.team == team, DutyPeriod.day <= day)
              .order_by(DutyPeriod.day.desc())
              .first())
    if period is None or (day - period.day).days >= settings.period_days:
        raise RotaError(f"no duty period on {day:%a %d %b %Y}")
    return period


def swap_periods(first_day, second_day, settings, now, include_started=False, seen=None,
                 told_apart=(), team=FIRST_TEAM):
    """Exchange the primary and backup of the team's periods on two dates; returns both.
    A period that has started by `now` is refused unless `include_started`. With `seen`
    (rota.seen.Seen, what the form showed) a second identical submit is AlreadyDone. The
    engineers whose duties change are texted, but for those in `told_apart`."""
    with rota_write():
        first = period_on(first_day, settings, team)
        second = period_on(second_day, settings, team)
        if first.id == second.id:
            raise RotaError(f"{first_day} and {second_day} are the same duty period")
        for period in (first, second):
            if has_started(period.starts_at, now) and not include_started:
                raise StartedPeriod(f"the duty period of {period.day:%a %d %b %Y} has "
                                    "started; a swap would rewrite who was on duty")
        a = (first.primary_id, first.backup_id)
        b = (second.primary_id, second.backup_id)
        if seen is not None:  # swapped already: each holds what the page showed the other
            check_seen(seen, [first, second], [seen.expected(second.day),
                                               seen.expected(first.day)],
                       f"the periods of {first.day:%a %d %b} and {second.day:%a %d %b} were "
                       "swapped already")
        if first.primary_id is None and second.primary_id is None:
            raise RotaError("neither period has anyone on duty: nothing to swap")
        first.primary, first.backup = b
        second.primary, second.backup = a
        first.updated_at = second.updated_at = now
        first.save()
        second.save()
        queue_duty_changes(period_changes(first, a, b, now) + period_changes(second, b, a, now),
                           settings, now, told_apart)
    return first, second
