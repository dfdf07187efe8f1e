"""Overrides: an engineer on duty for a span, winning over the planned primary."""

from dutyline.db import database
from dutyline.ids import as_id
from rota.duty_changes import override_changes, queue_duty_changes
from rota.engineers import RotaError, find_engineer
from rota.models import FIRST_TEAM, DutyPeriod, Engineer, Override, team_id
from rota.seen import AlreadyDone, rota_write
from rota.started import StartedPeriod, has_started, minute_of


def _touched(override):
    """The override's team's periods it overlaps."""
    return list(DutyPeriod
                .select()
                .where(DutyPeriod.team == override.team_id,
                       DutyPeriod.starts_at < override.ends_at,
                       DutyPeriod.ends_at > override.starts_at)
                .order_by(DutyPeriod.starts_at))


def add_override(name, starts_at, ends_at, settings, now, include_started=False, seen=None,
                 team=FIRST_TEAM):
    """Put the engineer called `name` on duty for the team `team` (a Team or its id) from
    `starts_at` to `ends_at` (aware instants);
    the engineers concerned are texted. One starting before `now` (to the minute) would
    rewrite who was on duty: refused unless `include_started`. With `seen` (rota.seen.Seen,
    what the form showed), the same override made since the page was shown (a second
    identical submit) is AlreadyDone."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise RotaError("an override needs times with a time zone")
    if ends_at <= starts_at:
        raise RotaError(f"the override ends ({ends_at.isoformat()}) before it starts "
                        f"({starts_at.isoformat()})")
    if starts_at < minute_of(now) and not include_started:
        local = starts_at.astimezone(settings.tz)
        raise StartedPeriod(f"the override starts at {local:%a %d %b %Y %H:%M}, which has "
                            "passed; it would rewrite who was on duty")
    engineer = find_engineer(name)
    with rota_write():
        if seen is not None and Override.select().where(
                Override.id > seen.last_override, Override.team == team,
                Override.engineer == engineer.id,
                Override.starts_at == starts_at, Override.ends_at == ends_at).exists():
            raise AlreadyDone(f"{engineer.name} was put on duty over that span already")
        made = Override.create(team=team_id(team), engineer=engineer, starts_at=starts_at,
                               ends_at=ends_at, created_at=now)
        queue_duty_changes(override_changes(made, _touched(made), now), settings, now)
    return made


def remove_override(override_id, settings, now, include_started=False):
    """Delete the override with this id (as `rota show --json` lists it); the engineers
    concerned are texted. One that has started ends at `now` instead, its past kept (and one
    that is over stays), unless `include_started`; returns True when it was ended early."""
    with database.atomic():
        key = as_id(override_id)  # a number past the keys' range names no override
        override = Override.get_or_none(Override.id == key) if key else None
        if override is None:
            raise RotaError(f"no override with id {override_id}")
        early = has_started(override.starts_at, now) and not include_started
        if early and override.ends_at <= now:
            raise StartedPeriod(f"override {override_id} is over; removing it would rewrite "
                                "who was on duty")
        if early:
            Override.update(ends_at=now).where(Override.id == override.id).execute()
            override.starts_at = now  # what is taken away: the part still to come
        else:
            override.delete_instance()
        queue_duty_changes(override_changes(override, _touched(override), now, gained=False),
                           settings, now)
    return early


def overrides_in_force(at, team=FIRST_TEAM):
    """The team's overrides in force at `at` whose engineer is active, the one that wins
    (the latest made) first. `at` is an aware instant, or the slot of a compiled statement
    (rota.periods.on_duty composes this into the arrival's read)."""
    return (Override
            .select(Override, Engineer)
            .join(Engineer)
            .where(Override.team == team,
                   Override.starts_at <= at,
                   Override.ends_at > at,
                   Engineer.active)
            .order_by(Override.created_at.desc(), Override.id.desc()))


def override_at(now, team=FIRST_TEAM):
    """The team's override in force at the aware instant `now`, or None."""
    return overrides_in_force(now, team).first()


def overrides_between(start, end, team=FIRST_TEAM):
    """The team's overrides that touch the span [start, end), reversed ones included, by
    start."""
    return list(Override
                .select(Override, Engineer)
                .join(Engineer)
                .where(Override.team == team,
                       ((Override.starts_at < end) & (Override.ends_at > start))
                       | Override.starts_at.between(start, end)
                       | Override.ends_at.between(start, end))
                .order_by(Override.starts_at, Override.id))


def override_as_dict(override):
    """An override as plain data for output."""
    return {"id": override.id, "engineer": override.engineer.name,
            "starts_at": override.starts_at.isoformat(), "ends_at": override.ends_at.isoformat()}
