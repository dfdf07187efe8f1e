"""Whole calls through the simulator, signed as Twilio signs them."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from rota import engineers as engineer_service
from rota import periods
from telephony.models import Call, Leg
from tests.conftest import ADDED_AT
from voicemail.models import Ticket
from console.scenario import Scenario

LONDON = ZoneInfo("Europe/London")
TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
WEDNESDAY_03 = datetime(2026, 12, 2, 3, 0, tzinfo=LONDON)


@pytest.fixture
def team(make_engineer):
    """Three engineers signed in, in rotation order Ben, Tobi, Asha."""
    return [make_engineer("Ben Smith", desk="+442079460101", location="office"),
            make_engineer("Tobi Jones"),
            make_engineer("Asha Patel")]


@pytest.fixture
def duty(app, db, team, settings):
    """Tobi on duty from Tuesday 1 December 18:00 with Asha as backup."""
    periods.assign_period(date(2026, 12, 1), team[1], team[2], settings, now=ADDED_AT)


def legs(db, outcome):
    call = Call.get(Call.sid == outcome.call_sid)
    return [(leg.engineer.name, leg.number, leg.outcome) for leg in call.legs.order_by(Leg.step)]


def test_first_engineer_accepts(simulate, team, db):
    outcome = simulate(Scenario(at=TUESDAY_10, others="accept"))
    assert outcome.answered_by == "Ben Smith"
    # Ben is in the office: his desk phone rings, not his mobile
    assert legs(db, outcome) == [("Ben Smith", "+442079460101", "accepted")]
    call = Call.get(Call.sid == outcome.call_sid)
    assert call.status == "answered" and call.answered_by.name == "Ben Smith"
    assert Ticket.select().count() == 0


def test_first_ignores_second_accepts(simulate, team, db):
    outcome = simulate(Scenario(at=TUESDAY_10, answers={"Tobi Jones": "accept"}))
    assert outcome.answered_by == "Tobi Jones"
    assert legs(db, outcome) == [("Ben Smith", "+442079460101", "no-answer"),
                                 ("Tobi Jones", "+447911123402", "accepted")]


def test_personal_voicemail_never_accepts_and_hunting_goes_on(simulate, team, db):
    outcome = simulate(Scenario(at=TUESDAY_10, answers={"Ben Smith": "voicemail",
                                                        "Tobi Jones": "accept"}))
    assert outcome.answered_by == "Tobi Jones"
    assert [leg[2] for leg in legs(db, outcome)] == ["not-accepted", "accepted"]
    call = Call.get(Call.sid == outcome.call_sid)
    assert call.answered_by.name == "Tobi Jones"


def test_busy_engineer_is_passed_over(simulate, team, db):
    outcome = simulate(Scenario(at=TUESDAY_10, answers={"Ben Smith": "busy",
                                                        "Tobi Jones": "accept"}))
    assert [leg[2] for leg in legs(db, outcome)] == ["busy", "accepted"]


def test_nobody_answers_and_a_ticket_is_made(simulate, team, db):
    outcome = simulate(Scenario(at=TUESDAY_10, others="ignore"))
    assert outcome.answered_by is None
    assert [leg[0] for leg in legs(db, outcome)] == ["Ben Smith", "Tobi Jones", "Asha Patel"]
    ticket = Ticket.get()
    assert outcome.ticket_number == ticket.number == 1001
    assert ticket.caller == "+447400123456"
    assert ticket.recording_url.startswith("https://api.twilio.com/")
    assert ticket.recording_seconds == 30
    assert ticket.recording_sid.startswith("RE")
    assert ticket.engineer is None  # in hours: nobody in particular
    assert Call.get(Call.sid == outcome.call_sid).status == "voicemail"


def test_round_robin_remembers_across_calls(simulate, team, db):
    first = simulate(Scenario(at=TUESDAY_10, answers={"Tobi Jones": "accept"}))
    second = simulate(Scenario(at=TUESDAY_10.replace(minute=20), others="accept"))
    assert first.answered_by == "Tobi Jones"
    # the next call starts after the last engineer rung: Asha, not Ben again
    assert legs(db, second)[0][0] == "Asha Patel"


def test_signed_out_engineers_are_not_rung(simulate, team, db):
    engineer_service.set_signed_in("Ben Smith", False, now=ADDED_AT)
    outcome = simulate(Scenario(at=TUESDAY_10, others="ignore"))
    assert [leg[0] for leg in legs(db, outcome)] == ["Tobi Jones", "Asha Patel"]


def test_remote_engineer_is_rung_on_the_mobile(simulate, team, db):
    engineer_service.set_location("Ben Smith", "remote", now=ADDED_AT)
    outcome = simulate(Scenario(at=TUESDAY_10, others="accept"))
    assert legs(db, outcome)[0][1] == team[0].mobile


def test_out_of_hours_goes_to_the_primary(simulate, duty, db):
    outcome = simulate(Scenario(at=WEDNESDAY_03, others="accept"))
    assert outcome.answered_by == "Tobi Jones"
    assert legs(db, outcome) == [("Tobi Jones", "+447911123402", "accepted")]
    assert Call.get(Call.sid == outcome.call_sid).mode == "out_of_hours"


def test_out_of_hours_goes_to_the_backup_when_the_primary_does_not_accept(simulate, duty, db):
    outcome = simulate(Scenario(at=WEDNESDAY_03, answers={"Tobi Jones": "voicemail",
                                                          "Asha Patel": "accept"}))
    assert outcome.answered_by == "Asha Patel"
    assert [(leg[0], leg[2]) for leg in legs(db, outcome)] == [
        ("Tobi Jones", "not-accepted"), ("Asha Patel", "accepted")]


def test_out_of_hours_to_voicemail_when_neither_accepts(simulate, duty, db):
    outcome = simulate(Scenario(at=WEDNESDAY_03, others="ignore"))
    ticket = Ticket.get()
    assert outcome.ticket_number == ticket.number
    assert ticket.engineer.name == "Tobi Jones"  # the duty engineer it went to


def test_out_of_hours_with_nobody_on_duty_goes_to_voicemail(simulate, team, db):
    outcome = simulate(Scenario(at=WEDNESDAY_03, others="accept"))
    assert legs(db, outcome) == []
    assert outcome.ticket_number == Ticket.get().number


def test_bank_holiday_morning_is_out_of_hours(simulate, team, db, settings):
    # Monday 28 December 2026 is the Boxing Day substitute bank holiday in England
    periods.assign_period(date(2026, 12, 27), team[2], None, settings, now=ADDED_AT)
    outcome = simulate(Scenario(at=datetime(2026, 12, 28, 10, 0, tzinfo=LONDON), others="accept"))
    assert Call.get(Call.sid == outcome.call_sid).mode == "out_of_hours"
    assert legs(db, outcome) == [("Asha Patel", team[2].mobile, "accepted")]


def test_caller_hanging_up_at_the_tone_leaves_a_missed_call(simulate, team, db):
    outcome = simulate(Scenario(at=TUESDAY_10, others="ignore", caller_action="hangup"))
    assert Ticket.select().count() == 0
    call = Call.get(Call.sid == outcome.call_sid)
    assert call.status == "missed" and call.ended_at is not None


@pytest.mark.parametrize("settings_data, names_rung", [
    # header: ring time and longest wait -> engineers rung before voicemail
    ({"ring_seconds": 15, "max_wait_seconds": 90}, ["Ben Smith", "Tobi Jones", "Asha Patel"]),
    ({"ring_seconds": 40, "max_wait_seconds": 60}, ["Ben Smith", "Tobi Jones"]),
    ({"ring_seconds": 40, "max_wait_seconds": 30}, ["Ben Smith"]),
    ({"ring_seconds": 15, "hunt_rounds": 2, "max_wait_seconds": 900},
     ["Ben Smith", "Tobi Jones", "Asha Patel"] * 2),
])
def test_hunting_stops_at_the_longest_wait_or_after_the_rounds(simulate, team, db, names_rung):
    outcome = simulate(Scenario(at=TUESDAY_10, others="ignore"))
    assert [leg[0] for leg in legs(db, outcome)] == names_rung
    assert outcome.ticket_number is not None


BEN_TAKES = {"CallSid": "CA" + "8" * 32, "From": "+447400123456", "To": "+442071838750"}


BEN_LEG = {**BEN_TAKES, "CallSid": "CA" + "9" * 32, "ParentCallSid": BEN_TAKES["CallSid"]}


def ben_takes_a_call(twilio, clock, callback_url):
    """At 10:00 a call rings Ben, who presses 1; returns his leg."""
    clock.set(TUESDAY_10)
    twilio.post("/voice/incoming", BEN_TAKES)
    leg = Leg.get()
    twilio.post(callback_url("whisper", leg=leg.id), BEN_LEG)
    twilio.post(callback_url("accept", leg=leg.id), {**BEN_LEG, "Digits": "1"})
    return leg


def test_engineer_on_a_support_call_is_skipped(twilio, simulate, team, db, clock, callback_url):
    leg = ben_takes_a_call(twilio, clock, callback_url)
    # Ben is talking; the next call, which would start with Tobi, must not reach Ben either
    outcome = simulate(Scenario(at=TUESDAY_10.replace(minute=5), others="ignore"))
    assert [leg[0] for leg in legs(db, outcome)] == ["Tobi Jones", "Asha Patel"]
    # his conversation ends: he is rung again
    twilio.post(callback_url("dial_result", leg=leg.id), {**BEN_TAKES,
                                                      "DialCallStatus": "completed",
                                                      "DialBridged": "true"})
    outcome = simulate(Scenario(at=TUESDAY_10.replace(minute=10), others="ignore"))
    assert [leg[0] for leg in legs(db, outcome)] == ["Ben Smith", "Tobi Jones", "Asha Patel"]


def test_an_engineer_on_a_call_is_not_rung_first_until_four_hours_without_news(
        twilio, simulate, team, db, clock, callback_url):
    ben_takes_a_call(twilio, clock, callback_url)  # the end of his call is never reported
    first_rung = []
    for at in (TUESDAY_10.replace(minute=1), TUESDAY_10.replace(minute=2),
               TUESDAY_10.replace(hour=13, minute=59), TUESDAY_10.replace(hour=14, minute=1)):
        first_rung.append(legs(db, simulate(Scenario(at=at, others="ignore")))[0][0])
    # Ben would be next after Asha each time: while he talks the hunt starts with Tobi; a
    # conversation with no news for four hours is taken to have ended
    assert first_rung == ["Tobi Jones", "Tobi Jones", "Tobi Jones", "Ben Smith"]
