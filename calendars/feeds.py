"""The three feeds: who may read which, their window, their change marker, and building them.

A token reads the feeds of one team (calendars.tokens): the first team's scopes are named as
before teams ("rota", "handovers", "mine:<engineer id>"), so their published events, their
sequences and their URLs carry on; another team's end in "@<team id>". Each feed reads only
its team's duty periods and overrides, and is named after the team (its settings'
team_name: Settings.of_team)."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from peewee import JOIN, fn

from calendars import events as feed_events
from calendars.models import ENGINEER, PublishedFeed
from calendars.publish import Window, publish
from calendars.render import render_calendar
from dutyline.localtime import local_midnight
from rota.models import FIRST_TEAM, DutyPeriod, Engineer, Override

FEED_NAMES = ("rota", "mine", "handovers")
DAYS_BACK = 31
DAYS_AHEAD = 365
KEEP_CANCELLED_DAYS = 31
FORMAT_VERSION = "2"  # raise when the rendering changes, so every ETag changes with it


class FeedNotFound(LookupError):
    """No such feed for this token; the web layer answers a plain 404."""


@dataclass(frozen=True)
class FeedRequest:
    """Which feed a token asks for: its kind, its scope in the published events, whose it is."""

    kind: str
    scope: str
    engineer_id: int | None
    team_id: int = FIRST_TEAM


@dataclass(frozen=True)
class Feed:
    body: bytes
    etag: str
    last_modified: datetime


def feed_request(token, name):
    """The feed `name` for a live token, or FeedNotFound (mine.ics needs an engineer's token)."""
    if name not in FEED_NAMES:
        raise FeedNotFound(name)
    team_id = token.team_id or FIRST_TEAM
    suffix = "" if team_id == FIRST_TEAM else f"@{team_id}"
    if name == "mine":
        if token.kind != ENGINEER or token.engineer_id is None:
            raise FeedNotFound(name)
        return FeedRequest("mine", f"mine:{token.engineer_id}{suffix}", token.engineer_id,
                           team_id)
    return FeedRequest(name, name + suffix, None, team_id)


def feed_window(settings, now):
    """From 31 days back to 365 days ahead of today in the team's time zone."""
    today = now.astimezone(settings.tz).date()
    first_day = today - timedelta(days=DAYS_BACK)
    since = local_midnight(today - timedelta(days=KEEP_CANCELLED_DAYS), settings.tz)
    return Window(first_day=first_day, last_day=today + timedelta(days=DAYS_AHEAD),
                  cancelled_since=since)


def _period_days(window, team_id):
    # one day more at the start: the first handover needs the period before it
    return ((DutyPeriod.team == team_id)
            & (DutyPeriod.day >= window.first_day - timedelta(days=1))
            & (DutyPeriod.day <= window.last_day))


def _override_span(window, settings, team_id):
    # overrides touching the loaded periods: the day before the window to its last period's end
    start = local_midnight(window.first_day - timedelta(days=1), settings.tz)
    end = local_midnight(window.last_day + timedelta(days=2), settings.tz)
    return (Override.team == team_id) & (Override.starts_at < end) & (Override.ends_at > start)


def rota_marker(request, settings, window):
    """A short text that changes whenever the feed's content may change; one cheap query."""
    in_span = _override_span(window, settings, request.team_id)
    count_covers = Override.select(fn.COUNT(Override.id)).where(in_span)
    latest_cover = Override.select(fn.MAX(Override.created_at)).where(in_span)
    latest_person = Engineer.select(fn.MAX(Engineer.updated_at))
    count, latest, covers, covered_at, people = (DutyPeriod
                                                 .select(fn.COUNT(DutyPeriod.id),
                                                         fn.MAX(DutyPeriod.updated_at),
                                                         count_covers, latest_cover, latest_person)
                                                 .where(_period_days(window, request.team_id))
                                                 .tuples()
                                                 .get())
    return "|".join((FORMAT_VERSION, request.scope, window.first_day.isoformat(),
                     settings.team_name, settings.timezone, str(count), str(latest), str(covers),
                     str(covered_at), str(people)))


def etag_for(marker):
    """The strong ETag of a marker."""
    return '"' + hashlib.sha256(marker.encode()).hexdigest()[:32] + '"'


def published_last_modified(request, marker):
    """Last-Modified of the publication made for this marker, or None when there is none yet."""
    row = PublishedFeed.get_or_none(PublishedFeed.scope == request.scope)
    if row is None or row.marker != marker:
        return None
    return row.last_modified


def load_periods(window, team_id=FIRST_TEAM):
    """The duty periods of a team the window needs, as plain values, in time order."""
    primary, backup = Engineer.alias(), Engineer.alias()
    rows = (DutyPeriod
            .select(DutyPeriod.day, DutyPeriod.starts_at, DutyPeriod.ends_at, DutyPeriod.updated_at,
                    primary.id, primary.name, primary.mobile, primary.desk,
                    backup.id, backup.name, backup.mobile, backup.desk)
            .join_from(DutyPeriod, primary, JOIN.LEFT_OUTER, on=(DutyPeriod.primary == primary.id))
            .join_from(DutyPeriod, backup, JOIN.LEFT_OUTER, on=(DutyPeriod.backup == backup.id))
            .where(_period_days(window, team_id))
            .order_by(DutyPeriod.starts_at)
            .tuples())

    def person(values):
        return feed_events.Person(*values) if values[0] is not None else None

    return [feed_events.Period(day=row[0], starts_at=row[1], ends_at=row[2], updated_at=row[3],
                               primary=person(row[4:8]), backup=person(row[8:12]))
            for row in rows]


def load_covers(window, settings, team_id=FIRST_TEAM):
    """The parts of a team's overrides in the window still in force (those of inactive
    engineers ignored)."""
    rows = (Override
            .select(Override.starts_at, Override.ends_at, Override.created_at,
                    Engineer.id, Engineer.name, Engineer.mobile, Engineer.desk)
            .join(Engineer)
            .where(_override_span(window, settings, team_id), Engineer.active)
            .order_by(Override.created_at, Override.id)
            .tuples())
    return feed_events.covers_in_force([
        feed_events.OverrideSpan(person=feed_events.Person(*row[3:7]), starts_at=row[0],
                                 ends_at=row[1], created_at=row[2])
        for row in rows])


def calendar_name(request, settings):
    """X-WR-CALNAME: the team and the feed."""
    if request.kind == "mine":
        engineer = Engineer.get_by_id(request.engineer_id)
        return f"{settings.team_name}: duty of {engineer.name}"
    return f"{settings.team_name}: {'duty rota' if request.kind == 'rota' else 'handovers'}"


def feed_events_for(request, periods, settings, covers=()):
    """The events the feed should carry for these periods and overrides in force."""
    if request.kind == "rota":
        return feed_events.rota_events(periods, settings, covers)
    if request.kind == "mine":
        return feed_events.mine_events(periods, request.engineer_id, settings, covers)
    return feed_events.handover_events(periods, settings)


def build_feed(request, settings, generated_at):
    """Publish the feed's current events and render them; same rota and day give the same bytes."""
    window = feed_window(settings, generated_at)
    marker = rota_marker(request, settings, window)
    periods = load_periods(window, request.team_id)
    covers = (load_covers(window, settings, request.team_id)
              if request.kind != "handovers" else ())
    blocks, latest = publish(request.scope, feed_events_for(request, periods, settings, covers),
                             window, generated_at)
    body = render_calendar(calendar_name(request, settings), [block.encode() for block in blocks])
    last_modified = (latest or generated_at).replace(microsecond=0)
    if published_last_modified(request, marker) != last_modified:
        _record_publication(request, marker, last_modified)
    return Feed(body=body, etag=etag_for(marker), last_modified=last_modified)


def _record_publication(request, marker, last_modified):
    (PublishedFeed
     .insert(scope=request.scope, marker=marker, last_modified=last_modified)
     .on_conflict(conflict_target=[PublishedFeed.scope],
                  update={PublishedFeed.marker: marker,
                          PublishedFeed.last_modified: last_modified})
     .execute())
