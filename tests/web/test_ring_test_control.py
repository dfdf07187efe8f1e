"""The handover's ring test on the web: an engineer turns their own off on their account page
only where the managers allow it (ring_test_opt_out); a manager sets anyone's on the
Engineers page."""

import pytest

from accounts.models import AuditEntry
from dutyline.db import database
from dutyline.settings import parse_settings
from rota.models import Engineer, Team
from rota.teams import add_team, join_team
from tests.conftest import ADDED_AT
from webhooks.runtime import runtime


@pytest.fixture
def allow(app, settings_data):
    """allow(True | False): the setting ring_test_opt_out from now on."""

    def set_to(value):
        with app.app_context():
            runtime().settings = parse_settings({**settings_data, "ring_test_opt_out": value})

    return set_to


def rung(name):
    with database.connection_context():
        return Engineer.get(Engineer.name == name).ring_test


def audited():
    with database.connection_context():
        return [e.detail for e in AuditEntry.select().where(AuditEntry.action == "ring test")]


def page(browser, path):
    return browser.get(path).get_data(as_text=True)


def test_an_engineer_turns_their_own_ring_test_off_where_allowed(engineer, ben, allow):
    allow(True)
    assert "Turn my ring test off" in page(engineer, "/account")
    sent = {"ring_test": "0", "back": "/account"}
    response = engineer.post(f"/engineers/{ben.id}/ring-test", sent)
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert rung("Ben Smith") is False
    shown = page(engineer, "/account")
    assert "Ben Smith: ring test off" in shown
    assert "Your phone is not rung at your handovers." in shown
    assert "Turn my ring test on" in shown
    assert engineer.post(f"/engineers/{ben.id}/ring-test", sent).status_code == 302  # twice
    assert "already done: Ben Smith&#39;s ring test is off" in page(engineer, "/account")
    assert audited() == ["Ben Smith: ring test off"]
    assert engineer.post(f"/engineers/{ben.id}/ring-test",
                         {"ring_test": "1", "back": "/account"}).status_code == 302
    assert rung("Ben Smith") is True


def test_an_engineer_cannot_turn_it_off_where_the_managers_do_not_allow_it(engineer, ben,
                                                                          allow):
    allow(False)
    shown = page(engineer, "/account")
    assert "Only the managers can let engineers turn it off." in shown
    assert "Turn my ring test off" not in shown
    assert 'action="/engineers/%d/ring-test"' % ben.id not in page(engineer, "/engineers")
    assert engineer.post(f"/engineers/{ben.id}/ring-test", {"ring_test": "0"}).status_code == 403
    assert rung("Ben Smith") is True and audited() == []


def test_an_engineer_changes_only_their_own(engineer, make_engineer, allow):
    tobi = make_engineer("Tobi Jones")
    allow(True)
    assert engineer.post(f"/engineers/{tobi.id}/ring-test",
                         {"ring_test": "0"}).status_code == 403
    assert rung("Tobi Jones") is True


def test_a_manager_sets_anyones_ring_test_on_the_engineers_page(manager, ben, make_engineer,
                                                                allow):
    tobi = make_engineer("Tobi Jones")
    allow(True)
    shown = page(manager, "/engineers")
    assert "Turn off the ring test of Ben Smith" in shown
    assert "Turn off the ring test of Tobi Jones" in shown
    assert manager.post(f"/engineers/{tobi.id}/ring-test", {"ring_test": "0"},
                        token_from="/engineers").status_code == 302
    shown = page(manager, "/engineers")
    assert "Tobi Jones: ring test off" in shown and "Turn on the ring test of Tobi Jones" in shown
    assert (rung("Tobi Jones"), rung("Ben Smith")) == (False, True)
    # the managers withdraw the choice: nobody's turned off, Tobi's can be turned on again
    allow(False)
    shown = page(manager, "/engineers")
    assert "Turn off the ring test of Ben Smith" not in shown
    assert "Turn on the ring test of Tobi Jones" in shown
    refused = manager.post(f"/engineers/{ben.id}/ring-test", {"ring_test": "0"})
    assert refused.status_code == 400
    assert "only where the managers allow it" in refused.get_data(as_text=True)
    assert rung("Ben Smith") is True
    assert manager.post(f"/engineers/{tobi.id}/ring-test", {"ring_test": "1"}).status_code == 302
    assert rung("Tobi Jones") is True
    assert audited() == ["Tobi Jones: ring test off", "Tobi Jones: ring test on"]


@pytest.mark.parametrize("sent", [{}, {"ring_test": "maybe"}, {"ring_test": ""}])
def test_a_form_that_says_neither_on_nor_off_changes_nothing(manager, ben, allow, sent):
    allow(True)
    response = manager.post(f"/engineers/{ben.id}/ring-test", sent)
    assert response.status_code == 400
    assert "ring test: say on (1) or off (0)" in response.get_data(as_text=True)
    assert rung("Ben Smith") is True and audited() == []


def test_a_form_without_its_token_is_refused(engineer, ben, allow):
    allow(True)
    response = engineer.client.post(f"/engineers/{ben.id}/ring-test", data={"ring_test": "0"})
    assert response.status_code == 400
    assert rung("Ben Smith") is True


@pytest.mark.parametrize("team, answer, ring_test", [("Network", 302, False),
                                                     ("Support", 403, True)])
def test_an_engineer_turns_it_off_where_the_team_shown_allows_it(app, engineer, ben, team,
                                                                 answer, ring_test):
    """Network allows it (its own ring_test_opt_out), the top-level settings do not: Ben, in
    both, turns his off from Network's Engineers page and not from Support's."""
    with app.app_context():
        runtime().settings = parse_settings(
            {"teams": {"Network": {"timezone": "America/New_York", "ring_test_opt_out": True}}})
    with database.connection_context():
        join_team(add_team("Network", ADDED_AT), Engineer.get_by_id(ben.id))
        chosen = Team.get(Team.name == team).id
    shown = page(engineer, f"/engineers?team={chosen}")
    assert ("Turn off the ring test of Ben Smith" in shown) is (team == "Network")
    sent = engineer.post(f"/engineers/{ben.id}/ring-test?team={chosen}", {"ring_test": "0"})
    assert sent.status_code == answer
    assert rung("Ben Smith") is ring_test
