"""Desk phones that connect on pick-up: no press-1 whisper, the pick-up is the acceptance.

Whole calls through the simulator (sequential <Dial> and the overlapped hunt), and the
callbacks Twilio sends for such a leg posted signed, one by one.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from console.scenario import Scenario
from reports import Span, report
from rota import engineers as engineer_service
from rota import periods
from telephony.dialer import RecordingDialer
from telephony.models import Call, Leg
from tests.conftest import ADDED_AT

LONDON = ZoneInfo("Europe/London")
TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
WEDNESDAY_03 = datetime(2026, 12, 2, 3, 0, tzinfo=LONDON)
ANN_DESK = "+442079460101"


def connect_on_pickup(name, on=True):
    engineer_service.update_engineer(name, ADDED_AT, desk_connects=on, region="GB")


@pytest.fixture
def team(make_engineer, db):
    """Ann in the office on a desk phone that connects on pick-up; Ben on his mobile."""
    ann = make_engineer("Ann Archer", desk=ANN_DESK, location="office")
    ben = make_engineer("Ben Smith")
    connect_on_pickup("Ann Archer")
    return ann, ben


def paths(outcome):
    return [path for path, _, _ in outcome.responses]


def the_call(outcome):
    return Call.get(Call.sid == outcome.call_sid)


def test_the_desk_phone_connects_on_pick_up_with_no_whisper(simulate, team, db, settings):
    outcome = simulate(Scenario(at=TUESDAY_10, answers={"Ann Archer": "accept@3s"}))
    assert outcome.answered_by == "Ann Archer"
    assert "/voice/whisper" not in paths(outcome) and "/voice/accept" not in paths(outcome)
    assert any("connected on pick-up with no whisper" in line for line in outcome.lines)
    call = the_call(outcome)
    assert call.status == "answered" and call.answered_by.name == "Ann Archer"
    leg = call.legs.get()
    assert (leg.number, leg.outcome) == (ANN_DESK, "accepted")
    # the statistics count the call as answered by Ann, within the service level
    result = report(Span.days(settings, date(2026, 12, 1), date(2026, 12, 1)), "engineer")
    assert (result.total["answered"], result.total["answered_within"]) == (1, 1)
    rows = {row["name"]: row for row in result.rows}
    assert rows["Ann Archer"]["accepted"] == 1 and rows["Ann Archer"]["answered"] == 1


def test_connecting_on_pick_up_saves_the_whisper_on_the_callers_clock(simulate, team, db):
    quick = simulate(Scenario(at=TUESDAY_10, answers={"Ann Archer": "accept@3s"}))
    connect_on_pickup("Ann Archer", on=False)
    whispered = simulate(Scenario(at=TUESDAY_10, answers={"Ann Archer": "accept@3s"}))
    assert "/voice/whisper" in paths(whispered)
    assert whispered.answered_by == "Ann Archer"
    assert whispered.reached_after - quick.reached_after >= 1.5


def test_off_by_default_a_desk_phone_still_whispers(simulate, make_engineer, db):
    make_engineer("Cat Lee", desk="+442079460102", location="office")
    outcome = simulate(Scenario(at=TUESDAY_10, answers={"Cat Lee": "accept@3s"}))
    assert "/voice/whisper" in paths(outcome) and outcome.answered_by == "Cat Lee"


def test_a_remote_engineer_is_rung_on_the_mobile_with_the_whisper(simulate, team, db):
    engineer_service.set_location("Ann Archer", "remote", now=ADDED_AT)
    outcome = simulate(Scenario(at=TUESDAY_10, answers={"Ann Archer": "voicemail@3s",
                                                       "Ben Smith": "accept@2s"}))
    # Ann's mobile voicemail picked up, heard the whisper and never pressed 1
    assert outcome.answered_by == "Ben Smith"
    first = the_call(outcome).legs.order_by(Leg.step).first()
    assert (first.number, first.outcome) == (team[0].mobile, "not-accepted")


def test_out_of_hours_the_duty_mobile_whispers_even_with_a_connecting_desk(simulate, team, db,
                                                                            settings):
    periods.assign_period(date(2026, 12, 1), team[0], None, settings, now=ADDED_AT)
    outcome = simulate(Scenario(at=WEDNESDAY_03, answers={"Ann Archer": "accept@3s"}))
    assert outcome.answered_by == "Ann Archer"
    assert "/voice/whisper" in paths(outcome)
    assert the_call(outcome).legs.get().number == team[0].mobile


def test_an_unanswered_desk_phone_hands_on_to_the_next_engineer(simulate, team, db):
    outcome = simulate(Scenario(at=TUESDAY_10, answers={"Ben Smith": "accept@2s"}))
    assert outcome.answered_by == "Ben Smith"
    assert [leg.outcome for leg in the_call(outcome).legs.order_by(Leg.step)] == [
        "no-answer", "accepted"]


def post(twilio, url, params):
    """Twilio's request and the answer's end, as a server closes it (its after-work runs)."""
    response = twilio.post(url, params)
    body = response.get_data(as_text=True)
    response.close()
    return body


def _arrive(twilio, sid):
    return post(twilio, "/voice/incoming", {"CallSid": sid, "From": "+447400123456",
                                            "To": "+442071838750", "CallStatus": "ringing"})


def test_the_dial_result_alone_records_the_acceptance(twilio, team, db, callback_url):
    """Should the pick-up's status callback be lost, completed + DialBridged still counts."""
    sid = "CA" + "a" * 32
    body = _arrive(twilio, sid)
    assert ANN_DESK in body and "/voice/whisper" not in body
    leg = Leg.get()
    answer = twilio.post(callback_url("dial_result", leg=leg.id),
                         {"CallSid": sid, "DialCallStatus": "completed", "DialBridged": "true",
                          "DialCallDuration": "95"})
    assert "<Hangup" in answer.get_data(as_text=True)
    call = Call.get(Call.sid == sid)
    assert call.status == "answered" and call.answered_by_id == team[0].id
    assert Leg.get_by_id(leg.id).outcome == "accepted"


def test_the_pick_up_is_the_acceptance_the_moment_it_happens(twilio, team, db, callback_url):
    sid, child = "CA" + "b" * 32, "CA" + "c" * 32
    _arrive(twilio, sid)
    leg = Leg.get()
    status = {"CallSid": child, "ParentCallSid": sid, "CallStatus": "in-progress"}
    twilio.post(callback_url("leg_status", leg=leg.id), status)
    twilio.post(callback_url("leg_status", leg=leg.id), status)  # duplicated: nothing more
    call = Call.get(Call.sid == sid)
    assert call.status == "answered" and call.answered_by_id == team[0].id
    assert call.connected_at is not None
    twilio.post(callback_url("leg_status", leg=leg.id), {**status, "CallStatus": "completed"})
    assert Leg.get_by_id(leg.id).outcome == "accepted"


def test_a_desk_phone_without_connect_on_pick_up_is_not_accepted_by_its_pick_up(
        twilio, team, db, callback_url):
    connect_on_pickup("Ann Archer", on=False)
    sid, child = "CA" + "d" * 32, "CA" + "e" * 32
    _arrive(twilio, sid)
    leg = Leg.get()
    twilio.post(callback_url("leg_status", leg=leg.id),
                {"CallSid": child, "ParentCallSid": sid, "CallStatus": "in-progress"})
    twilio.post(callback_url("dial_result", leg=leg.id),
                {"CallSid": sid, "DialCallStatus": "completed", "DialBridged": "true"})
    assert Call.get(Call.sid == sid).answered_at is None


class TestOverlap:
    @pytest.fixture
    def settings_data(self):
        return {"hunt": "overlap", "overlap_seconds": 6}

    @pytest.fixture
    def dialer(self):
        return RecordingDialer()

    @pytest.fixture
    def app_config(self, dialer):
        return {"DIALER": dialer}

    def test_the_rest_leg_joins_the_caller_on_pick_up(self, simulate, team, db, dialer):
        outcome = simulate(Scenario(at=TUESDAY_10, answers={"Ann Archer": "accept@3s"}))
        assert outcome.answered_by == "Ann Archer"
        assert "/voice/leg-accept" not in paths(outcome)
        assert any("connected on pick-up with no whisper" in line for line in outcome.lines)
        assert dialer.started[0]["to"] == ANN_DESK
        call = the_call(outcome)
        assert call.status == "answered" and call.answered_by.name == "Ann Archer"
        assert call.legs.get().outcome == "accepted"

    def test_two_desk_phones_picked_up_at_once_connect_exactly_one(
            self, twilio, make_engineer, team, db, callback_url, dialer, clock):
        make_engineer("Cat Lee", desk="+442079460102", location="office")
        connect_on_pickup("Cat Lee")
        engineer_service.set_signed_in("Ben Smith", False, now=ADDED_AT)
        sid = "CA" + "f" * 32
        body = _arrive(twilio, sid)
        assert "<Enqueue" in body
        call = Call.get(Call.sid == sid)
        wait = callback_url("queue_wait", call=call.id)
        clock.set(clock() + timedelta(seconds=7))
        post(twilio, wait, {"CallSid": sid, "QueueTime": "7"})  # Cat's phone rings too
        assert [leg["to"] for leg in dialer.started] == [ANN_DESK, "+442079460102"]
        answers = []
        for leg in Leg.select().order_by(Leg.step):
            answers.append(post(twilio, callback_url("leg_whisper", leg=leg.id),
                                {"CallSid": leg.child_sid, "CallStatus": "in-progress"}))
        assert "<Queue" in answers[0] and "<Queue" not in answers[1]
        assert "Another engineer has taken this call" in answers[1] and "<Hangup" in answers[1]
        assert [leg.outcome for leg in Leg.select().order_by(Leg.step)] == [
            "accepted", "taken-by-another"]
        assert Call.get(Call.sid == sid).answered_by_id == team[0].id
