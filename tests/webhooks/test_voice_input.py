"""Input that once lost a call or a message: odd durations, NUL bytes, missing or long CallSids.

A missing or malformed CallSid names no call and touches none; an optional field that does
not parse is dropped (and logged), never the reason a call stays open or a call is lost.
"""

import string
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import etree

from telephony.models import Call, Leg
from voicemail.models import Ticket

TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
SID = "CA" + "a1" * 16
CALL = {"CallSid": SID, "From": "+447400123456", "To": "+442071838750"}
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def line(twilio, make_engineer, clock, db):
    clock.set(TUESDAY_10)
    make_engineer("Ben Smith")
    return twilio


def verbs(response):
    return [child.tag for child in etree.fromstring(response.get_data())]


@pytest.mark.parametrize("duration", ["99999999999", "²", "٣", "-4", "12.5", "1e3"])
def test_a_call_duration_that_does_not_parse_still_ends_the_call(line, duration):
    line.post("/voice/incoming", CALL)
    response = line.post("/voice/status", {**CALL, "CallStatus": "completed",
                                           "CallDuration": duration})
    assert response.status_code == 200
    call = Call.get()
    assert call.ended_at is not None and call.status == "missed"
    assert call.duration is None
    assert Leg.get().ended_at is not None


def test_a_nul_in_from_still_logs_and_routes_the_call(line):
    response = line.post("/voice/incoming", {**CALL, "From": "+4474001\x0023456"})
    assert verbs(response)[-1] == "Dial"
    assert Call.get().from_number == "+447400123456"


# CallSid -> why it is refused
@pytest.mark.parametrize("form", [
    {k: v for k, v in CALL.items() if k != "CallSid"},      # missing
    {**CALL, "CallSid": ""},                                 # empty
    {**CALL, "CallSid": "CA123"},                            # too short
    {**CALL, "CallSid": "CA" + "z" * 32},                    # not hex
    {**CALL, "CallSid": SID + "0" * 40},                     # too long
    {**CALL, "CallSid": SID + "\x00"},                       # a NUL
])
def test_a_missing_or_malformed_call_sid_touches_no_call(line, form):
    for path in ("/voice/incoming", "/voice/status", "/voice/recorded"):
        response = line.post(path, {**form, "CallStatus": "completed",
                                    "RecordingUrl": "https://api.twilio.com/r/RE1"})
        assert response.status_code == 200
    assert (Call.select().count(), Leg.select().count(), Ticket.select().count()) == (0, 0, 0)


def test_a_call_without_a_call_sid_still_gets_a_path(line):
    response = line.post("/voice/incoming", {"From": "+447400123456"})
    assert set(verbs(response)) & {"Dial", "Record"}


def test_long_call_sids_sharing_a_prefix_do_not_share_a_call(line):
    # the same first 64 characters: cut there, the second would replay the first's plan
    first, second = SID + "0" * 30 + "1", SID + "0" * 30 + "2"
    line.post("/voice/incoming", {**CALL, "CallSid": first})
    line.post("/voice/incoming", {**CALL, "CallSid": second})
    line.post("/voice/status", {**CALL, "CallSid": first, "CallStatus": "completed"})
    assert Call.select().count() == 0  # no Twilio sid is that long: neither is a call


sids = st.one_of(st.just(SID), st.text(max_size=80),
                 st.text(alphabet="CA0123456789abcdefABCDEF", min_size=30, max_size=40))
numbers = st.one_of(st.just("+447400123456"), st.text(max_size=70),
                    st.text(alphabet=string.digits + "+\x00\x01 ", max_size=20))
durations = st.one_of(st.text(max_size=12), st.integers().map(str),
                      st.sampled_from(["²", "٣", "１", "99999999999", ""]))


@FUZZ
@given(sid=sids, number=numbers, seconds=durations)
def test_any_call_sid_from_and_durations_never_lose_a_valid_call(line, sid, number, seconds):
    for model in (Ticket, Leg, Call):
        model.delete().execute()
    response = line.post("/voice/incoming", {"CallSid": sid, "From": number,
                                             "To": "+442071838750"})
    assert response.status_code == 200
    valid = len(sid) == 34 and sid.startswith("CA") and all(
        c in string.hexdigits for c in sid[2:])
    assert Call.select().count() == (1 if valid else 0)
    if valid:
        assert "\x00" not in Call.get().from_number
        line.post("/voice/recorded", {"CallSid": sid, "RecordingDuration": seconds,
                                      "RecordingUrl": "https://api.twilio.com/r/RE1"})
        line.post("/voice/status", {"CallSid": sid, "CallStatus": "completed",
                                    "CallDuration": seconds})
        call = Call.get()
        assert call.ended_at is not None
        assert Ticket.select().where(Ticket.call == call).count() == 1
