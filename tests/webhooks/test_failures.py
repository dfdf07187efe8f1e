"""Whatever breaks, the caller gets a path: fallback number, else voicemail; never a 5xx."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from dutyline.db import database
from dutyline.migrations import upgrade
from dutyline.settings import parse_settings
from telephony.models import Call
from tests.conftest import AUTH_TOKEN, PUBLIC_URL, FixedClock
from webhooks import create_app

TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
INCOMING = {"CallSid": "CA" + "1" * 32, "From": "+447400123456", "To": "+442071838750",
            "CallStatus": "ringing"}


def verbs(response):
    root = etree.fromstring(response.get_data())
    return [node.tag for node in root]


@pytest.fixture
def app_with_fallback(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'f.db'}",
                      "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "PUBLIC_URL": PUBLIC_URL,
                      "FALLBACK_NUMBER": "020 7946 0999", "SETTINGS": parse_settings({}),
                      "CLOCK": FixedClock(TUESDAY_10)})
    upgrade()
    yield app
    if not database.is_closed():
        database.close()


def test_database_error_during_incoming_answers_with_voicemail(twilio, db):
    for table in ("leg", "call_back", "ring_test", "ticket", "call"):  # the tables that name a call
        database.execute_sql(f'DROP TABLE IF EXISTS "{table}"')
    response = twilio.post("/voice/incoming", INCOMING)
    assert response.status_code == 200
    assert verbs(response) == ["Say", "Say", "Record", "Say", "Hangup"]


def test_unreachable_database_answers_with_the_fallback_number(tmp_path, twiml_schema):
    from twilio.request_validator import RequestValidator

    from tests.conftest import assert_valid_twiml

    missing = tmp_path / "no-such-folder" / "x.db"
    app = create_app({"DATABASE_URL": f"sqlite:///{missing}", "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                      "PUBLIC_URL": PUBLIC_URL, "FALLBACK_NUMBER": "+442079460999",
                      "SETTINGS": parse_settings({}),
                      "CLOCK": FixedClock(TUESDAY_10)})
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + "/voice/incoming",
                                                               INCOMING)
    response = app.test_client().post("/voice/incoming", data=INCOMING,
                                      headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200
    assert_valid_twiml(twiml_schema, response.get_data())
    root = etree.fromstring(response.get_data())
    assert root.find("Dial/Number").text == "+442079460999"
    assert root.find("Dial").get("action") == PUBLIC_URL + "/voice/fallback-result"


def test_failure_in_a_later_step_still_answers(twilio, db, make_engineer, monkeypatch,
                                               callback_url, caplog):
    from telephony import calls

    make_engineer("Ben Smith")
    twilio.post("/voice/incoming", INCOMING)

    def broken(*_args, **_kwargs):
        raise RuntimeError("simulated fault")

    monkeypatch.setattr(calls, "end_dial", broken)
    leg_id = Call.get().legs.get().id
    response = twilio.post(callback_url("dial_result", leg=leg_id),
                           {**INCOMING, "DialCallStatus": "no-answer"})
    assert response.status_code == 200
    assert "Record" in verbs(response)
    assert "simulated fault" in caplog.text  # the step itself failed, not the look-up


@pytest.mark.parametrize("status, expected", [
    # header: what the fallback number did -> what the caller gets next
    ("completed", ["Hangup"]),
    ("no-answer", ["Say", "Record", "Say", "Hangup"]),
    ("busy", ["Say", "Record", "Say", "Hangup"]),
])
def test_fallback_number_then_voicemail(twilio, status, expected):
    response = twilio.post("/voice/fallback-result", {**INCOMING, "DialCallStatus": status})
    assert verbs(response) == expected


def test_twilio_fallback_url_dials_the_fallback_number(app_with_fallback, twiml_schema):
    from twilio.request_validator import RequestValidator

    from tests.conftest import assert_valid_twiml

    form = {**INCOMING, "ErrorCode": "11200", "ErrorUrl": PUBLIC_URL + "/voice/incoming"}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + "/voice/fallback",
                                                               form)
    response = app_with_fallback.test_client().post(
        "/voice/fallback", data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200
    assert_valid_twiml(twiml_schema, response.get_data())
    assert etree.fromstring(response.get_data()).find("Dial/Number").text == "+442079460999"


def test_nobody_to_hunt_goes_to_the_fallback_number(app_with_fallback):
    from console.scenario import Scenario
    from console.simulator import Simulator

    outcome = Simulator(app_with_fallback).run(Scenario(at=TUESDAY_10))
    dialled = [line for line in outcome.lines if "dialling fallback" in line]
    assert dialled and "+442079460999" in dialled[0]
    assert all(status == 200 for _, status, _ in outcome.responses)


def test_unknown_leg_in_a_callback_gets_safe_twiml(twilio):
    response = twilio.post("/voice/dial-result?leg=999", {**INCOMING, "DialCallStatus": "busy"})
    assert response.status_code == 200
    assert "Record" in verbs(response)
    assert twilio.post("/voice/whisper?leg=abc", INCOMING).status_code == 200


def test_retried_arrival_is_logged_once_and_does_not_move_the_rotation(twilio, db, make_engineer):
    make_engineer("Ben Smith")
    make_engineer("Tobi Jones")
    first = twilio.post("/voice/incoming", INCOMING)
    again = twilio.post("/voice/incoming", INCOMING)
    assert Call.select().count() == 1
    assert etree.fromstring(first.get_data()).find("Dial/Number").text == \
        etree.fromstring(again.get_data()).find("Dial/Number").text
