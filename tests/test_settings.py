"""Team settings: defaults, and a bad value stops the start with a message naming the key."""

import ast
from dataclasses import fields
from datetime import date, time

import pytest

from dutyline.settings import KNOWN_KEYS, Settings, SettingsError, load_settings, parse_settings


def test_defaults():
    settings = parse_settings({})
    assert settings.timezone == "Europe/London"
    assert settings.holidays == "GB-ENG"
    assert settings.hours[0] == ((time(8), time(18)),)
    assert 5 not in settings.hours and 6 not in settings.hours
    assert (settings.ring_seconds, settings.hunt_rounds, settings.max_wait_seconds) == (15, 1, 90)
    assert settings.handover == time(18)
    assert settings.language == "en-GB"
    assert settings.escalate_after_minutes == 15


def test_file_is_read(tmp_path):
    path = tmp_path / "dutyline.toml"
    path.write_text('timezone = "Europe/Dublin"\nholidays = "IE"\nclosed = ["2026-12-24"]\n'
                    'ring_seconds = 20\nhandover = "17:30"\n[hours]\nmon = "09:00-17:00"\n')
    settings = load_settings(str(path))
    assert settings.timezone == "Europe/Dublin"
    assert settings.closed == frozenset({date(2026, 12, 24)})
    assert settings.hours == {0: ((time(9), time(17)),)}
    assert settings.handover == time(17, 30)


@pytest.mark.parametrize("data, key", [
    # header: bad settings -> the key the message must name
    ({"timezone": "Europe/Londn"}, "timezone"),
    ({"holidays": "XX-YY"}, "holidays"),
    ({"hours": {"mon": "18:00-08:00"}}, "hours.mon"),
    ({"hours": {"mon": "8am-6pm"}}, "hours.mon"),
    ({"hours": {"monday": "08:00-18:00"}}, "hours.monday"),
    ({"withheld_callers": "sometimes"}, "withheld_callers"),
    ({"text_commands": "no"}, "text_commands"),
    ({"closed": ["24 December"]}, "closed"),
    ({"ring_seconds": 0}, "ring_seconds"),
    ({"ring_seconds": "15"}, "ring_seconds"),
    ({"hunt_rounds": 9}, "hunt_rounds"),
    ({"max_wait_seconds": -1}, "max_wait_seconds"),
    ({"greeting": 42}, "greeting"),
    ({"language": "English"}, "language"),
    ({"voice": "Polly Amy"}, "voice"),
    ({"handover": "25:00"}, "handover"),
    ({"ring_secs": 15}, "ring_secs"),
    ({"phone_region": "UK"}, "phone_region"),
    ({"phone_region": "XX"}, "phone_region"),
    ({"hunt": "parallel"}, "hunt"),
    ({"overlap_seconds": 0}, "overlap_seconds"),
    ({"backup_after_seconds": "soon"}, "backup_after_seconds"),
    ({"escalate_after_minutes": 241}, "escalate_after_minutes"),
    ({"escalate_after_minutes": "15"}, "escalate_after_minutes"),
    ({"service_level_target": 98}, "service_level_target"),
    ({"service_level_target": 0.4}, "service_level_target"),
    ({"service_level_target": "98%"}, "service_level_target"),
])
def test_bad_value_names_the_key(data, key):
    with pytest.raises(SettingsError) as error:
        parse_settings(data)
    assert str(error.value).startswith(f"{key}:")


def test_unknown_keys_and_regions_are_named_with_what_would_do():
    with pytest.raises(SettingsError) as error:
        parse_settings({"handover_time": "18:00"})
    assert "handover_time: unknown setting" in str(error.value)
    assert "handover" in str(error.value).split("(")[1]
    with pytest.raises(SettingsError, match="the United Kingdom is GB"):
        parse_settings({"phone_region": "uk"})
    assert parse_settings({"phone_region": "ie"}).phone_region == "IE"
    assert set(KNOWN_KEYS) | {"teams"} == {field.name for field in fields(Settings)}


def test_bad_toml_and_missing_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("timezone = \n")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(str(path))
    with pytest.raises(SettingsError, match="not found"):
        load_settings(str(tmp_path / "absent.toml"))


def test_bad_settings_stop_the_command_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from console.main import main

    path = tmp_path / "dutyline.toml"
    path.write_text("ring_seconds = 1000\n")
    monkeypatch.setenv("DUTYLINE_SETTINGS", str(path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    result = CliRunner().invoke(main, ["engineer", "list"])
    assert result.exit_code != 0
    assert "ring_seconds: must be between 5 and 120" in result.output


def test_dotenv_in_the_working_directory_is_read(tmp_path, monkeypatch):
    from webhooks import create_app
    from webhooks.runtime import runtime

    monkeypatch.chdir(tmp_path)
    for key in ("FALLBACK_NUMBER", "PUBLIC_URL", "DATABASE_URL", "DUTYLINE_SETTINGS"):
        monkeypatch.delenv(key, raising=False)
    (tmp_path / ".env").write_text("FALLBACK_NUMBER=020 7946 0999\n"
                                   "PUBLIC_URL=https://line.example.org\n"
                                   f"DATABASE_URL=sqlite:///{tmp_path / 'env.db'}\n")
    app = create_app()
    with app.app_context():
        assert runtime().fallback_number == "+442079460999"
        assert runtime().url("incoming") == "https://line.example.org/voice/incoming"
    from dutyline.db import database

    assert database.obj.database == str(tmp_path / "env.db")  # named; made by `db init` only
    assert not (tmp_path / "env.db").exists()
    for key in ("FALLBACK_NUMBER", "PUBLIC_URL", "DATABASE_URL"):
        monkeypatch.delenv(key, raising=False)


def test_hunt_strategy_and_an_empty_greeting():
    settings = parse_settings({"hunt": "overlap", "overlap_seconds": 4,
                               "backup_after_seconds": 10, "greeting": ""})
    assert (settings.hunt, settings.overlap_seconds, settings.backup_after_seconds) == \
        ("overlap", 4, 10)
    assert settings.greeting == ""
    defaults = parse_settings({})
    assert (defaults.hunt, defaults.backup_after_seconds) == ("target", None)
    assert (defaults.service_level_target, defaults.max_phones) == (0.98, 3)
    assert len(defaults.greeting.split()) <= 4  # about a second and a half of speech


def test_settings_made_directly_have_the_described_defaults():
    from dutyline.settings import KEYS

    assert Settings() == parse_settings({})
    assert [field.name for field in fields(Settings)] == [key.name for key in KEYS] + ["teams"]
    assert Settings().hours[4] == ((time(8), time(18)),)  # the default week, not an empty one


@pytest.mark.parametrize("key", KNOWN_KEYS)
def test_every_key_refuses_a_value_of_another_kind_in_one_line(key):
    with pytest.raises(SettingsError) as error:
        parse_settings({key: 3.5})
    message = str(error.value)
    assert message.startswith(f"{key}: ") and "\n" not in message and "3.5" in message


def decisions(function):
    """McCabe's cyclomatic complexity of a function's own body: one, plus one a branch."""
    branches = (ast.If, ast.For, ast.While, ast.IfExp, ast.ExceptHandler, ast.With, ast.Assert,
                ast.comprehension, ast.match_case)
    count = 1
    for node in ast.walk(function):
        if isinstance(node, branches):
            count += 1 + (len(node.ifs) if isinstance(node, ast.comprehension) else 0)
        elif isinstance(node, ast.BoolOp):
            count += len(node.values) - 1
    return count


def test_the_settings_are_read_by_small_functions():
    from pathlib import Path

    import dutyline.setting_kinds
    import dutyline.settings

    for module in (dutyline.settings, dutyline.setting_kinds):
        tree = ast.parse(Path(module.__file__).read_text())
        complex_ = {node.name: decisions(node) for node in ast.walk(tree)
                    if isinstance(node, ast.FunctionDef) and decisions(node) > 8}
        assert complex_ == {}, module.__name__


def test_a_team_s_table_sets_its_own_keys_over_the_top_level_ones():
    settings = parse_settings({"greeting": "Support here.", "ring_seconds": 20,
                               "teams": {"Network": {"greeting": "Network team.",
                                                     "hours": {"sat": "09:00-12:00"}}}})
    network = settings.for_team("NETWORK")
    assert (network.greeting, network.ring_seconds) == ("Network team.", 20)
    assert 5 in network.hours and 5 not in settings.hours
    assert settings.for_team("Support") is settings  # no table: the top-level settings
    assert settings.for_team(None) is settings


@pytest.mark.parametrize("teams, message", [
    ({"Network": {"ring_seconds": 2}}, "teams.Network.ring_seconds: must be between 5 and 120"),
    ({"Network": {"ringing": 20}}, "teams.Network.ringing: unknown setting"),
    ({"Network": "loud"}, "teams: a table for each team"),
    ({"Network": {"teams": {}}}, "teams.Network: a team's table cannot hold teams"),
])
def test_a_bad_team_table_is_named_in_one_line(teams, message):
    with pytest.raises(SettingsError) as error:
        parse_settings({"teams": teams})
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)
