"""Voicemail of a team's call: its escalation rings that team's backup, and a message for a
call never logged belongs to the team its number reaches, with that team's duty engineer."""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from rota import periods
from rota.managers import Managers
from rota.models import FIRST_TEAM, Team
from rota.teams import add_team, join_team, leave_team
from telephony import lines
from tests.conftest import ADDED_AT
from voicemail import escalation
from voicemail.messages import RECORDED, MessageEvent, call_for_message

LONDON = ZoneInfo("Europe/London")
NIGHT = datetime(2026, 12, 8, 23, 30, tzinfo=LONDON)  # out of hours in London and New York
NETWORK_LINE = "+442071838751"
SUPPORT_LINE = "+442079460000"


@pytest.fixture
def settings_data():
    return {"teams": {"Network": {"timezone": "America/New_York"}}}


@pytest.fixture
def two(db, make_engineer, settings):
    """Support: Ann on duty, Ben her backup. Network: Cara on duty, Dev her backup."""
    ann, ben = make_engineer("Ann Lee"), make_engineer("Ben Ode")
    network = add_team("Network", ADDED_AT)
    cara, dev = make_engineer("Cara Nye"), make_engineer("Dev Rao")
    for engineer in (cara, dev):
        join_team(network, engineer)
        leave_team(Team.get_by_id(FIRST_TEAM), engineer)
    periods.assign_period(date(2026, 12, 8), ann, ben, settings, now=ADDED_AT)
    periods.assign_period(date(2026, 12, 8), cara, dev, settings.for_team("Network"),
                          now=ADDED_AT, team=network.id)
    lines.add_line(NETWORK_LINE, "GB", ADDED_AT, team=network)
    return SimpleNamespace(network=network, ann=ann, ben=ben, cara=cara, dev=dev)


# the call's team -> who the escalation rings after the duty engineer
@pytest.mark.parametrize("team, duty, backup", [
    ("network", "Cara Nye", "Dev Rao"),
    (FIRST_TEAM, "Ann Lee", "Ben Ode"),
    (None, "Ann Lee", "Ben Ode"),  # a call logged before there were teams
])
def test_the_escalation_rings_the_backup_of_the_calls_team(two, team, duty, backup):
    team_id = two.network.id if team == "network" else team
    engineer = two.cara if duty == "Cara Nye" else two.ann
    ticket = SimpleNamespace(engineer_id=engineer.id, engineer=engineer, created_at=NIGHT,
                             call=SimpleNamespace(team_id=team_id))
    rungs = escalation.ladder(ticket, Managers(numbers=("+447700900001",)))
    assert [(r.role, r.name) for r in rungs] == [("duty", duty), ("backup", backup),
                                                 ("managers", "the managers")]


@pytest.mark.parametrize("line, team, duty", [
    (NETWORK_LINE, "Network", "Cara Nye"),
    (SUPPORT_LINE, "Support", "Ann Lee"),  # a number with no line: the first team
])
def test_a_message_for_a_call_never_logged_is_of_the_team_its_number_reaches(
        two, settings, line, team, duty):
    event = MessageEvent(RECORDED, "CA" + "5" * 32, "+447911123501", line, NIGHT,
                         recording_url="https://api.twilio.com/recording")
    call = call_for_message(event, settings)
    assert (call.team.name, call.duty_engineer.name) == (team, duty)
