"""The clock command with managers configured, the weekly-list switch, bad manager settings."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest


from dutyline.settings import parse_settings
from rota import periods
from rota.models import Engineer
from tests.conftest import AUTH_TOKEN, PUBLIC_URL
from outbox.models import OutboxMessage
from webhooks import ConfigError, create_app

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def app_config():
    return {"MANAGER_NUMBERS": "07911 000901, +447911000902", "MANAGER_EMAILS": "boss@example.com"}


@pytest.fixture
def team(make_engineer):
    return {"Ben": make_engineer("Ben Smith"), "Tobi": make_engineer("Tobi Jones")}


def test_the_clock_warns_each_manager_once_of_a_gap(cli, app, clock, db, team, settings):
    periods.assign_period(date(2026, 11, 24), team["Tobi"], None, settings,
                          now=datetime(2026, 11, 1, tzinfo=timezone.utc))
    clock.set(datetime(2026, 11, 24, 12, tzinfo=timezone.utc))
    first = cli("clock", "--once")
    assert first.exit_code == 0, first.output
    warned = [m for m in OutboxMessage.select() if m.dedupe_key.startswith("rota.warn-gap:")]
    recipients = {m.recipient for m in warned}
    assert recipients == {"+447911000901", "+447911000902", "boss@example.com"}
    assert any("from Wed 25 Nov 2026 18:00" in m.body for m in warned)
    again = cli("clock", "--once")
    assert again.output.strip() == "queued 0 notice(s)"


def test_the_weekly_list_can_be_turned_off_and_on(cli, db, team):
    result = cli("engineer", "weekly", "ben smith", "off")
    assert result.exit_code == 0 and result.output.strip() == "Ben Smith: weekly duty list off"
    assert Engineer.get(Engineer.name == "Ben Smith").weekly_notice is False
    cli("engineer", "weekly", "Ben Smith", "on")
    assert Engineer.get(Engineer.name == "Ben Smith").weekly_notice is True
    refused = cli("engineer", "weekly", "Nobody", "off")
    assert refused.exit_code == 1 and "unknown engineer: 'Nobody'" in refused.output


@pytest.mark.parametrize("key, value, message", [
    ("MANAGER_NUMBERS", "+447911000901, 12", "MANAGER_NUMBERS: not a valid phone number: '12'"),
    ("MANAGER_EMAILS", "boss.example.com", "MANAGER_EMAILS: not an e-mail address"),
])
def test_bad_manager_settings_stop_the_start(database_url, key, value, message):
    with pytest.raises(ConfigError, match=message):
        create_app({"DATABASE_URL": database_url, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                    "PUBLIC_URL": PUBLIC_URL, "SETTINGS": parse_settings({}), key: value})


def test_cover_on_and_off_shown_by_who_and_list(cli, clock, db, team):
    clock.set(datetime(2026, 12, 1, 21, tzinfo=timezone.utc))
    on = cli("engineer", "cover", "Ben Smith", "on")
    assert on.exit_code == 0 and on.output.strip() == "Ben Smith: cover until Wed 02 Dec 18:00"
    who = cli("rota", "who")
    assert "cover: Ben Smith until 18:00 Wed 02 Dec" in who.output
    assert "cover until Wed 02 Dec 18:00" in cli("engineer", "list").output
    clock.set(datetime(2026, 12, 2, 18, tzinfo=timezone.utc))  # the handover: cover is over
    assert "cover:" not in cli("rota", "who").output
    clock.set(datetime(2026, 12, 2, 19, tzinfo=timezone.utc))
    cli("engineer", "cover", "Ben Smith", "on")
    assert cli("engineer", "cover", "Ben Smith", "off").output.strip() == "Ben Smith: cover off"
    assert "cover:" not in cli("rota", "who").output
