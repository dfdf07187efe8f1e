"""Engineers' texts with two teams: TAKE acts in the sender's team, names it, or asks which;
WHO answers a line for each of the sender's teams, each in its own zone."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from dutyline.db import database
from inbox import commands
from outbox.models import OutboxMessage
from rota import periods
from rota.models import FIRST_TEAM, Override, Team
from rota.teams import add_team, join_team, leave_team
from tests.conftest import ADDED_AT

LONDON = ZoneInfo("Europe/London")
NIGHT = datetime(2026, 12, 8, 23, 30, tzinfo=LONDON)  # 18:30 in New York: out of both's hours
SUPPORT = "+442079460000"
ANN, BEN, CARA, DEV = "+447911000001", "+447911000002", "+447911000003", "+447911000004"


@pytest.fixture
def settings_data():
    return {"teams": {"Network": {"timezone": "America/New_York", "handover": "13:00"}}}


@pytest.fixture
def two(app, make_engineer, settings, clock):
    """Support: Ann on duty, Ben. Network (New York): Cara on duty, Dev; Ben in both."""
    ann, ben = make_engineer("Ann Lee", mobile=ANN), make_engineer("Ben Ode", mobile=BEN)
    cara, dev = make_engineer("Cara Nye", mobile=CARA), make_engineer("Dev Rao", mobile=DEV)
    with database.connection_context():
        network = add_team("Network", ADDED_AT)
        for engineer in (cara, dev, ben):
            join_team(network, engineer)
        for engineer in (cara, dev):
            leave_team(Team.get_by_id(FIRST_TEAM), engineer)
        periods.assign_period(date(2026, 12, 8), ann, None, settings, now=ADDED_AT)
        periods.assign_period(date(2026, 12, 8), cara, None, settings.for_team("Network"),
                              now=ADDED_AT, team=network.id)
    clock.set(NIGHT.astimezone(timezone.utc))
    return network


def text(twilio, sender, body):
    response = twilio.post("/sms/incoming", {"MessageSid": f"SM{abs(hash((sender, body))):032x}",
                                             "From": sender, "To": SUPPORT, "Body": body})
    assert response.status_code == 200
    return etree.fromstring(response.get_data())[0].text


def on_duty(team):
    with database.connection_context():
        return periods.duty_at(NIGHT, team)[0].name


def test_take_by_an_engineer_of_one_team_acts_in_that_team(twilio, two):
    assert text(twilio, DEV, "TAKE").startswith("You are on duty now until 13:00 Wed 9 Dec")
    assert (on_duty(two.id), on_duty(FIRST_TEAM)) == ("Dev Rao", "Ann Lee")


def test_an_engineer_in_two_teams_is_asked_which_and_nothing_changes(twilio, two):
    assert text(twilio, BEN, "take") == ("You are in Support and Network: reply TAKE SUPPORT "
                                         "or TAKE NETWORK; nothing was changed.")
    with database.connection_context():
        assert (Override.select().count(), OutboxMessage.select().count()) == (0, 0)


@pytest.mark.parametrize("body, team, holder", [
    ("TAKE NETWORK", "network", "Ben Ode"),
    ("take network.", "network", "Ben Ode"),
    ("Take Support", FIRST_TEAM, "Ben Ode"),
])
def test_an_engineer_in_two_teams_names_the_team(twilio, two, body, team, holder):
    assert text(twilio, BEN, body).startswith("You are on duty now until")
    taken = two.id if team == "network" else FIRST_TEAM
    other = FIRST_TEAM if team == "network" else two.id
    assert on_duty(taken) == holder
    assert on_duty(other) == ("Ann Lee" if other == FIRST_TEAM else "Cara Nye")


def test_take_naming_a_team_the_sender_is_not_in_changes_nothing(twilio, two):
    assert text(twilio, ANN, "TAKE NETWORK") == ("You are not in Network, so nothing was "
                                                 "changed (your teams: Support).")
    assert on_duty(two.id) == "Cara Nye"


@pytest.mark.parametrize("body, teams, parsed", [
    ("TAKE NETWORK", ["Support", "Network"], ("TAKE", "Network")),
    ("take  second   office!", ["Second Office"], ("TAKE", "Second Office")),
    ("TAKE CARE", ["Support", "Network"], None),  # not a team: not a command
    ("TAKE NETWORK", [], None),
    ("TAKE", ["Network"], ("TAKE", None)),
])
def test_take_is_followed_only_by_a_team_name(body, teams, parsed):
    command = commands.parse_text(body, teams)
    assert (None if command is None else (command.name, command.team)) == parsed


def test_who_answers_for_each_of_the_senders_teams_in_its_own_zone(twilio, two):
    assert text(twilio, BEN, "WHO") == (
        "Support: On duty now: Ann Lee until 18:00 Wed 9 Dec.\n"
        "Network: On duty now: Cara Nye until 13:00 Wed 9 Dec.")
    assert text(twilio, ANN, "WHO") == "On duty now: Ann Lee until 18:00 Wed 9 Dec."
    assert text(twilio, DEV, "WHO") == "On duty now: Cara Nye until 13:00 Wed 9 Dec."


def test_cover_lasts_until_the_sender_s_team_hands_over_or_asks_which_team(twilio, two):
    assert text(twilio, DEV, "COVER") == (
        "You are cover until 13:00 Wed 9 Dec: out-of-hours calls ring you after the duty "
        "engineer and the backup. COVER OFF ends it.")
    assert text(twilio, ANN, "COVER").startswith("You are cover until 18:00 Wed 9 Dec")
    asked = text(twilio, BEN, "COVER")
    assert asked == ("You are in Support and Network: reply COVER SUPPORT or COVER NETWORK; "
                     "nothing was changed.")
    assert text(twilio, BEN, "cover network").startswith("You are cover until 13:00 Wed 9 Dec")
    assert text(twilio, BEN, "COVER OFF").startswith("Cover off")
