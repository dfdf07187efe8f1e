"""With several teams a wallboard link shows one team's board: its callers waiting, its
engineers, its figures and call-backs, in its own zone; a link made on the Wallboard page is
for the team chosen there. With one team a link shows every call, as before."""

import re
from datetime import datetime, timedelta, timezone

import pytest

from accounts.models import WallboardLink
from dutyline.db import database
from rota.models import Team
from rota.teams import add_team, join_team, leave_team
from telephony.models import Call
from tests.conftest import ADDED_AT
from tests.web.test_wallboard import make_board_link

TEN = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)  # the test clock


@pytest.fixture
def settings_data():
    return {"teams": {"Network": {"timezone": "America/New_York"}}}


def _ringing(n, team, minutes=1):
    started = TEN - timedelta(minutes=minutes)
    Call.create(sid=f"CA{n:032d}", from_number=f"+44740000000{n}", started_at=started,
                mode="in_hours", status="ringing", team=team)


def _missed(n, team):
    started = TEN - timedelta(minutes=30 + n)
    Call.create(sid=f"CA{n:032d}", from_number=f"+44740000000{n}", started_at=started,
                mode="in_hours", status="voicemail", voicemail_at=started,
                ended_at=started + timedelta(minutes=1), team=team)


@pytest.fixture
def network(app, make_engineer):
    """Support: Ben signed in, one caller waiting. Network: Tobi signed in, two callers
    waiting and one call that reached nobody."""
    make_engineer("Ben Smith")
    tobi = make_engineer("Tobi Jones")
    with database.connection_context():
        team = add_team("Network", ADDED_AT)
        join_team(team, tobi)
        leave_team(Team.get_by_id(1), tobi)
        _ringing(1, 1)
        _ringing(2, team.id, 2)
        _ringing(3, team.id, 3)
        _missed(4, team.id)
    return team


def _board(app, secret):
    page = app.test_client().get(f"/wallboard/{secret}/live").get_data(as_text=True)
    return {"team": re.search(r"<h1>(.*?) line</h1>", page).group(1),
            "waiting": re.search(r'id="waiting-count">(\d+)<', page).group(1),
            "call-backs": re.search(r'id="callbacks-count">(\d+)<', page).group(1),
            "signed in": re.findall(r"Ben Smith|Tobi Jones", page.split('id="w-in"', 1)[1]),
            "zone": re.search(r'class="zone">([^<]+)<', page).group(1)}


def test_each_teams_link_shows_its_own_board(app, manager, network):
    support = make_board_link(manager, "Front desk")
    manager.get(f"/wallboard?team={network.id}")
    theirs = make_board_link(manager, "Network TV")
    assert _board(app, support) == {"team": "Support", "waiting": "1", "call-backs": "0",
                                    "signed in": ["Ben Smith"], "zone": "Europe/London"}
    assert _board(app, theirs) == {"team": "Network", "waiting": "2", "call-backs": "1",
                                   "signed in": ["Tobi Jones"], "zone": "America/New_York"}
    listing = manager.get("/wallboard").get_data(as_text=True)
    assert "<h1>Wallboard: Network</h1>" in listing
    assert "Network TV" in listing and "Front desk" not in listing
    with database.connection_context():
        assert {link.label: link.team_id for link in WallboardLink.select()} == {
            "Front desk": 1, "Network TV": network.id}


def test_with_one_team_a_link_shows_every_call(app, manager, make_engineer):
    make_engineer("Ben Smith")
    with database.connection_context():
        _ringing(1, None)  # logged before there were teams
        _ringing(2, 1)
    board = _board(app, make_board_link(manager))
    assert (board["waiting"], board["signed in"]) == ("2", ["Ben Smith"])
    assert "Wallboard:" not in manager.get("/wallboard").get_data(as_text=True)
