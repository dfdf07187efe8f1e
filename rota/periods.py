"""Duty periods: from one handover to the next, in local wall-clock time."""

from datetime import timedelta

from peewee import JOIN

from dutyline.localtime import local_instant
from dutyline.settings import WEEKDAYS
from rota.duty_changes import period_changes, queue_duty_changes
from rota.engineers import RotaError
from rota.models import DutyPeriod, Engineer
from rota.overrides import override_at
from rota.seen import AlreadyDone, check_seen, rota_write


def local_handover(day, settings):
    """The handover instant on a local date, as an aware UTC datetime."""
    return local_instant(day, settings.handover, settings.tz)


def period_bounds(day, settings):
    """(start, end) in UTC of the period (a day, or a week) that starts at the handover on `day`."""
    return (local_handover(day, settings),
            local_handover(day + timedelta(days=settings.period_days), settings))


def check_period_start(day, settings):
    """Raise RotaError unless a duty period can start on the local date `day`."""
    if settings.period == "week" and day.weekday() != settings.week_start:
        raise RotaError(f"weekly periods start on {WEEKDAYS[settings.week_start]}; "
                        f"{day:%a %d %b %Y} is not one")


def assign_period(day, primary, backup, settings, *, now, seen=None):
    """Put `primary` (and `backup`) on duty from the handover on `day` to the next one.
    With `seen` (rota.seen.Seen, what the form showed), a second identical submit, or one
    finding those people there already, is AlreadyDone."""
    if backup is not None and backup.id == primary.id:
        raise RotaError("the backup must be someone other than the primary")
    check_period_start(day, settings)
    starts_at, ends_at = period_bounds(day, settings)
    wanted = (primary.id, backup.id if backup is not None else None)
    done = (f"{primary.name} is already on duty on {day:%a %d %b %Y}"
            + (f" with {backup.name} as backup" if backup is not None else ""))
    with rota_write():
        period = DutyPeriod.get_or_none(DutyPeriod.day == day)
        if period is None:
            period = DutyPeriod(day=day)
        check_seen(seen, [period], [wanted], done)
        unchanged = (period.id is not None
                     and (period.starts_at, period.ends_at) == (starts_at, ends_at)
                     and (period.primary_id, period.backup_id) == wanted)
        if unchanged:  # re-assigning the same people is no change: the feeds stay as they are
            if seen is not None:
                raise AlreadyDone(done)
            return period
        before = (period.primary_id, period.backup_id) if period.id is not None else (None, None)
        period.starts_at, period.ends_at = starts_at, ends_at
        period.primary, period.backup = primary, backup
        period.updated_at = now
        period.save()
        after = (period.primary_id, period.backup_id)
        queue_duty_changes(period_changes(period, before, after, period.updated_at,
                                          new_fills=False), settings, period.updated_at)
    return period


def _with_engineers():
    """Duty periods with their primary and backup engineers read in the same query."""
    primary, backup = Engineer.alias(), Engineer.alias()
    return (DutyPeriod
            .select(DutyPeriod, primary, backup)
            .join(primary, JOIN.LEFT_OUTER, on=(DutyPeriod.primary == primary.id),
                  attr="primary")
            .switch(DutyPeriod)
            .join(backup, JOIN.LEFT_OUTER, on=(DutyPeriod.backup == backup.id), attr="backup"))


def period_at(now):
    """The duty period covering the aware instant `now`, with its engineers, or None."""
    return (_with_engineers()
            .where(DutyPeriod.starts_at <= now, DutyPeriod.ends_at > now)
            .order_by(DutyPeriod.starts_at.desc())
            .first())


def duty_at(now):
    """(primary, backup) engineers on duty at `now`, an override winning over the plan."""
    period = period_at(now)
    primary, backup = (period.primary, period.backup) if period else (None, None)
    # an engineer removed during the period is no longer on duty in what is left of it
    primary = primary if primary is not None and primary.active else None
    backup = backup if backup is not None and backup.active else None
    override = override_at(now)
    return resolve_duty(primary, backup, override.engineer if override is not None else None)


def resolve_duty(primary, backup, override):
    """(primary, backup) when `override` (an engineer, or None) stands in over the plan.

    Works on anything with an `id`: the rota's engineers, or the router's people.
    """
    if override is not None:
        if backup is not None and backup.id == override.id:
            backup = primary  # the backup covers: the planned primary stays reachable as backup
        primary = override
        if backup is not None and backup.id == primary.id:
            backup = None
    return primary, backup


def next_period_after(now):
    """The first period that starts after `now`, with its engineers, or None."""
    return (_with_engineers()
            .where(DutyPeriod.starts_at > now)
            .order_by(DutyPeriod.starts_at)
            .first())
