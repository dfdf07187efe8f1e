"""Simultaneous calls on several threads start with distinct engineers, on SQLite and PostgreSQL."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from lxml import etree
from twilio.request_validator import RequestValidator

from dutyline.db import database
from telephony.models import HuntPosition
from tests.conftest import AUTH_TOKEN, PUBLIC_URL

TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
ENGINEERS = 8


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'race.db'}"


def post_incoming(app, index, barrier, results, sid=None):
    form = {"CallSid": sid or f"CA{index:032d}", "From": "+447400123456", "To": "+442071838750",
            "CallStatus": "ringing"}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + "/voice/incoming",
                                                               form)
    client = app.test_client()
    barrier.wait()
    response = client.post("/voice/incoming", data=form, headers={"X-Twilio-Signature": signature})
    results[index] = response


def test_simultaneous_calls_start_with_distinct_engineers(app, make_engineer, clock):
    clock.set(TUESDAY_10)
    team = [make_engineer(f"Engineer {n}") for n in range(ENGINEERS)]
    numbers = {e.hunt_number(): e.rotation for e in team}
    results = {}
    barrier = threading.Barrier(ENGINEERS)
    threads = [threading.Thread(target=post_incoming, args=(app, i, barrier, results))
               for i in range(ENGINEERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(results[i].status_code == 200 for i in range(ENGINEERS))
    first = [numbers[etree.fromstring(results[i].get_data()).find("Dial/Number").text]
             for i in range(ENGINEERS)]
    assert sorted(first) == [e.rotation for e in team]
    with database.connection_context():
        assert HuntPosition.get().version == ENGINEERS


def test_one_call_retried_at_once_on_several_threads_is_logged_once_and_rings_one_leg(
        app, make_engineer, clock):
    from telephony.models import Call, Leg

    clock.set(TUESDAY_10)
    for n in range(3):
        make_engineer(f"Engineer {n}")
    results, barrier = {}, threading.Barrier(6)
    threads = [threading.Thread(target=post_incoming,
                                args=(app, i, barrier, results, "CA" + "7" * 32))
               for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [results[i].status_code for i in range(6)] == [200] * 6
    dials = {(dial.find("Number").text, dial.get("action"))
             for dial in (etree.fromstring(results[i].get_data()).find("Dial")
                          for i in range(6))}
    assert len(dials) == 1  # every answer rings the same engineer on the same leg
    with database.connection_context():
        assert Call.select().count() == 1 and Leg.select().count() == 1
        assert HuntPosition.get().version == 1


def test_rotation_continues_in_order_after_a_burst(app, make_engineer, clock, twilio):
    clock.set(TUESDAY_10)
    team = [make_engineer(f"Engineer {n}") for n in range(3)]
    numbers = {e.hunt_number(): e.name for e in team}
    starts = []
    for index in range(6):
        form = {"CallSid": f"CA{index + 100:032d}", "From": "+447400123456", "To": "+442071838750"}
        body = twilio.post("/voice/incoming", form).get_data()
        starts.append(numbers[etree.fromstring(body).find("Dial/Number").text])
        with database.connection_context():  # the call ends: the engineer is free again
            from telephony.models import Leg

            Leg.update(ended_at=TUESDAY_10).execute()
    assert starts == ["Engineer 0", "Engineer 1", "Engineer 2"] * 2
