"""An engineer's own duty, as their Now page shows it first: on duty now or backup, until
when, the other engineer on duty with them, their next duties, their cover, and what TAKE
and COVER would do at this moment."""

from dataclasses import dataclass
from datetime import timedelta

from rota.cover import cover_span
from rota.models import FIRST_TEAM
from rota.overrides import override_at
from rota.periods import duty_at, period_at
from rota.take import NothingToTake, take_span
from rota.weekly import duties_of

ON_DUTY = "on duty"
BACKUP = "backup"
AHEAD = timedelta(days=28)
LISTED = 3


@dataclass(frozen=True)
class MyDuty:
    role: str | None  # ON_DUTY, BACKUP, or None (not on duty now)
    until: object  # when that role ends
    partner: object  # the backup when on duty, the engineer on duty when backup
    on_duty: object  # the engineer on duty now (an override winning), or None
    coming: list  # (start, end, role) of their next duties
    more: int  # how many more in the next four weeks
    cover_until: object  # their out-of-hours cover ends then; None when not cover
    take: tuple | None  # (start, end) TAKE would take now; None when there is nothing to take
    taken_by_me: bool  # they hold that span already
    cover: tuple  # (start, end) COVER would cover now
    ahead: bool  # in office hours: TAKE and COVER are for the coming out-of-hours stretch


def _span_to_take(now, settings, team):
    try:
        starts_at, limit, ahead = take_span(now, settings)
    except NothingToTake:
        return None, True
    period = period_at(starts_at, team)
    if period is None:
        return None, ahead
    return (starts_at, period.ends_at if limit is None else min(limit, period.ends_at)), ahead


def my_duty(engineer, now, settings, team=FIRST_TEAM):
    """The MyDuty of `engineer` in the team's rota at `now`; `settings` are the team's."""
    primary, backup = duty_at(now, team)
    period, override = period_at(now, team), override_at(now, team)
    role = partner = until = None
    if primary is not None and primary.id == engineer.id:
        role, partner = ON_DUTY, backup
        mine = override is not None and override.engineer_id == engineer.id
        until = override.ends_at if mine else period.ends_at
    elif backup is not None and backup.id == engineer.id:
        role, partner, until = BACKUP, primary, period.ends_at if period else None
    duties = duties_of(engineer.id, now, now + AHEAD, team)
    take, ahead = _span_to_take(now, settings, team)
    holder = duty_at(take[0], team)[0] if take is not None else None
    cover_until = engineer.cover_until if engineer.cover_until and engineer.cover_until > now \
        else None
    return MyDuty(role=role, until=until, partner=partner, on_duty=primary,
                  coming=duties[:LISTED], more=max(len(duties) - LISTED, 0),
                  cover_until=cover_until, take=take,
                  taken_by_me=holder is not None and holder.id == engineer.id,
                  cover=cover_span(now, settings), ahead=ahead)
