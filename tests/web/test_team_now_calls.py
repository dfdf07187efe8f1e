"""The Now page's calls waiting or ringing are the chosen team's, in its zone: a call logged
before there were teams (no team) is the first team's, Support's; Network's are in New York's
time."""

import re
from datetime import datetime, timezone

import pytest

from dutyline.db import database
from rota.teams import add_team
from telephony.models import Call
from tests.conftest import ADDED_AT


@pytest.fixture
def settings_data():
    return {"teams": {"Network": {"timezone": "America/New_York"}}}


def ringing(n, team, minute):
    Call.create(sid=f"CA{n:032d}", from_number=f"+44740000000{n}", mode="in_hours",
                started_at=datetime(2026, 12, 1, 9, minute, tzinfo=timezone.utc),
                status="ringing", team=team)


def waiting_since(page):
    """The times in the Now page's table of calls waiting or ringing."""
    table = re.search(r'<table aria-labelledby="h-ringing">.*?</table>', page, re.S)
    return re.findall(r"<td>(\d\d:\d\d:\d\d [A-Z]+)</td>", table.group(0)) if table else []


def test_each_team_sees_its_own_calls_ringing_and_the_first_those_with_no_team(app, manager):
    with database.connection_context():
        network = add_team("Network", ADDED_AT)
        ringing(1, None, 57)  # logged before there were teams
        ringing(2, 1, 58)
        ringing(3, network.id, 59)
    assert waiting_since(manager.get("/now?team=1").get_data(as_text=True)) == [
        "09:57:00 GMT", "09:58:00 GMT"]
    assert waiting_since(manager.get(f"/now?team={network.id}").get_data(as_text=True)) == [
        "04:59:00 EST"]
