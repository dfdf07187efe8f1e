"""The outbox: messages written with the change that causes them, delivered later with retries.

A row is claimed by one worker with a conditional UPDATE (status and lease) that only one
worker can win, on SQLite and PostgreSQL alike. Each claim's lease runs from the moment of
that claim, however long the pass; right before sending, the worker renews it on the
condition that it still holds the row (its lease token), and the outcome is written back
only on that same condition. A worker that finds the row taken sends nothing, or records
nothing of what it sent, and logs `lease lost`.

So a message is handed to a provider by one worker at a time. It is handed over again only
when the worker that sent it stopped (killed, crashed, cut off from the database) between
the provider's answer and its record: once more, by the worker that takes the row after
the lease, carrying the same Message-ID or delivery id (outbox/mail.py, outbox/webhook.py).
"""

import logging
import uuid
from datetime import timedelta

from peewee import PostgresqlDatabase

from dutyline.db import database
from dutyline.phones import masked
from outbox.models import CANCELLED, CHANNELS, FAILED, QUEUED, SENDING, SENT, OutboxMessage
from outbox.senders import DeliveryError

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
LEASE = timedelta(minutes=5)  # far longer than one provider call (20 s timeout)
BATCH = 50

def enqueue(channel, recipient, body, dedupe_key, now, subject=None, thread_key=None,
            not_before=None):
    """Queue a message unless one with this dedupe key exists; True when it was added.

    `not_before` holds it back until then; `thread_key` names the message it follows up.

    Safe inside the caller's transaction: a duplicate key is skipped by the database
    (INSERT … ON CONFLICT (dedupe_key) DO NOTHING), not by an error that would spoil the
    transaction; any other broken constraint (no recipient) still raises.
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown outbox channel: {channel!r}")
    query = (OutboxMessage
             .insert(channel=channel, recipient=recipient, subject=subject, body=body,
                     dedupe_key=dedupe_key, thread_key=thread_key, status=QUEUED, attempts=0,
                     next_attempt_at=not_before or now, created_at=now)
             .on_conflict(action="NOTHING", conflict_target=[OutboxMessage.dedupe_key]))
    added = database.execute(query).rowcount == 1
    log.info("outbox.queue.enqueue: key=%s channel=%s to=%s added=%s",
             dedupe_key, channel, masked(recipient), added)
    return added


def amend_queued(dedupe_key, body):
    """Replace the body of a message not yet handed over; True when it was still waiting."""
    return (OutboxMessage
            .update(body=body)
            .where(OutboxMessage.dedupe_key == dedupe_key, OutboxMessage.status == QUEUED,
                   OutboxMessage.attempts == 0)
            .execute()) == 1


def cancel_queued(key_prefix, reason):
    """Cancel the messages not yet handed over whose dedupe key starts with `key_prefix`
    (waiting for a first attempt or a retry); returns how many. One being sent is let be."""
    count = (OutboxMessage
             .update(status=CANCELLED, last_error=reason)
             .where(OutboxMessage.dedupe_key.startswith(key_prefix),
                    OutboxMessage.status == QUEUED)
             .execute())
    if count:
        log.info("outbox.queue.cancel_queued: prefix=%s count=%s reason=%s", key_prefix, count,
                 reason)
    return count


def retry_delay(attempts, first=FIRST_RETRY, longest=LONGEST_WAIT):
    """Exponential backoff: the wait after the n-th failed attempt (30 s, 1 min, 2 min … 1 h)."""
    return min(first * (2 ** max(attempts - 1, 0)), longest)


def _free(now):
    """Rows a worker may take: queued and due, or held by a worker whose lease ran out."""
    return (((OutboxMessage.status == QUEUED) & (OutboxMessage.next_attempt_at <= now))
            | ((OutboxMessage.status == SENDING) & (OutboxMessage.lease_until < now)))


def claim(message_id, now, token, lease=LEASE, max_attempts=MAX_ATTEMPTS):
    """Take one due row for this worker, leased from `now`; True only for the one worker
    that wins it."""
    won = (OutboxMessage
           .update(status=SENDING, lease_token=token, lease_until=now + lease,
                   attempts=OutboxMessage.attempts + 1)
           .where(OutboxMessage.id == message_id, OutboxMessage.attempts < max_attempts,
                  _free(now))
           .execute())
    return won == 1


def claim_next(channels, now, token, lease=LEASE, max_attempts=MAX_ATTEMPTS):
    """Take the next due row of these channels for this worker; its id, or None when none.

    Workers running at once each take a different row: on PostgreSQL the candidate is
    locked with FOR UPDATE SKIP LOCKED, so another worker passes over it to the next one;
    on SQLite the immediate transaction makes the workers take turns.
    """
    postgres = isinstance(database.obj, PostgresqlDatabase)
    candidate = (OutboxMessage
                 .select(OutboxMessage.id)
                 .where(OutboxMessage.channel.in_(list(channels)), _free(now),
                        OutboxMessage.attempts < max_attempts)
                 .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                 .limit(1))
    if postgres:
        candidate = candidate.for_update(skip_locked=True)
    with database.atomic(*([] if postgres else ["IMMEDIATE"])):
        found = candidate.scalar()
        if found is None:
            return None
        return found if claim(found, now, token, lease, max_attempts) else None


def hold(message_id, token, now, lease=LEASE):
    """Renew this worker's lease on a row it is about to send, from `now`, on the condition
    that it still holds it (its token is on the row); True when it does.

    Another worker that took the row after the lease ran out has put its own token there,
    so the renewal fails and nothing is sent twice at once."""
    return (OutboxMessage
            .update(lease_until=now + lease)
            .where(OutboxMessage.id == message_id, OutboxMessage.lease_token == token,
                   OutboxMessage.status == SENDING)
            .execute()) == 1


def _give_up_abandoned(now, max_attempts):
    """Rows whose worker died during their last allowed attempt fail instead of waiting forever."""
    return (OutboxMessage
            .update(status=FAILED, lease_token=None, lease_until=None,
                    last_error="the worker stopped during the last attempt")
            .where(OutboxMessage.status == SENDING, OutboxMessage.lease_until < now,
                   OutboxMessage.attempts >= max_attempts)
            .execute())


def _finish(message_id, token, **changes):
    """Write the outcome, but only while this worker still holds the lease; 1 when written."""
    return (OutboxMessage
            .update(lease_token=None, lease_until=None, **changes)
            .where(OutboxMessage.id == message_id, OutboxMessage.lease_token == token)
            .execute())


def _lease_lost(message, what):
    """Log that another worker took the row from this one, and what this one did with it."""
    now_held = (OutboxMessage
                .select(OutboxMessage.status, OutboxMessage.lease_token)
                .where(OutboxMessage.id == message.id)
                .first())
    log.warning("outbox.queue.deliver_one: lease lost id=%s channel=%s to=%s attempt=%s %s "
                "status=%s holder=%s", message.id, message.channel, masked(message.recipient),
                message.attempts, what, now_held.status if now_held else None,
                now_held.lease_token if now_held else None)


def _clock(now):
    """`now` as a clock: itself when it is one, else a clock stopped at that instant."""
    return now if callable(now) else (lambda: now)


def deliver_one(message, sender, now, token, max_attempts=MAX_ATTEMPTS, lease=LEASE,
                stale=None):
    """Send one claimed message and record the outcome: 'sent', 'retry' or 'failed'; or
    'skipped' when another worker took the row, before the send (nothing is sent) or during
    it (nothing is recorded), which is logged as `lease lost`; or 'cancelled' when
    `stale(message)` gives a reason it no longer applies (nothing is sent).

    `now` is the clock (a callable; a datetime stands for one that does not move), read
    when the lease is renewed and when the outcome is written."""
    clock = _clock(now)
    if not hold(message.id, token, clock(), lease):
        _lease_lost(message, "sent=no")
        return "skipped"
    reason = stale(message) if stale is not None else None
    if reason:
        if not _finish(message.id, token, status=CANCELLED, last_error=reason):
            _lease_lost(message, "sent=no cancelled=no")
            return "skipped"
        log.info("outbox.queue.deliver_one: id=%s key=%s outcome=cancelled reason=%s",
                 message.id, message.dedupe_key, reason)
        return "cancelled"
    try:
        provider_id = sender.send(message)
    except DeliveryError as exc:
        error, permanent = str(exc), exc.permanent
    except Exception as exc:  # an adapter bug must not stop the worker; the row is retried
        log.exception("outbox.queue.deliver_one: id=%s unexpected error", message.id)
        error, permanent = f"{exc.__class__.__name__}: {exc}", False
    else:
        if not _finish(message.id, token, status=SENT, sent_at=clock(),
                       provider_id=provider_id, last_error=None):
            _lease_lost(message, f"sent=yes provider_id={provider_id} recorded=no")
            return "skipped"
        log.info("outbox.queue.deliver_one: id=%s channel=%s to=%s outcome=sent "
                 "attempt=%s", message.id, message.channel, masked(message.recipient),
                 message.attempts)
        return "sent"
    if permanent or message.attempts >= max_attempts:
        outcome, changes = "failed", {"status": FAILED}
    else:
        outcome = "retry"
        changes = {"status": QUEUED, "next_attempt_at": clock() + retry_delay(message.attempts)}
    if not _finish(message.id, token, last_error=error, **changes):
        _lease_lost(message, f"sent=no error={error} recorded=no")
        return "skipped"
    log.warning("outbox.queue.deliver_one: id=%s channel=%s to=%s outcome=%s attempt=%s "
                "error=%s", message.id, message.channel, masked(message.recipient), outcome,
                message.attempts, error)
    return outcome


def deliver_due(senders, now, worker=None, limit=BATCH, max_attempts=MAX_ATTEMPTS, stop=None,
                lease=LEASE, stale=None):
    """One pass: claim and send due messages of the channels we have senders for, one at a
    time, up to `limit`; workers running at once send different ones.

    `now` is the clock (a callable; a datetime stands for one that does not move): it is
    read at every claim, so each lease runs from its own claim however long the pass takes.
    Each claim has a token of its own (the worker's name and a random part). 'skipped'
    counts the rows another worker took from this one, 'cancelled' those `stale` (a
    function of the message, see deliver_one) found no longer apply."""
    clock = _clock(now)
    worker = worker or uuid.uuid4().hex
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}  # "cancelled" once one is
    counts["failed"] += _give_up_abandoned(clock(), max_attempts)
    for _ in range(limit):
        if stop is not None and stop():
            break  # asked to shut down: never leave a claimed row half done
        token = f"{worker[:200]}/{uuid.uuid4().hex[:12]}"
        message_id = claim_next(senders.keys(), clock(), token, lease, max_attempts)
        if message_id is None:
            break  # nothing due that another worker has not taken
        message = OutboxMessage.get_by_id(message_id)
        outcome = deliver_one(message, senders[message.channel], clock, token, max_attempts,
                              lease, stale)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def requeue_failed(now, ids=None):
    """Put failed messages (all, or those with these ids) back in the queue; returns how many."""
    query = (OutboxMessage
             .update(status=QUEUED, attempts=0, next_attempt_at=now)
             .where(OutboxMessage.status == FAILED))
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(list(ids)))
    count = query.execute()
    log.info("outbox.queue.requeue_failed: ids=%s count=%s", ids or "all", count)
    return count


def list_messages(failed_only=False, limit=100):
    """The most recent messages, newest first; only failed ones when asked."""
    query = OutboxMessage.select()
    if failed_only:
        query = query.where(OutboxMessage.status == FAILED)
    return list(query
                .order_by(OutboxMessage.id.desc())
                .limit(limit))


def message_as_dict(message):
    def stamp(value):
        return value.isoformat() if value else None

    return {"id": message.id, "channel": message.channel, "to": message.recipient,
            "subject": message.subject, "body": message.body, "key": message.dedupe_key,
            "status": message.status, "attempts": message.attempts,
            "next_attempt_at": stamp(message.next_attempt_at), "last_error": message.last_error,
            "provider_id": message.provider_id, "created_at": stamp(message.created_at),
            "sent_at": stamp(message.sent_at)}

