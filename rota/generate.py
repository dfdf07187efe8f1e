"""Generating a month of the rota: load what the planner needs, plan, store the result."""

import logging
from dataclasses import dataclass
from datetime import date

from dutyline.db import database
from dutyline.localtime import local_midnight
from rota.absences import absences_between, is_absent
from rota.duty_changes import period_changes, queue_duty_changes
from rota.models import FIRST_TEAM, DutyPeriod, Engineer, Team, team_id
from rota.months import month_periods, month_slots
from rota.overrides import overrides_between
from rota.planner import BACKUP, PRIMARY, PlanInput, plan_month
from rota.spans import out_of_hours_spans, period_kind, subtract_spans
from rota.started import StartedPeriod, has_started
from rota.teams import members

log = logging.getLogger(__name__)


@dataclass
class GenerationResult:
    """What a generation did: periods in the month, cells filled, cells left empty, warnings."""

    periods: int
    filled: int
    kept: int
    empty: int
    warnings: list
    started: int = 0  # periods of the month that had started, left as they were


def earlier_counts(before_day, settings, team=FIRST_TEAM):
    """{(engineer id, role, kind): count} over the team's stored periods starting before
    `before_day`."""
    counts = {}
    rows = (DutyPeriod
            .select(DutyPeriod.starts_at, DutyPeriod.ends_at, DutyPeriod.primary,
                    DutyPeriod.backup)
            .where(DutyPeriod.team == team, DutyPeriod.day < before_day)
            .tuples())
    for starts_at, ends_at, primary, backup in rows:
        kind = period_kind(settings, starts_at, ends_at)
        for role, engineer_id in ((PRIMARY, primary), (BACKUP, backup)):
            if engineer_id is not None:
                key = (engineer_id, role, kind)
                counts[key] = counts.get(key, 0) + 1
    return counts


def _adjacent(period, instant):
    """Engineers of a stored period that touches `instant`, else nobody."""
    if period is None or instant not in (period.starts_at, period.ends_at):
        return frozenset()
    return frozenset(e for e in (period.primary_id, period.backup_id) if e is not None)


def load_plan_input(year, month, settings, replace=False, after=None, team=FIRST_TEAM):
    """The planner's input for a month of the team's rota from the database: its members
    are the engineers planned, `settings` the team's; kept cells are the valid ones.
    With `after` (an instant), only the periods starting after it are planned: those that
    have started are history, counted like the months before."""
    slots = [slot for slot in month_slots(year, month, settings)
             if after is None or not has_started(slot.starts_at, after)]
    if not slots:
        raise StartedPeriod(f"every duty period of {year}-{month:02d} has started, so there "
                            "is nothing to generate")
    engineers = members(_team(team))
    active = {e.id for e in engineers}
    stored = {p.day: p for p in month_periods(year, month, team)}
    absences = absences_between(slots[0].starts_at, slots[-1].ends_at)
    absent, fixed = {}, {}
    for index, slot in enumerate(slots):
        away = frozenset(e for e, spans in absences.items()
                         if is_absent(spans, slot.starts_at, slot.ends_at))
        absent[index] = away
        period = stored.get(slot.day)
        if period is None or replace:
            continue
        # an absent or departed engineer's place is open again
        kept = [e if e in active and e not in away else None
                for e in (period.primary_id, period.backup_id)]
        fixed[index] = tuple(kept)
    first_day = slots[0].day
    previous = (DutyPeriod.select().where(DutyPeriod.team == team, DutyPeriod.day < first_day)
                .order_by(DutyPeriod.day.desc()).first())
    following = (DutyPeriod.select()
                 .where(DutyPeriod.team == team, DutyPeriod.day > slots[-1].day)
                 .order_by(DutyPeriod.day).first())
    return PlanInput(slots=tuple(slots), engineers=tuple((e.id, e.name) for e in engineers),
                     fixed=fixed, absent=absent,
                     history=earlier_counts(first_day, settings, team),
                     before=_adjacent(previous, slots[0].starts_at),
                     after=_adjacent(following, slots[-1].ends_at),
                     with_backup=settings.backup), stored


def generate_month(year, month, settings, now, replace=False, include_started=False,
                   team=FIRST_TEAM):
    """Fill every open duty period of the team's month (all of them with `replace`) from its
    members, with `settings` the team's (handover, period, backup); deterministic.

    Periods that have started by `now` are left as they were (the month's first ones, when
    generating the current month) unless `include_started`."""
    after = None if include_started else now
    given, stored = load_plan_input(year, month, settings, replace, after, team)
    every = month_slots(year, month, settings)
    plan = plan_month(given)
    filled = kept = empty = 0
    roles = 2 if settings.backup else 1
    changes = []
    with database.atomic():
        _drop_stale(every, now, after, team)
        for index, slot in enumerate(given.slots):
            primary, backup = plan.assignments[index]
            was = given.fixed.get(index, (None, None))
            for position in range(roles):
                chosen = (primary, backup)[position]
                if chosen is None:
                    empty += 1
                elif was[position] == chosen:
                    kept += 1
                else:
                    filled += 1
            period = stored.get(slot.day)
            before = (period.primary_id, period.backup_id) if period else (None, None)
            written = _store(period, slot, primary, backup, now, team)
            if written is not None:
                changes += period_changes(written, before, (primary, backup), now,
                                          new_fills=False)
        queue_duty_changes(changes, settings, now)
    log.info("rota.generate_month: month=%04d-%02d filled=%d kept=%d empty=%d",
             year, month, filled, kept, empty)
    warnings = list(plan.warnings)
    uncovered = uncovered_month_start(year, month, settings, every[0].starts_at, team)
    if uncovered:
        tz = settings.tz
        a, b = uncovered[0][0].astimezone(tz), uncovered[-1][1].astimezone(tz)
        warnings.append(f"the month's first hours ({a:%a %d %b %H:%M} to {b:%a %d %b %H:%M}) "
                        "belong to a period of the month before that has nobody on duty")
    return GenerationResult(periods=len(given.slots), filled=filled, kept=kept, empty=empty,
                            warnings=warnings, started=len(every) - len(given.slots))


def _team(team):
    """The Team given as a Team or its id."""
    return team if isinstance(team, Team) else Team.get_by_id(team)


def _drop_stale(slots, now, after=None, team=FIRST_TEAM):
    """Periods of another length (daily and weekly periods switched) give way to the slots.

    Stored periods starting in the month on a day with no slot, and those of the next
    month starting inside the last slot, are deleted; a period of the month before running
    into the first slot is cut short at the first handover. With `after`, periods that have
    started by then are left as they are, and so is one whose cut would fall before it.
    """
    first, last = slots[0], slots[-1]
    days = [slot.day for slot in slots]
    stale = (DutyPeriod
             .delete()
             .where(DutyPeriod.team == team,
                    ((DutyPeriod.day >= date(first.day.year, first.day.month, 1))
                     & (DutyPeriod.day <= last.day) & DutyPeriod.day.not_in(days))
                    | ((DutyPeriod.day > last.day) & (DutyPeriod.starts_at < last.ends_at))))
    if after is not None:
        stale = stale.where(DutyPeriod.starts_at > after)
    stale.execute()
    if after is not None and has_started(first.starts_at, after):
        return
    (DutyPeriod
     .update(ends_at=first.starts_at, updated_at=now)
     .where(DutyPeriod.team == team, DutyPeriod.day < first.day,
            DutyPeriod.ends_at > first.starts_at)
     .execute())


def uncovered_month_start(year, month, settings, first_handover, team=FIRST_TEAM):
    """Out-of-hours spans from the month's first local midnight to its first handover that no
    stored period of the team (of an active engineer) or override covers."""
    start = local_midnight(date(year, month, 1), settings.tz)
    if first_handover <= start:
        return []
    covered = [(p.starts_at, p.ends_at) for p in (DutyPeriod
                                                  .select(DutyPeriod.starts_at,
                                                          DutyPeriod.ends_at)
                                                  .join(Engineer,
                                                        on=(DutyPeriod.primary == Engineer.id))
                                                  .where(DutyPeriod.team == team,
                                                         DutyPeriod.starts_at < first_handover,
                                                         DutyPeriod.ends_at > start,
                                                         Engineer.active))]
    covered += [(o.starts_at, o.ends_at)
                for o in overrides_between(start, first_handover, team)
                if o.engineer.active and o.ends_at > o.starts_at]
    left = []
    for a, b in out_of_hours_spans(settings, start, first_handover):
        left += subtract_spans(a, b, covered)
    return left


def _store(period, slot, primary, backup, now, team):
    """Write one period of the team when anything about it changed, stamping updated_at;
    the period written, or None."""
    if period is None:
        period = DutyPeriod(team=team_id(team), day=slot.day)
    elif (period.primary_id, period.backup_id, period.starts_at, period.ends_at) == (
            primary, backup, slot.starts_at, slot.ends_at):
        return None
    period.starts_at, period.ends_at = slot.starts_at, slot.ends_at
    period.primary, period.backup = primary, backup
    period.updated_at = now
    period.save()
    return period
