"""The managers: who is warned about a team's gaps and faults (the team's setting `managers`,
else the installation's MANAGER_NUMBERS and MANAGER_EMAILS: managers_of), and the warnings
themselves, each queued once per gap or absence, however often the clock runs.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta, timezone

from dutyline.db import database
from dutyline.phones import InvalidNumber, to_e164
from rota.check import ABSENT, GAP, check_span
from rota.engineers import RotaError
from rota.models import FIRST_TEAM, Team, team_id
from outbox.models import EMAIL, SMS
from outbox.queue import enqueue

log = logging.getLogger(__name__)

AHEAD = timedelta(days=14)
# gaps are looked for from a week back, so a gap under way keeps its real start (and key)
LOOK_BACK = timedelta(days=7)
# ... and a week past the horizon, so one running over it is told with its real end
LOOK_PAST = timedelta(days=7)


@dataclass(frozen=True)
class Managers:
    numbers: tuple = ()
    emails: tuple = ()

    def __bool__(self):
        return bool(self.numbers or self.emails)


def parse_managers(numbers, emails, region):
    """Managers from comma-separated MANAGER_NUMBERS and MANAGER_EMAILS; RotaError naming the
    key on a bad entry."""
    parsed = []
    for text in (numbers or "").split(","):
        if text.strip():
            try:
                parsed.append(to_e164(text, region))
            except InvalidNumber as exc:
                raise RotaError(f"MANAGER_NUMBERS: {exc}") from exc
    addresses = [a.strip() for a in (emails or "").split(",") if a.strip()]
    for address in addresses:
        if "@" not in address:
            raise RotaError(f"MANAGER_EMAILS: not an e-mail address: {address!r}")
    return Managers(tuple(dict.fromkeys(parsed)), tuple(dict.fromkeys(addresses)))


def managers_of(settings, installation):
    """The managers of the team whose settings are `settings`: its setting `managers` when
    it names any (in place of the installation's, not beside them), else `installation`,
    the Managers of MANAGER_NUMBERS and MANAGER_EMAILS (None: nobody)."""
    own = settings.managers
    if not own:
        return installation or Managers()
    return Managers(tuple(e for e in own if "@" not in e), tuple(e for e in own if "@" in e))


def tell_managers(managers, key, text, now, subject="dutyline: the rota needs you"):
    """Queue `text` to every manager once (key per recipient); True when any was new."""
    added = False
    for number in managers.numbers:
        added |= enqueue(SMS, number, text, f"{key}:{number}", now)
    for address in managers.emails:
        added |= enqueue(EMAIL, address, text + "\n", f"{key}:{address}", now,
                                subject=subject)
    return added


def problem_key(problem, team=FIRST_TEAM):
    """One key per gap (its start) or per absent engineer on a period or override, of a
    team (the first team's as they were before there were teams)."""
    at = f"{problem.starts_at.astimezone(timezone.utc):%Y-%m-%dT%H:%M:%SZ}"
    if problem.kind == GAP:
        key = f"rota.warn-gap:{at}"
    else:
        key = f"rota.warn-absent:{problem.role}:{at}:{problem.engineer}"
    return key if team_id(team) == FIRST_TEAM else f"{key}:team-{team_id(team)}"


def rota_words(team):
    """"Rota" where there is one team, "Rota (Network)" where there are several: how a
    warning to the managers begins."""
    if Team.select().count() < 2:
        return "Rota"
    return f"Rota ({Team.get_by_id(team_id(team)).name})"


def problems_ahead(settings, now, team=FIRST_TEAM):
    """Gaps and absent engineers in the team's rota (`settings` its own) from now to AHEAD,
    with their real bounds."""
    start = now - LOOK_BACK
    found = check_span(start, now + AHEAD + LOOK_PAST, settings, team)
    return [p for p in found
            if p.kind in (GAP, ABSENT) and p.ends_at > now and p.starts_at < now + AHEAD
            and not (p.kind == GAP and p.starts_at <= start)]


def queue_manager_warnings(settings, managers, now, team=FIRST_TEAM):
    """Warn the team's managers (managers_of its `settings` and the installation's
    `managers`) of every gap and absence ahead in its rota not yet told; the problems newly
    told."""
    managers = managers_of(settings, managers)
    if not managers:
        return []
    told = []
    found = problems_ahead(settings, now, team)  # read before the writes (two clocks on SQLite)
    words = rota_words(team)
    with database.atomic():
        for problem in found:
            text = problem.describe(settings.tz)
            if tell_managers(managers, problem_key(problem, team), f"{words}: {text}.", now):
                told.append(problem)
    for problem in told:
        log.warning("rota.managers.queue_manager_warnings: kind=%s starts=%s engineer=%s",
                    problem.kind, problem.starts_at.isoformat(), problem.engineer)
    return told


def tell_nobody_on_duty(settings, managers, now, team=FIRST_TEAM):
    """A call to the team out of its hours found nobody on duty: log it and tell the team's
    managers (managers_of its `settings` and the installation's `managers`), once per gap
    (the same key as the clock's warning of that gap, so whichever comes first tells them)."""
    log.warning("rota.managers.tell_nobody_on_duty: out of hours with nobody on duty at=%s "
                "team=%s", now.isoformat(), team_id(team))
    managers = managers_of(settings, managers)
    if not managers:
        return False
    start = now - LOOK_BACK
    words = rota_words(team)
    gaps = [p for p in check_span(start, now + timedelta(days=1), settings, team)
            if p.kind == GAP and p.starts_at <= now < p.ends_at]
    if gaps and gaps[0].starts_at > start:
        key = problem_key(gaps[0], team)
        text = f"{words}: {gaps[0].describe(settings.tz)}."
    else:  # covered on paper (an engineer since removed), or under way for long
        key = f"rota.warn-nobody:{now.astimezone(timezone.utc):%Y-%m-%dT%H}"
        if team_id(team) != FIRST_TEAM:
            key += f":team-{team_id(team)}"
        text = f"{words}: a call came in out of hours and nobody was on duty."
    with database.atomic():
        return tell_managers(managers, key, text, now)
