"""With several teams the Tickets, Call-backs and Engineers pages show the chosen team's, and a
ticket or call of a team the user may not see is not found, to read or to act on; with one
team every page is as it was."""

import re
from datetime import timedelta

import pytest

from accounts.users import add_user
from dutyline.db import database
from rota.models import Engineer, Team, TeamMember
from rota.teams import add_team, join_team, leave_team
from telephony.models import Call
from tests.conftest import ADDED_AT
from voicemail.models import Ticket

SUPPORT_CALLER = "+447400000001"
NETWORK_CALLER = "+447400000002"


def _ticket(n, caller, team_id):
    """A call of the team that reached nobody and left a message: a ticket due a call-back."""
    at = ADDED_AT + timedelta(minutes=n)
    call = Call.create(sid=f"CA{n:032d}", from_number=caller, started_at=at, mode="in_hours",
                       status="voicemail", ended_at=at + timedelta(minutes=1), team=team_id)
    return Ticket.create(call=call, caller=caller, created_at=at,
                         deadline=at + timedelta(hours=4))


@pytest.fixture
def network(app, make_engineer):
    """Support: Ben, a ticket. Network: Tobi (in Network only), a ticket."""
    make_engineer("Ben Smith")
    tobi = make_engineer("Tobi Jones")
    with database.connection_context():
        team = add_team("Network", ADDED_AT)
        join_team(team, tobi)
        leave_team(Team.get_by_id(1), tobi)
        _ticket(1, SUPPORT_CALLER, 1)
        _ticket(2, NETWORK_CALLER, team.id)
    return team


@pytest.fixture
def nia(app, network, browser):
    """A manager limited to the Network team."""
    with database.connection_context():
        add_user("nia@example.com", "manager", now=ADDED_AT, teams=[network])
    return browser().sign_in("nia@example.com")


def ticket_of(caller):
    with database.connection_context():
        return Ticket.get(Ticket.caller == caller)


def numbers(page):
    return re.findall(r'<td class="title"><a href="/tickets/(\d+)">', page)


def test_tickets_and_call_backs_are_the_chosen_teams(manager, network):
    support, theirs = ticket_of(SUPPORT_CALLER), ticket_of(NETWORK_CALLER)
    assert numbers(manager.get("/tickets").get_data(as_text=True)) == [str(support.number)]
    for path in ("/tickets", "/callbacks"):
        first = manager.get(f"{path}?team=1").get_data(as_text=True)
        assert numbers(first) == [str(support.number)], path
        chosen = manager.get(f"{path}?team={network.id}").get_data(as_text=True)
        assert numbers(chosen) == [str(theirs.number)], path
    # a manager of every team opens any team's ticket and call, whichever team is chosen
    assert manager.get(f"/tickets/{support.number}").status_code == 200
    assert manager.get(f"/calls/{support.call_id}").status_code == 200


def test_a_manager_limited_to_a_team_cannot_see_or_act_on_anothers(nia):
    support, theirs = ticket_of(SUPPORT_CALLER), ticket_of(NETWORK_CALLER)
    assert numbers(nia.get("/tickets").get_data(as_text=True)) == [str(theirs.number)]
    assert numbers(nia.get("/callbacks").get_data(as_text=True)) == [str(theirs.number)]
    assert nia.get(f"/tickets/{support.number}").status_code == 404
    assert nia.get(f"/calls/{support.call_id}").status_code == 404
    for action, form in (("ack", {}), ("close", {}), ("priority", {"priority": "A"})):
        answer = nia.post(f"/tickets/{support.number}/{action}", form, token_from="/tickets")
        assert answer.status_code == 404, action
    assert nia.post(f"/callbacks/{support.number}/done", {"reason": "rang back"},
                    token_from="/callbacks").status_code == 404
    stored = ticket_of(SUPPORT_CALLER)
    assert (stored.status, stored.priority, stored.callback_done_at) == (
        "new", support.priority, None)
    # their own team's: as always
    assert nia.get(f"/tickets/{theirs.number}").status_code == 200
    assert nia.get(f"/calls/{theirs.call_id}").status_code == 200
    assert nia.post(f"/tickets/{theirs.number}/close", token_from="/tickets").status_code == 302
    assert nia.post(f"/callbacks/{theirs.number}/done", {"reason": "rang back"},
                    token_from="/callbacks").status_code == 302
    stored = ticket_of(NETWORK_CALLER)
    assert stored.status == "closed" and stored.callback_reason == "rang back"


def test_the_engineers_page_lists_the_chosen_teams_and_counts_the_others(manager, network):
    page = manager.get("/engineers").get_data(as_text=True)
    assert "<h1>Engineers: Support</h1>" in page
    assert "Ben Smith" in page and "Tobi Jones" not in page
    assert "1 engineer in other teams: choose the team above to see them." in page
    theirs = manager.get(f"/engineers?team={network.id}").get_data(as_text=True)
    assert "Tobi Jones" in theirs and "Ben Smith" not in theirs
    added = manager.post("/engineers", {"name": "Cara Nye", "mobile": "07911000009"},
                         token_from="/engineers")
    assert added.status_code == 302
    with database.connection_context():
        cara = Engineer.get(Engineer.name == "Cara Nye")
        assert [m.team_id for m in TeamMember.select().where(TeamMember.engineer == cara)] == [
            network.id]  # joins the team chosen
    again = manager.get("/engineers").get_data(as_text=True)
    assert "Cara Nye" in again and "2 engineers in other teams" not in again
    assert "1 engineer in other teams" in again  # Ben, in Support


def test_a_manager_limited_to_a_team_changes_only_its_engineers(nia):
    page = nia.get("/engineers").get_data(as_text=True)
    assert "Tobi Jones" in page and "Ben Smith" not in page
    assert "in other teams" not in page  # no other team to choose
    with database.connection_context():
        ben = Engineer.get(Engineer.name == "Ben Smith")
    for path, form in ((f"/engineers/{ben.id}", {"name": "Ben Jones", "mobile": ben.mobile}),
                       (f"/engineers/{ben.id}/presence", {"signed_in": "0"}),
                       (f"/engineers/{ben.id}/remove", {"confirm": "yes"})):
        assert nia.post(path, form, token_from="/engineers").status_code == 404, path
    with database.connection_context():
        assert Engineer.get_by_id(ben.id).name == "Ben Smith"
        assert Engineer.get_by_id(ben.id).active and Engineer.get_by_id(ben.id).signed_in


def test_with_one_team_every_ticket_call_and_engineer_shows(manager, make_engineer):
    make_engineer("Ben Smith")
    make_engineer("Tobi Jones")
    with database.connection_context():
        first = _ticket(1, SUPPORT_CALLER, None)  # logged before there were teams
        second = _ticket(2, NETWORK_CALLER, 1)
    assert numbers(manager.get("/tickets").get_data(as_text=True)) == [
        str(second.number), str(first.number)]
    assert numbers(manager.get("/callbacks").get_data(as_text=True)) == [
        str(first.number), str(second.number)]
    assert manager.get(f"/calls/{first.call_id}").status_code == 200
    page = manager.get("/engineers").get_data(as_text=True)
    assert "<h1>Engineers</h1>" in page and "Ben Smith" in page and "Tobi Jones" in page
    assert "in other teams" not in page
