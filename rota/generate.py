"""Generating a month of the rota: load what the planner needs, plan, store the result."""

import logging
from dataclasses import dataclass

from dutyline.db import database
from rota.absences import absences_between, is_absent
from rota.engineers import list_engineers
from rota.models import DutyPeriod
from rota.months import month_periods, month_slots
from rota.planner import BACKUP, PRIMARY, PlanInput, plan_month
from rota.spans import period_kind

log = logging.getLogger(__name__)


@dataclass
class GenerationResult:
    """What a generation did: periods in the month, cells filled, cells left empty, warnings."""

    periods: int
    filled: int
    kept: int
    empty: int
    warnings: list


def earlier_counts(before_day, settings):
    """{(engineer id, role, kind): count} over the stored periods starting before `before_day`."""
    counts = {}
    rows = (DutyPeriod
            .select(DutyPeriod.starts_at, DutyPeriod.ends_at, DutyPeriod.primary,
                    DutyPeriod.backup)
            .where(DutyPeriod.day < before_day)
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


def load_plan_input(year, month, settings, replace=False):
    """The planner's input for a month from the database; kept cells are the valid ones."""
    slots = month_slots(year, month, settings)
    engineers = list_engineers()
    active = {e.id for e in engineers}
    stored = {p.day: p for p in month_periods(year, month)}
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
    previous = (DutyPeriod.select().where(DutyPeriod.day < first_day)
                .order_by(DutyPeriod.day.desc()).first())
    following = (DutyPeriod.select().where(DutyPeriod.day > slots[-1].day)
                 .order_by(DutyPeriod.day).first())
    return PlanInput(slots=tuple(slots), engineers=tuple((e.id, e.name) for e in engineers),
                     fixed=fixed, absent=absent,
                     history=earlier_counts(first_day, settings),
                     before=_adjacent(previous, slots[0].starts_at),
                     after=_adjacent(following, slots[-1].ends_at),
                     with_backup=settings.backup), stored


def generate_month(year, month, settings, now, replace=False):
    """Fill every open duty period of the month (all of them with `replace`); deterministic."""
    given, stored = load_plan_input(year, month, settings, replace)
    plan = plan_month(given)
    filled = kept = empty = 0
    roles = 2 if settings.backup else 1
    with database.atomic():
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
            _store(stored.get(slot.day), slot, primary, backup, now)
    log.info("rota.generate_month: month=%04d-%02d filled=%d kept=%d empty=%d",
             year, month, filled, kept, empty)
    return GenerationResult(periods=len(given.slots), filled=filled, kept=kept, empty=empty,
                            warnings=list(plan.warnings))


def _store(period, slot, primary, backup, now):
    """Write one period when anything about it changed, stamping updated_at."""
    if period is None:
        period = DutyPeriod(day=slot.day)
    elif (period.primary_id, period.backup_id, period.starts_at, period.ends_at) == (
            primary, backup, slot.starts_at, slot.ends_at):
        return
    period.starts_at, period.ends_at = slot.starts_at, slot.ends_at
    period.primary, period.backup = primary, backup
    period.updated_at = now
    period.save()
