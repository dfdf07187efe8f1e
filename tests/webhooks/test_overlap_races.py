"""Every race of the overlapped hunt, one signed callback at a time, as a caller or an
engineer would notice it: who is connected, who hears "already taken", which phones stop."""

import threading
from datetime import date, datetime, timezone

import pytest
from twilio.request_validator import RequestValidator

from reports.call_log import call_detail
from rota import periods
from telephony.presence import engineers_on_a_call
from telephony.models import Leg
from tests.conftest import ADDED_AT, AUTH_TOKEN, PUBLIC_URL
from tests.webhooks.line import Line

TAKEN = "Another engineer has taken this call"
GONE = "The caller has hung up"


@pytest.fixture
def settings_data():
    return {"hunt": "overlap", "overlap_seconds": 6, "max_wait_seconds": 60}


@pytest.fixture
def app_config(dialer):
    return {"DIALER": dialer}


@pytest.fixture
def team(make_engineer):
    """Ann, Ben, Cat, Dev signed in, in rotation order, on their mobiles."""
    return [make_engineer(name) for name in ("Ann Archer", "Ben Smith", "Cat Lee", "Dev Shah")]


@pytest.fixture
def line(twilio, callback_url, clock, dialer, team, db):
    return Line(twilio, callback_url, clock, dialer)


def ann_and_ben_ringing(line):
    assert "<Enqueue" in line.arrive()
    line.leg_status("Ann Archer", "ringing")
    line.tick_until(7)
    assert line.rung() == ["Ann Archer", "Ben Smith"]
    line.leg_status("Ben Smith", "ringing")


def joined(body):
    return "<Queue>" in body and "<Dial" in body


def hung_up_with(body, words):
    return words in body and body.rstrip().endswith("<Hangup /></Response>")


def test_two_engineers_pressing_1_in_the_same_second_connect_exactly_one(line):
    ann_and_ben_ringing(line)
    assert "Press 1" in line.picks_up("Ann Archer") and "Press 1" in line.picks_up("Ben Smith")
    first, second = line.presses_1("Ann Archer"), line.presses_1("Ben Smith")
    assert joined(first)
    assert hung_up_with(second, TAKEN) and not joined(second)
    assert line.stopped() == {"Ben Smith": 1}  # Ben's leg hung up once Ann had the caller
    line.leg_status("Ben Smith", "completed")  # Twilio reports Ben's leg over
    assert line.outcomes() == {"Ann Archer": "accepted", "Ben Smith": "taken-by-another"}
    call = line.fresh()
    assert call.status == "answered" and call.answered_by.name == "Ann Archer"
    ended = {leg["engineer"]: leg["ended"] for leg in call_detail(line.sid)["legs"]}
    assert ended["Ben Smith"] == "cancelled: answered on another leg"


def test_presses_at_the_same_instant_from_two_workers_connect_exactly_one(app, line):
    ann_and_ben_ringing(line)
    line.picks_up("Ann Archer"), line.picks_up("Ben Smith")
    validator, start, answers = RequestValidator(AUTH_TOKEN), threading.Barrier(2), {}

    def press(name):
        leg = line.leg(name)
        url = line.url("leg_accept", leg=leg.id)
        params = {"CallSid": leg.child_sid, "CallStatus": "in-progress", "Digits": "1"}
        client = app.test_client()
        start.wait()
        response = client.post(url.removeprefix(PUBLIC_URL), data=params,
                               headers={"X-Twilio-Signature":
                                        validator.compute_signature(url, params)},
                               base_url="http://internal:8000")
        answers[name] = response.get_data(as_text=True)
        response.close()

    threads = [threading.Thread(target=press, args=(name,)) for name in ("Ann Archer",
                                                                         "Ben Smith")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(joined(body) for body in answers.values()) == [False, True]
    winner = next(name for name, body in answers.items() if joined(body))
    loser = next(name for name in answers if name != winner)
    assert TAKEN in answers[loser]
    assert line.fresh().answered_by.name == winner
    assert line.outcomes()[loser] == "taken-by-another"


@pytest.mark.parametrize("order", [("queue", "status"), ("status", "queue")])
def test_the_caller_hanging_up_mid_hunt_stops_every_phone_once(line, order):
    ann_and_ben_ringing(line)
    line.picks_up("Ben Smith")  # Ben is hearing the whisper; Ann's phone still rings
    for what in order:  # Twilio's two reports of the hang-up, in either order
        if what == "queue":
            assert "<Hangup" in line.queue_result("hangup")
        else:
            line.hangs_up()
    assert line.stopped() == {"Ann Archer": 1, "Ben Smith": 1}
    ringing = {sid: still for sid, still in line.dialer.stopped}
    assert ringing[line.leg("Ann Archer").child_sid] is True  # cancelled while ringing
    assert ringing[line.leg("Ben Smith").child_sid] is False  # hung up once answered
    # a press of 1 on a phone the cancel did not reach: the caller has gone
    assert hung_up_with(line.presses_1("Ben Smith"), GONE)
    assert hung_up_with(line.picks_up("Ann Archer"), GONE)
    call = line.fresh()
    assert call.status == "missed" and call.answered_at is None
    assert call_detail(line.sid)["outcome"] == "abandoned_hunting"
    assert set(line.outcomes().values()) == {"caller-hung-up"}


def test_accepted_leg_failing_before_the_join_lets_the_hunt_go_on(line):
    ann_and_ben_ringing(line)
    line.picks_up("Ann Archer")
    assert joined(line.presses_1("Ann Archer"))
    line.leg_status("Ann Archer", "failed")  # Ann's phone dropped before the join
    body = line.tick_until(9)
    assert "<Leave" not in body  # the caller waits on, hearing ringback
    assert line.fresh().answered_at is None
    assert line.outcomes()["Ann Archer"] == "join-failed"
    line.tick_until(14)
    assert "Cat Lee" in line.rung()  # the hunt went on past Ann and Ben
    line.picks_up("Cat Lee")
    assert joined(line.presses_1("Cat Lee"))
    assert line.fresh().answered_by.name == "Cat Lee"


def test_accepted_leg_never_heard_of_again_is_given_up_after_a_few_seconds(line):
    ann_and_ben_ringing(line)
    line.picks_up("Ann Archer")
    assert joined(line.presses_1("Ann Archer"))
    # no join and no word from Ann's leg: the caller keeps fetching the wait URL
    line.tick_until(30)
    assert line.stopped().get("Ann Archer") == 1
    assert line.outcomes()["Ann Archer"] == "join-failed"
    assert line.fresh().answered_at is None
    assert "Cat Lee" in line.rung()


def test_a_join_that_fails_while_the_caller_waits_hunts_on(line):
    ann_and_ben_ringing(line)
    line.picks_up("Ann Archer")
    assert joined(line.presses_1("Ann Archer"))
    assert hung_up_with(line.join_result("Ann Archer", "failed"), "could not be connected")
    assert line.fresh().answered_at is None
    line.tick_until(14)
    assert "Cat Lee" in line.rung()


def test_a_join_that_fails_because_the_caller_hung_up_is_an_abandoned_call(line):
    ann_and_ben_ringing(line)
    line.picks_up("Ann Archer")
    assert joined(line.presses_1("Ann Archer"))
    line.queue_result("hangup")
    line.hangs_up()
    assert hung_up_with(line.join_result("Ann Archer", "no-answer"), GONE)
    call = line.fresh()
    assert call.answered_at is None and call.status == "missed"
    assert call_detail(line.sid)["outcome"] == "abandoned_hunting"


def test_nobody_accepting_leaves_for_voicemail_after_max_wait(line, settings):
    assert "<Enqueue" in line.arrive()
    body = line.tick_until(settings.max_wait_seconds - 1)
    assert "<Leave" not in body
    live = [name for name, outcome in line.outcomes().items() if outcome == "ringing"]
    assert live  # phones still ringing when the caller gives up waiting
    assert "<Leave" in line.tick_until(settings.max_wait_seconds)
    assert set(line.stopped()) == set(live)
    # a press of 1 on one of them a moment later: the caller is leaving a message
    assert hung_up_with(line.presses_1(live[-1]), "leaving a message")
    assert "<Record" in line.queue_result("leave")
    call = line.fresh()
    assert call.status == "voicemail" and call.answered_at is None
    assert call.voicemail_at is not None  # the statistics' moment of the voicemail prompt
    assert line.tick().count("<Leave") == 1  # a late tick changes nothing


def test_a_press_of_1_at_the_tick_that_gives_up_wins_or_loses_whole(line, settings):
    assert "<Enqueue" in line.arrive()
    line.tick_until(settings.max_wait_seconds - 1)
    ringing = [name for name, outcome in line.outcomes().items() if outcome == "ringing"]
    line.picks_up(ringing[0])
    line.later(1)
    assert joined(line.presses_1(ringing[0]))  # pressed in the second the wait ran out
    assert "<Leave" not in line.tick()  # the caller is not sent away from the join
    assert line.fresh().answered_by.name == ringing[0]


def test_callbacks_duplicated_change_nothing(line):
    ann_and_ben_ringing(line)
    line.tick(), line.tick()  # the same tick twice: no second leg to the same phone
    assert line.rung() == ["Ann Archer", "Ben Smith"]
    line.leg_status("Ann Archer", "ringing"), line.leg_status("Ann Archer", "ringing")
    line.picks_up("Ann Archer"), line.picks_up("Ann Archer")
    assert joined(line.presses_1("Ann Archer"))
    assert joined(line.presses_1("Ann Archer"))  # Twilio retried the press: Ann keeps it
    assert line.stopped() == {"Ben Smith": 1}
    line.leg_status("Ben Smith", "canceled"), line.leg_status("Ben Smith", "canceled")
    assert line.outcomes() == {"Ann Archer": "accepted", "Ben Smith": "canceled"}
    ended = {leg["engineer"]: leg["ended"] for leg in call_detail(line.sid)["legs"]}
    assert ended["Ben Smith"] == "cancelled: answered on another leg"
    assert line.fresh().answered_by.name == "Ann Archer"


def test_callbacks_out_of_order(line, clock):
    ann_and_ben_ringing(line)
    # Ann's leg: completed reported before answered
    line.leg_status("Ann Archer", "completed")
    line.leg_status("Ann Archer", "in-progress")
    assert line.outcomes()["Ann Archer"] == "not-accepted"
    assert line.leg("Ann Archer").id not in {
        leg.id for leg in Leg.select().where(Leg.ended_at.is_null())}
    assert line.leg("Ann Archer").engineer_id not in engineers_on_a_call(clock())
    # Ben accepts; the queue's result (bridged) arrives only after the conversation
    line.picks_up("Ben Smith")
    assert joined(line.presses_1("Ben Smith"))
    assert "<Hangup" in line.queue_result("bridged")
    call = line.fresh()
    assert call.status == "answered" and call.answered_by.name == "Ben Smith"


def test_a_stray_leave_after_the_accept_puts_the_caller_back_in_the_queue(line):
    ann_and_ben_ringing(line)
    line.picks_up("Ann Archer")
    assert joined(line.presses_1("Ann Archer"))
    body = line.queue_result("leave")
    assert "<Enqueue" in body and "<Record" not in body  # never voicemail under Ann
    assert line.fresh().answered_by.name == "Ann Archer"


def test_a_queue_fault_gives_the_caller_voicemail_and_stops_the_phones(line):
    ann_and_ben_ringing(line)
    assert "<Record" in line.queue_result("system-error")
    assert line.stopped() == {"Ann Archer": 1, "Ben Smith": 1}
    ended = {leg["engineer"]: leg["ended"] for leg in call_detail(line.sid)["legs"]}
    assert ended == {"Ann Archer": "stopped: no longer needed",
                     "Ben Smith": "stopped: no longer needed"}
    assert hung_up_with(line.presses_1("Ann Archer"), "leaving a message")


@pytest.fixture
def duty(team, settings, clock, db):
    """Ben on duty from Tuesday 18:00, Cat his backup; the call comes at 03:00."""
    periods.assign_period(date(2026, 12, 1), team[1], team[2], settings, now=ADDED_AT)
    clock.set(datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc))


class TestOutOfHoursOverlapped:
    @pytest.fixture
    def settings_data(self):
        return {"hunt": "overlap", "overlap_seconds": 6, "backup_after_seconds": 4}

    def test_the_backup_rings_beside_the_primary_after_backup_after_seconds(self, line, duty):
        assert "<Enqueue" in line.arrive()
        line.tick_until(3)
        assert line.rung() == ["Ben Smith"]
        line.tick_until(5)
        assert line.rung() == ["Ben Smith", "Cat Lee"]
        line.picks_up("Cat Lee")
        assert joined(line.presses_1("Cat Lee"))
        assert line.stopped() == {"Ben Smith": 1}
        assert line.fresh().answered_by.name == "Cat Lee"


class TestOutOfHoursInTurn:
    @pytest.fixture
    def settings_data(self):
        return {"hunt": "overlap", "overlap_seconds": 6}  # no backup_after_seconds

    def test_the_backup_rings_only_once_the_primarys_phone_gave_up(self, line, duty):
        assert "<Enqueue" in line.arrive()
        line.tick_until(19)
        assert line.rung() == ["Ben Smith"]  # however long Ben's phone rings
        line.leg_status("Ben Smith", "no-answer")
        line.tick_until(21)
        assert line.rung() == ["Ben Smith", "Cat Lee"]
        line.picks_up("Cat Lee")
        assert joined(line.presses_1("Cat Lee"))
        assert line.fresh().answered_by.name == "Cat Lee"
        assert line.outcomes() == {"Ben Smith": "no-answer", "Cat Lee": "accepted"}
