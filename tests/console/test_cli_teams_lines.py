"""dutyline team and dutyline line: what a manager types to set up a second team and its
numbers; a mistake is one line and changes nothing."""

import json

import pytest

from tests.conftest import command_line

from rota.models import Team, TeamMember
from telephony.models import Line


@pytest.fixture
def settings_data():
    return {"teams": {"Network": {"greeting": "Network team."},
                      "Netwrok": {"greeting": "A typing mistake."}}}


@pytest.fixture
def cli(app, db):
    run = command_line(app)
    run("engineer", "add", "Ann Lee", "--mobile", "07911000001")
    return run


def lines():
    return [(line.number, line.team_id, line.menu is not None) for line in Line.select()]


def test_a_team_is_added_given_engineers_and_listed(cli):
    assert cli("team", "add", "Network").exit_code == 0
    assert cli("team", "join", "network", "Ann Lee").output == "Ann Lee is in team Network\n"
    listed = json.loads(cli("team", "list", "--json").stdout)
    assert listed == [{"team": "Support", "engineers": ["Ann Lee"]},
                      {"team": "Network", "engineers": ["Ann Lee"]}]
    # the misspelt table is named, on the error stream, so --json stays readable
    warned = cli("team", "list").stderr
    assert 'table [teams."netwrok"] names no team' in warned and '"network"' not in warned
    assert cli("team", "leave", "Network", "Ann Lee").exit_code == 0
    assert TeamMember.select().count() == 1


def test_renaming_a_team_with_a_table_says_to_rename_the_table_too(cli):
    cli("team", "add", "Network")
    result = cli("team", "rename", "network", "Networks")
    assert result.exit_code == 0 and "team Network is now Networks" in result.output
    assert 'rename its table in the settings file too, [teams."Network"]' in result.stderr
    assert [t.name for t in Team.select().order_by(Team.id)] == ["Support", "Networks"]


@pytest.mark.parametrize("args, error", [
    (["team", "add", "support"], "a team named 'support' already exists"),
    (["team", "add", " "], "a team needs a name"),
    (["team", "join", "Sales", "Ann Lee"], "no team named 'Sales' (teams: Support)"),
    (["team", "join", "Support", "Zed"], "unknown engineer: 'Zed'"),
    (["line", "add", "02071838751", "--team", "Sales"], "no team named 'Sales'"),
    (["line", "add", "02071838751"], "give --team NAME, or --menu"),
    (["line", "add", "020718", "--team", "Support"], "not a valid phone number"),
    (["line", "add", "02071838751", "--menu", "Press 2.", "--key", "2=Support",
      "--key", "1=Support", "--key", "3=Support", "--key", "4=Support", "--key", "5=Support",
      "--default", "2"], "a menu offers one to 4 keys, not 5"),
    (["line", "add", "02071838751", "--menu", "Press 2.", "--key", "2"],
     "write DIGIT=TEAM or DIGIT=NUMBER"),
    (["line", "remove", "02071838799"], "+442071838799 is not a line"),
])
def test_mistakes_are_one_line_and_change_nothing(cli, args, error):
    before = (lines(), [t.name for t in Team.select()], TeamMember.select().count())
    result = cli(*args)
    assert result.exit_code != 0
    assert error in result.output.strip().splitlines()[-1]
    assert (lines(), [t.name for t in Team.select()], TeamMember.select().count()) == before


def test_lines_reach_a_team_or_offer_a_menu_and_are_listed(cli):
    cli("team", "add", "Network")
    assert cli("line", "add", "020 7183 8751", "--team", "network").exit_code == 0
    menu = cli("line", "add", "02071838752", "--menu", "For support press 2, for the network "
               "press 3.", "--key", "2=Support", "--key", "3=Network", "--default", "2")
    assert menu.exit_code == 0, menu.output
    assert json.loads(cli("line", "list", "--json").stdout) == [
        {"number": "+442071838751", "leads_to": "team Network"},
        {"number": "+442071838752", "leads_to": 'menu "For support press 2, for the network '
                                                'press 3." (2: Support; 3: Network; silence: '
                                                '2 after 5 s)'}]
    again = cli("line", "add", "02071838751", "--team", "Support")
    assert "+442071838751 is a line already" in again.output
    assert cli("line", "remove", "02071838751").exit_code == 0
    assert lines() == [("+442071838752", None, True)]
