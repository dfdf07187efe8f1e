"""`--team NAME` on `tickets list`, `calls list` and `calls missed`: only that team's (a
ticket is its call's team's, a call with no team the first team's), in its zone; without it
every team's, as before; a name that is no team's is one line."""

import json
import re
from datetime import timedelta

import pytest
from click.testing import CliRunner

from console.main import main
from dutyline.db import database
from rota.teams import add_team
from telephony.models import Call, CallStatus
from tests.conftest import ADDED_AT, app_info
from voicemail import missed

NUMBERS = {"none": "+447400000001", "support": "+447400000002", "network": "+447400000003"}


@pytest.fixture
def settings_data():
    return {"teams": {"Network": {"timezone": "America/New_York"}}}


@pytest.fixture
def cli(app):
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args), obj=app_info(app))


@pytest.fixture
def calls(app, clock, settings):
    """Three calls that reached nobody, 09:30, 09:40 and 09:50 in London (04:50 in New York):
    one logged before there were teams (#1001), Support's (#1002), Network's (#1003)."""
    with database.connection_context():
        network = add_team("Network", ADDED_AT)
        for n, team in enumerate((None, 1, network.id)):
            started = clock.now - timedelta(minutes=30 - 10 * n)
            Call.create(sid=f"CA{n:032d}", from_number=list(NUMBERS.values())[n],
                        status=CallStatus.MISSED, started_at=started, mode="in_hours",
                        ended_at=started + timedelta(minutes=1), team=team)
        assert missed.queue_missed_calls(settings, clock.now) == 3


def tickets_in(text):
    return re.findall(r"#(\d{4})", text)


@pytest.mark.parametrize("args, tickets", [
    ((), ["1003", "1002", "1001"]),
    (("--team", "Support"), ["1002", "1001"]),
    (("--team", "network"), ["1003"]),
])
def test_tickets_list_shows_the_teams_tickets(cli, calls, args, tickets):
    result = cli("tickets", "list", *args)
    assert result.exit_code == 0 and tickets_in(result.output) == tickets
    as_json = json.loads(cli("tickets", "list", "--json", *args).output)
    assert [str(row["number"]) for row in as_json] == tickets


def test_each_list_shows_the_teams_times_in_its_zone(cli, calls):
    assert "Tue 01 Dec 04:50" in cli("tickets", "list", "--team", "Network").output
    assert "Tue 01 Dec 09:50" in cli("tickets", "list").output
    assert "2026-12-01 04:50:00" in cli("calls", "list", "--team", "Network").output
    assert "2026-12-01 09:50:00" in cli("calls", "list").output
    assert "2026-12-01 04:50" in cli("calls", "missed", "--team", "Network").output
    assert "2026-12-01 09:50" in cli("calls", "missed").output


@pytest.mark.parametrize("args, callers", [
    ((), ["network", "support", "none"]),
    (("--team", "Support"), ["support", "none"]),
    (("--team", "Network"), ["network"]),
    (("--team", "Network", "--missed", "--from", "2026-12-01", "--to", "2026-12-01"),
     ["network"]),
])
def test_calls_list_shows_the_teams_calls(cli, calls, args, callers):
    result = cli("calls", "list", *args)
    assert result.exit_code == 0
    shown = [name for line in result.output.splitlines() for name, number in NUMBERS.items()
             if number in line]
    assert shown == callers


@pytest.mark.parametrize("args, tickets", [
    ((), ["1001", "1002", "1003"]),
    (("--team", "Support"), ["1001", "1002"]),
    (("--team", "Network"), ["1003"]),
])
def test_calls_missed_shows_the_teams_call_backs(cli, calls, args, tickets):
    result = cli("calls", "missed", *args)
    assert result.exit_code == 0 and tickets_in(result.output) == tickets
    as_json = json.loads(cli("calls", "missed", "--json", *args).output)
    assert [str(row["ticket"]) for row in as_json] == tickets


@pytest.mark.parametrize("command", [("tickets", "list"), ("calls", "list"),
                                     ("calls", "missed")])
def test_a_team_that_does_not_exist_is_one_line(cli, calls, command):
    result = cli(*command, "--team", "Accounts")
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [
        "Error: no team named 'Accounts' (teams: Support, Network)"]


def test_a_ticket_and_a_call_are_shown_in_their_team_s_zone(cli, calls):
    network_ticket = cli("tickets", "show", "1003").output
    support_ticket = cli("tickets", "show", "1002").output
    assert "04:50 EST" in network_ticket and "09:50 GMT" not in network_ticket
    assert "09:40 GMT" in support_ticket
    network_call = cli("calls", "show", "1003").output
    assert re.search(r"arrived\s+2026-12-01 04:50:00", network_call), network_call
    assert re.search(r"arrived\s+2026-12-01 09:40:00", cli("calls", "show", "1002").output)
