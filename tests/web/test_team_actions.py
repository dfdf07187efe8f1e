"""Changes by id check the manager's teams: a manager limited to a team who removes another
team's override or an absence of an engineer in none of their teams, revokes another team's
feed or wallboard link gets 404, and nothing changes; their own team's go through."""

from datetime import date, datetime, timezone

import pytest

from accounts.models import WallboardLink
from accounts.users import add_user
from accounts.wallboard_links import make_link
from calendars import tokens
from calendars.models import FeedToken
from dutyline.db import database
from rota import absences, overrides
from rota.models import Absence, Override, Team
from rota.teams import add_team, join_team, leave_team
from tests.conftest import ADDED_AT

UTC = timezone.utc


@pytest.fixture
def made(app, settings, make_engineer, clock):
    """Support: Ben with an override and an absence, a feed link and a wallboard link. Network
    (Tobi only) the same."""
    make_engineer("Ben Smith")
    tobi = make_engineer("Tobi Jones")
    now = clock()
    with database.connection_context():
        network = add_team("Network", ADDED_AT)
        join_team(network, tobi)
        leave_team(Team.get_by_id(1), tobi)
        things = {}
        for name, team in (("Ben Smith", 1), ("Tobi Jones", network.id)):
            things[team] = {
                "override": overrides.add_override(
                    name, datetime(2026, 12, 5, 20, tzinfo=UTC),
                    datetime(2026, 12, 5, 22, tzinfo=UTC), settings, now, team=team).id,
                "absence": absences.add_absence(name, date(2026, 12, 14), date(2026, 12, 15),
                                                settings, now).id,
                "feed": tokens.issue_token(now, label=f"desk {team}",
                                           team=Team.get_by_id(team))[:tokens.PREFIX_LENGTH],
                "board": make_link(f"TV {team}", "mia@example.com", now,
                                   Team.get_by_id(team) if team != 1 else None)[0].id}
        add_user("nia@example.com", "manager", now=ADDED_AT, teams=[network])
    return things, network.id


def paths(things):
    return [f"/rota/override/{things['override']}/remove",
            f"/rota/absence/{things['absence']}/remove",
            f"/subscribe/revoke/{things['feed']}",
            f"/wallboard/revoke/{things['board']}"]


def state():
    with database.connection_context():
        return (sorted(o.id for o in Override.select()), sorted(a.id for a in Absence.select()),
                sorted(t.prefix for t in FeedToken.select().where(FeedToken.revoked_at.is_null())),
                sorted(w.id for w in WallboardLink.select().where(
                    WallboardLink.revoked_at.is_null())))


def test_a_manager_limited_to_a_team_changes_nothing_of_another(made, browser):
    things, network = made
    nia = browser().sign_in("nia@example.com")
    before = state()
    for path in paths(things[1]):
        assert nia.post(path, token_from="/rota").status_code == 404, path
    assert state() == before
    for path in paths(things[network]):
        assert nia.post(path, token_from="/rota").status_code == 302, path
    assert state() == tuple([thing for thing in part if thing not in things[network].values()]
                            for part in before)


def test_a_manager_of_every_team_changes_any_teams(made, manager):
    things, network = made
    for team in (1, network):
        for path in paths(things[team]):
            assert manager.post(path, token_from="/rota").status_code == 302, path
    assert state() == ([], [], [], [])


def test_a_manager_limited_to_a_team_has_no_users_or_audit_pages(made, browser, manager):
    from accounts.models import User

    nia = browser().sign_in("nia@example.com")
    before = sorted(u.email for u in User.select())
    assert nia.get("/users").status_code == 403
    assert nia.get("/audit").status_code == 403
    # no user who would see every team, with a sign-in link on the page, and nobody removed
    assert nia.post("/users", {"email": "nia2@example.com", "role": "manager"},
                    token_from="/rota").status_code == 403
    mia = User.get(User.email == "mia@example.com")
    assert nia.post(f"/users/{mia.id}/remove", token_from="/rota").status_code == 403
    assert sorted(u.email for u in User.select()) == before
    assert "Users</a>" not in nia.get("/rota").get_data(as_text=True)
    assert manager.get("/users").status_code == 200  # a manager of every team, as before
    assert "Users</a>" in manager.get("/rota").get_data(as_text=True)


def test_a_limited_manager_adds_no_absence_to_another_team_s_engineer(made, browser):
    things, network = made
    nia = browser().sign_in("nia@example.com")
    before = state()
    refused = nia.post(f"/rota/absence?team={network}",
                       {"engineer": "Ben Smith", "starts": "2026-12-21", "ends": "2026-12-22",
                        "reason": "dentist"}, token_from="/rota")
    assert refused.status_code == 404
    assert state() == before
    # and the network's rota shows only its own engineers' absences
    page = nia.get(f"/rota?team={network}&month=2026-12").get_data(as_text=True)
    assert "Tobi Jones" in page and "Ben Smith away" not in page


def test_an_engineer_takes_or_covers_only_a_team_they_are_in(made, app, browser, clock):
    from accounts.users import add_user
    from rota.models import Override

    things, network = made
    with database.connection_context():
        add_user("ben@example.com", "engineer", "Ben Smith", now=ADDED_AT)
    ben = browser().sign_in("ben@example.com")
    overrides_before = sorted(o.id for o in Override.select())
    for path in ("/now/take", "/now/cover"):
        answer = ben.post(f"{path}?team={network}", {"on": "1"}, token_from="/now",
                          follow_redirects=True)
        assert "You are not in team Network" in answer.get_data(as_text=True)
    assert sorted(o.id for o in Override.select()) == overrides_before
    from rota.models import Engineer

    assert Engineer.get(Engineer.name == "Ben Smith").cover_until is None
