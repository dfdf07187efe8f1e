"""Keeping each feed's published events in step with the rota: sequences, changes, cancellations."""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from peewee import IntegrityError, SqliteDatabase, fn

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


def _stored(scope, window):
    # only the columns a comparison needs: a year of unchanged events must stay cheap
    return {row.uid: row for row in (PublishedEvent
                                     .select(PublishedEvent.id, PublishedEvent.uid,
                                             PublishedEvent.content_hash, PublishedEvent.sequence,
                                             PublishedEvent.modified_at,
                                             PublishedEvent.cancelled_at)
                                     .where(_in_window(scope, window))
                                     .namedtuples())}


def _plan(stored, events, window):
    """(new events, changed (event, row) pairs, rows to cancel) against the stored state."""
    stored = dict(stored)
    new, changed = [], []
    for event in events:
        if not window.first_day <= event.day <= window.last_day:
            continue
        row = stored.pop(event.uid, None)
        if row is None:
            new.append(event)
        elif row.content_hash != event.content_hash() or row.cancelled_at is not None:
            changed.append((event, row))
    gone = [row for row in stored.values() if row.cancelled_at is None]
    return new, changed, gone


def _apply(scope, plan, generated_at):
    new, changed, gone = plan
    rows = []
    for event in new:
        when = _changed_at(event, None, generated_at)
        rows.append(dict(scope=scope, uid=event.uid, day=event.day, starts_at=event.starts_at,
                         ends_at=event.ends_at, summary=event.summary,
                         description=event.description, content_hash=event.content_hash(),
                         sequence=0, modified_at=when, ics=render_event(event, 0, when).decode()))
    for batch in range(0, len(rows), 100):
        PublishedEvent.insert_many(rows[batch:batch + 100]).execute()
    for event, row in changed:
        when = _changed_at(event, row, generated_at)
        sequence = row.sequence + 1
        (PublishedEvent
         .update(starts_at=event.starts_at, ends_at=event.ends_at, summary=event.summary,
                 description=event.description, content_hash=event.content_hash(),
                 sequence=sequence, modified_at=when, cancelled_at=None,
                 ics=render_event(event, sequence, when).decode())
         .where(PublishedEvent.id == row.id)
         .execute())
    for row in gone:
        removed = PublishedEvent.get_by_id(row.id)
        when = max(generated_at, row.modified_at)
        sequence = row.sequence + 1
        (PublishedEvent
         .update(sequence=sequence, modified_at=when, cancelled_at=when,
                 ics=render_event(removed, sequence, when, cancelled=True).decode())
         .where(PublishedEvent.id == row.id)
         .execute())
    log.info("calendars.publish: scope=%s created=%d changed=%d cancelled=%d",
             scope, len(new), len(changed), len(gone))


def _write_transaction():
    # SQLite: take the write lock first, so two workers wait in turn instead of one failing
    if isinstance(database.obj, SqliteDatabase):
        return database.atomic("IMMEDIATE")
    return database.atomic()


def _distinct(scope, events):
    """The events with each UID once: a repeated UID would fail every request of the feed."""
    seen, kept = set(), []
    for event in events:
        if event.uid in seen:
            log.warning("calendars.publish: scope=%s duplicate_uid=%s kept=first", scope, event.uid)
            continue
        seen.add(event.uid)
        kept.append(event)
    return kept


def publish(scope, events, window, generated_at):
    """Record `events` as the feed's current content; return (VEVENT texts to show, last change)."""
    events = _distinct(scope, events)
    if any(_plan(_stored(scope, window), events, window)):
        for attempt in (1, 2):
            try:
                with _write_transaction():
                    # planned again under the lock: another worker may have published meanwhile
                    plan = _plan(_stored(scope, window), events, window)
                    if any(plan):
                        _apply(scope, plan, generated_at)
                break
            except IntegrityError:
                # PostgreSQL: another worker inserted the same UIDs first; plan again
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
