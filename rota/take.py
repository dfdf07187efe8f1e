"""TAKE: an engineer takes over duty now, until the next handover.

Implemented as an override from now to the end of the current period, so the plan (and
the fairness counts built on it) keeps who was rostered, while the call flow, `rota who`
and the personal calendar show who actually covers. Two engineers taking at the same
moment are serialised by a compare-and-set on the period's `updated_at` (which also tells
the calendar feeds that something changed); the engineer it was taken from is told through
the outbox in the same transaction.
"""

import logging
from dataclasses import dataclass
from datetime import timezone

from dutyline.db import database
from outbox.models import SMS
from outbox.queue import enqueue
from rota.engineers import RotaError
from rota.handover import local_label
from rota.models import DutyPeriod, Engineer, Override
from rota.periods import duty_at, period_at

log = logging.getLogger(__name__)

ATTEMPTS = 3


class NothingToTake(RotaError):
    """No duty period covers the moment: there is no duty to take."""


@dataclass(frozen=True)
class Taken:
    period: DutyPeriod
    previous: Engineer | None  # who was on duty before; None when nobody was
    already: bool  # the engineer was on duty already; nothing changed


def _stamp_is(value):
    if value is None:
        return DutyPeriod.updated_at.is_null()
    return DutyPeriod.updated_at == value


def take_duty(engineer, now, settings):
    """Put `engineer` on duty from now to the period's end; tell whoever was on duty."""
    for _ in range(ATTEMPTS):
        period = period_at(now)
        if period is None:
            raise NothingToTake("no duty period covers this moment")
        previous, _backup = duty_at(now)
        if previous is not None and previous.id == engineer.id:
            return Taken(period, None, already=True)
        with database.atomic():
            won = (DutyPeriod
                   .update(updated_at=now)
                   .where(DutyPeriod.id == period.id, _stamp_is(period.updated_at))
                   .execute())
            if not won:
                continue  # someone changed the period or took it meanwhile: look again
            Override.create(engineer=engineer, starts_at=now, ends_at=period.ends_at,
                            created_at=now)
            if previous is not None:
                enqueue(SMS, previous.mobile,
                        f"{engineer.name} has taken over duty from you at "
                        f"{local_label(now, settings.tz)} until "
                        f"{local_label(period.ends_at, settings.tz)}; "
                        "the support line no longer forwards to you. Not expected? "
                        "Text TAKE to take it back and tell the office.",
                        _notice_key(period, previous, engineer, now), now)
        log.info("rota.take.take_duty: period=%s engineer=%s previous=%s", period.id,
                 engineer.id, previous.id if previous else None)
        return Taken(DutyPeriod.get_by_id(period.id), previous, already=False)
    raise RotaError("the duty period kept changing; try again")


def _notice_key(period, previous, taker, now):
    at = now.astimezone(timezone.utc)
    return f"rota.taken:{period.id}:{previous.id}:{taker.id}:{at:%Y-%m-%dT%H:%M:%SZ}"
