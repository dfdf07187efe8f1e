"""Twilio's recording and transcription callbacks for one call racing on two threads.

Each test here fails when one of the guards is taken away: the unique ticket per call, or
the loser of the race knowing it did not make the ticket.
"""

import threading

import pytest
from twilio.request_validator import RequestValidator

from dutyline.db import database
from tests.conftest import AUTH_TOKEN, PUBLIC_URL
from outbox.models import OutboxMessage
from voicemail.models import Ticket

ROUNDS = 6
LINK = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1"
TRANSCRIPT = "The printer on the second floor is on fire."


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'race.db'}"


@pytest.fixture
def app_config():
    return {"HELPDESK_EMAIL": "intake@helpdesk.example.com",
            "TICKET_WEBHOOK_URL": "https://helpdesk.example.com/hook",
            "TICKET_WEBHOOK_SECRET": "secret"}


def race(app, posts):
    """Post each (path, form) on its own thread, all at once; returns the status codes."""
    validator = RequestValidator(AUTH_TOKEN)
    barrier = threading.Barrier(len(posts))
    codes = [None] * len(posts)

    def post(index, path, form):
        client = app.test_client()
        signature = validator.compute_signature(PUBLIC_URL + path, form)
        barrier.wait()
        codes[index] = client.post(path, data=form,
                                   headers={"X-Twilio-Signature": signature}).status_code

    threads = [threading.Thread(target=post, args=(i, path, form))
               for i, (path, form) in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return codes


def call(n):
    return {"CallSid": f"CA{n:032d}", "From": "+447400123456", "To": "+442071838750"}


def recorded(n):
    return "/voice/recorded", {**call(n), "RecordingUrl": LINK, "RecordingDuration": "20"}


def recording_status(n):
    return "/voice/recording-status", {**call(n), "RecordingSid": f"RE{n:032d}",
                                       "RecordingUrl": LINK, "RecordingStatus": "completed",
                                       "RecordingDuration": "20"}


def transcription(n):
    return "/voice/transcription", {**call(n), "TranscriptionStatus": "completed",
                                    "TranscriptionText": TRANSCRIPT,
                                    "RecordingSid": f"RE{n:032d}"}


def notices(ticket):
    keys = [m.dedupe_key for m in OutboxMessage.select()
            if m.dedupe_key.startswith(f"ticket:{ticket.number}:")]
    return sorted(key.split(":", 2)[2].split(":CA")[0] for key in keys)


def test_recorded_and_recording_status_at_once_make_one_ticket_with_one_set_of_notices(
        app, twilio):
    for n in range(ROUNDS):
        twilio.post("/voice/incoming", call(n))
        assert race(app, [recorded(n), recording_status(n)]) == [200, 200]
    with database.connection_context():
        tickets = list(Ticket.select().order_by(Ticket.id))
        assert len(tickets) == ROUNDS  # one a call
        for ticket in tickets:
            assert (ticket.recording_url, ticket.recording_seconds) == (LINK, 20)
            assert notices(ticket) == ["caller-text", "mail", "webhook:created"]


def test_the_transcript_reaches_the_helpdesk_exactly_once_when_callbacks_race(app, twilio):
    for n in range(ROUNDS):
        twilio.post("/voice/incoming", call(n))
        assert race(app, [recorded(n), transcription(n)]) == [200, 200]
    with database.connection_context():
        assert Ticket.select().count() == ROUNDS
        for ticket in Ticket.select():
            assert ticket.transcript == TRANSCRIPT
            mails = [m.body for m in OutboxMessage.select()
                     if m.channel == "email" and m.dedupe_key.startswith(f"ticket:{ticket.number}:")]
            # in the first mail when the transcript came first, else in one follow-up
            assert sum(TRANSCRIPT in body for body in mails) == 1, mails
