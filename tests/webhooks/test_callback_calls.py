"""A call-back through the support number: the outbox rings the engineer's own phone through
Twilio's REST API, the engineer hears whom they call back and presses 1, the customer is
dialled with the support number as caller ID; the call-back is logged, and one the customer
answered ends the ticket's call-back (REST mocked with `responses`, webhooks signed)."""

from datetime import timedelta
from urllib.parse import parse_qs

import pytest
import responses
from lxml import etree

from customers.directory import add_customer
from dutyline.db import database
from outbox import queue
from outbox.models import VOICE
from outbox.voice import TwilioVoiceCall
from telephony.models import Call, CallStatus
from tests.voicemail.escalation_helpers import ACCOUNT, CALLS_URL, SUPPORT, created
from voicemail import callbacks, missed
from voicemail.models import CallBack, Ticket
from voicemail.tickets import TicketError
from webhooks.callback_voice import answer_url

ACME = "+447911123501"
BEN = "+447911000001"
SID = "CA" + "5" * 32


@pytest.fixture
def api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def due(app, clock, settings, make_engineer):
    """A missed call from ACME, its ticket #1001, and Ben's call-back of it queued."""
    ben = make_engineer("Ben Smith", mobile=BEN)
    with database.connection_context():
        acme = add_customer("ACME Ltd", [ACME], "24x7", "1h", region="GB")
        Call.create(sid="CA" + "1" * 32, from_number=ACME, to_number=SUPPORT, customer=acme,
                    started_at=clock.now - timedelta(minutes=20), mode="in_hours",
                    status=CallStatus.MISSED, ended_at=clock.now - timedelta(minutes=19))
        assert missed.queue_missed_calls(settings, clock.now) == 1
        return callbacks.request_callback(1001, ben, clock.now)


def ring_engineer(app, clock, api):
    api.add(responses.POST, CALLS_URL, json=created(SID), status=201)
    with app.app_context(), database.connection_context():
        sender = TwilioVoiceCall(ACCOUNT, "test-auth-token-0123456789abcdef", SUPPORT,
                                 answer_url)
        assert queue.deliver_due({VOICE: sender}, clock.now)["sent"] == 1
    form = parse_qs(api.calls[0].request.body)
    return form["To"][0], form["From"][0], form["Url"][0]


def said(response):
    return " ".join(etree.fromstring(response.get_data()).itertext())


def test_the_engineer_hears_who_and_the_customer_sees_the_support_number(
        app, clock, api, due, twilio, callback_url):
    to, shown, url = ring_engineer(app, clock, api)
    assert (to, shown) == (BEN, SUPPORT)
    assert "/voice/callback?" in url
    whisper = twilio.post(url, {"CallSid": SID, "To": BEN})
    assert "Calling back ACME Ltd, ticket 1 0 0 1. Press 1 to connect." in said(whisper)
    key_url = callback_url("callback_key", esc=due.message_id)
    dialled = twilio.post(key_url, {"CallSid": SID, "Digits": "1"})
    dial = etree.fromstring(dialled.get_data()).find("Dial")
    assert dial.get("callerId") == SUPPORT and dial.findtext("Number") == ACME
    clock.set(clock.now + timedelta(minutes=2))
    ended = twilio.post(callback_url("callback_dialled", esc=due.message_id),
                        {"CallSid": SID, "DialCallStatus": "completed",
                         "DialCallDuration": "42"})
    assert "logged" in said(ended)
    with database.connection_context():
        row = CallBack.get()
        assert (row.answered, row.seconds, row.connected_at is not None) == (True, 42, True)
        ticket = Ticket.get()
        assert ticket.callback_done_at == clock.now - timedelta(seconds=42)
        assert ticket.callback_reason == "called back by Ben Smith"
        assert missed.callbacks_due() == []
        assert callbacks.first_reached(ticket) == clock.now - timedelta(seconds=42)


def test_a_customer_who_does_not_answer_leaves_the_call_back_due(
        app, clock, api, due, twilio, callback_url):
    ring_engineer(app, clock, api)
    twilio.post(callback_url("callback_key", esc=due.message_id),
                {"CallSid": SID, "Digits": "1"})
    ended = twilio.post(callback_url("callback_dialled", esc=due.message_id),
                        {"CallSid": SID, "DialCallStatus": "no-answer",
                         "DialCallDuration": "0"})
    assert "stays due" in said(ended)
    with database.connection_context():
        assert CallBack.get().answered is False
        assert [t.number for t in missed.callbacks_due()] == [1001]


def test_another_call_or_a_forged_token_dials_nobody(app, clock, api, due, twilio,
                                                     callback_url):
    ring_engineer(app, clock, api)
    other = twilio.post(callback_url("callback_key", esc=due.message_id),
                        {"CallSid": "CA" + "6" * 32, "Digits": "1"})
    assert etree.fromstring(other.get_data()).find("Dial") is None
    forged = twilio.post(callback_url("callback_key", esc=due.message_id) + "0",
                         {"CallSid": SID, "Digits": "1"})
    assert forged.status_code == 200
    assert etree.fromstring(forged.get_data()).find("Dial") is None
    unsigned = twilio.post(callback_url("callback", esc=due.message_id), {"CallSid": SID},
                           signature="bad", validate=False)
    assert unsigned.status_code in (401, 403)


def test_a_withheld_number_cannot_be_called_back(app, clock, settings, make_engineer):
    ben = make_engineer("Ben Smith", mobile=BEN)
    with database.connection_context():
        Call.create(sid="CA" + "1" * 32, from_number="anonymous", started_at=clock.now,
                    mode="in_hours", status=CallStatus.MISSED,
                    ended_at=clock.now + timedelta(seconds=30))
        missed.queue_missed_calls(settings, clock.now + timedelta(minutes=5))
        with pytest.raises(TicketError, match="withheld"):
            callbacks.request_callback(1001, ben, clock.now)


def test_reaction_time_is_measured_to_the_call_back_that_reached_the_customer(
        app, clock, settings, api, due, twilio, callback_url):
    from click.testing import CliRunner

    from console.main import main
    from reports.reactions import reactions
    from tests.conftest import app_info

    day = (clock.now - timedelta(hours=1), clock.now + timedelta(hours=1))
    with database.connection_context():
        [late] = reactions(settings, *day, clock.now + timedelta(hours=2))  # 1 h, not reached
        assert (late.customer, late.tickets, late.reached, [b.ticket for b in late.broken]) == (
            "ACME Ltd", 1, 0, [1001])
    ring_engineer(app, clock, api)
    twilio.post(callback_url("callback_key", esc=due.message_id), {"CallSid": SID, "Digits": "1"})
    clock.set(clock.now + timedelta(minutes=10))
    twilio.post(callback_url("callback_dialled", esc=due.message_id),
                {"CallSid": SID, "DialCallStatus": "completed", "DialCallDuration": "60"})
    with database.connection_context():
        [row] = reactions(settings, *day, clock.now + timedelta(hours=2))
        assert (row.reached, row.within, row.broken) == (1, 1, [])
        assert row.as_dict()["median_minutes"] == 29.0  # arrival 20 min before, +10, -1
    out = CliRunner().invoke(main, ["report", "reactions", "--json"], obj=app_info(app),
                             catch_exceptions=False).output
    assert '"within": 1' in out
