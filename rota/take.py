"""TAKE: an engineer takes over duty now, until the next handover; in office hours, for the
coming out-of-hours stretch (from today's close of business to the next opening or handover).

Implemented as an override from now to the end of the current period (or over that
stretch), so the plan (and
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
from hours.business_hours import is_in_hours
from outbox.models import SMS
from outbox.queue import enqueue
from rota.cover import coming_out_of_hours
from rota.engineers import RotaError
from rota.labels import local_label
from rota.models import FIRST_TEAM, DutyPeriod, Engineer, Override, team_id
from rota.periods import duty_at, period_at

log = logging.getLogger(__name__)

ATTEMPTS = 3


class NothingToTake(RotaError):
    """No duty period covers the moment (or, in office hours, the coming out-of-hours
    stretch, which starts at `ahead_from`): there is no duty to take."""

    def __init__(self, message, ahead_from=None):
        super().__init__(message)
        self.ahead_from = ahead_from


@dataclass(frozen=True)
class Taken:
    period: DutyPeriod
    previous: Engineer | None  # who was on duty before; None when nobody was
    already: bool  # the engineer was on duty already; nothing changed
    starts_at: object = None  # the span taken: from now, or from today's close of business
    ends_at: object = None
    ahead: bool = False  # taken in office hours, for the coming out-of-hours stretch


def _stamp_is(value):
    if value is None:
        return DutyPeriod.updated_at.is_null()
    return DutyPeriod.updated_at == value


def take_span(now, settings):
    """(start, end or None, ahead): in office hours the coming out-of-hours stretch (ahead),
    else from now to the end of the current period (None)."""
    if not is_in_hours(settings, now):
        return now, None, False
    coming = coming_out_of_hours(now, settings)
    if coming is None:
        raise NothingToTake("no out-of-hours time comes before the next handover", now)
    return coming[0], coming[1], True


def take_duty(engineer, now, settings, team=FIRST_TEAM):
    """Put `engineer` on duty for the team from now to the end of its period, or in the
    team's office hours over the coming out-of-hours stretch; tell whoever was on duty then.
    `settings` are the team's."""
    starts_at, limit, ahead = take_span(now, settings)
    for _ in range(ATTEMPTS):
        period = period_at(starts_at, team)
        if period is None:
            raise NothingToTake("no duty period covers that time", starts_at if ahead else None)
        ends_at = period.ends_at if limit is None else min(limit, period.ends_at)
        previous, _backup = duty_at(starts_at, team)
        if previous is not None and previous.id == engineer.id:
            return Taken(period, None, True, starts_at, ends_at, ahead)
        with database.atomic():
            won = (DutyPeriod
                   .update(updated_at=now)
                   .where(DutyPeriod.id == period.id, _stamp_is(period.updated_at))
                   .execute())
            if not won:
                continue  # someone changed the period or took it meanwhile: look again
            Override.create(team=team_id(team), engineer=engineer, starts_at=starts_at,
                            ends_at=ends_at, created_at=now)
            if previous is not None:
                enqueue(SMS, previous.mobile,
                        _previous_text(engineer, starts_at, ends_at, ahead, settings.tz),
                        _notice_key(period, previous, engineer, now), now)
        log.info("rota.take.take_duty: period=%s engineer=%s previous=%s ahead=%s", period.id,
                 engineer.id, previous.id if previous else None, ahead)
        return Taken(DutyPeriod.get_by_id(period.id), previous, False, starts_at, ends_at,
                     ahead)
    raise RotaError("the duty period kept changing; try again")


def _previous_text(taker, starts_at, ends_at, ahead, tz):
    if ahead:
        told = (f"{taker.name} has taken over your out-of-hours duty from "
                f"{local_label(starts_at, tz)} until {local_label(ends_at, tz)}; the support "
                "line will not forward to you then.")
    else:
        told = (f"{taker.name} has taken over duty from you at {local_label(starts_at, tz)} "
                f"until {local_label(ends_at, tz)}; the support line no longer forwards to "
                "you.")
    return told + " Not expected? Text TAKE to take it back and tell the office."


def _notice_key(period, previous, taker, now):
    at = now.astimezone(timezone.utc)
    return f"rota.taken:{period.id}:{previous.id}:{taker.id}:{at:%Y-%m-%dT%H:%M:%SZ}"
