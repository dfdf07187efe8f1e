"""Keeping each feed's published events in step with the rota: sequences, changes, cancellations."""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from peewee import IntegrityError, fn

from calendars.models import PublishedEvent
from calendars.render import render_event
from dutyline.db import database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Window:
    """The local start dates a feed covers, and since when cancelled events are still shown."""

    first_day: date
    last_day: date
    cancelled_since: datetime


def _changed_at(event, row, generated_at):
    """When this change happened: the rota's own change time when it is newer, else now."""
    when = event.changed_at if event.changed_at is not None else generated_at
    if row is not None and when <= row.modified_at:
        when = max(generated_at, row.modified_at)
    return when


def _in_window(scope, window):
    return ((PublishedEvent.scope == scope)
            & (PublishedEvent.day >= window.first_day)
            & (PublishedEvent.day <= window.last_day))


def _sync(scope, events, window, generated_at):
    # only the columns a comparison needs: a year of unchanged events must stay cheap
    rows = {row.uid: row for row in (PublishedEvent
                                     .select(PublishedEvent.id, PublishedEvent.uid,
                                             PublishedEvent.content_hash, PublishedEvent.sequence,
                                             PublishedEvent.modified_at,
                                             PublishedEvent.cancelled_at)
                                     .where(_in_window(scope, window))
                                     .namedtuples())}
    wanted = [event for event in events if window.first_day <= event.day <= window.last_day]
    new_rows, changed, cancelled = [], 0, 0
    for event in wanted:
        digest = event.content_hash()
        row = rows.pop(event.uid, None)
        if row is None:
            when = _changed_at(event, None, generated_at)
            new_rows.append(dict(scope=scope, uid=event.uid, day=event.day,
                                 starts_at=event.starts_at, ends_at=event.ends_at,
                                 summary=event.summary, description=event.description,
                                 content_hash=digest, sequence=0, modified_at=when,
                                 ics=render_event(event, 0, when).decode()))
        elif row.content_hash != digest or row.cancelled_at is not None:
            when = _changed_at(event, row, generated_at)
            sequence = row.sequence + 1
            (PublishedEvent
             .update(starts_at=event.starts_at, ends_at=event.ends_at, summary=event.summary,
                     description=event.description, content_hash=digest, sequence=sequence,
                     modified_at=when, cancelled_at=None,
                     ics=render_event(event, sequence, when).decode())
             .where(PublishedEvent.id == row.id)
             .execute())
            changed += 1
    for batch in range(0, len(new_rows), 100):
        PublishedEvent.insert_many(new_rows[batch:batch + 100]).execute()
    for row in rows.values():
        if row.cancelled_at is not None:
            continue
        gone = PublishedEvent.get_by_id(row.id)
        when = max(generated_at, row.modified_at)
        sequence = row.sequence + 1
        (PublishedEvent
         .update(sequence=sequence, modified_at=when, cancelled_at=when,
                 ics=render_event(gone, sequence, when, cancelled=True).decode())
         .where(PublishedEvent.id == row.id)
         .execute())
        cancelled += 1
    if new_rows or changed or cancelled:
        log.info("calendars.publish: scope=%s created=%d changed=%d cancelled=%d",
                 scope, len(new_rows), changed, cancelled)


def publish(scope, events, window, generated_at):
    """Record `events` as the feed's current content; return (VEVENT texts to show, last change)."""
    for attempt in (1, 2):
        try:
            with database.atomic():
                _sync(scope, events, window, generated_at)
            break
        except IntegrityError:
            # another worker published the same feed at the same moment; its rows are there now
            if attempt == 2:
                raise
    shown = (_in_window(scope, window)
             & (PublishedEvent.cancelled_at.is_null()
                | (PublishedEvent.cancelled_at >= window.cancelled_since)))
    blocks = [ics for (ics,) in (PublishedEvent
                                 .select(PublishedEvent.ics)
                                 .where(shown)
                                 .order_by(PublishedEvent.starts_at, PublishedEvent.uid.desc())
                                 .tuples())]
    latest = PublishedEvent.select(fn.MAX(PublishedEvent.modified_at)).where(shown).scalar()
    return blocks, latest
