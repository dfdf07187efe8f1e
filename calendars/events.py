"""The events each feed should show, derived from duty periods (pure, no database)."""

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

PRIMARY = "primary"
BACKUP = "backup"
HANDOVER = "handover"
ROLE_TITLES = {PRIMARY: "On duty", BACKUP: "Backup"}
HANDOVER_MINUTES = 15


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    mobile: str
    desk: str | None = None


@dataclass(frozen=True)
class Period:
    """A duty period as the feeds see it: local start date, UTC bounds, who, last change."""

    day: date
    starts_at: datetime
    ends_at: datetime
    primary: Person | None
    backup: Person | None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class FeedEvent:
    """One event a feed should carry now, before sequence and change times are known."""

    uid: str
    day: date
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    changed_at: datetime | None = None

    def content_hash(self):
        """A digest of everything a subscriber sees, so a change raises the sequence."""
        text = "\x1f".join((self.uid, self.starts_at.isoformat(), self.ends_at.isoformat(),
                            self.summary, self.description))
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def team_slug(team_name):
    """The team name as a UID-safe word: 'Support Team' -> 'support-team'."""
    return re.sub(r"[^a-z0-9]+", "-", team_name.lower()).strip("-") or "team"


def event_uid(feed, day, role, team_name):
    """A UID stable for one duty period and role of one team, whoever is on duty."""
    return f"{feed}-{day:%Y%m%d}-{role}@{team_slug(team_name)}.dutyline"


def _numbers(person):
    text = f"mobile {person.mobile}"
    return text + (f", desk {person.desk}" if person.desk else "")


def _span(period, tz):
    start, end = period.starts_at.astimezone(tz), period.ends_at.astimezone(tz)
    return f"Duty period: {start:%H:%M %a %d %b %Y} to {end:%H:%M %a %d %b %Y} ({tz.key})"


def _role_event(feed, period, role, settings):
    person = period.primary if role == PRIMARY else period.backup
    other_role = BACKUP if role == PRIMARY else PRIMARY
    other = period.backup if role == PRIMARY else period.primary
    lines = [f"{ROLE_TITLES[role]}: {person.name}, {_numbers(person)}"]
    if other is not None:
        lines.append(f"{ROLE_TITLES[other_role]}: {other.name}, {_numbers(other)}")
    lines.append(_span(period, settings.tz))
    return FeedEvent(uid=event_uid(feed, period.day, role, settings.team_name), day=period.day,
                     starts_at=period.starts_at, ends_at=period.ends_at,
                     summary=f"{ROLE_TITLES[role]}: {person.name}",
                     description="\n".join(lines), changed_at=period.updated_at)


def rota_events(periods, settings):
    """Every period's primary and backup as separate events."""
    events = []
    for period in periods:
        for role in (PRIMARY, BACKUP):
            if (period.primary if role == PRIMARY else period.backup) is not None:
                events.append(_role_event("rota", period, role, settings))
    return events


def mine_events(periods, engineer_id, settings):
    """The periods where one engineer is primary or backup."""
    events = []
    for period in periods:
        for role, person in ((PRIMARY, period.primary), (BACKUP, period.backup)):
            if person is not None and person.id == engineer_id:
                events.append(_role_event("mine", period, role, settings))
    return events


def _latest(*instants):
    known = [t for t in instants if t is not None]
    return max(known) if known else None


def handover_events(periods, settings):
    """A short event at each handover where the primary changes hands."""
    by_end = {period.ends_at: period for period in periods}
    events = []
    for period in periods:
        before = by_end.get(period.starts_at)
        outgoing = before.primary if before else None
        incoming = period.primary
        if incoming is None and outgoing is None:
            continue
        if incoming is not None and outgoing is not None and incoming.id == outgoing.id:
            continue  # the same engineer stays on: nothing is handed over
        names = " → ".join(person.name if person else "nobody" for person in (outgoing, incoming))
        if incoming is not None:
            detail = f"{incoming.name} takes over, {_numbers(incoming)}"
        else:
            detail = "Nobody is on duty after this handover"
        lines = [detail, _span(period, settings.tz)]
        events.append(FeedEvent(
            uid=event_uid("handover", period.day, HANDOVER, settings.team_name), day=period.day,
            starts_at=period.starts_at,
            ends_at=period.starts_at + timedelta(minutes=HANDOVER_MINUTES),
            summary=f"Handover: {names}", description="\n".join(lines),
            changed_at=_latest(period.updated_at, before.updated_at if before else None)))
    return events
