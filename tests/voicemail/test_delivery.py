"""A voicemail reaches people: the caller's reference, the engineers' texts, the helpdesk's
mail (a real SMTP server) and the signed webhook, all through the outbox, exactly once."""

import email
import hashlib
import hmac
import json
import socket
from datetime import date, datetime, timedelta
from email import policy
from zoneinfo import ZoneInfo

import pytest
import responses
from aiosmtpd.controller import Controller

from console.scenario import Scenario
from customers.directory import add_customer
from outbox import queue
from outbox.mail import SmtpMailer
from outbox.models import EMAIL, SMS, WEBHOOK, OutboxMessage
from outbox.senders import RecordingSender
from outbox.webhook import WebhookPoster
from rota import periods
from tests.conftest import ADDED_AT
from voicemail.models import Ticket

LONDON = ZoneInfo("Europe/London")
NIGHT = datetime(2026, 12, 2, 3, 0, tzinfo=LONDON)
TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
HELPDESK = "intake@helpdesk.example.com"
HOOK = "https://helpdesk.example.com/hooks/dutyline"
SECRET = "hook-secret"
ACME_MOBILE = "+447911123501"   # ACME's site manager calls from a mobile
LANDLINE = "+442079460500"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp():
    """A real SMTP server on loopback; .stop() and .start() simulate an outage."""
    inbox = Inbox()
    port = free_port()
    server = {"controller": None}

    def start():
        server["controller"] = Controller(inbox, hostname="127.0.0.1", port=port)
        server["controller"].start()

    def stop():
        server["controller"].stop()

    start()
    inbox.start, inbox.stop, inbox.url = start, stop, f"smtp://127.0.0.1:{port}"
    yield inbox
    try:
        stop()
    except (AssertionError, RuntimeError):
        pass


@pytest.fixture
def app_config():
    return {"HELPDESK_EMAIL": HELPDESK, "TICKET_WEBHOOK_URL": HOOK,
            "TICKET_WEBHOOK_SECRET": SECRET}


@pytest.fixture
def team(db, make_engineer, settings):
    ben = make_engineer("Ben Smith", mobile="+447911000001")
    tobi = make_engineer("Tobi Jones", mobile="+447911000002")
    make_engineer("Chris Wong", mobile="+447911000003", signed_in=False)
    periods.assign_period(date(2026, 12, 1), ben, None, settings, now=ADDED_AT)
    add_customer("ACME Ltd", [ACME_MOBILE, LANDLINE], "24x7", "1h", region="GB")
    return ben, tobi


@pytest.fixture
def senders(smtp):
    return {SMS: RecordingSender(), EMAIL: SmtpMailer(smtp.url, "dutyline@example.com"),
            WEBHOOK: WebhookPoster(SECRET)}


def work(senders, at):
    return queue.deliver_due(senders, at)


def leave_voicemail(simulate, caller, at=NIGHT):
    outcome = simulate(Scenario(at=at, caller=caller, others="ignore"))
    assert outcome.ticket_number is not None
    return outcome


def transcribe(twilio, outcome, text):
    return twilio.post("/voice/transcription", {
        "CallSid": outcome.call_sid, "TranscriptionStatus": "completed",
        "TranscriptionText": text, "RecordingSid": "RE" + "a" * 32})


@responses.activate
def test_night_voicemail_reaches_caller_engineer_helpdesk_and_webhook(simulate, twilio, team,
                                                                      senders, smtp):
    responses.post(HOOK, status=200)
    outcome = leave_voicemail(simulate, ACME_MOBILE)
    number = outcome.ticket_number
    made = Ticket.get().created_at
    # at once: the caller's text, the helpdesk's mail, the webhook; the engineer's text waits
    assert work(senders, made)["sent"] == 3
    sms = senders[SMS]
    assert sms.texts() == [(ACME_MOBILE, f"Thank you for your message to support. Your reference "
                                      f"is #{number}; an engineer will call you back.")]
    transcribe(twilio, outcome, "The server at the Leeds office is down, please call Ann.")
    assert work(senders, made + timedelta(seconds=61))["sent"] == 3  # text, reply mail, hook
    to_ben = [body for to, body in sms.texts() if to == "+447911000001"]
    assert to_ben == [f"Voicemail ticket #{number} from ACME Ltd ({ACME_MOBILE}). Call back: "
                      f"{ACME_MOBILE}. \"The server at the Leeds office is down, please call "
                      f"Ann.\" Reply ACK {number} to acknowledge."]
    assert not [to for to, _ in sms.texts() if to in ("+447911000002", "+447911000003")]

    first, second = smtp.messages
    assert first["Subject"] == f"[dutyline #{number}] [C normal] Voicemail from ACME Ltd ({ACME_MOBILE})"
    assert first["To"] == HELPDESK
    body = first.get_content()
    assert "Customer:      ACME Ltd (24x7, reaction 1h)" in body
    assert "Recording:     https://api.twilio.com/2010-04-01/Accounts/ACsimulator/Recordings/" \
           in body and "(30 s)" in body
    assert "Reaction due:  Wed 02 Dec 2026 04:0" in body
    assert "not yet available" in body
    assert second["Subject"] == f"Re: {first['Subject']}"
    assert second["In-Reply-To"] == first["Message-ID"] == second["References"]
    assert "The server at the Leeds office is down" in second.get_content()

    posted = [call.request for call in responses.calls]
    assert [json.loads(r.body)["event"] for r in posted] == ["ticket.created",
                                                              "ticket.transcribed"]
    for request in posted:
        expected = "sha256=" + hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
        assert request.headers["X-Dutyline-Signature"] == expected
    assert json.loads(posted[0].body)["ticket"]["number"] == number
    assert work(senders, made + timedelta(hours=2))["sent"] == 0  # nothing twice


def test_landline_caller_gets_no_text_and_in_hours_every_signed_in_engineer_does(
        simulate, team, senders):
    outcome = leave_voicemail(simulate, LANDLINE, at=TUESDAY_10)
    work(senders, Ticket.get().created_at + timedelta(minutes=2))
    recipients = sorted(to for to, _ in senders[SMS].texts())
    assert recipients == ["+447911000001", "+447911000002"]  # Ben and Tobi; Chris signed out
    assert all(f"#{outcome.ticket_number}" in body for _, body in senders[SMS].texts())


def test_without_a_transcript_the_engineer_is_texted_after_a_minute(simulate, team, senders):
    outcome = leave_voicemail(simulate, LANDLINE)
    made = Ticket.get().created_at
    work(senders, made + timedelta(seconds=30))
    assert not [to for to, _ in senders[SMS].texts() if to == "+447911000001"]
    work(senders, made + timedelta(seconds=60))
    assert [body for to, body in senders[SMS].texts() if to == "+447911000001"] == [
        f"Voicemail ticket #{outcome.ticket_number} from ACME Ltd ({LANDLINE}). Call back: "
        f"{LANDLINE}. Reply ACK {outcome.ticket_number} to acknowledge."]


def test_mail_waits_while_the_smtp_server_is_down_and_goes_once_it_is_back(simulate, team,
                                                                            senders, smtp):
    smtp.stop()
    leave_voicemail(simulate, LANDLINE)
    made = Ticket.get().created_at
    result = work(senders, made)
    assert result["retry"] >= 1
    mail = OutboxMessage.get(OutboxMessage.channel == EMAIL)
    assert (mail.status, mail.attempts) == ("queued", 1)
    assert "smtp unreachable" in mail.last_error
    smtp.start()
    work(senders, made + timedelta(seconds=5))  # before the backoff: not yet
    assert smtp.messages == []
    work(senders, made + timedelta(minutes=2))
    work(senders, made + timedelta(minutes=10))
    assert len(smtp.messages) == 1
    assert OutboxMessage.get_by_id(mail.id).status == "sent"


@pytest.mark.parametrize("order", [
    # header: the order Twilio's callbacks arrive in, some twice
    ["recorded", "status", "transcription"],
    ["transcription", "status", "recorded", "recorded"],
    ["status", "transcription", "status", "recorded", "transcription"],
])
def test_duplicated_and_reordered_callbacks_make_one_set_of_messages(twilio, team, order):
    call = {"CallSid": "CA" + "c" * 32, "From": ACME_MOBILE, "To": "+442071838750"}
    twilio.post("/voice/incoming", call)
    forms = {
        "recorded": ("/voice/recorded", {**call, "RecordingUrl": "https://api.twilio.com/r/RE1",
                                         "RecordingDuration": "25"}),
        "status": ("/voice/recording-status", {**call, "RecordingSid": "RE" + "1" * 32,
                                               "RecordingUrl": "https://api.twilio.com/r/RE1",
                                               "RecordingStatus": "completed",
                                               "RecordingDuration": "25"}),
        "transcription": ("/voice/transcription", {**call, "TranscriptionStatus": "completed",
                                                   "TranscriptionText": "Printer on fire.",
                                                   "RecordingSid": "RE" + "1" * 32}),
    }
    for name in order:
        assert twilio.post(*forms[name]).status_code == 200
    assert Ticket.select().count() == 1
    keys = sorted(m.dedupe_key.split(":", 2)[2] for m in OutboxMessage.select())
    assert keys.count("caller-text") == 1
    assert keys.count(f"mail:{call['CallSid']}") == 1
    assert keys.count("webhook:created") == 1
    assert len(keys) == len(set(keys))
    assert Ticket.get().transcript == "Printer on fire."


@responses.activate
def test_webhook_server_error_is_retried_and_a_refusal_is_final(team, twilio, senders):
    responses.post(HOOK, status=503)
    call = {"CallSid": "CA" + "d" * 32, "From": LANDLINE, "To": "+442071838750"}
    twilio.post("/voice/incoming", call)
    twilio.post("/voice/recorded", {**call, "RecordingUrl": "https://r/1", "RecordingDuration": "9"})
    made = Ticket.get().created_at
    work(senders, made)
    hook = OutboxMessage.get(OutboxMessage.channel == WEBHOOK)
    assert (hook.status, hook.last_error) == ("queued", "webhook answered 503")
    responses.replace(responses.POST, HOOK, status=410)
    work(senders, made + timedelta(minutes=5))
    hook = OutboxMessage.get_by_id(hook.id)
    assert (hook.status, hook.attempts) == ("failed", 2)


def test_engineer_acknowledges_by_text(twilio, simulate, team, clock):
    outcome = leave_voicemail(simulate, LANDLINE)
    clock.set(NIGHT + timedelta(minutes=10))
    reply = twilio.post("/sms/incoming", {"From": "+447911000001", "To": "+442071838750",
                                          "Body": f"ack {outcome.ticket_number}",
                                          "MessageSid": "SM" + "1" * 32})
    assert f"Ticket #{outcome.ticket_number} acknowledged" in reply.get_data(as_text=True)
    ticket = Ticket.get()
    assert (ticket.status, ticket.acknowledged_by.name) == ("acknowledged", "Ben Smith")
    again = twilio.post("/sms/incoming", {"From": "+447911000002", "To": "+442071838750",
                                          "Body": f"ACK {outcome.ticket_number}",
                                          "MessageSid": "SM" + "2" * 32})
    assert "already acknowledged by Ben Smith" in again.get_data(as_text=True)
    unknown = twilio.post("/sms/incoming", {"From": "+447911000002", "To": "+442071838750",
                                            "Body": "ACK 999999", "MessageSid": "SM" + "3" * 32})
    assert "no ticket #999999" in unknown.get_data(as_text=True)


def test_message_ids_differ_when_a_reset_database_repeats_a_ticket_number(simulate, team,
                                                                           senders, smtp, db):
    from telephony.models import Call, Leg

    first = leave_voicemail(simulate, ACME_MOBILE)
    work(senders, Ticket.get().created_at)
    # the database is reset: the numbering starts again from the top
    for model in (OutboxMessage, Ticket, Leg, Call):
        model.delete().execute()
    second = leave_voicemail(simulate, ACME_MOBILE)
    work(senders, Ticket.get().created_at)
    ids = [message["Message-ID"] for message in smtp.messages]
    assert len(ids) == 2 and ids[0] != ids[1], (first.ticket_number, second.ticket_number)


@pytest.mark.parametrize("subject, recipient", [
    ("[dutyline #1001] Voicemail from A\nBcc: x@y", HELPDESK),
    ("[dutyline #1001] Voicemail", HELPDESK + "\r\nBcc: x@y")])
def test_a_header_with_a_line_feed_fails_at_once(db, senders, smtp, subject, recipient):
    now = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
    queue.enqueue(EMAIL, recipient, "body\n", "ticket:1001:mail:CA1", now, subject=subject)
    assert work(senders, now) == {"sent": 0, "retry": 0, "failed": 1, "skipped": 0}
    row = OutboxMessage.get()
    assert (row.status, row.attempts) == ("failed", 1)
    assert "line feed" in row.last_error
    assert smtp.messages == []
