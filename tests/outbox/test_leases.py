"""A lease runs from its own claim, and a worker sends and records only while it holds it.

The second worker runs inside the first one's send (the provider "takes a while" by moving
the clock), so the two interleave the same way every time.
"""

import logging
from datetime import datetime, timedelta, timezone

import pytest

from outbox import queue
from outbox.models import SENDING, SENT, SMS, OutboxMessage
from outbox.senders import DeliveryError, RecordingSender
from tests.conftest import FixedClock

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=timezone.utc)
TO = "+447911123401"
PAST_THE_LEASE = queue.LEASE + timedelta(seconds=1)


class Provider(RecordingSender):
    """A fake provider whose ids name the worker that used it."""

    def __init__(self, name, during=None, answer=None):
        super().__init__()
        self.name, self.during, self.answer = name, during, answer

    def send(self, message):
        if self.during is not None:
            self.during(message)
        if self.answer is not None:
            raise self.answer
        self.sent.append(message)
        return f"{self.name}-{len(self.sent)}"


def enqueue(count):
    for n in range(count):
        queue.enqueue(SMS, TO, f"text {n}", f"notice-{n}", NOW)


def lease_lines(caplog):
    return [r.getMessage() for r in caplog.records if "lease lost" in r.getMessage()]


def sent_lines(caplog):
    return [r.getMessage() for r in caplog.records if "outcome=sent" in r.getMessage()]


def test_a_pass_longer_than_the_lease_sends_each_message_once(db, caplog):
    """Each send takes two minutes and another worker starts a pass during every send, so
    the first worker's pass outlasts the lease. Stamped with the pass's start, its later
    claims' leases would have run out while they were being sent, and the other worker
    would send them too."""
    caplog.set_level(logging.INFO)
    enqueue(5)
    clock = FixedClock(NOW)
    other = Provider("b")
    leases = []

    def meanwhile(message):
        leases.append(OutboxMessage.get_by_id(message.id).lease_until - clock())
        clock.set(clock() + timedelta(minutes=2))
        queue.deliver_due({SMS: other}, clock, worker="b", limit=1)

    first = Provider("a", during=meanwhile)
    while queue.deliver_due({SMS: first}, clock, worker="a")["sent"]:
        pass
    bodies = [m.body for m in first.sent + other.sent]
    assert sorted(bodies) == [f"text {n}" for n in range(5)]  # each once, none lost
    assert leases and set(leases) == {queue.LEASE}  # every send holds a whole lease
    assert [m.status for m in OutboxMessage.select()] == [SENT] * 5
    assert lease_lines(caplog) == []


def test_every_claim_of_a_long_pass_is_leased_from_its_own_moment(db, monkeypatch):
    """Right after each claim of a pass twice as long as the lease, another worker tries to
    take the same row: it never can, and the lease the claim wrote runs from that claim."""
    enqueue(5)
    clock = FixedClock(NOW)
    renew = queue.hold
    leased, rival_won = [], []

    def rival_then_hold(message_id, token, now, lease=queue.LEASE):
        leased.append(OutboxMessage.get_by_id(message_id).lease_until - clock())
        rival_won.append(queue.claim(message_id, clock(), "rival"))
        return renew(message_id, token, now, lease)

    monkeypatch.setattr(queue, "hold", rival_then_hold)
    slow = Provider("a", during=lambda message: clock.set(clock() + timedelta(minutes=2)))
    assert queue.deliver_due({SMS: slow}, clock, worker="a")["sent"] == 5
    assert clock() == NOW + timedelta(minutes=10)
    assert leased == [queue.LEASE] * 5
    assert rival_won == [False] * 5


# what the worker that lost the row got from its provider -> what it sent and what it counts
@pytest.mark.parametrize("answer", [
    None,                                           # accepted
    DeliveryError("twilio status=503"),             # would be retried
    DeliveryError("twilio status=400", permanent=True),  # would fail
], ids=["accepted", "retryable-error", "permanent-error"])
def test_a_lease_lost_while_sending_is_logged_and_the_holders_record_stands(db, caplog, answer):
    """The provider stalls past the lease; another worker takes the row, sends it and
    records it. The stalled worker's outcome must not overwrite that record, nor be
    logged as an outcome of its own."""
    caplog.set_level(logging.INFO)
    enqueue(1)
    clock = FixedClock(NOW)
    other = Provider("b")
    taken_over = []

    def stall(message):
        clock.set(clock() + PAST_THE_LEASE)
        taken_over.append(queue.deliver_due({SMS: other}, clock, worker="b"))

    counts = queue.deliver_due({SMS: Provider("a", during=stall, answer=answer)}, clock,
                               worker="a")
    assert taken_over == [{"sent": 1, "retry": 0, "failed": 0, "skipped": 0}]
    assert counts == {"sent": 0, "retry": 0, "failed": 0, "skipped": 1}
    row = OutboxMessage.get()
    assert (row.status, row.provider_id, row.attempts, row.last_error, row.sent_at) == (
        SENT, "b-1", 2, None, NOW + PAST_THE_LEASE)
    assert len(sent_lines(caplog)) == 1  # the holder's, not the stalled worker's
    [lost] = lease_lines(caplog)
    assert lost.startswith(f"outbox.queue.deliver_one: lease lost id={row.id} channel=sms ")
    assert ("sent=yes provider_id=a-1 recorded=no" if answer is None else "sent=no") in lost
    assert lost.endswith("status=sent holder=None")


def test_a_row_another_worker_holds_is_not_sent(db, caplog):
    """A worker is paused between its claim and its send for longer than the lease; another
    worker takes the row and is sending it when the first resumes."""
    caplog.set_level(logging.INFO)
    enqueue(1)
    message_id = queue.claim_next([SMS], NOW, "a/1")
    paused = OutboxMessage.get_by_id(message_id)
    later = NOW + PAST_THE_LEASE
    assert queue.claim_next([SMS], later, "b/1") == message_id  # and b's send is under way
    first = Provider("a")
    assert queue.deliver_one(paused, first, later, "a/1") == "skipped"
    assert first.sent == []
    row = OutboxMessage.get()
    assert (row.status, row.lease_token, row.lease_until) == (SENDING, "b/1",
                                                               later + queue.LEASE)
    [lost] = lease_lines(caplog)
    assert "sent=no" in lost and lost.endswith("status=sending holder=b/1")
    assert sent_lines(caplog) == []


def test_a_lease_that_ran_out_with_nobody_taking_the_row_is_renewed_and_sent(db, caplog):
    caplog.set_level(logging.INFO)
    enqueue(1)
    message_id = queue.claim_next([SMS], NOW, "a/1")
    later = NOW + PAST_THE_LEASE
    renewed = []
    first = Provider("a", during=lambda message: renewed.append(
        OutboxMessage.get_by_id(message.id).lease_until))
    assert queue.deliver_one(OutboxMessage.get_by_id(message_id), first, later, "a/1") == "sent"
    assert renewed == [later + queue.LEASE]
    row = OutboxMessage.get()
    assert (row.status, row.provider_id, row.sent_at, row.lease_token) == (SENT, "a-1", later,
                                                                          None)
    assert lease_lines(caplog) == []


def test_each_claim_has_a_token_of_its_own(db):
    enqueue(2)
    tokens = []
    spy = Provider("a", during=lambda message: tokens.append(
        OutboxMessage.get_by_id(message.id).lease_token))
    assert queue.deliver_due({SMS: spy}, NOW, worker="host:42:abcd")["sent"] == 2
    assert len(set(tokens)) == 2 and all(t.startswith("host:42:abcd/") for t in tokens)


def test_the_outcome_is_stamped_when_it_is_recorded(db):
    enqueue(2)
    clock = FixedClock(NOW)
    slow = Provider("a", during=lambda message: clock.set(clock() + timedelta(seconds=20)))
    assert queue.deliver_due({SMS: slow}, clock)["sent"] == 2
    assert [m.sent_at for m in OutboxMessage.select().order_by(OutboxMessage.id)] == [
        NOW + timedelta(seconds=20), NOW + timedelta(seconds=40)]
