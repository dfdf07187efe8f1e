"""On-call pay per team: `dutyline rota pay --team NAME` and the web pay page count the team's
own duty periods, overrides and out-of-hours calls, in its own settings; without a team the
first team's, as before there were teams."""

import json
from datetime import datetime, timezone
from html import unescape

import pytest

from accounts.users import add_user
from dutyline.db import database
from rota.models import Team
from telephony.models import Call
from tests.conftest import ADDED_AT
from tests.web.test_pay_page import lines_shown

UTC = timezone.utc


@pytest.fixture
def settings_data():
    return {"teams": {"Network": {"timezone": "America/New_York", "handover": "13:00"}}}


def _answered(n, name, at, team):
    from rota.engineers import find_engineer

    Call.create(sid=f"CA{n:032d}", from_number="+447400123456", started_at=at,
                mode="out_of_hours", status="answered", answered_by=find_engineer(name),
                answered_at=at, ended_at=at, team=team)


@pytest.fixture
def two(cli, db):
    """Support: Ann, on duty on 8 December, who answers a call that night. Network (New
    York, handover 13:00): Cara on the 8th, Ann (in both teams) on the 9th with an override
    of Dev's, and a call Cara answers."""
    assert cli("team", "add", "Network").exit_code == 0
    for name, mobile, team in (("Ann Lee", "07911000001", None),
                               ("Cara Nye", "07911000003", "Network"),
                               ("Dev Rao", "07911000004", "Network")):
        args = ["engineer", "add", name, "--mobile", mobile] + (["--team", team] if team else [])
        assert cli(*args).exit_code == 0
    assert cli("team", "join", "Network", "Ann Lee").exit_code == 0
    for args in (["2026-12-08", "Ann Lee"], ["2026-12-08", "Cara Nye", "--team", "Network"],
                 ["2026-12-09", "Ann Lee", "--team", "Network"]):
        result = cli("rota", "assign", *args)
        assert result.exit_code == 0, result.output
    result = cli("rota", "override", "Dev Rao", "--from", "2026-12-09T20:00", "--to",
                 "2026-12-09T22:00", "--team", "Network")
    assert result.exit_code == 0, result.output
    _answered(1, "Ann Lee", datetime(2026, 12, 8, 23, tzinfo=UTC), 1)
    _answered(2, "Cara Nye", datetime(2026, 12, 9, 2, tzinfo=UTC), 2)


def _pay(cli, *args):
    result = cli("rota", "pay", "2026-12", "--json", *args)
    assert result.exit_code == 0, result.output
    return {row["engineer"]: (row["hours_on_duty"], row["calls_out_of_hours"], row["timezone"])
            for row in json.loads(result.output)}


def test_each_team_pays_its_own_duty_and_calls(cli, two):
    # out of hours only: from the handover or 18:00 to 08:00 the next morning
    assert _pay(cli) == {"Ann Lee": (14.0, 1, "Europe/London")}
    assert _pay(cli, "--team", "Support") == _pay(cli)
    assert _pay(cli, "--team", "network") == {
        "Ann Lee": (12.0, 0, "America/New_York"),  # the 9th's 14 hours less Dev's two
        "Cara Nye": (14.0, 1, "America/New_York"), "Dev Rao": (2.0, 0, "America/New_York")}
    table = cli("rota", "pay", "2026-12", "--team", "Network").output
    assert table.startswith("2026-12, Network: duty from Tue 01 Dec 13:00 to Fri 01 Jan 2027 "
                            "13:00 (America/New_York)")


def test_an_unknown_team_is_one_line(cli, two):
    result = cli("rota", "pay", "2026-12", "--team", "Accounts")
    assert result.exit_code == 1
    assert result.output == "Error: no team named 'Accounts' (teams: Support, Network)\n"


def test_the_pay_page_shows_the_chosen_teams(cli, two, manager, browser):
    support = unescape(manager.get("/rota/pay?month=2026-12").get_data(as_text=True))
    assert [line[:2] for line in lines_shown(support)] == [["Ann Lee", "14:00"]]
    network = unescape(manager.get("/rota/pay?month=2026-12&team=2").get_data(as_text=True))
    assert "On-call pay: 2026-12, Network" in network
    assert [line[:2] for line in lines_shown(network)] == [
        ["Ann Lee", "12:00"], ["Cara Nye", "14:00"], ["Dev Rao", "2:00"]]
    csv_lines = manager.get("/rota/pay.csv?month=2026-12").get_data(as_text=True).splitlines()
    assert [line.split(",")[1] for line in csv_lines[1:]] == ["Ann Lee", "Cara Nye", "Dev Rao"]
    with database.connection_context():
        add_user("nia@example.com", "manager", now=ADDED_AT, teams=[Team.get_by_id(2)])
    nia = browser().sign_in("nia@example.com")
    assert nia.get("/rota/pay?month=2026-12&team=1").status_code == 404
    theirs = unescape(nia.get("/rota/pay?month=2026-12").get_data(as_text=True))
    assert [line[0] for line in lines_shown(theirs)] == ["Ann Lee", "Cara Nye", "Dev Rao"]
