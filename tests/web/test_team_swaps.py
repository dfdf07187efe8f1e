"""Swaps and the Now page's duty buttons act on the chosen team: Ben, in Support (London, the
top-level settings) and Network (New York), offers his Network day for Dev's, takes Network's
duty and covers in New York's hours; a request of a team the user may not see is not found
and nothing changes; the Now page lists the swaps asked of him in the chosen team."""

import re
from datetime import date, datetime, timezone

import pytest

from accounts.users import add_user
from dutyline.db import database
from outbox.models import OutboxMessage
from rota import periods
from rota.models import FIRST_TEAM, DutyPeriod, Engineer, Override, SwapRequest, Team
from rota.swap_requests import ask_swap
from rota.teams import add_team, join_team, leave_team
from tests.conftest import ADDED_AT

NOV_1 = datetime(2026, 11, 1, tzinfo=timezone.utc)
ASKED = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
# the clock: Tue 1 Dec 10:00 UTC, in London's office hours, 05:00 in New York's night


@pytest.fixture
def settings_data():
    return {"teams": {"Network": {"timezone": "America/New_York"}}}


@pytest.fixture
def teams(app, make_engineer, settings):
    """Support: Tobi tonight, Ben on Thu 3 Dec, Tobi on Fri 4 Dec. Network: Dev until
    tonight and tonight, Dev on Thu 3 Dec, Ben on Fri 4 Dec. Ben is in both."""
    ben, tobi, dev = (make_engineer(name) for name in ("Ben Smith", "Tobi Jones", "Dev Rao"))
    with database.connection_context():
        network = add_team("Network", ADDED_AT)
        join_team(network, ben)
        join_team(network, dev)
        leave_team(Team.get_by_id(FIRST_TEAM), dev)
        net = settings.for_team("Network")
        for day, support, other in ((1, tobi, dev), (3, ben, dev), (4, tobi, ben)):
            periods.assign_period(date(2026, 12, day), support, None, settings, now=NOV_1)
            periods.assign_period(date(2026, 12, day), other, None, net, now=NOV_1,
                                  team=network.id)
        periods.assign_period(date(2026, 11, 30), dev, None, net, now=NOV_1, team=network.id)
    return {"ben": ben, "tobi": tobi, "dev": dev, "network": network.id}


def user(browser, name, teams=()):
    email = f"{name.split()[0].lower()}@example.com"
    with database.connection_context():
        add_user(email, "engineer", name, now=ADDED_AT,
                 teams=[Team.get_by_id(team) for team in teams])
    return browser().sign_in(email)


def rota_of(team):
    with database.connection_context():
        names = {e.id: e.name.split()[0] for e in Engineer.select()}
        return {p.day.day: names[p.primary_id] for p in DutyPeriod.select()
                .where(DutyPeriod.team == team, DutyPeriod.day >= date(2026, 12, 1))}


def offered(page):
    """The days the Swaps form offers as the engineer's own."""
    give = re.search(r'<select id="f-give".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([0-9-]+)"[^>]*>([^<]+)</option>', give)


def test_the_swaps_page_offers_and_asks_in_the_chosen_team(teams, browser):
    ben = user(browser, "Ben Smith")
    network = teams["network"]
    page = ben.get(f"/swaps?team={network}").get_data(as_text=True)
    assert offered(page) == [("2026-12-04", "Fri 04 Dec 18:00 EST")]
    assert "Times in America/New_York" in page and "Tobi Jones" not in page
    asked = ben.post("/swaps", {"give": "2026-12-04", "take": "2026-12-03"}, token_from="/swaps")
    assert asked.status_code == 302
    with database.connection_context():
        made = SwapRequest.get()
        assert (made.team_id, made.colleague.name) == (network, "Dev Rao")
        assert OutboxMessage.select().where(
            OutboxMessage.recipient == teams["dev"].mobile).count() == 1
    # the first team chosen: Ben's day there, and no day of Network's to give
    page = ben.get(f"/swaps?team={FIRST_TEAM}").get_data(as_text=True)
    assert offered(page) == [("2026-12-03", "Thu 03 Dec 18:00 GMT")]
    refused = ben.post("/swaps", {"give": "2026-12-04", "take": "2026-12-01"},
                       token_from="/swaps")
    assert refused.status_code == 400
    with database.connection_context():
        assert SwapRequest.select().count() == 1
    # Dev accepts (his page on the first team): Network's days swap, Support's stay
    dev = user(browser, "Dev Rao")
    assert dev.post(f"/swaps/{made.id}/accept", token_from="/swaps").status_code == 302
    assert rota_of(network) == {1: "Dev", 3: "Ben", 4: "Dev"}
    assert rota_of(FIRST_TEAM) == {1: "Tobi", 3: "Ben", 4: "Tobi"}


def test_a_request_of_a_team_the_user_may_not_see_is_not_found(teams, browser, settings):
    with database.connection_context():
        made = ask_swap(teams["dev"], date(2026, 12, 3), date(2026, 12, 4),
                        settings.for_team("Network"), ASKED, team=teams["network"])
    ben = user(browser, "Ben Smith", teams=[FIRST_TEAM])  # sees Support only
    assert "Dev Rao" not in ben.get("/now").get_data(as_text=True)
    for answer in ("accept", "decline"):
        assert ben.post(f"/swaps/{made.id}/{answer}", token_from="/swaps").status_code == 404
    assert ben.post("/swaps/999/accept", token_from="/swaps").status_code == 404
    with database.connection_context():
        assert SwapRequest.get_by_id(made.id).status == "pending"
    assert rota_of(teams["network"]) == {1: "Dev", 3: "Dev", 4: "Ben"}


def test_the_now_page_lists_the_swaps_asked_in_the_chosen_team(teams, browser, settings):
    with database.connection_context():
        ask_swap(teams["tobi"], date(2026, 12, 4), date(2026, 12, 3), settings, ASKED)
        ask_swap(teams["dev"], date(2026, 12, 3), date(2026, 12, 4),
                 settings.for_team("Network"), ASKED, team=teams["network"])
    ben = user(browser, "Ben Smith")
    support = ben.get(f"/now?team={FIRST_TEAM}").get_data(as_text=True)
    network = ben.get(f"/now?team={teams['network']}").get_data(as_text=True)
    assert "Tobi Jones asks you to swap" in support and "Dev Rao asks" not in support
    assert "Dev Rao asks you to swap" in network and "Tobi Jones asks" not in network


def test_take_acts_on_the_chosen_teams_rota_in_its_hours(teams, browser):
    ben = user(browser, "Ben Smith")
    network = teams["network"]
    ben.get(f"/now?team={network}")
    taken = ben.post("/now/take", token_from="/now", follow_redirects=True)
    # 05:00 in New York, out of hours: Network's duty now, until its 18:00 handover
    assert ("You are on duty from 05:00 today until 18:00 today: the support line forwards "
            "to you; Dev Rao has been told.") in taken.get_data(as_text=True)
    with database.connection_context():
        assert [(o.team_id, o.engineer.name, o.ends_at) for o in Override.select()] == [
            (network, "Ben Smith", datetime(2026, 12, 1, 23, 0, tzinfo=timezone.utc))]
        assert OutboxMessage.select().where(
            OutboxMessage.recipient == teams["dev"].mobile).count() == 1
        assert OutboxMessage.select().where(
            OutboxMessage.recipient == teams["tobi"].mobile).count() == 0


@pytest.mark.parametrize("team, until", [
    # New York's night: from now to its handover, 18:00 there
    ("network", datetime(2026, 12, 1, 23, 0, tzinfo=timezone.utc)),
    # London's office hours: the coming night, until the office opens on Wednesday
    (FIRST_TEAM, datetime(2026, 12, 2, 8, 0, tzinfo=timezone.utc)),
])
def test_cover_is_asked_in_the_chosen_teams_hours(teams, browser, team, until):
    ben = user(browser, "Ben Smith")
    ben.get(f"/now?team={teams.get(team, team)}")
    assert ben.post("/now/cover", {"on": "1"}, token_from="/now").status_code == 302
    with database.connection_context():
        assert Engineer.get_by_id(teams["ben"].id).cover_until == until
