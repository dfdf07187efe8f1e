"""Twilio's REST API slow or refusing while hunting overlapped: the real TwilioDialer against
`responses`. The caller goes on to one engineer at a time within a second of the fault, the
fault is logged once per incident, and calls during it do not wait for the API again."""

from datetime import timedelta

import pytest
import requests
import responses

from telephony.dialer import TwilioDialer
from tests.webhooks.line import Line

ACCOUNT = "AC" + "0" * 32
CALLS = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Calls.json"
LEG = "CA" + "5" * 32
CREATED = {"json": {"sid": LEG, "account_sid": ACCOUNT, "status": "queued"}, "status": 201}
FAULTS = {
    "slow": {"body": requests.exceptions.ReadTimeout("read timed out")},
    "refusing": {"status": 503, "body": "Service Unavailable"},
    "unauthorised": {"status": 401, "json": {"code": 20003, "message": "Authenticate",
                                             "status": 401}},
}


@pytest.fixture
def settings_data():
    return {"hunt": "overlap", "overlap_seconds": 6}


@pytest.fixture
def api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def app_config(api):
    return {"DIALER": TwilioDialer(ACCOUNT, "token")}


@pytest.fixture
def team(make_engineer):
    return [make_engineer(name) for name in ("Ann Archer", "Ben Smith")]


def line_for(twilio, callback_url, clock, n):
    return Line(twilio, callback_url, clock, None, sid="CA" + f"{n:x}" * 32)


def incidents(caplog, words):
    return sum(words in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_the_call_goes_on_one_engineer_at_a_time_and_the_fault_is_logged_once(
        twilio, callback_url, clock, team, db, api, caplog, fault):
    api.post(CALLS, **FAULTS[fault])
    first = line_for(twilio, callback_url, clock, 1)
    assert "<Enqueue" in first.arrive()  # the leg is asked for once the answer is sent
    assert len(api.calls) == 1
    first.later(1)
    assert "<Leave" in first.tick()  # the next second's tick takes the caller out
    body = first.queue_result("leave")
    assert "<Dial" in body and team[0].mobile in body and "/voice/whisper" in body
    assert incidents(caplog, "rest_api unavailable") == 1
    # calls during the incident hunt with <Dial> at once, asking nothing of the API
    for n in (2, 3):
        first.later(5)
        other = line_for(twilio, callback_url, clock, n)
        body = other.arrive()
        assert "<Enqueue" not in body and "<Dial" in body
    assert len(api.calls) == 1
    assert incidents(caplog, "rest_api unavailable") == 1
    # half a minute on, a call tries the API again; it answers, and the incident closes
    api.replace(responses.POST, CALLS, **CREATED)
    first.later(31)
    later = line_for(twilio, callback_url, clock, 4)
    assert "<Enqueue" in later.arrive()
    assert len(api.calls) == 2
    assert later.rung() == ["Ann Archer"] or later.rung() == ["Ben Smith"]
    assert incidents(caplog, "rest_api back after") == 1
    assert incidents(caplog, "rest_api unavailable") == 1


def test_a_fault_that_goes_on_is_still_one_incident(twilio, callback_url, clock, team, db, api,
                                                    caplog):
    api.post(CALLS, **FAULTS["slow"])
    for n in range(1, 4):  # each try half a minute apart, each failing
        clock.set(clock() + timedelta(seconds=31))
        line = line_for(twilio, callback_url, clock, n)
        assert "<Enqueue" in line.arrive()
        line.later(1)
        assert "<Leave" in line.tick()
        assert "<Dial" in line.queue_result("leave")
    assert len(api.calls) == 3
    assert incidents(caplog, "rest_api unavailable") == 1
    assert not any(record.levelname == "WARNING" and "leg not started" in record.getMessage()
                   for record in caplog.records)
