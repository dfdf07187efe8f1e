"""A form acts on the team its page showed: Mia, a manager who is also the engineer Ben, opens
a page of Network (New York) in one tab and chooses Support (London, the top-level settings)
in another; the form sent from the first tab still lands on Network. With one team the forms
carry no team, as before."""

import re
from datetime import date, datetime, timezone
from html import unescape

import pytest

from accounts.models import WallboardLink
from accounts.users import add_user
from calendars.models import FeedToken
from dutyline.db import database
from rota import absences, overrides, periods
from rota.models import FIRST_TEAM, DutyPeriod, Engineer, Override, Team
from rota.teams import add_team, join_team, leave_team, teams_of
from tests.conftest import ADDED_AT

UTC = timezone.utc
NOV_1 = datetime(2026, 11, 1, tzinfo=UTC)
# the clock: Tue 1 Dec 10:00 UTC, in London's office hours, 05:00 in New York's night

# the page, and the paths of the forms on it that act on the team's data
FORMS = {
    "/rota?month=2026-12&day=2026-12-03": [
        "/rota/generate", "/rota/assign", "/rota/swap", "/rota/override", "/rota/absence",
        "/rota/override/{override}/remove", "/rota/absence/{absence}/remove"],
    "/engineers": ["/engineers"],
    "/calendars": ["/subscribe/new"],
    "/wallboard": ["/wallboard"],
    "/swaps": ["/swaps"],
    "/now": ["/now/take", "/now/cover"],
}


@pytest.fixture
def settings_data():
    return {"teams": {"Network": {"timezone": "America/New_York"}}}


@pytest.fixture
def made(app, make_engineer, settings):
    """Support: Tobi tonight, Ben on Thu 3 Dec. Network: Dev until tonight, tonight and on
    Thu 3 Dec, Ben on Fri 4 Dec, an override and an absence of Dev's. Ben is in both; Mia is
    the manager Ben."""
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
        override = overrides.add_override("Dev Rao", datetime(2026, 12, 5, 20, tzinfo=UTC),
                                          datetime(2026, 12, 5, 22, tzinfo=UTC), net, NOV_1,
                                          team=network.id)
        absence = absences.add_absence("Dev Rao", date(2026, 12, 14), date(2026, 12, 15), net,
                                       NOV_1)
        add_user("mia@example.com", "manager", "Ben Smith", now=ADDED_AT)
    return {"network": network.id, "override": override.id, "absence": absence.id}


def actions(page):
    """The paths and queries of the page's forms that post."""
    return [unescape(found) for found in
            re.findall(r'<form[^>]*method="post"[^>]*action="([^"]+)"', page)]


def acting(page, path):
    """The action of the page's form that posts to `path`."""
    return next(action for action in actions(page) if action.partition("?")[0] == path)


def from_network_tab(mia, network, page, path, data=None):
    """Mia opens Network's `page`, chooses Support in another tab, then sends the form that
    posts to `path` from the first."""
    shown = mia.get(f"{page}{'&' if '?' in page else '?'}team={network}")
    action = acting(shown.get_data(as_text=True), path)
    mia.get(f"/account?team={FIRST_TEAM}")
    return mia.post(action, data, follow_redirects=True)


@pytest.mark.parametrize("page", FORMS)
def test_every_form_acting_on_a_team_carries_the_team_its_page_showed(made, browser, page):
    mia = browser().sign_in("mia@example.com")
    shown = mia.get(f"{page}{'&' if '?' in page else '?'}team={made['network']}")
    found = actions(shown.get_data(as_text=True))
    for path in FORMS[page]:
        assert f"{path.format(**made)}?team={made['network']}" in found, path


@pytest.mark.parametrize("page", FORMS)
def test_with_one_team_the_forms_carry_no_team(app, make_engineer, make_user, browser, page):
    make_engineer("Ben Smith")
    make_user("mia@example.com", "manager", "Ben Smith")
    mia = browser().sign_in("mia@example.com")
    found = actions(mia.get(page).get_data(as_text=True))
    assert found and not [action for action in found if "team=" in action]


def test_generate_fills_the_rota_of_the_team_shown(made, browser):
    mia = browser().sign_in("mia@example.com")
    answer = from_network_tab(mia, made["network"], "/rota?month=2027-01", "/rota/generate",
                              {"month": "2027-01"})
    assert answer.status_code == 200
    with database.connection_context():
        filled = {team: DutyPeriod.select().where(DutyPeriod.team == team,
                                                  DutyPeriod.day >= date(2027, 1, 1)).count()
                  for team in (FIRST_TEAM, made["network"])}
    assert filled[FIRST_TEAM] == 0 and filled[made["network"]] == 31


def test_an_engineer_added_joins_the_team_shown(made, browser):
    mia = browser().sign_in("mia@example.com")
    from_network_tab(mia, made["network"], "/engineers", "/engineers",
                     {"name": "Ola Berg", "mobile": "+447911123499"})
    with database.connection_context():
        ola = Engineer.get(Engineer.name == "Ola Berg")
        assert [team.name for team in teams_of(ola)] == ["Network"]


def test_links_made_read_the_team_shown(made, browser):
    mia = browser().sign_in("mia@example.com")
    from_network_tab(mia, made["network"], "/wallboard", "/wallboard", {"label": "Hall TV"})
    from_network_tab(mia, made["network"], "/calendars", "/subscribe/new",
                     {"kind": "manager", "label": "Desk"})
    with database.connection_context():
        assert [link.team_id for link in WallboardLink.select()] == [made["network"]]
        assert [token.team_id for token in FeedToken.select()] == [made["network"]]


def test_take_takes_the_duty_of_the_team_shown(made, browser):
    mia = browser().sign_in("mia@example.com")
    from_network_tab(mia, made["network"], "/now", "/now/take")
    with database.connection_context():
        taken = Override.select().where(Override.engineer == Engineer.get(
            Engineer.name == "Ben Smith").id)
        # 05:00 in New York, out of hours: Network's duty now, until its 18:00 handover
        assert [(o.team_id, o.ends_at) for o in taken] == [
            (made["network"], datetime(2026, 12, 1, 23, 0, tzinfo=UTC))]
