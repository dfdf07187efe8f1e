"""Only Twilio may drive the call flow: a missing or wrong signature is 403 and changes nothing."""

import pytest

from telephony.models import Call, Leg
from voicemail.models import Ticket

INCOMING = {"CallSid": "CA" + "f0" * 16, "From": "+447400123456",
            "To": "+442071838750", "CallStatus": "ringing"}

ENDPOINTS = [
    # header: path, form
    ("/voice/incoming", INCOMING),
    ("/voice/recorded", {**INCOMING, "RecordingUrl": "https://api.twilio.com/r",
                         "RecordingDuration": "12"}),
    ("/voice/recording-status", {**INCOMING, "RecordingSid": "RE1", "RecordingStatus": "completed",
                                 "RecordingUrl": "https://api.twilio.com/r"}),
    ("/voice/accept?leg=1", {**INCOMING, "Digits": "1"}),
    ("/voice/dial-result?leg=1", {**INCOMING, "DialCallStatus": "completed"}),
    ("/voice/status", {**INCOMING, "CallStatus": "completed"}),
    ("/voice/fallback", INCOMING),
]


def counts():
    return Call.select().count(), Leg.select().count(), Ticket.select().count()


@pytest.mark.parametrize("path, form", ENDPOINTS)
def test_unsigned_request_is_refused(twilio, db, make_engineer, path, form):
    make_engineer("Ben Smith")
    before = counts()
    response = twilio.post(path, form, signature="")
    assert response.status_code == 403
    assert counts() == before


@pytest.mark.parametrize("path, form", ENDPOINTS)
def test_forged_signature_is_refused(twilio, db, make_engineer, path, form):
    make_engineer("Ben Smith")
    before = counts()
    response = twilio.post(path, form, signature="bm90IGEgcmVhbCBzaWduYXR1cmU=")
    assert response.status_code == 403
    assert counts() == before


def test_signature_for_other_parameters_is_refused(app, twilio, db, make_engineer):
    from twilio.request_validator import RequestValidator

    from tests.conftest import AUTH_TOKEN, PUBLIC_URL

    make_engineer("Ben Smith")
    signed_for = RequestValidator(AUTH_TOKEN).compute_signature(
        PUBLIC_URL + "/voice/incoming", {**INCOMING, "From": "+447700900999"})
    response = twilio.post("/voice/incoming", INCOMING, signature=signed_for)
    assert response.status_code == 403
    assert Call.select().count() == 0


def test_signature_checked_against_the_public_url_not_the_proxy_address(twilio, db, make_engineer):
    # the test client reaches the app as http://internal:8000 (a proxy); Twilio signed https://
    make_engineer("Ben Smith")
    response = twilio.post("/voice/incoming", INCOMING)
    assert response.status_code == 200
    assert Call.select().count() == 1


def test_signed_request_with_another_token_is_refused(twilio, db):
    from twilio.request_validator import RequestValidator

    from tests.conftest import PUBLIC_URL

    other = RequestValidator("someone-elses-token").compute_signature(
        PUBLIC_URL + "/voice/incoming", INCOMING)
    assert twilio.post("/voice/incoming", INCOMING, signature=other).status_code == 403
    assert Call.select().count() == 0


def test_a_public_url_mismatch_is_logged_once_with_both_urls(twilio, db, caplog):
    from twilio.request_validator import RequestValidator

    from tests.conftest import AUTH_TOKEN

    # Twilio calls the address the proxy forwards to, not the configured PUBLIC_URL
    asked = "http://internal:8000/voice/incoming?leg=3"
    signature = RequestValidator(AUTH_TOKEN).compute_signature(asked, INCOMING)
    for _ in range(3):
        assert twilio.post(asked, INCOMING, signature=signature).status_code == 403
    lines = [r.getMessage() for r in caplog.records if "first refused request" in r.getMessage()]
    assert lines == ["webhooks.signature: first refused request "
                     "expected_url=https://support.example.com/voice/incoming "
                     "asked_url=http://internal:8000/voice/incoming the signature is good for "
                     "the URL asked: PUBLIC_URL does not match it"]
    assert signature not in caplog.text
    assert Call.select().count() == 0


# signature sent -> answer (no signature at all is refused before the body is looked at)
@pytest.mark.parametrize("signature, status", [(None, 413), ("Zm9yZ2Vk", 413), ("", 403)])
def test_a_body_larger_than_twilio_sends_is_refused_before_it_is_read(twilio, db, signature,
                                                                       status):
    big = {**INCOMING, "Padding": "x" * 200_000}
    response = twilio.post("/voice/incoming", big, signature=signature)
    assert response.status_code == status
    assert Call.select().count() == 0


def test_a_long_transcript_still_fits(twilio, db):
    assert twilio.post("/voice/incoming", INCOMING).status_code == 200
    form = {**INCOMING, "TranscriptionStatus": "completed", "TranscriptionText": "word " * 6000,
            "RecordingSid": "RE" + "1" * 32}
    assert twilio.post("/voice/transcription", form).status_code == 200
