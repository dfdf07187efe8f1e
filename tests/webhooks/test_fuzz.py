"""Hostile and malformed webhook input, signed: never a 5xx, never a change where none is due."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from rota import periods
from telephony.models import Call, HuntPosition, Leg
from tests.conftest import ADDED_AT
from voicemail.models import Ticket

TWILIO_KEYS = ["CallSid", "From", "To", "CallStatus", "Digits", "DialCallStatus", "DialBridged",
               "RecordingUrl", "RecordingSid", "RecordingDuration", "RecordingStatus",
               "TranscriptionText", "TranscriptionStatus", "CallDuration", "ParentCallSid"]
odd_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=6000),
    st.sampled_from(["", "1", "0", "-1", "99999999999999999999", "+447911123401", "completed",
                     "no-answer", "canceled", "\x00", "%00", "<Response/>", "' OR 1=1 --",
                     "CA" + "f" * 32, "🙂" * 50, "NaN", "１"]),
)
forms = st.dictionaries(st.one_of(st.sampled_from(TWILIO_KEYS), st.text(max_size=20)), odd_text,
                        max_size=8)
queries = st.one_of(st.just(""), st.builds(lambda key, value: f"?{key}={value}",
                                           st.sampled_from(["leg", "call", "x"]),
                                           st.sampled_from(["1", "0", "-5", "abc", "9" * 30,
                                                            "%FF", "1.5"])))
ENDPOINTS = ["incoming", "dial-result", "whisper", "accept", "leg-status", "recorded",
             "recording-status", "transcription", "status", "fallback", "fallback-result",
             "emergency"]
# callbacks that name a call or leg the app never saw change nothing (a recording callback
# does: a caller's message is kept whatever the call log knows, tests/voicemail/
# test_kept_messages.py)
NO_CHANGE = ["status", "leg-status", "fallback", "fallback-result"]
FUZZ = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def world(db, make_engineer, settings):
    ben = make_engineer("Ben Smith")
    periods.assign_period(date(2026, 11, 30), ben, None, settings, now=ADDED_AT)


def snapshot():
    return [list(model.select().tuples()) for model in (Call, Leg, Ticket, HuntPosition)]


@FUZZ
@given(endpoint=st.sampled_from(ENDPOINTS), query=queries, form=forms)
def test_voice_webhooks_never_fail_the_caller(twilio, world, endpoint, query, form):
    response = twilio.post(f"/voice/{endpoint}{query}", form)  # also checks the TwiML schema
    assert response.status_code == 200


@FUZZ
@given(endpoint=st.sampled_from(NO_CHANGE), form=forms)
def test_callbacks_for_unknown_calls_change_nothing(twilio, world, endpoint, form):
    form = {**form, "CallSid": "CA" + "e" * 32}
    before = snapshot()
    response = twilio.post(f"/voice/{endpoint}?leg=424242", form)
    assert response.status_code == 200
    assert snapshot() == before


@FUZZ
@given(form=forms)
def test_unsigned_hostile_input_is_refused_and_changes_nothing(twilio, world, form):
    before = snapshot()
    assert twilio.post("/voice/incoming", form, signature="").status_code == 403
    assert snapshot() == before
