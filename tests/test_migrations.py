"""Schema upgrades: a database made by the first release is upgraded in place, rows kept."""

import threading
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from dutyline.db import database, open_database
from dutyline.migrations import LATEST, UNREAD_INDEXES, schema_version, upgrade
from tests.fixtures import schema_v1 as v1
from console.main import main
from console.scenario import Scenario, SimClock

LONDON = ZoneInfo("Europe/London")
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def make_first_release_database(url):
    """Tables and rows exactly as the first release wrote them."""
    open_database(url)
    with database.connection_context():
        database.create_tables(v1.FIRST_SCHEMA)
        ben = v1.Engineer.create(name="Ben Smith", mobile="+447911123401", rotation=1,
                                 signed_in=True)
        v1.DutyPeriod.create(day=date(2026, 12, 1), primary=ben,
                             starts_at=datetime(2026, 12, 1, 18, tzinfo=timezone.utc),
                             ends_at=datetime(2026, 12, 2, 18, tzinfo=timezone.utc))
        v1.HuntPosition.create(id=1, last_rotation=1, version=7)
        call = v1.Call.create(sid="CA" + "1" * 32, from_number="+447400123456",
                              started_at=T0, mode="out_of_hours", status="voicemail",
                              duty_engineer=ben, plan="[]")
        v1.Leg.create(call=call, step=0, engineer=ben, number="+447911123401", role="primary",
                      started_at=T0, ended_at=T0, outcome="no-answer")
        v1.Ticket.create(call=call, caller="+447400123456", recording_url="https://r/1",
                         recording_seconds=12, engineer=ben, created_at=T0)
    database.close()


@pytest.fixture
def cli_env(database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "migration-token")
    monkeypatch.setenv("PUBLIC_URL", "https://support.example.com")
    for key in ("DUTYLINE_SETTINGS", "FALLBACK_NUMBER"):
        monkeypatch.delenv(key, raising=False)
    return database_url


def test_first_release_database_is_upgraded_and_keeps_its_rows(cli_env, twiml_schema):
    make_first_release_database(cli_env)
    runner = CliRunner()
    result = runner.invoke(main, ["db", "upgrade"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"schema upgraded from version 1 to {LATEST}" in result.output
    again = runner.invoke(main, ["db", "upgrade"], catch_exceptions=False)
    assert f"schema already at version {LATEST}" in again.output

    from webhooks import create_app

    at = datetime(2026, 12, 2, 3, 0, tzinfo=LONDON)
    app = create_app({"CLOCK": SimClock(at)})
    with database.connection_context():
        from rota.models import DutyPeriod, Engineer
        from telephony.models import Call, HuntPosition
        from voicemail.models import Ticket

        assert Engineer.get().name == "Ben Smith"
        assert DutyPeriod.get().updated_at is None
        call = Call.get()
        assert (call.sid, call.gated, call.customer_id) == ("CA" + "1" * 32, False, None)
        ticket = Ticket.get()
        assert (ticket.number, ticket.recording_seconds, ticket.transcript) == (1001, 12, None)
        assert HuntPosition.get().version == 7
        if cli_env.startswith("sqlite"):
            assert database.execute_sql("PRAGMA foreign_key_check").fetchall() == []
        # the indexes an arrival needs are there, and those nothing reads are gone
        indexes = {index.name for table in ("call", "leg")
                   for index in database.get_indexes(table)}
        assert "leg_on_a_call" in indexes and "call_sid" in indexes
        assert not indexes & set(UNREAD_INDEXES)
        ticket.recording_url = "https://api.twilio.com/" + "r" * 400  # now a text column
        ticket.save()
    # the upgraded database takes new calls: tickets number on from the old ones
    from console.simulator import Simulator

    outcome = Simulator(app).run(Scenario(at=at, others="ignore"))
    assert outcome.ticket_number == 1002
    assert all(status == 200 for _, status, _ in outcome.responses)


def test_fresh_database_gets_every_version_once(database_url):
    open_database(database_url)
    assert upgrade() == list(range(1, LATEST + 1))
    assert upgrade() == []
    assert schema_version() == LATEST


def test_simultaneous_upgrades_do_not_trip_over_each_other(database_url):
    make_first_release_database(database_url)
    open_database(database_url)
    results, errors = [], []

    def run():
        try:
            results.append(upgrade())
        except Exception as exc:  # collected: the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(results, key=len) == [[], [], list(range(2, LATEST + 1))]
    assert schema_version() == LATEST
