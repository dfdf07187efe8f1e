"""A retried arrival (Twilio asks again with the same CallSid) hears the first answer again,
byte for byte, whatever kind of answer that was; the call is logged once."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from customers.directory import add_customer
from rota import periods
from rota.cover import set_cover
from telephony.models import Call, HuntPosition, Leg
from telephony.routing import CLOSED_GREETING
from tests.conftest import ADDED_AT

LONDON = ZoneInfo("Europe/London")
TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)  # in hours
WEDNESDAY_03 = datetime(2026, 12, 2, 3, 0, tzinfo=LONDON)  # out of hours
CALLER = "+447400123456"
ACME = "+442079460500"  # a customer with a core-hours contract
FALLBACK = "+442079460999"
IN_HOURS_GREETING = "Connecting you to support."
DUTY_GREETING = "Connecting you to the engineer on duty."


def engineer_in_the_office(make_engineer, settings):
    make_engineer("Ben Smith", desk="+442071838751", location="office")


def duty_engineers(make_engineer, settings):
    ben = make_engineer("Ben Smith", signed_in=False)
    tobi = make_engineer("Tobi Jones", signed_in=False)
    periods.assign_period(date(2026, 12, 1), tobi, ben, settings, now=ADDED_AT)


def cover_only(make_engineer, settings):
    ben = make_engineer("Ben Smith", signed_in=False)
    set_cover(ben, True, settings, datetime(2026, 12, 1, 20, 0, tzinfo=LONDON))


def nobody(make_engineer, settings):
    make_engineer("Ben Smith", signed_in=False)


def core_hours_customer(make_engineer, settings):
    duty_engineers(make_engineer, settings)
    add_customer("ACME Ltd", [ACME], "core", "4h", region="GB")


# header: (kind of first answer, when, FALLBACK_NUMBER, team, caller,
#          what the first answer must hold: the Say texts, the numbers dialled, callerId)
KINDS = [
    ("in hours: an engineer's desk, with greeting and caller id", TUESDAY_10, None,
     engineer_in_the_office, CALLER, ([IN_HOURS_GREETING], ["+442071838751"], CALLER)),
    ("out of hours: the duty engineer", WEDNESDAY_03, None,
     duty_engineers, CALLER, ([DUTY_GREETING], ["+447911123402"], CALLER)),
    ("out of hours, nobody on duty: cover", WEDNESDAY_03, FALLBACK,
     cover_only, CALLER, ([CLOSED_GREETING], ["+447911123401"], CALLER)),
    ("in hours, nobody signed in, a fallback number: dial it", TUESDAY_10, FALLBACK,
     nobody, CALLER, ([IN_HOURS_GREETING], [FALLBACK], None)),
    ("out of hours, nobody at all, a fallback number: dial it", WEDNESDAY_03, FALLBACK,
     nobody, CALLER, ([CLOSED_GREETING], [FALLBACK], None)),
    ("in hours, nobody signed in, no fallback number: voicemail", TUESDAY_10, None,
     nobody, CALLER, ([IN_HOURS_GREETING], [], None)),
    ("out of hours, a core-hours customer: the contract gate", WEDNESDAY_03, None,
     core_hours_customer, ACME, ([], [], None)),
]


@pytest.mark.parametrize("kind, at, app_config, team, caller, first_holds", [
    (kind, at, {"FALLBACK_NUMBER": fallback}, team, caller, holds)
    for kind, at, fallback, team, caller, holds in KINDS], ids=[row[0] for row in KINDS])
def test_a_retried_arrival_gets_the_first_answer_again(twilio, db, clock, make_engineer,
                                                       settings, kind, at, app_config, team,
                                                       caller, first_holds):
    clock.set(at)
    team(make_engineer, settings)
    form = {"CallSid": "CA" + "5" * 32, "From": caller, "To": "+442071838750",
            "CallStatus": "ringing"}
    first = twilio.post("/voice/incoming", form)
    again = twilio.post("/voice/incoming", form)
    assert first.status_code == again.status_code == 200
    assert again.get_data(as_text=True) == first.get_data(as_text=True)
    # the table's row is the kind of answer it says it is
    said, dialled, caller_id = first_holds
    root = etree.fromstring(first.get_data())
    assert [node.text for node in root.iter("Say")][:len(said)] == said, kind
    assert [node.text for node in root.iter("Number")] == dialled, kind
    assert [dial.get("callerId") for dial in root.iter("Dial")] == \
        ([caller_id] if dialled else []), kind
    assert Call.select().count() == 1 and Call.get().sid == form["CallSid"]
    assert Leg.select().count() == (1 if dialled and dialled != [FALLBACK] else 0)
    position = HuntPosition.get_or_none()
    assert position is None or position.version <= 1  # the retry moved nothing


def test_the_gate_is_what_the_core_hours_row_answers(twilio, db, clock, make_engineer,
                                                     settings):
    """The gate's row above checks no Say text: its first answer is the gate itself."""
    clock.set(WEDNESDAY_03)
    core_hours_customer(make_engineer, settings)
    form = {"CallSid": "CA" + "6" * 32, "From": ACME, "To": "+442071838750"}
    root = etree.fromstring(twilio.post("/voice/incoming", form).get_data())
    assert root[0].tag == "Gather" and "contracted support hours" in root[0][0].text
    assert Call.get().gated
