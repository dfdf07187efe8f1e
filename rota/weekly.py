"""The weekly duty list: once a week each engineer gets their next duties, by mail when
they have an address, else by text; engineers who opted out (weekly_notice off) get none.

It falls due at the handover time on the week's first day (`week_start`) and is still sent
up to LATE_LIMIT after; the dedupe key (week, engineer) makes two clocks or a restart queue
it once.
"""

import logging
from datetime import timedelta

from dutyline.db import database
from dutyline.localtime import local_instant
from outbox.models import EMAIL, SMS
from outbox.queue import enqueue
from rota.labels import local_label
from rota.models import (FIRST_TEAM, DutyPeriod, Engineer, Override, Team, TeamMember,
                         team_id)

log = logging.getLogger(__name__)

AHEAD = timedelta(days=28)
LATE_LIMIT = timedelta(hours=12)
LISTED = 8  # duties named in one notice; the rest are counted


def week_due_at(now, settings):
    """The instant this week's list falls due: the handover on the latest `week_start` day."""
    local = now.astimezone(settings.tz)
    day = local.date() - timedelta(days=(local.weekday() - settings.week_start) % 7)
    due = local_instant(day, settings.handover, settings.tz)
    if due > now:
        due = local_instant(day - timedelta(days=7), settings.handover, settings.tz)
    return due


def duties_of(engineer_id, start, end, team=FIRST_TEAM):
    """(start, end, role) of the engineer's periods and overrides in the team's rota starting
    in [start, end)."""
    duties = []
    for period in (DutyPeriod
                   .select()
                   .where(DutyPeriod.team == team, DutyPeriod.starts_at >= start,
                          DutyPeriod.starts_at < end,
                          (DutyPeriod.primary == engineer_id)
                          | (DutyPeriod.backup == engineer_id))):
        role = "on duty" if period.primary_id == engineer_id else "backup"
        duties.append((period.starts_at, period.ends_at, role))
    for override in (Override
                     .select()
                     .where(Override.team == team, Override.engineer == engineer_id,
                            Override.starts_at >= start,
                            Override.starts_at < end, Override.ends_at > Override.starts_at)):
        duties.append((override.starts_at, override.ends_at, "covering"))
    return sorted(duties)


def describe_duties(duties, tz):
    """'on duty 18:00 Tue 8 Dec to 18:00 Wed 9 Dec; backup …', or that there are none."""
    if not duties:
        return "no duties in the next four weeks."
    parts = [f"{role} {local_label(a, tz)} to {local_label(b, tz)}"
             for a, b, role in duties[:LISTED]]
    more = len(duties) - LISTED
    return "; ".join(parts) + (f"; and {more} more." if more > 0 else ".")


def weekly_key(due, engineer, team):
    """The list's dedupe key: one a week an engineer and team (the first team's as it
    always was)."""
    key = f"rota.weekly:{due:%Y-%m-%dT%H:%M:%SZ}:{engineer.id}"
    return key if team_id(team) == FIRST_TEAM else f"{key}:team-{team_id(team)}"


def _team_words(team):
    """"Network " where there are several teams (an engineer may be in more than one), else
    nothing."""
    if Team.select().count() < 2:
        return ""
    return f"{Team.get_by_id(team_id(team)).name} "


def queue_weekly_notices(settings, now, team=FIRST_TEAM):
    """Queue this week's duty list of the team's rota to every active engineer of the team
    who wants one, due at the team's handover (its `settings`); the newly queued."""
    due = week_due_at(now, settings)
    if now >= due + LATE_LIMIT:
        return []
    # read first, write after: two clocks on SQLite must not both hold a read lock and wait
    # for the other's to end before writing
    lists = [(engineer, describe_duties(duties_of(engineer.id, due, due + AHEAD, team),
                                        settings.tz))
             for engineer in (Engineer
                              .select()
                              .join(TeamMember)
                              .where(TeamMember.team == team, Engineer.active,
                                     Engineer.weekly_notice)
                              .order_by(Engineer.rotation))]
    whose = _team_words(team)
    added = []
    with database.atomic():
        for engineer, duties in lists:
            key = weekly_key(due, engineer, team)
            intro = f"Your {whose}duties from {local_label(due, settings.tz)}: "
            if engineer.email:
                queued = enqueue(EMAIL, engineer.email,
                                        f"Hello {engineer.name},\n\n{intro}{duties}\n", key, now,
                                        subject="Your duties for the next four weeks")
            else:
                queued = enqueue(SMS, engineer.mobile, intro + duties, key, now)
            if queued:
                added.append(engineer)
    if added:
        log.info("rota.weekly.queue_weekly_notices: due=%s count=%s", due.isoformat(),
                 len(added))
    return added


def set_weekly_notice(engineer, wanted, now):
    """Turn the weekly duty list on or off for `engineer`; True when that changed anything."""
    changed = (Engineer
               .update(weekly_notice=wanted, updated_at=now)
               .where(Engineer.id == engineer.id, Engineer.weekly_notice != wanted)
               .execute())
    return changed == 1
