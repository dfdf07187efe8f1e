"""Schema upgrades: a database made by the first release is upgraded in place, rows kept."""

import threading
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from dutyline.db import database, make_sqlite_file, open_database
from dutyline.migrations import LATEST, schema_version, steps, upgrade
from tests.fixtures import schema_v1 as v1
from console.main import main
from console.scenario import Scenario, SimClock

LONDON = ZoneInfo("Europe/London")
# the first release's index on each foreign key, which no query reads (step 8 drops them)
UNREAD_INDEXES = ("call_answered_by_id", "call_duty_engineer_id", "leg_call_id",
                  "leg_engineer_id", "leg_ended_at")
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def make_first_release_database(url):
    """Tables and rows exactly as the first release wrote them."""
    open_database(url)
    make_sqlite_file()  # as db init makes a new database
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
        # one team, on every number: its engineers, its rota, its calls, its round robin
        from rota.models import Team, TeamMember
        from rota.teams import add_team

        assert [(t.id, t.name) for t in Team.select()] == [(1, "Support")]
        assert [m.engineer.name for m in TeamMember.select()] == ["Ben Smith"]
        assert (DutyPeriod.get().team_id, call.team_id, HuntPosition.get().id) == (1, 1, 1)
        assert add_team("Network", T0).id == 2
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
    with database.connection_context():
        newest = Call.select().order_by(Call.id.desc()).first()
        assert (newest.team_id, newest.duty_engineer.name) == (1, "Ben Smith")
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


def todays_models():
    from accounts.models import (AuditEntry, SignInAttempt, SignInLink, User, WallboardLink,
                                 WebSession)
    from calendars.models import FeedToken, PublishedEvent, PublishedFeed
    from rota.models import (Absence, DutyPeriod, Engineer, Override, RingTest, SwapRequest,
                             Team, TeamMember)
    from telephony.models import Call, HuntPosition, Leg, Line
    from customers.models import BlockedNumber, Customer, CustomerNumber
    from inbox.models import InboundText
    from outbox.models import OutboxMessage
    from reports.models import ReportUnit, StatisticsStart
    from voicemail.models import CallBack, Ticket

    return [Team, Engineer, TeamMember, Line, DutyPeriod, HuntPosition, Customer, CustomerNumber,
            Call, Leg, Ticket,
            Override, Absence, FeedToken, PublishedEvent, PublishedFeed, OutboxMessage,
            StatisticsStart, InboundText, User, SignInLink, WebSession, SignInAttempt, AuditEntry,
            ReportUnit, BlockedNumber, WallboardLink, SwapRequest, CallBack,
            RingTest]


def shape():
    """Every table's columns (name, type, null) and indexes (name, unique), as the database
    reports them."""
    with database.connection_context():
        tables = [t for t in database.get_tables() if not t.startswith("schema_")]
        return {table: (sorted((c.name, c.data_type.lower().replace("character varying",
                                                                    "varchar"), c.null)
                               for c in database.get_columns(table)),
                        sorted((i.name, i.unique) for i in database.get_indexes(table)))
                for table in tables}


def test_the_migrations_make_the_schema_the_models_describe(database_url, postgres_or_sqlite_url):
    """A model changed without a migration (or a migration that drifted) fails here."""
    open_database(database_url)
    upgrade()
    migrated = shape()
    open_database(postgres_or_sqlite_url)
    make_sqlite_file()  # as db init makes a new database
    with database.connection_context():
        database.create_tables(todays_models())
    assert shape() == migrated


@pytest.fixture
def postgres_or_sqlite_url(request, tmp_path):
    """A second fresh database of the same kind as database_url."""
    if database_url_kind() == "postgresql":
        return request.getfixturevalue("postgres_server").new_database()
    return f"sqlite:///{tmp_path / 'second.db'}"


def database_url_kind():
    import os

    return os.environ.get("DUTYLINE_TEST_DATABASE") or "sqlite"


def make_counted_database(url, version):
    """A database as the releases before the runner left it at `version`: the tables of the
    steps up to it, and the versions counted in schema_version rather than the runner's
    history."""
    from dutyline.migrations import _runner

    open_database(url)
    make_sqlite_file()  # as db init makes a new database
    with database.connection_context():
        runner = _runner()
        runner.up(steps()[0].name)
        database.execute_sql("INSERT INTO \"engineer\" (\"name\", \"mobile\", \"rotation\", "
                             "\"signed_in\", \"location\", \"active\") VALUES "
                             "('Ben Smith', '+447911123401', 1, FALSE, 'office', TRUE)")
        runner.up([step.name for step in steps() if step.idx == version][0])
        database.execute_sql('DROP TABLE "schema_migration"')
        database.execute_sql('CREATE TABLE "schema_version" ("version" INTEGER NOT NULL '
                             'PRIMARY KEY, "applied_at" TIMESTAMP NOT NULL)')
        for number in range(1, version + 1):
            database.execute_sql('INSERT INTO "schema_version" VALUES (%d, %s)'
                                 % (number, "'2026-11-22 03:37:20'"))
    database.close()


@pytest.mark.parametrize("version", [8, 9, 10])
def test_a_counted_database_moves_to_the_runner_without_running_a_step_again(
        database_url, caplog, version):
    import logging

    make_counted_database(database_url, version)
    before = shape()
    caplog.set_level(logging.INFO, logger="peewee.migrations")
    assert schema_version() == version  # read as it is, before it is adopted
    later = [step.idx for step in steps() if step.idx > version]
    assert upgrade() == later
    assert [r.getMessage() for r in caplog.records] == [
        f"up: {step.name} [FAKE]" for step in steps() if step.idx <= version] + [
        f"up: {step.name}" for step in steps() if step.idx > version]
    if not later:
        assert shape() == before
    with database.connection_context():
        assert database.execute_sql('SELECT "name" FROM "engineer"').fetchall() == [
            ("Ben Smith",)]
        history = database.execute_sql('SELECT "name" FROM "schema_migration"').fetchall()
    assert sorted(name for (name,) in history) == [step.name for step in steps()]
    assert upgrade() == [] and schema_version() == LATEST


def test_a_release_before_versions_were_counted_gets_every_later_step(database_url):
    make_first_release_database(database_url)
    open_database(database_url)
    assert schema_version() == 1
    assert upgrade() == list(range(2, LATEST + 1))


@pytest.mark.parametrize("command", [["engineer", "list"], ["outbox", "work", "--once"],
                                     ["clock", "--once"]])
def test_commands_refuse_an_older_schema_and_say_what_to_run(cli_env, command):
    make_first_release_database(cli_env)
    result = CliRunner().invoke(main, command)
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [
        f"Error: the database is at schema 1, this version needs {LATEST}: "
        "run dutyline db upgrade"]


def test_starting_the_web_app_changes_no_schema(cli_env):
    from webhooks import create_app

    make_first_release_database(cli_env)
    before = shape()
    create_app().test_client().get("/")
    assert shape() == before and schema_version() == 1
