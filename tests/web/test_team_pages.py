"""With several teams each page shows the chosen team's rota, engineers, calls, figures and
feed links; a manager limited to a team sees only its; with one team no switcher shows."""

import csv
import io
from datetime import date, datetime, timezone

import pytest

from calendars.models import FeedToken
from dutyline.db import database
from rota import periods
from rota.models import Team
from rota.teams import add_team, join_team, leave_team
from telephony.models import Call
from tests.conftest import ADDED_AT

DECEMBER_3 = date(2026, 12, 3)
SUPPORT_CALLER = "+447400000001"
NETWORK_CALLER = "+447400000002"


def _call(caller, team_id, n):
    at = datetime(2026, 12, 1, 9, n, tzinfo=timezone.utc)
    Call.create(sid=f"CA{n:032d}", from_number=caller, started_at=at, mode="in_hours",
                status="answered", answered_at=at, connected_at=at, ended_at=at, team=team_id)


@pytest.fixture
def network(app, settings, make_engineer):
    """Support: Ben on duty on 3 December, one call. Network: Tobi on duty that day, one
    call. Each engineer in their own team only."""
    ben, tobi = make_engineer("Ben Smith"), make_engineer("Tobi Jones")
    with database.connection_context():
        team = add_team("Network", ADDED_AT)
        join_team(team, tobi)
        leave_team(Team.get_by_id(1), tobi)
        periods.assign_period(DECEMBER_3, ben, None, settings, now=ADDED_AT)
        periods.assign_period(DECEMBER_3, tobi, None, settings, now=ADDED_AT, team=team.id)
        _call(SUPPORT_CALLER, 1, 1)
        _call(NETWORK_CALLER, team.id, 2)
    return team


def _offered(browser, team=None):
    path = "/reports.csv?by=day&from=2026-12-01&to=2026-12-01"
    rows = list(csv.DictReader(io.StringIO(browser.get(path + (f"&team={team}" if team else ""))
                                           .get_data(as_text=True))))
    return int(rows[0]["offered"])


def test_one_team_shows_no_switcher(manager, make_engineer):
    make_engineer("Ben Smith")
    for path in ("/now", "/calls", "/reports", "/rota", "/calendars"):
        page = manager.get(path).get_data(as_text=True)
        assert 'id="team-switch"' not in page, path
    assert manager.get("/calls?team=2").status_code == 200  # no teams to choose: as before


def test_each_team_sees_only_its_own(manager, network):
    now = manager.get("/now").get_data(as_text=True)
    assert 'id="team-switch"' in now and '<option value="1" selected>Support' in now
    assert "Ben Smith" in now and "Tobi Jones" not in now
    calls = manager.get("/calls").get_data(as_text=True)
    assert SUPPORT_CALLER in calls and NETWORK_CALLER not in calls
    assert _offered(manager) == 1
    theirs = manager.get(f"/now?team={network.id}").get_data(as_text=True)
    assert "<h1>Now: Network</h1>" in theirs
    assert "Tobi Jones" in theirs and "Ben Smith" not in theirs
    # the choice is kept for the next pages
    calls = manager.get("/calls").get_data(as_text=True)
    assert NETWORK_CALLER in calls and SUPPORT_CALLER not in calls
    assert _offered(manager) == 1
    rota = manager.get("/rota?month=2026-12").get_data(as_text=True)
    assert '<span class="primary">Tobi Jones</span>' in rota
    assert "Ben Smith" not in rota


def test_a_link_made_on_the_calendars_page_reads_the_chosen_team(app, manager, network):
    manager.get(f"/calendars?team={network.id}")
    made = manager.post("/subscribe/new", {"kind": "manager", "label": "Night desk"},
                        token_from="/calendars").get_data(as_text=True)
    url = made.split('class="feed-link" readonly value="', 1)[1].split('"', 1)[0]
    feed = app.test_client().get("/" + url.split("://", 1)[1].split("/", 1)[1])
    body = feed.get_data(as_text=True)
    assert "X-WR-CALNAME:Network: duty rota" in body
    assert "Tobi Jones" in body and "Ben Smith" not in body
    with database.connection_context():
        assert FeedToken.get(FeedToken.label == "Night desk").team_id == network.id


def test_a_manager_limited_to_a_team_sees_only_it(app, network, browser):
    from accounts.users import add_user

    with database.connection_context():
        add_user("nia@example.com", "manager", now=ADDED_AT, teams=[network])
    nia = browser().sign_in("nia@example.com")
    now = nia.get("/now").get_data(as_text=True)
    assert 'id="team-switch"' not in now  # one team to see: nothing to choose
    assert "Tobi Jones" in now and "Ben Smith" not in now
    assert _offered(nia) == 1
    refused = nia.get("/calls?team=1")
    assert refused.status_code == 404
    calls = nia.get("/calls").get_data(as_text=True)
    assert NETWORK_CALLER in calls and SUPPORT_CALLER not in calls


def test_an_unknown_team_is_refused_and_changes_nothing(manager, network):
    assert manager.get("/calls?team=99").status_code == 404
    assert manager.get("/calls?team=x").status_code == 404
    calls = manager.get("/calls").get_data(as_text=True)
    assert SUPPORT_CALLER in calls and NETWORK_CALLER not in calls
