"""TwilioDialer against Twilio's REST API as `responses` plays it: the requests it makes,
and every failure turned into the dialer's own error."""

import json
from urllib.parse import parse_qs

import pytest
import requests
import responses

from telephony.dialer import REST_TIMEOUT_SECONDS, DialerError, TwilioDialer

ACCOUNT = "AC" + "0" * 32
CALLS = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Calls.json"
LEG = "CA" + "5" * 32
LEG_URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Calls/{LEG}.json"


def call_resource(status="queued"):
    return {"sid": LEG, "account_sid": ACCOUNT, "status": status, "to": "+447911123401",
            "from": "+442071838750"}


@pytest.fixture
def dialer():
    return TwilioDialer(ACCOUNT, "token")


def form(call):
    return {key: values for key, values in parse_qs(call.request.body).items()}


@responses.activate
def test_start_posts_the_leg_to_the_calls_resource(dialer):
    responses.post(CALLS, json=call_resource(), status=201)
    sid = dialer.start(to="+447911123401", from_="+442071838750",
                       url="https://support.example.com/voice/leg-whisper?leg=7",
                       status_callback="https://support.example.com/voice/leg-status?leg=7",
                       timeout=10)
    assert sid == LEG
    sent = form(responses.calls[0])
    assert sent["To"] == ["+447911123401"] and sent["From"] == ["+442071838750"]
    assert sent["Url"] == ["https://support.example.com/voice/leg-whisper?leg=7"]
    assert sent["Method"] == ["POST"] and sent["Timeout"] == ["10"]
    assert sent["StatusCallback"] == ["https://support.example.com/voice/leg-status?leg=7"]
    assert sent["StatusCallbackMethod"] == ["POST"]
    assert sent["StatusCallbackEvent"] == ["initiated", "ringing", "answered", "completed"]
    assert responses.calls[0].request.headers["Authorization"].startswith("Basic ")


@responses.activate
@pytest.mark.parametrize("ringing, status", [(True, "canceled"), (False, "completed")])
def test_stop_cancels_a_ringing_leg_and_hangs_up_an_answered_one(dialer, ringing, status):
    responses.post(LEG_URL, json=call_resource(status), status=200)
    dialer.stop(LEG, ringing=ringing)
    assert form(responses.calls[0]) == {"Status": [status]}


@responses.activate
def test_a_leg_picked_up_in_the_instant_before_its_cancel_is_hung_up_too(dialer):
    responses.post(LEG_URL, json=call_resource("in-progress"), status=200)  # the cancel: too late
    responses.post(LEG_URL, json=call_resource("completed"), status=200)
    dialer.stop(LEG, ringing=True)
    assert [form(call) for call in responses.calls] == [{"Status": ["canceled"]},
                                                         {"Status": ["completed"]}]


@responses.activate
@pytest.mark.parametrize("answer", [
    {"status": 400, "json": {"code": 21211, "message": "Invalid 'To' Phone Number",
                             "more_info": "https://www.twilio.com/docs/errors/21211",
                             "status": 400}},
    {"status": 401, "json": {"code": 20003, "message": "Authenticate", "status": 401}},
    {"status": 503, "body": "Service Unavailable"},
    {"body": requests.exceptions.ConnectionError("connection refused")},
    {"body": requests.exceptions.ReadTimeout("read timed out")},
])
def test_every_failure_is_the_dialers_error(dialer, answer):
    responses.post(CALLS, **answer)
    with pytest.raises(DialerError):
        dialer.start(to="+447911123401", from_="+442071838750", url="https://x/leg-whisper",
                     status_callback="https://x/leg-status", timeout=10)
    responses.post(LEG_URL, **answer)
    with pytest.raises(DialerError):
        dialer.stop(LEG, ringing=True)


def test_a_request_waits_no_longer_than_the_rest_timeout(dialer):
    assert dialer.client.http_client.timeout == REST_TIMEOUT_SECONDS <= 3


@responses.activate
def test_an_answer_without_a_sid_is_the_dialers_error(dialer):
    responses.post(CALLS, body=json.dumps({"message": "odd"}), status=201,
                   content_type="application/json")
    with pytest.raises(DialerError):
        dialer.start(to="+447911123401", from_="+442071838750", url="https://x/leg-whisper",
                     status_callback="https://x/leg-status", timeout=10)


@responses.activate
def test_the_error_names_no_whole_phone_number(dialer):
    responses.post(CALLS, status=400, json={
        "code": 21211, "message": "The 'To' number +447911123401 is not a valid phone number.",
        "status": 400})
    with pytest.raises(DialerError) as raised:
        dialer.start(to="+447911123401", from_="+442071838750", url="https://x/leg-whisper",
                     status_callback="https://x/leg-status", timeout=10)
    text = str(raised.value)
    assert "7911123401" not in text and "+44…401" in text and "\n" not in text
