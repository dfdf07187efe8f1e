"""Hunting follows leave and cover: whole calls through the simulator."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from console.scenario import Scenario
from outbox.models import OutboxMessage
from rota import absences, periods
from rota.cover import set_cover
from telephony.models import Call, Leg
from telephony.routing import CLOSED_GREETING

LONDON = ZoneInfo("Europe/London")
MADE = datetime(2026, 9, 1, tzinfo=timezone.utc)


def local(*args):
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture
def app_config():
    return {"MANAGER_NUMBERS": "+447911000901"}


@pytest.fixture
def team(make_engineer):
    """Ben, Tobi and Asha, signed in, in that rotation order."""
    return {"Ben": make_engineer("Ben Smith"), "Tobi": make_engineer("Tobi Jones"),
            "Asha": make_engineer("Asha Patel")}


def rung(outcome):
    call = Call.get(Call.sid == outcome.call_sid)
    return [(leg.engineer.name, leg.role) for leg in call.legs.order_by(Leg.step)]


# in hours, Ben signed in but away: (absence, call instant, Ben rung?)
@pytest.mark.parametrize("away, at, ben_rung", [
    ((date(2026, 12, 1), date(2026, 12, 1)), local(2026, 12, 1, 10), False),
    ((date(2026, 11, 30), date(2026, 11, 30)), local(2026, 12, 1, 10), True),   # back after the month end
    ((local(2026, 12, 1, 9), local(2026, 12, 1, 10)), local(2026, 12, 1, 10), True),  # the end is not in it
    # the Monday after the clocks went back: a whole local day is 25 h of UTC the day before
    ((date(2026, 10, 25), date(2026, 10, 26)), local(2026, 10, 26, 17, 30), False),
    # the first 23 h day of summer time, then Easter Monday: back on Tuesday morning
    ((date(2027, 3, 28), date(2027, 3, 29)), local(2027, 3, 30, 8, 0), True),
])
def test_an_engineer_on_leave_is_not_hunted(simulate, team, db, settings, away, at, ben_rung):
    absences.add_absence("Ben Smith", away[0], away[1], settings, MADE)
    outcome = simulate(Scenario(at=at, others="ignore", caller_action="hangup"))
    names = [name for name, _ in rung(outcome)]
    assert ("Ben Smith" in names) is ben_rung
    assert names[-2:] == ["Tobi Jones", "Asha Patel"]


def test_engineer_list_says_who_is_on_leave(team, db, settings, app, clock):
    from click.testing import CliRunner

    from console.main import main
    from tests.conftest import app_info

    absences.add_absence("Ben Smith", date(2026, 11, 30), date(2026, 12, 3), settings, MADE)
    clock.set(local(2026, 12, 1, 10))
    output = CliRunner().invoke(main, ["engineer", "list"], obj=app_info(app)).output
    assert "Ben Smith" in output and "on leave until Fri 04 Dec 2026 00:00" in output
    assert output.count("on leave") == 1


def test_cover_is_rung_after_the_duty_engineer_and_backup(simulate, team, db, settings):
    periods.assign_period(date(2026, 12, 1), team["Tobi"], team["Asha"], settings, now=MADE)
    set_cover(team["Ben"], True, settings, local(2026, 12, 1, 20))
    outcome = simulate(Scenario(at=local(2026, 12, 1, 23), answers={"Ben Smith": "accept"}))
    assert rung(outcome) == [("Tobi Jones", "primary"), ("Asha Patel", "backup"),
                             ("Ben Smith", "cover")]
    assert outcome.answered_by == "Ben Smith"


def test_cover_ends_by_itself_at_the_next_handover(simulate, team, db, settings):
    periods.assign_period(date(2026, 12, 2), team["Tobi"], None, settings, now=MADE)
    until = set_cover(team["Ben"], True, settings, local(2026, 12, 1, 23))
    assert until == local(2026, 12, 2, 18)
    outcome = simulate(Scenario(at=local(2026, 12, 2, 22), others="ignore"))
    assert rung(outcome) == [("Tobi Jones", "primary")]


def test_cover_engineers_take_turns(simulate, team, db, settings):
    for name in ("Ben", "Asha"):
        set_cover(team[name], True, settings, local(2026, 12, 1, 19))
    first = simulate(Scenario(at=local(2026, 12, 1, 22), answers={"Asha Patel": "accept"}))
    second = simulate(Scenario(at=local(2026, 12, 1, 23), others="ignore",
                               caller_action="hangup"))
    assert rung(first) == [("Ben Smith", "cover"), ("Asha Patel", "cover")]
    assert [name for name, _ in rung(second)] == ["Ben Smith", "Asha Patel"] or \
        [name for name, _ in rung(second)] == ["Asha Patel", "Ben Smith"]


def test_nobody_on_duty_the_office_is_closed_and_managers_are_told_once(simulate, team, db,
                                                                       settings):
    set_cover(team["Asha"], True, settings, local(2026, 12, 1, 19))
    first = simulate(Scenario(at=local(2026, 12, 1, 22), others="ignore",
                              caller_action="hangup"))
    assert CLOSED_GREETING in first.responses[0][2]
    assert "engineer on duty" not in first.responses[0][2]
    assert rung(first) == [("Asha Patel", "cover")]
    simulate(Scenario(at=local(2026, 12, 1, 23), others="ignore", caller_action="hangup"))
    told = [m for m in OutboxMessage.select() if m.recipient == "+447911000901"]
    assert [m.body for m in told] == [
        "Rota: nobody on duty out of hours from Tue 01 Dec 2026 18:00 to Wed 02 Dec 2026 "
        "08:00 (14 h)."]
