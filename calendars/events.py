"""The events each feed should show, derived from duty periods and overrides (pure, no database)."""

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

PRIMARY = "primary"
BACKUP = "backup"
HANDOVER = "handover"
COVER = "cover"
ROLE_TITLES = {PRIMARY: "On duty", BACKUP: "Backup", COVER: "On duty (cover)"}
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
class OverrideSpan:
    """An override as it was made: who covers, from when to when (UTC), when it was made."""

    person: Person
    starts_at: datetime
    ends_at: datetime
    created_at: datetime


@dataclass(frozen=True)
class Cover:
    """A part of an override still in force: later overrides win where they overlap it."""

    made: OverrideSpan
    starts_at: datetime
    ends_at: datetime
    part: int  # 1, or 2, 3, ... for the further parts of an override cut by later ones
    changed_at: datetime


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


def _stamp(instant):
    # to the microsecond the database keeps, so two spans that differ at all differ here;
    # whole seconds (every span made from typed times) keep the short form
    utc = instant.astimezone(timezone.utc)
    if utc.microsecond:
        return f"{utc:%Y%m%dT%H%M%S.%fZ}"
    return f"{utc:%Y%m%dT%H%M%SZ}"


def cover_uid(feed, cover, team_name):
    """A UID from the override's span and the cover role, whoever covers and whatever its row.

    Unique among the covers in force by construction: two overrides with the very same span
    leave nothing of the earlier one (the later made wins), and the parts of one override
    are numbered.
    """
    suffix = "" if cover.part == 1 else f"-{cover.part}"
    return (f"{feed}-{_stamp(cover.made.starts_at)}-{_stamp(cover.made.ends_at)}-{COVER}{suffix}"
            f"@{team_slug(team_name)}.dutyline")


def _cut(span, cuts):
    """What remains of the span (start, end) after taking the cuts away, in time order."""
    pieces = [span]
    for cut_start, cut_end in cuts:
        remaining = []
        for start, end in pieces:
            if cut_end <= start or cut_start >= end:
                remaining.append((start, end))
                continue
            if start < cut_start:
                remaining.append((start, cut_start))
            if cut_end < end:
                remaining.append((cut_end, end))
        pieces = remaining
    return sorted(pieces)


def covers_in_force(overrides):
    """The parts of each override (given in the order made) that no later override takes."""
    valid = [o for o in overrides if o.ends_at > o.starts_at]
    covers = []
    for n, made in enumerate(valid):
        later = [o for o in valid[n + 1:]
                 if o.starts_at < made.ends_at and o.ends_at > made.starts_at]
        pieces = _cut((made.starts_at, made.ends_at), [(o.starts_at, o.ends_at) for o in later])
        changed_at = max([made.created_at] + [o.created_at for o in later])
        covers += [Cover(made, start, end, part, changed_at)
                   for part, (start, end) in enumerate(pieces, start=1)]
    return sorted(covers, key=lambda c: (c.starts_at, c.ends_at, c.made.person.id))


def _numbers(person):
    text = f"mobile {person.mobile}"
    return text + (f", desk {person.desk}" if person.desk else "")


def _span(period, tz):
    start, end = period.starts_at.astimezone(tz), period.ends_at.astimezone(tz)
    return f"Duty period: {start:%H:%M %a %d %b %Y} to {end:%H:%M %a %d %b %Y} ({tz.key})"


def _local(instant, tz):
    return f"{instant.astimezone(tz):%H:%M %a %d %b %Y}"


def _overlapping(covers, starts_at, ends_at):
    return [c for c in covers if c.starts_at < ends_at and c.ends_at > starts_at]


def _role_event(feed, period, role, settings, covers=()):
    person = period.primary if role == PRIMARY else period.backup
    other_role = BACKUP if role == PRIMARY else PRIMARY
    other = period.backup if role == PRIMARY else period.primary
    lines = [f"{ROLE_TITLES[role]}: {person.name}, {_numbers(person)}"]
    if other is not None:
        lines.append(f"{ROLE_TITLES[other_role]}: {other.name}, {_numbers(other)}")
    lines.append(_span(period, settings.tz))
    covered = [cover for cover in _overlapping(covers, period.starts_at, period.ends_at)
               if period.primary is None or cover.made.person.id != period.primary.id]
    for cover in covered:
        lines.append(f"Covered by {cover.made.person.name} from "
                     f"{_local(cover.starts_at, settings.tz)} to "
                     f"{_local(cover.ends_at, settings.tz)}")
    return FeedEvent(uid=event_uid(feed, period.day, role, settings.team_name), day=period.day,
                     starts_at=period.starts_at, ends_at=period.ends_at,
                     summary=f"{ROLE_TITLES[role]}: {person.name}",
                     description="\n".join(lines),
                     changed_at=_latest(period.updated_at, *(c.changed_at for c in covered)))


def _cover_event(feed, cover, periods, settings):
    person = cover.made.person
    tz = settings.tz
    lines = [f"{ROLE_TITLES[COVER]}: {person.name}, {_numbers(person)}"]
    planned = []
    for period in periods:
        overlaps = period.starts_at < cover.ends_at and period.ends_at > cover.starts_at
        if overlaps and period.primary is not None and period.primary.id != person.id:
            if period.primary.name not in planned:
                planned.append(period.primary.name)
    if planned:
        lines.append(f"Instead of: {', '.join(planned)}")
    lines.append(f"Cover: {_local(cover.starts_at, tz)} to {_local(cover.ends_at, tz)} ({tz.key})")
    if (cover.starts_at, cover.ends_at) != (cover.made.starts_at, cover.made.ends_at):
        lines.append(f"The override runs from {_local(cover.made.starts_at, tz)} to "
                     f"{_local(cover.made.ends_at, tz)}; later overrides take the rest")
    return FeedEvent(uid=cover_uid(feed, cover, settings.team_name),
                     day=cover.starts_at.astimezone(tz).date(),
                     starts_at=cover.starts_at, ends_at=cover.ends_at,
                     summary=f"{ROLE_TITLES[COVER]}: {person.name}",
                     description="\n".join(lines), changed_at=cover.changed_at)


def rota_events(periods, settings, covers=()):
    """Every period's primary and backup as separate events, and every override in force."""
    events = []
    for period in periods:
        for role in (PRIMARY, BACKUP):
            if (period.primary if role == PRIMARY else period.backup) is not None:
                events.append(_role_event("rota", period, role, settings, covers))
    events += [_cover_event("rota", cover, periods, settings) for cover in covers]
    return events


def mine_events(periods, engineer_id, settings, covers=()):
    """The periods where one engineer is primary or backup, and the overrides they cover."""
    events = []
    for period in periods:
        for role, person in ((PRIMARY, period.primary), (BACKUP, period.backup)):
            if person is not None and person.id == engineer_id:
                events.append(_role_event("mine", period, role, settings, covers))
    events += [_cover_event("mine", cover, periods, settings) for cover in covers
               if cover.made.person.id == engineer_id]
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
