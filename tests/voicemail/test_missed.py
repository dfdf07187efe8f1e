"""Every call that reached nobody becomes a ticket due a call-back; the caller is texted."""

from datetime import datetime, timedelta, timezone

import pytest

from outbox.models import OutboxMessage
from telephony.models import Call, CallStatus
from voicemail import missed
from voicemail.models import Ticket
from voicemail.tickets import TicketError

ARRIVED = datetime(2026, 7, 1, 13, 2, tzinfo=timezone.utc)  # 14:02 in London (summer)
MOBILE = "+447400123456"


def call(n, number=MOBILE, held=30, **fields):
    return Call.create(sid=f"CA{n:032d}", from_number=number, started_at=ARRIVED,
                       ended_at=ARRIVED + timedelta(seconds=held), mode="in_hours",
                       status=fields.pop("status", CallStatus.MISSED), **fields)


def texts_to(number):
    return [m.body for m in OutboxMessage.select().where(OutboxMessage.recipient == number)]


def test_an_abandoned_call_becomes_a_missed_ticket_and_a_text(db, settings):
    made = call(1)
    later = ARRIVED + timedelta(minutes=5)
    assert missed.queue_missed_calls(settings, later) == 1
    ticket = Ticket.get()
    assert (ticket.kind, ticket.call_id, ticket.created_at) == ("missed", made.id, ARRIVED)
    assert texts_to(MOBILE) == ["We missed your call at 14:02; an engineer will call you "
                                "back. Reference 1001."]
    assert [t.number for t in missed.callbacks_due()] == [1001]
    assert missed.queue_missed_calls(settings, later) == 0  # once, however often
    assert Ticket.select().count() == 1 and len(texts_to(MOBILE)) == 1


def test_short_abandons_answered_and_blocked_calls_are_left_out(db, settings):
    call(1, held=settings.short_abandon_seconds)
    call(2, answered_at=ARRIVED, status=CallStatus.ANSWERED)
    call(3, status=CallStatus.BLOCKED, held=20)
    assert missed.queue_missed_calls(settings, ARRIVED + timedelta(minutes=5)) == 0


def test_a_call_ended_just_now_waits_for_its_recording(db, settings):
    call(1, voicemail_at=ARRIVED, status=CallStatus.VOICEMAIL)
    assert missed.queue_missed_calls(settings, ARRIVED + timedelta(seconds=60)) == 0
    assert missed.queue_missed_calls(settings, ARRIVED + timedelta(minutes=3)) == 1


def test_a_withheld_number_gets_a_ticket_and_no_text(db, settings):
    call(1, number="anonymous", fallback_at=ARRIVED)
    assert missed.queue_missed_calls(settings, ARRIVED + timedelta(minutes=5)) == 1
    ticket = Ticket.get()
    assert not missed.can_call_back(ticket)
    assert OutboxMessage.select().where(OutboxMessage.recipient == "anonymous").count() == 0


def test_marking_a_call_back_done_needs_a_reason_and_takes_it_off_the_list(db, settings):
    call(1)
    missed.queue_missed_calls(settings, ARRIVED + timedelta(minutes=5))
    with pytest.raises(TicketError):
        missed.mark_done(1001, "  ", ARRIVED)
    done = missed.mark_done(1001, "called from my desk", ARRIVED + timedelta(hours=1))
    assert done.callback_reason == "called from my desk"
    assert missed.callbacks_due() == []
    with pytest.raises(TicketError):
        missed.mark_done(1001, "again", ARRIVED)
