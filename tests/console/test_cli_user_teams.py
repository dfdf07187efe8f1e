"""`dutyline user teams EMAIL --team NAME`: which teams a user sees, changed for an existing
user (none named: every team), shown by `user list`; `wallboard link --team NAME` makes a link
of that team's board. An unknown team or user is one line and changes nothing."""

import json

import pytest
from click.testing import CliRunner

from accounts.models import AuditEntry, User, WallboardLink
from console.main import main
from tests.conftest import app_info


@pytest.fixture
def cli(app, monkeypatch):
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "ops")
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args), obj=app_info(app),
                                       catch_exceptions=False)


@pytest.fixture
def teams(cli, db):
    for name in ("Network", "Accounts"):
        assert cli("team", "add", name).exit_code == 0
    assert cli("user", "add", "mia@example.com", "--role", "manager").exit_code == 0


def listed(cli):
    return {row["email"]: row["teams"] for row in json.loads(cli("user", "list", "--json").output)}


def test_a_users_teams_are_changed_and_listed(cli, teams):
    assert listed(cli) == {"mia@example.com": None}
    assert cli("user", "list").output.splitlines() == [
        "email            role     engineer  sign-in    teams",
        "mia@example.com  manager  -         link only  all"]
    changed = cli("user", "teams", "MIA@example.com", "--team", "accounts", "--team", "Network")
    assert changed.exit_code == 0, changed.output
    assert changed.output == "mia@example.com sees Network, Accounts\n"
    assert listed(cli) == {"mia@example.com": ["Network", "Accounts"]}
    assert cli("user", "list").output.splitlines()[1].endswith("link only  Network, Accounts")
    assert User.get().team_ids() == [2, 3]
    again = cli("user", "teams", "mia@example.com")
    assert again.output == "mia@example.com sees every team\n"
    assert listed(cli) == {"mia@example.com": None} and User.get().team_ids() is None
    assert [e.detail for e in AuditEntry.select().where(AuditEntry.action == "user teams")
            .order_by(AuditEntry.id)] == ["mia@example.com: Network, Accounts",
                                          "mia@example.com: every team"]


@pytest.mark.parametrize("args, message", [
    (["mia@example.com", "--team", "Network", "--team", "Sales"],
     "Error: no team named 'Sales' (teams: Support, Network, Accounts)\n"),
    (["nobody@example.com", "--team", "Network"], "Error: no user nobody@example.com\n"),
])
def test_an_unknown_team_or_user_is_one_line_and_changes_nothing(cli, teams, args, message):
    cli("user", "teams", "mia@example.com", "--team", "Accounts")
    result = cli("user", "teams", *args)
    assert (result.exit_code, result.output) == (1, message)
    assert User.get().team_ids() == [3]


def test_user_add_with_a_team_is_listed_with_it(cli, teams):
    added = cli("user", "add", "nia@example.com", "--role", "manager", "--team", "Network")
    assert added.exit_code == 0, added.output
    assert listed(cli)["nia@example.com"] == ["Network"]


def test_a_wallboard_link_for_a_team(cli, teams):
    assert cli("wallboard", "link", "--label", "Network TV", "--team", "network").exit_code == 0
    assert cli("wallboard", "link", "--label", "Reception").exit_code == 0
    assert {link.label: link.team_id for link in WallboardLink.select()} == {
        "Network TV": 2, "Reception": None}
    rows = json.loads(cli("wallboard", "links", "--json").output)
    assert {row["label"]: row["team"] for row in rows} == {"Network TV": "Network",
                                                           "Reception": "Support"}
    refused = cli("wallboard", "link", "--label", "Sales TV", "--team", "Sales")
    assert refused.exit_code == 1 and refused.output.startswith("Error: no team named 'Sales'")
    assert WallboardLink.select().count() == 2
