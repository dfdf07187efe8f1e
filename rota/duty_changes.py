"""Texts to engineers whose coming duty changed (a swap, an override, a regeneration, an
assignment): queued in the transaction that makes the change, one text per engineer per
change, so an engineer hears once what they gained and what they lost.

Only duties not yet over count, and only for active engineers. A first generation, filling
periods nobody held, tells nobody: the weekly duty list does.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from rota.labels import local_label
from rota.models import Engineer
from outbox.models import SMS
from outbox.queue import enqueue

log = logging.getLogger(__name__)

ON_DUTY = "on duty"
BACKUP = "backup"
COVERING = "covering"


@dataclass(frozen=True)
class DutyChange:
    engineer_id: int
    gained: bool
    role: str
    starts_at: datetime
    ends_at: datetime


def period_changes(period, before, after, now, new_fills=True):
    """DutyChanges of one period whose (primary id, backup id) went from `before` to `after`."""
    if period.ends_at <= now:
        return []
    changes = []
    for role, old, new in zip((ON_DUTY, BACKUP), before, after):
        if old == new or (old is None and not new_fills):
            continue
        if old is not None:
            changes.append(DutyChange(old, False, role, period.starts_at, period.ends_at))
        if new is not None:
            changes.append(DutyChange(new, True, role, period.starts_at, period.ends_at))
    return changes


def override_changes(override, periods, now, gained=True):
    """DutyChanges of an override made (or removed, `gained` False): its engineer covers, the
    planned primaries of the periods it touches are covered for that span."""
    if override.ends_at <= now:
        return []
    changes = [DutyChange(override.engineer_id, gained, COVERING, override.starts_at,
                          override.ends_at)]
    for period in periods:
        if period.primary_id not in (None, override.engineer_id):
            changes.append(DutyChange(period.primary_id, not gained, ON_DUTY,
                                      max(period.starts_at, override.starts_at),
                                      min(period.ends_at, override.ends_at)))
    return changes


def describe(changes, tz):
    """'now on duty 18:00 Tue 8 Dec to 18:00 Wed 9 Dec; no longer backup …'."""
    parts = []
    for change in sorted(changes, key=lambda c: (c.starts_at, not c.gained)):
        verb = "now" if change.gained else "no longer"
        parts.append(f"{verb} {change.role} {local_label(change.starts_at, tz)} to "
                     f"{local_label(change.ends_at, tz)}")
    return "; ".join(parts)


def queue_duty_changes(changes, settings, now, told_apart=()):
    """Queue one text per engineer listing their changes; the engineers told.

    Call inside the change's own transaction. The key is the change's instant and the
    engineer, so one change is one text. Engineers in `told_apart` (the two of an accepted
    swap request, who hear of it in words of their own) get none."""
    by_engineer = {}
    for change in changes:
        if change.engineer_id not in told_apart:
            by_engineer.setdefault(change.engineer_id, []).append(change)
    told = []
    engineers = {e.id: e for e in Engineer.select().where(Engineer.id.in_(list(by_engineer)),
                                                          Engineer.active)}
    for engineer_id, mine in sorted(by_engineer.items()):
        engineer = engineers.get(engineer_id)
        if engineer is None:
            continue
        # a change undone within itself (lost and gained the same duty) is no change
        net = [c for c in mine
               if DutyChange(c.engineer_id, not c.gained, c.role, c.starts_at, c.ends_at)
               not in mine]
        if not net:
            continue
        key = f"rota.change:{now.isoformat()}:{engineer_id}"
        if enqueue(SMS, engineer.mobile,
                          f"Rota change: {describe(net, settings.tz)}.", key, now):
            told.append(engineer_id)
    if told:
        log.info("rota.duty_changes.queue_duty_changes: engineers=%s", told)
    return told
