"""Handover notices: a reminder the day before (to the primary and to the backup), a text to
the incoming engineer and to the backup at the handover, and a confirmation to the outgoing
one; computed from the rota and `now`, queued in the outbox.

Each notice has a dedupe key (kind, handover instant, engineer; the on-duty text only one per
handover), so a clock that runs twice, restarts, or runs beside a second clock queues it once.
A notice is sent from its due time until LATE_LIMIT after it (a clock an hour late still
sends); older notices are dropped, so a clock that was down for a day does not text about
handovers long past. LATE_LIMIT is shorter than REMINDER_AHEAD, so a reminder is never sent
after its period has started.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from dutyline.db import database
from outbox.models import SMS
from outbox.queue import enqueue
from rota.labels import local_label
from rota.models import FIRST_TEAM, DutyPeriod, team_id
from rota.periods import duty_at

log = logging.getLogger(__name__)

REMINDER_AHEAD = timedelta(hours=24)
LATE_LIMIT = timedelta(hours=3)

REMINDER = "reminder"
ON_DUTY = "on-duty"
OFF_DUTY = "off-duty"
BACKUP = "backup"
BACKUP_ON = "backup-on"


@dataclass(frozen=True)
class Notice:
    kind: str
    due_at: datetime
    engineer_id: int
    to: str
    body: str
    team: int = FIRST_TEAM  # the id of the team whose handover it is

    @property
    def key(self):
        """The outbox dedupe key: one notice of a kind per handover of a team (and
        engineer); the first team's keys are as they were before there were teams."""
        at = self.due_at.astimezone(timezone.utc)
        if self.kind == ON_DUTY:
            # One on-duty text per handover: an engineer who TAKEs the period after it
            # started already knows, and must not be told "you are on duty from 18:00".
            key = f"rota.{self.kind}:{at:%Y-%m-%dT%H:%M:%SZ}"
        else:
            key = f"rota.{self.kind}:{at:%Y-%m-%dT%H:%M:%SZ}:{self.engineer_id}"
        return key if self.team == FIRST_TEAM else f"{key}:team-{self.team}"


def notices_for(period, outgoing, tz):
    """A period's notices: reminder and on-duty text to its primary, confirmation to the outgoing."""
    start, end = local_label(period.starts_at, tz), local_label(period.ends_at, tz)
    incoming = period.primary
    notices = []
    team = team_id(getattr(period, "team", FIRST_TEAM))
    if incoming is not None:
        notices.append(Notice(REMINDER, period.starts_at - REMINDER_AHEAD, incoming.id,
                              incoming.mobile,
                              f"Reminder: you are on duty from {start} to {end}.", team))
        backup = f" Backup: {period.backup.name}." if period.backup is not None else ""
        notices.append(Notice(ON_DUTY, period.starts_at, incoming.id, incoming.mobile,
                              f"You are on duty from {start} to {end}; the support line "
                              f"forwards to you on {incoming.mobile}.{backup}", team))
    second = period.backup
    if second is not None and (incoming is None or second.id != incoming.id):
        first = f"if {incoming.name} does not answer" if incoming is not None else "first"
        notices.append(Notice(BACKUP, period.starts_at - REMINDER_AHEAD, second.id,
                              second.mobile,
                              f"Reminder: you are the backup from {start} to {end}; the "
                              f"support line rings you {first}.", team))
        notices.append(Notice(BACKUP_ON, period.starts_at, second.id, second.mobile,
                              f"You are the backup from {start} to {end}; the support line "
                              f"rings you on {second.mobile} {first}.", team))
    if outgoing is not None and (incoming is None or outgoing.id != incoming.id):
        successor = (f"{incoming.name} is on duty until {end}" if incoming is not None
                     else "nobody is on duty after you; please tell your manager")
        notices.append(Notice(OFF_DUTY, period.starts_at, outgoing.id, outgoing.mobile,
                              f"Handover done: your duty ended at {start}; {successor}.", team))
    return notices


def is_due(notice, period, now):
    """Due from its time until LATE_LIMIT after it, and never once its period is over."""
    return notice.due_at <= now < notice.due_at + LATE_LIMIT and now < period.ends_at


def due_notices(periods_with_outgoing, now, tz):
    """The notices to send at `now`, from (period, outgoing engineer or None) pairs."""
    return [notice
            for period, outgoing in periods_with_outgoing
            for notice in notices_for(period, outgoing, tz)
            if is_due(notice, period, now)]


@dataclass(frozen=True)
class Handover:
    """A period as it will be held at its handover: who is on duty then, overrides made
    ahead (a TAKE, a cover) included, as the line will ring them (rota.periods.duty_at)."""

    starts_at: datetime
    ends_at: datetime
    primary: object  # an Engineer, or None
    backup: object
    team: int = FIRST_TEAM  # the id of the team whose period it is


JUST_BEFORE = timedelta(microseconds=1)


def handover_of(period):
    """The period with the engineers its team's line rings at its start, and the one handing
    over (on duty just before; None when nobody, or an engineer removed since)."""
    primary, backup = duty_at(period.starts_at, period.team_id)
    outgoing, _ = duty_at(period.starts_at - JUST_BEFORE, period.team_id)
    return (Handover(period.starts_at, period.ends_at, primary, backup, period.team_id),
            outgoing)


def load_nearby_periods(now, team=FIRST_TEAM):
    """The team's periods whose notices could be due at `now`, each with the engineer handing
    over to it."""
    periods = (DutyPeriod
               .select()
               .where(DutyPeriod.team == team, DutyPeriod.starts_at > now - LATE_LIMIT,
                      DutyPeriod.starts_at <= now + REMINDER_AHEAD)
               .order_by(DutyPeriod.starts_at))
    return [handover_of(period) for period in periods]


def queue_handover_notices(settings, now, team=FIRST_TEAM):
    """One pass of the clock for a team: queue every notice of its rota due at `now`, times
    in its zone (its `settings`); returns the ones newly queued."""
    notices = due_notices(load_nearby_periods(now, team), now, settings.tz)
    added = []
    with database.atomic():
        for notice in notices:
            if enqueue(SMS, notice.to, notice.body, notice.key, now):
                added.append(notice)
    for notice in added:
        log.info("rota.handover.queue_handover_notices: kind=%s engineer=%s due=%s",
                 notice.kind, notice.engineer_id, notice.due_at.isoformat())
    return added
