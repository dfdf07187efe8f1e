"""What must not count as an answer, and a hunt the caller ended: guards the earlier suite missed.

Callback URLs are taken from the TwiML the app answered, as Twilio takes them.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from telephony.models import Call, HuntPosition, Leg

TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
CALL = {"CallSid": "CA" + "3" * 32, "From": "+447400123456", "To": "+442071838750"}
BEN_LEG = {**CALL, "CallSid": "CA" + "b" * 32, "ParentCallSid": CALL["CallSid"]}


@pytest.fixture
def ringing(twilio, make_engineer, clock, db):
    """A call in hours ringing Ben (Tobi next); returns the first answer's TwiML."""
    clock.set(TUESDAY_10)
    make_engineer("Ben Smith")
    make_engineer("Tobi Jones")
    response = twilio.post("/voice/incoming", CALL)
    assert response.status_code == 200
    return etree.fromstring(response.get_data())


def whisper_url(document):
    return document.find("Dial/Number").get("url")


def dial_action(document):
    return document.find("Dial").get("action")


def position():
    row = HuntPosition.get()
    return row.last_rotation, row.version


@pytest.mark.parametrize("digits", ["", "2", "11", "#", "*1"])
def test_anything_but_1_at_the_whisper_leaves_the_call_unanswered(twilio, ringing, digits):
    whisper = etree.fromstring(twilio.post(whisper_url(ringing), BEN_LEG).get_data())
    accept_url = whisper.find("Gather").get("action")
    response = twilio.post(accept_url, {**BEN_LEG, "Digits": digits})
    assert response.status_code == 200
    again = etree.fromstring(response.get_data())
    assert again.find("Gather") is not None  # the whisper is played again
    assert again.find("Gather").get("action") == accept_url
    call, leg = Call.get(), Leg.get()
    assert (call.status, call.answered_by_id, call.answered_at) == ("ringing", None, None)
    assert leg.accepted_at is None


def test_pressing_1_answers(twilio, ringing):
    whisper = etree.fromstring(twilio.post(whisper_url(ringing), BEN_LEG).get_data())
    twilio.post(whisper.find("Gather").get("action"), {**BEN_LEG, "Digits": "1"})
    assert Call.get().status == "answered" and Leg.get().accepted_at is not None


def test_a_caller_who_hangs_up_while_it_rings_ends_the_hunt(twilio, ringing):
    before = position()
    response = twilio.post(dial_action(ringing), {**CALL, "DialCallStatus": "canceled"})
    assert response.status_code == 200
    answer = etree.fromstring(response.get_data())
    assert answer.find("Dial") is None and answer.find("Record") is None
    assert Leg.select().count() == 1  # Tobi is not rung
    assert position() == before  # and the round robin does not move past him


def test_a_leg_nobody_answers_rings_the_next_engineer(twilio, ringing):
    # the same step as above with a status that should go on: the test above is not vacuous
    before = position()
    answer = etree.fromstring(twilio.post(dial_action(ringing),
                                          {**CALL, "DialCallStatus": "no-answer"}).get_data())
    assert answer.find("Dial/Number") is not None
    assert Leg.select().count() == 2
    assert position() != before
