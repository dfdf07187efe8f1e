"""Customers in the call flow: the whisper names them, core-hours contracts are gated out of hours."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from customers.directory import add_customer
from rota import periods
from telephony.models import Call, Leg
from tests.conftest import ADDED_AT
from voicemail.models import Ticket
from console.scenario import Scenario

LONDON = ZoneInfo("Europe/London")
TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
WEDNESDAY_03 = datetime(2026, 12, 2, 3, 0, tzinfo=LONDON)
FRIDAY_14 = datetime(2026, 11, 27, 14, 0, tzinfo=LONDON)
ACME = "+442079460500"       # core hours, 4h reaction
GLOBEX = "+441614960000"     # 24x7, 1h reaction
STRANGER = "+447400123456"


@pytest.fixture
def settings_data():
    """Contracted support hours: Mon-Thu 08:00-16:00, Fri 08:00-15:00."""
    return {"hours": {"mon": "08:00-16:00", "tue": "08:00-16:00", "wed": "08:00-16:00",
                      "thu": "08:00-16:00", "fri": "08:00-15:00"}}


@pytest.fixture
def setup(db, make_engineer, settings):
    ben = make_engineer("Ben Smith")
    tobi = make_engineer("Tobi Jones")
    periods.assign_period(date(2026, 12, 1), tobi, ben, settings, now=ADDED_AT)
    add_customer("ACME Ltd", [ACME], "core", "4h", region="GB")
    add_customer("Globex", [GLOBEX], "24x7", "1h", region="GB")


def heard(outcome, who="caller"):
    return [line.split(f"{who} hears: ", 1)[1] for line in outcome.lines if f"{who} hears: " in line]


def rung(outcome):
    return [leg.engineer.name for leg in Call.get(Call.sid == outcome.call_sid).legs
            .order_by(Leg.step)]


def test_whisper_names_the_customer(simulate, setup):
    outcome = simulate(Scenario(at=TUESDAY_10, caller=ACME, others="accept"))
    assert "ACME Ltd. Press 1 to accept." in heard(outcome, "engineer")


def test_whisper_never_reads_an_unknown_number_out(simulate, setup):
    outcome = simulate(Scenario(at=TUESDAY_10, caller=STRANGER, others="accept"))
    assert "Support call. Press 1 to accept." in heard(outcome, "engineer")
    assert not any("0 7 4 0 0" in line for line in heard(outcome, "engineer"))


def test_core_customer_out_of_hours_pressing_1_rings_the_duty_engineer(simulate, setup):
    outcome = simulate(Scenario(at=WEDNESDAY_03, caller=ACME, caller_presses="1",
                                others="accept"))
    assert any("outside your contracted support hours" in text for text in heard(outcome))
    assert outcome.answered_by == "Tobi Jones"
    assert rung(outcome) == ["Tobi Jones"]


def test_core_customer_out_of_hours_without_a_key_leaves_a_message(simulate, setup):
    outcome = simulate(Scenario(at=WEDNESDAY_03, caller=ACME, others="accept"))
    assert rung(outcome) == []
    ticket = Ticket.get()
    assert outcome.ticket_number == ticket.number
    assert ticket.customer.name == "ACME Ltd"
    assert ticket.engineer.name == "Tobi Jones"  # the duty engineer it goes to


@pytest.mark.parametrize("caller, at", [
    # header: who calls, when -> no gate, straight to the engineers
    (GLOBEX, WEDNESDAY_03),    # 24x7 contract
    (STRANGER, WEDNESDAY_03),  # unknown caller
    (ACME, TUESDAY_10),        # core customer in hours
])
def test_no_gate(simulate, setup, caller, at):
    outcome = simulate(Scenario(at=at, caller=caller, others="accept"))
    assert not any("outside your contracted" in text for text in heard(outcome))
    assert outcome.answered_by is not None


@pytest.mark.parametrize("caller, deadline", [
    # header: caller of a message left Friday 14:00 -> reaction deadline (local)
    (ACME, datetime(2026, 11, 30, 11, 0, tzinfo=LONDON)),     # 4 working hours: Monday 11:00
    (GLOBEX, datetime(2026, 11, 27, 15, 0, tzinfo=LONDON)),   # 1 hour, round the clock
    (STRANGER, datetime(2026, 11, 30, 11, 0, tzinfo=LONDON)),  # no contract: 4 working hours
])
def test_ticket_deadline_from_the_contract(twilio, setup, clock, caller, deadline):
    clock.set(FRIDAY_14)
    call = {"CallSid": "CA" + "4" * 32, "From": caller, "To": "+442071838750"}
    twilio.post("/voice/incoming", call)
    twilio.post("/voice/recorded", {**call, "RecordingUrl": "https://api.twilio.com/r/RE4",
                                    "RecordingDuration": "20"})
    ticket = Ticket.get()
    assert ticket.created_at == FRIDAY_14
    assert ticket.deadline == deadline


def test_transcription_fills_the_ticket(twilio, setup):
    call = {"CallSid": "CA" + "5" * 32, "From": ACME, "To": "+442071838750"}
    twilio.post("/voice/incoming", call)
    twilio.post("/voice/recorded", {**call, "RecordingUrl": "https://api.twilio.com/r/RE5",
                                    "RecordingDuration": "20"})
    twilio.post("/voice/transcription", {**call, "TranscriptionStatus": "completed",
                                         "TranscriptionText": "Server down at the Leeds office.",
                                         "RecordingSid": "RE" + "5" * 32})
    ticket = Ticket.get()
    assert ticket.transcript == "Server down at the Leeds office."
    assert ticket.recording_sid == "RE" + "5" * 32


@pytest.mark.parametrize("settings_data, gated", [
    ({}, False), ({"withheld_callers": "core-hours"}, True)])
@pytest.mark.parametrize("caller", ["anonymous", "+266696687", ""])
def test_a_withheld_number_out_of_hours(twilio, setup, clock, caller, gated):
    from lxml import etree

    clock.set(WEDNESDAY_03)
    answer = etree.fromstring(twilio.post("/voice/incoming", {
        "CallSid": "CA" + "d" * 32, "From": caller, "To": "+442071838750"}).get_data())
    assert (answer.find("Gather") is not None) is gated
    assert (answer.find("Dial") is not None) is not gated
