"""Duty periods: from one handover to the next, in local wall-clock time."""

from datetime import timedelta
from typing import NamedTuple

from peewee import JOIN, Case, Select

from dutyline.db import database
from dutyline.localtime import local_instant
from dutyline.settings import WEEKDAYS
from rota.duty_changes import period_changes, queue_duty_changes
from rota.engineers import RotaError
from rota.models import FIRST_TEAM, DutyPeriod, Engineer, Override
from rota.overrides import overrides_in_force
from rota.seen import AlreadyDone, check_seen, rota_write
from rota.started import StartedPeriod, has_started


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


def assign_period(day, primary, backup, settings, *, now, seen=None, include_started=True,
                  team=FIRST_TEAM):
    """Put `primary` (and `backup`) on duty for the team `team` (its id) from the handover
    on `day` to the next one.
    With `seen` (rota.seen.Seen, what the form showed), a second identical submit, or one
    finding those people there already, is AlreadyDone. With `include_started` False (the
    web's form, its box not ticked) a period that has started by `now` is refused."""
    if backup is not None and backup.id == primary.id:
        raise RotaError("the backup must be someone other than the primary")
    check_period_start(day, settings)
    starts_at, ends_at = period_bounds(day, settings)
    if not include_started and has_started(starts_at, now):
        raise StartedPeriod(f"the duty period of {day:%a %d %b %Y} has started; assigning it "
                            "would rewrite who was on duty")
    wanted = (primary.id, backup.id if backup is not None else None)
    done = (f"{primary.name} is already on duty on {day:%a %d %b %Y}"
            + (f" with {backup.name} as backup" if backup is not None else ""))
    with rota_write():
        period = DutyPeriod.get_or_none(DutyPeriod.team == team, DutyPeriod.day == day)
        if period is None:
            period = DutyPeriod(team=team, day=day)
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


def period_at(now, team=FIRST_TEAM):
    """The team's duty period covering the aware instant `now`, with its engineers, or None."""
    return (_with_engineers()
            .where(DutyPeriod.team == team, DutyPeriod.starts_at <= now,
                   DutyPeriod.ends_at > now)
            .order_by(DutyPeriod.starts_at.desc())
            .first())


class OnDuty(NamedTuple):
    """Who is on duty, as three scalar subqueries: each an engineer's id, or NULL."""

    primary: object  # the planned primary of the period in force
    backup: object  # its planned backup
    override: object  # the engineer of the override in force, over the plan


def on_duty(at, team=FIRST_TEAM):
    """The one query of who is on duty at `at`: the period in force names its primary and
    backup, each only while active (an engineer removed during the period is no longer on
    duty in what is left of it), and the override in force its engineer.

    `team` is a team's id and `at` an aware instant, or each the slot of a compiled
    statement: the arrival composes these into its one read (telephony.arrival), duty_at
    runs them; either way resolve_duty makes the pair on duty of the three.
    """
    in_force = (DutyPeriod
                .select()
                .where(DutyPeriod.team == team, DutyPeriod.starts_at <= at,
                       DutyPeriod.ends_at > at)
                .order_by(DutyPeriod.starts_at.desc())
                .limit(1))

    def planned(role):
        return (in_force.select(Case(None, [(Engineer.active, role)]))
                .join(Engineer, JOIN.LEFT_OUTER, on=(role == Engineer.id)))

    return OnDuty(planned(DutyPeriod.primary), planned(DutyPeriod.backup),
                  overrides_in_force(at, team).select(Override.engineer).limit(1))


def duty_at(now, team=FIRST_TEAM):
    """(primary, backup) engineers of the team (its id) on duty at `now` (on_duty), an
    override winning over the plan."""
    ids = database.execute(Select(columns=list(on_duty(now, team)))).fetchone()
    engineers = {e.id: e for e in Engineer.select().where(Engineer.id.in_(
        [i for i in ids if i is not None]))}
    return resolve_duty(*(engineers.get(i) for i in ids))


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


def next_period_after(now, team=FIRST_TEAM):
    """The team's first period that starts after `now`, with its engineers, or None."""
    return (_with_engineers()
            .where(DutyPeriod.team == team, DutyPeriod.starts_at > now)
            .order_by(DutyPeriod.starts_at)
            .first())
