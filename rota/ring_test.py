"""A duty phone proved at handover: at each handover (and on demand) the incoming duty
engineer's phone is called through the outbox ("You are on duty from 18:00. Press 1 to
confirm."). Not confirmed within the setting `ring_test_minutes`, the backup and the managers are told, and
the duty shows as unconfirmed.

The call and the warning are outbox rows with dedupe keys (the handover's instant), so a
clock that runs twice, restarts or runs beside another makes each once. The words are
decided when the call is answered (webhooks/ring_test_voice.py).
"""

import logging
from datetime import timedelta, timezone

from dutyline.db import database
from outbox.models import SMS, VOICE
from outbox.queue import enqueue
from rota.handover import LATE_LIMIT, handover_of
from rota.labels import relative_label
from rota.managers import managers_of, tell_managers
from rota.models import FIRST_TEAM, DutyPeriod, Engineer, RingTest, team_id
from rota.periods import duty_at

log = logging.getLogger(__name__)

KEY_PREFIX = "rota.ring-test:"
LOOK_BACK = timedelta(hours=12)  # unconfirmed tests older than this are not warned of


def is_ring_test(message):
    return (message.dedupe_key or "").startswith(KEY_PREFIX)


def _stamp(instant):
    return f"{instant.astimezone(timezone.utc):%Y-%m-%dT%H:%M:%S.%fZ}"


def _queue(engineer, duty_from, key, now, team):
    """The call and its row (of the team), in one transaction; the RingTest, or None when
    made before."""
    with database.atomic():
        if not enqueue(VOICE, engineer.mobile, f"Ring test: on duty from {_stamp(duty_from)}",
                       key, now):
            return None
        test = RingTest.create(team=team_id(team), engineer=engineer.id, duty_from=duty_from,
                               key=key, queued_at=now)
    log.info("rota.ring_test: engineer=%s duty_from=%s queued", engineer.id,
             duty_from.isoformat())
    return test


def handover_key(duty_from, team):
    """The dedupe key of the ring test of a team's handover: one a handover and team (the
    first team's as it was before there were teams)."""
    key = f"{KEY_PREFIX}{_stamp(duty_from)}"
    return key if team_id(team) == FIRST_TEAM else f"{key}:team-{team_id(team)}"


def queue_ring_tests(now, team=FIRST_TEAM):
    """The clock's pass for a team: the ring test of every handover of its rota that fell in
    the last LATE_LIMIT, to its engineer on duty from it; the RingTests newly queued."""
    made = []
    for period in (DutyPeriod.select()
                   .where(DutyPeriod.team == team, DutyPeriod.starts_at > now - LATE_LIMIT,
                          DutyPeriod.starts_at <= now)
                   .order_by(DutyPeriod.starts_at)):
        handover, _outgoing = handover_of(period)
        if handover.primary is None or now >= handover.ends_at \
                or not handover.primary.ring_test:
            continue
        test = _queue(handover.primary, handover.starts_at,
                      handover_key(handover.starts_at, team), now, team)
        if test is not None:
            made.append(test)
    return made


class RingTestRefused(ValueError):
    """An engineer may not turn the ring test off: the managers do not allow it."""


def set_ring_test(engineer, wanted, settings, now):
    """Turn an engineer's ring test on, or off where `ring_test_opt_out` allows it; True
    when that changed anything."""
    if not wanted and not settings.ring_test_opt_out:
        raise RingTestRefused("the ring test can be turned off only where the managers allow "
                              "it (the setting ring_test_opt_out)")
    return bool(Engineer.update(ring_test=wanted, updated_at=now)
                .where(Engineer.id == engineer.id, Engineer.ring_test != wanted).execute())


def next_handover(now, team=FIRST_TEAM):
    """The start of the team's next duty period and its engineer on duty, or (None, None)."""
    period = (DutyPeriod.select().where(DutyPeriod.team == team, DutyPeriod.starts_at > now)
              .order_by(DutyPeriod.starts_at).first())
    if period is None:
        return None, None
    return period.starts_at, duty_at(period.starts_at, team)[0]


def ring_test_now(engineer, duty_from, now, team=FIRST_TEAM):
    """On demand (`dutyline rota ring-test`): call `engineer` about the team's duty from
    `duty_from`."""
    key = f"{KEY_PREFIX}demand:{_stamp(now)}:{engineer.id}"
    if team_id(team) != FIRST_TEAM:
        key += f":team-{team_id(team)}"
    return _queue(engineer, duty_from, key, now, team)


def ring_test_of(message):
    if message is None or not is_ring_test(message):
        return None
    return RingTest.get_or_none(RingTest.key == message.dedupe_key)


def words(test, now, tz):
    """What the engineer hears."""
    return (f"You are on duty from {relative_label(test.duty_from, now, tz)}. "
            "Press 1 to confirm.")


def confirm(test, now):
    """1 pressed: confirmed once; True when this press did it."""
    return bool(RingTest.update(confirmed_at=now)
                .where(RingTest.id == test.id, RingTest.confirmed_at.is_null()).execute())


def queue_unconfirmed_warnings(settings, managers, now, team=FIRST_TEAM):
    """Tell the team's backup and its managers (rota.managers.managers_of its `settings` and
    the installation's `managers`) of every ring test of the team not confirmed in time (its
    `settings`' ring_test_minutes); once."""
    managers = managers_of(settings, managers)
    due = list(RingTest.select()
               .where(RingTest.team == team, RingTest.confirmed_at.is_null(),
                      RingTest.warned_at.is_null(),
                      RingTest.queued_at <= now - timedelta(minutes=settings.ring_test_minutes),
                      RingTest.queued_at > now - LOOK_BACK))
    for test in due:
        engineer = test.engineer
        text = (f"Ring test: {engineer.name} did not confirm the duty phone "
                f"({engineer.mobile}) for the duty from "
                f"{relative_label(test.duty_from, now, settings.tz)}. Please check.")
        with database.atomic():
            _primary, backup = duty_at(test.duty_from, team)
            if backup is not None and backup.id != engineer.id:
                enqueue(SMS, backup.mobile, text, f"{test.key}:unconfirmed:{backup.id}", now)
            if managers:
                tell_managers(managers, f"{test.key}:unconfirmed", text, now,
                              subject="dutyline: a duty phone was not confirmed")
            RingTest.update(warned_at=now).where(RingTest.id == test.id).execute()
        log.warning("rota.ring_test: engineer=%s duty_from=%s unconfirmed, told",
                    engineer.id, test.duty_from.isoformat())
    return due


def unconfirmed_duty(now, team=FIRST_TEAM):
    """The ring test of the team's duty in force at `now` when it went unconfirmed, or None."""
    return (RingTest.select()
            .where(RingTest.team == team, RingTest.duty_from <= now,
                   RingTest.duty_from > now - timedelta(days=8),
                   RingTest.confirmed_at.is_null(), RingTest.warned_at.is_null(False))
            .order_by(RingTest.duty_from.desc()).first())
