"""A caller who hangs up just after an engineer pressed 1, before the two were bridged, is an
abandoned call: not "answered by" someone nobody spoke to, in the call log or the reports.
Every request is signed as Twilio signs it; the callbacks come in either order."""

from datetime import date, timedelta

import pytest

from reports import Span, report
from reports.call_log import call_detail
from telephony.models import Call, Leg
from tests.webhooks.line import Line

GONE = "The caller has hung up"


@pytest.fixture
def settings_data():
    return {"hunt": "target", "max_phones": 2}


@pytest.fixture
def app_config(dialer):
    return {"DIALER": dialer}


@pytest.fixture
def team(make_engineer):
    return [make_engineer(name) for name in ("Ann Archer", "Ben Smith", "Cat Lee")]


@pytest.fixture
def line(twilio, callback_url, clock, dialer, team, db):
    return Line(twilio, callback_url, clock, dialer)


def ann_presses_1(line):
    assert "<Enqueue" in line.arrive()
    line.leg_status("Ann Archer", "ringing")
    line.later(7)  # past the short abandons: a caller who waited this long was offered
    line.picks_up("Ann Archer")
    line.later(1)
    body = line.presses_1("Ann Archer")
    assert "<Queue>" in body  # Ann is sent to meet the caller
    assert line.fresh().answered_by.name == "Ann Archer"


def today(settings, clock):
    day = clock().astimezone(settings.tz).date()
    return report(Span.days(settings, day, day, now=clock())).total


def assert_abandoned(line, settings, clock):
    call = line.fresh()
    assert call.status == "missed"
    assert call.answered_by is None and call.answered_at is None and call.connected_at is None
    assert call_detail(line.sid)["outcome"] == "abandoned_hunting"
    figures = today(settings, clock)
    assert (figures["answered"], figures["abandoned_hunting"]) == (0, 1)


@pytest.mark.parametrize("status_first", [False, True],
                         ids=["queue-result-first", "status-callback-first"])
def test_a_caller_who_leaves_the_queue_before_the_join_is_an_abandoned_call(
        line, settings, clock, status_first):
    ann_presses_1(line)
    line.later(0.5)  # the caller hangs up before Ann's <Dial><Queue> reaches them
    if status_first:
        line.hangs_up()
        line.queue_result("hangup")
    else:
        line.queue_result("hangup")
        line.hangs_up()
    assert_abandoned(line, settings, clock)
    assert line.outcomes()["Ann Archer"] == "caller-hung-up"
    # Ann's join to the empty queue ends later: she hears that the caller hung up, and the
    # call stays abandoned
    line.later(30)
    assert GONE in line.join_result("Ann Archer", "no-answer")
    assert_abandoned(line, settings, clock)
    assert Leg.get(Leg.id == line.leg("Ann Archer").id).accepted_at is not None  # she did press


def test_an_engineer_who_hangs_up_on_the_empty_queue_changes_nothing(line, settings, clock):
    ann_presses_1(line)
    line.queue_result("hangup")
    line.hangs_up()
    line.join_result("Ann Archer", "completed")  # she gave up on the silence
    assert_abandoned(line, settings, clock)


def test_a_bridged_caller_stays_answered_by_the_engineer(line, settings, clock):
    ann_presses_1(line)
    line.later(60)  # they talk
    line.queue_result("bridged")  # Twilio's word once both have hung up
    line.join_result("Ann Archer", "completed")
    line.hangs_up()
    call = line.fresh()
    assert call.status == "answered" and call.answered_by.name == "Ann Archer"
    figures = today(settings, clock)
    assert (figures["answered"], figures["abandoned_hunting"]) == (1, 0)


def test_a_press_of_1_after_the_caller_left_the_queue_finds_them_gone(line, settings, clock):
    assert "<Enqueue" in line.arrive()
    line.leg_status("Ann Archer", "ringing")
    line.later(7)
    line.picks_up("Ann Archer")
    line.queue_result("hangup")  # at the same instant as the press below
    body = line.presses_1("Ann Archer")
    assert "<Queue>" not in body and "<Hangup" in body  # Ann is not sent to an empty queue
    line.hangs_up()
    assert_abandoned(line, settings, clock)


# -- one engineer at a time, with <Dial> ------------------------------------------------------

CALLER = {"CallSid": "CA" + "8" * 32, "From": "+447400123456", "To": "+442071838750"}
ANN_LEG = {**CALLER, "CallSid": "CA" + "9" * 32, "ParentCallSid": CALLER["CallSid"]}


@pytest.fixture
def dial_hunt(twilio, callback_url, team, db, settings):
    """A sequential hunt's call: Ann's phone rings, her whisper, her press of 1; gives
    start() and dial_action(caller's CallStatus, DialBridged)."""
    settings_leg = {}

    def start():
        twilio.post("/voice/incoming", {**CALLER, "CallStatus": "ringing"})
        leg = Leg.get()
        twilio.post(callback_url("leg_status", leg=leg.id), {**ANN_LEG, "CallStatus": "ringing"})
        twilio.post(callback_url("whisper", leg=leg.id), {**ANN_LEG, "CallStatus": "in-progress"})
        twilio.post(callback_url("accept", leg=leg.id), {**ANN_LEG, "Digits": "1"})
        assert Call.get().answered_by.name == "Ann Archer"
        settings_leg["leg"] = leg

    def dial_action(caller_status, dial_bridged, dial_status="completed"):
        return twilio.post(callback_url("dial_result", leg=settings_leg["leg"].id),
                           {**CALLER, "CallStatus": caller_status,
                            "DialCallStatus": dial_status, "DialBridged": dial_bridged})

    return start, dial_action


@pytest.mark.parametrize("settings_data", [{"hunt": "sequential"}])
@pytest.mark.parametrize("dial_first", [True, False], ids=["dial-action-first",
                                                           "status-callback-first"])
def test_a_dial_hunt_caller_gone_before_the_bridge_is_abandoned(
        twilio, dial_hunt, settings, clock, dial_first):
    start, dial_action = dial_hunt
    start()
    clock.set(clock() + timedelta(seconds=9))
    end = {**CALLER, "CallStatus": "completed", "CallDuration": "9"}
    if not dial_first:
        twilio.post("/voice/status", end)
    dial_action("completed", "false")
    if dial_first:
        twilio.post("/voice/status", end)
    call = Call.get()
    assert call.status == "missed" and call.answered_by is None and call.answered_at is None
    assert Leg.get().outcome == "caller-hung-up"
    figures = report(Span.days(settings, date(2026, 12, 1), date(2026, 12, 1),
                               now=clock())).total
    assert (figures["answered"], figures["abandoned_hunting"]) == (0, 1)


@pytest.mark.parametrize("settings_data", [{"hunt": "sequential"}])
@pytest.mark.parametrize("caller_status, dial_bridged", [
    ("completed", "true"),  # bridged, then the caller hung up
    ("in-progress", "true"),  # bridged, the engineer hung up first
    ("in-progress", "false"),  # the engineer's side ended first: not the caller's doing
])
def test_a_dial_hunt_answer_stands_unless_the_caller_left_first(
        twilio, dial_hunt, caller_status, dial_bridged):
    start, dial_action = dial_hunt
    start()
    dial_action(caller_status, dial_bridged)
    call = Call.get()
    assert call.status == "answered" and call.answered_by.name == "Ann Archer"
