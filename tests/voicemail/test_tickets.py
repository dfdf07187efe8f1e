"""One ticket per voicemail, whatever order and how often Twilio's callbacks arrive."""

import itertools

import pytest

from telephony.models import Call
from voicemail.models import Ticket

SID = "CA" + "7" * 32
CALL = {"CallSid": SID, "From": "+447400123456", "To": "+442071838750"}
RECORDED = ("/voice/recorded", {**CALL, "RecordingUrl": "https://api.twilio.com/rec/RE9",
                                "RecordingDuration": "42", "Digits": "#"})
STATUS = ("/voice/recording-status", {**CALL, "RecordingSid": "RE" + "9" * 32,
                                      "RecordingUrl": "https://api.twilio.com/rec/RE9",
                                      "RecordingStatus": "completed", "RecordingDuration": "42"})


@pytest.mark.parametrize("order", list(itertools.permutations([RECORDED, STATUS, RECORDED,
                                                               STATUS]))[:6])
def test_callbacks_in_any_order_make_one_complete_ticket(twilio, db, order):
    twilio.post("/voice/incoming", CALL)  # nobody signed in: straight to voicemail
    for path, form in order:
        assert twilio.post(path, form).status_code == 200
    ticket = Ticket.get()
    assert Ticket.select().count() == 1
    assert (ticket.recording_url, ticket.recording_seconds, ticket.recording_sid) == (
        "https://api.twilio.com/rec/RE9", 42, "RE" + "9" * 32)
    assert ticket.caller == "+447400123456"
    assert Call.get().status == "voicemail"


def test_caller_hears_the_same_ticket_number_on_a_retried_action(twilio, db):
    twilio.post("/voice/incoming", CALL)
    first = twilio.post(*RECORDED).get_data(as_text=True)
    again = twilio.post(*RECORDED).get_data(as_text=True)
    assert "ticket number 1 0 0 1" in first
    assert first == again


def test_tickets_are_numbered_in_sequence(twilio, db):
    for n in range(3):
        call = {**CALL, "CallSid": f"CA{n:032d}"}
        twilio.post("/voice/incoming", call)
        twilio.post(RECORDED[0], {**RECORDED[1], "CallSid": call["CallSid"]})
    assert [t.number for t in Ticket.select().order_by(Ticket.id)] == [1001, 1002, 1003]
