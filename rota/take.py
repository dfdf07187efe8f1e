"""TAKE: an engineer takes over duty now, until the next handover.

Implemented as a change of the current period's primary (the call flow already reads it),
made with a conditional UPDATE so two engineers taking at once cannot both believe they won;
the engineer it was taken from is told through the outbox in the same transaction. When the
backup takes over, the former primary becomes the backup, so the period keeps two people.
"""

import logging
from dataclasses import dataclass
from datetime import timezone

from dutyline.db import database
from rota.engineers import RotaError
from rota.handover import local_label
from rota.models import DutyPeriod, Engineer
from rota.periods import period_at
from voicemail import outbox

log = logging.getLogger(__name__)

ATTEMPTS = 3


class NothingToTake(RotaError):
    """No duty period covers the moment: there is no duty to take."""


@dataclass(frozen=True)
class Taken:
    period: DutyPeriod
    previous: Engineer | None  # who was on duty before; None when nobody was
    already: bool  # the engineer was on duty already; nothing changed


def _primary_is(engineer_id):
    if engineer_id is None:
        return DutyPeriod.primary.is_null()
    return DutyPeriod.primary == engineer_id


def take_duty(engineer, now, settings):
    """Make `engineer` the primary from now to the period's end; tell the previous primary."""
    for _ in range(ATTEMPTS):
        period = period_at(now)
        if period is None:
            raise NothingToTake("no duty period covers this moment")
        if period.primary_id == engineer.id:
            return Taken(period, None, already=True)
        previous_id = period.primary_id
        changes = {DutyPeriod.primary: engineer.id}
        if period.backup_id == engineer.id:
            changes[DutyPeriod.backup] = previous_id
        with database.atomic():
            won = (DutyPeriod
                   .update(changes)
                   .where(DutyPeriod.id == period.id, _primary_is(previous_id))
                   .execute())
            if not won:
                continue  # someone else changed the period meanwhile: look again
            previous = Engineer.get_by_id(previous_id) if previous_id is not None else None
            if previous is not None:
                outbox.enqueue(outbox.SMS, previous.mobile,
                               f"{engineer.name} has taken over duty from you at "
                               f"{local_label(now, settings.tz)} until "
                               f"{local_label(period.ends_at, settings.tz)}; "
                               "the support line no longer forwards to you.",
                               _notice_key(period, previous, engineer, now), now)
        log.info("rota.take.take_duty: period=%s engineer=%s previous=%s", period.id,
                 engineer.id, previous_id)
        return Taken(DutyPeriod.get_by_id(period.id), previous, already=False)
    raise RotaError("the duty period kept changing; try again")


def _notice_key(period, previous, taker, now):
    at = now.astimezone(timezone.utc)
    return f"rota.taken:{period.id}:{previous.id}:{taker.id}:{at:%Y-%m-%dT%H:%M:%SZ}"
