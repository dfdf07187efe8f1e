"""The setting `managers`: phone numbers, read in the phone_region of the table that names
them, and e-mail addresses; a bad entry stops the start with one line naming it."""

import pytest
from click.testing import CliRunner

from dutyline.settings import SettingsError, parse_settings

NETWORK_IE = {"phone_region": "IE"}


# what the settings file says -> the managers of the first team and of Network
@pytest.mark.parametrize("data, support, network", [
    ({}, (), ()),  # the default: nobody named, the installation's managers warned
    ({"managers": []}, (), ()),
    ({"managers": ["07911 123497"]}, ("+447911123497",), ("+447911123497",)),
    ({"managers": [" mia@example.com ", "+447911123497", "07911123497", "mia@example.com"]},
     ("mia@example.com", "+447911123497"), ("mia@example.com", "+447911123497")),  # each once
    ({"teams": {"Network": {"managers": ["07911 123497"]}}}, (), ("+447911123497",)),
    ({"teams": {"Network": {**NETWORK_IE, "managers": ["085 123 4567"]}}},
     (), ("+353851234567",)),  # read in the team's own region
    ({"managers": ["07911 123497"], "teams": {"Network": NETWORK_IE}},
     ("+447911123497",), ("+447911123497",)),  # the top level's, read in the top's region
    ({"managers": ["boss@example.com"], "teams": {"Network": {"managers": []}}},
     ("boss@example.com",), ()),  # a team may name nobody: the installation's managers
])
def test_managers_are_read_where_they_are_written(data, support, network):
    settings = parse_settings(data)
    assert settings.managers == support
    assert settings.for_team("Network").managers == network


ACCEPTS = ('a list of phone numbers and e-mail addresses such as ["+447911123499", '
           '"mia@example.com"]')


@pytest.mark.parametrize("data, message", [
    ({"managers": "mia@example.com"}, f"managers: expected {ACCEPTS}, got 'mia@example.com'"),
    ({"managers": ["12"]}, "managers: not a valid phone number: '12'"),
    ({"managers": ["07911 12349"]}, "managers: not a valid phone number: '07911 12349'"),
    ({"managers": ["mia@example"]}, "managers: not an e-mail address: 'mia@example'"),
    ({"managers": ["mia@@example.com"]}, "managers: not an e-mail address: 'mia@@example.com'"),
    ({"managers": ["@example.com"]}, "managers: not an e-mail address: '@example.com'"),
    ({"managers": ["mia lee@example.com"]},
     "managers: not an e-mail address: 'mia lee@example.com'"),
    ({"managers": [""]}, "managers: not a phone number or e-mail address: ''"),
    ({"managers": ["  "]}, "managers: not a phone number or e-mail address: '  '"),
    ({"managers": [447911123497]},
     "managers: not a phone number or e-mail address: 447911123497"),
    ({"managers": ["mia\u200b@example.com"]},
     "managers: not a phone number or e-mail address: 'mia\\u200b@example.com'"),
    ({"teams": {"Network": {"managers": ["+447911123497", "12"]}}},
     "teams.Network.managers: not a valid phone number: '12'"),
    ({"teams": {"Network": {**NETWORK_IE, "managers": ["07911 123497"]}}},
     "teams.Network.managers: not a valid phone number: '07911 123497'"),  # not Irish
])
def test_a_bad_manager_is_named_in_one_line(data, message):
    with pytest.raises(SettingsError) as error:
        parse_settings(data)
    assert str(error.value) == message


def test_a_bad_manager_stops_the_command_line(tmp_path, monkeypatch):
    from console.main import main

    path = tmp_path / "dutyline.toml"
    path.write_text('[teams."Network"]\nmanagers = ["+447911123497", "mia.example.com"]\n')
    monkeypatch.setenv("DUTYLINE_SETTINGS", str(path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    result = CliRunner().invoke(main, ["engineer", "list"])
    assert result.exit_code != 0
    assert result.output == ("Error: teams.Network.managers: not a phone number: "
                             "'mia.example.com'\n")
