"""Overlapped hunting: the caller waits in a queue while engineers' phones ring side by side.

Whole calls through the simulator (the REST legs come from the app's recording dialer and
ring on the simulator's clock); every TwiML answer is checked against the schema.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from console.scenario import Scenario
from rota import periods
from telephony.models import Call, HuntPosition, Leg
from tests.conftest import ADDED_AT

LONDON = ZoneInfo("Europe/London")
TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
WEDNESDAY_03 = datetime(2026, 12, 2, 3, 0, tzinfo=LONDON)


@pytest.fixture
def settings_data():
    return {"hunt": "overlap", "overlap_seconds": 9}


@pytest.fixture
def app_config(dialer):
    return {"DIALER": dialer}


@pytest.fixture
def team(make_engineer):
    """Four engineers signed in, in rotation order Ann, Ben, Cat, Dev."""
    return [make_engineer(name) for name in ("Ann Archer", "Ben Smith", "Cat Lee", "Dev Shah")]


def legs(outcome):
    call = Call.get(Call.sid == outcome.call_sid)
    return [(leg.engineer.name, leg.outcome) for leg in call.legs.order_by(Leg.step)]


def started_at(outcome):
    call = Call.get(Call.sid == outcome.call_sid)
    return [(leg.started_at - call.started_at).total_seconds()
            for leg in call.legs.order_by(Leg.step)]


def test_first_engineer_accepts_quickly(simulate, team, db, dialer):
    outcome = simulate(Scenario(at=TUESDAY_10, answers={"Ann Archer": "accept@3s"}))
    assert outcome.answered_by == "Ann Archer"
    assert outcome.reached_after <= 9.0  # the caller clock of console.caller_clock
    assert "caller reached Ann Archer after" in outcome.lines[-2]
    assert [leg["to"] for leg in dialer.started] == [team[0].mobile]  # only Ann was rung
    call = Call.get(Call.sid == outcome.call_sid)
    assert call.status == "answered" and call.answered_by.name == "Ann Archer"


def test_the_next_phone_rings_after_the_overlap_and_the_first_to_press_wins(simulate, team, db,
                                                                           dialer):
    outcome = simulate(Scenario(at=TUESDAY_10, answers={"Ann Archer": "accept@12s",
                                                       "Ben Smith": "accept@2s"},
                                others="ignore"))
    assert outcome.answered_by == "Ben Smith"
    # Ben rang while Ann's phone still rang; Ann picked up later and her leg was stopped
    assert [name for name, _ in legs(outcome)] == ["Ann Archer", "Ben Smith"]
    first, second = started_at(outcome)
    assert 9 <= second - first < 13
    assert [sid for sid, _ in dialer.stopped] == [dialer.started[0]["sid"]]  # Ann, mid-whisper
    assert legs(outcome)[1] == ("Ben Smith", "accepted")
    # the round robin moved past both: the next call starts with Cat
    assert HuntPosition.get_by_id(1).last_rotation == team[1].rotation


def test_a_personal_voicemail_never_takes_the_call(simulate, team, db):
    outcome = simulate(Scenario(at=TUESDAY_10, answers={"Ann Archer": "voicemail@3s",
                                                       "Ben Smith": "accept@4s"}))
    assert outcome.answered_by == "Ben Smith"
    assert legs(outcome)[0][1] != "accepted"


def test_nobody_accepts_the_caller_leaves_a_message(simulate, team, db):
    outcome = simulate(Scenario(at=TUESDAY_10, others="ignore"))
    assert outcome.answered_by is None and outcome.ticket_number is not None
    assert [name for name, _ in legs(outcome)] == ["Ann Archer", "Ben Smith", "Cat Lee",
                                                   "Dev Shah"]
    assert Call.get(Call.sid == outcome.call_sid).status == "voicemail"
    assert "nobody accepted; voicemail after" in outcome.lines[-2]


def test_rest_api_failing_falls_back_to_one_engineer_at_a_time(simulate, team, db, dialer,
                                                               caplog):
    dialer.fail = True
    outcome = simulate(Scenario(at=TUESDAY_10, answers={"Ann Archer": "accept@3s"}))
    assert outcome.answered_by == "Ann Archer"
    assert any(path == "/voice/dial-result" for path, _, _ in outcome.responses)
    assert sum("rest_api unavailable" in r.getMessage() for r in caplog.records) == 1


@pytest.fixture
def duty(app, db, team, settings):
    """Ben on duty from Tuesday 18:00 with Cat as backup."""
    periods.assign_period(date(2026, 12, 1), team[1], team[2], settings, now=ADDED_AT)


def test_out_of_hours_primary_then_backup_in_turn(simulate, duty, db):
    outcome = simulate(Scenario(at=WEDNESDAY_03, answers={"Cat Lee": "accept@2s"}))
    assert outcome.answered_by == "Cat Lee"
    first, second = started_at(outcome)
    assert second - first >= 15  # the backup only once the primary's phone gave up


class TestBackupAlongside:
    @pytest.fixture
    def settings_data(self):
        return {"hunt": "overlap", "overlap_seconds": 6, "backup_after_seconds": 5}

    def test_out_of_hours_the_backup_rings_beside_the_primary(self, simulate, duty, db, dialer):
        outcome = simulate(Scenario(at=WEDNESDAY_03, answers={"Ben Smith": "ignore",
                                                             "Cat Lee": "accept@2s"}))
        assert outcome.answered_by == "Cat Lee"
        first, second = started_at(outcome)
        assert 5 <= second - first < 8  # while Ben's phone still rang
        assert (dialer.started[0]["sid"], True) in dialer.stopped  # Ben's then stopped
        assert outcome.reached_after < 15
