"""Calls logged before the statistics existed: the upgrade keeps them, and the report says
what it cannot know about them."""

from datetime import date, datetime, timedelta, timezone

from dutyline.db import database, open_database
from dutyline.migrations import upgrade
from dutyline.settings import parse_settings
from reports import Span, report
from reports.models import partial_until
from telephony.models import Call
from tests.test_migrations import T0, make_first_release_database


def test_calls_logged_before_the_upgrade_report_what_can_be_known(database_url):
    make_first_release_database(database_url)
    open_database(database_url)
    upgrade()
    settings = parse_settings({})
    with database.connection_context():
        assert partial_until() == T0
        # the old log's voicemail call, and an old unanswered one without a message
        Call.update(ended_at=T0 + timedelta(seconds=70)).execute()
        Call.create(sid="CA" + "2" * 32, from_number="+447400123457", started_at=T0,
                    mode="in_hours", status="missed", ended_at=T0 + timedelta(seconds=40))
        # a call after the upgrade, abandoned before any phone rang
        later = T0 + timedelta(hours=1)
        Call.create(sid="CA" + "3" * 32, from_number="+447400123458", started_at=later,
                    mode="in_hours", status="missed", ended_at=later + timedelta(seconds=40))
        result = report(Span.days(settings, date(2026, 11, 2), date(2026, 11, 2)))
    total = result.total
    assert total["logged_before_statistics"] == 2
    assert (total["calls"], total["voicemail"], total["abandoned"]) == (3, 1, 2)
    # where the old call was abandoned is not known; the new one's is
    assert (total["abandoned_greeting"], total["abandoned_hunting"]) == (1, 0)
    assert len(result.unknown) == 1 and "2 call(s) arrived before" in result.unknown[0]
    assert "not known" in result.unknown[0]


def test_a_fresh_database_has_every_call_in_full(database_url):
    open_database(database_url)
    upgrade()
    with database.connection_context():
        assert partial_until() is None
        Call.create(sid="CA" + "4" * 32, from_number="+447400123458",
                    started_at=datetime(2026, 11, 2, 9, tzinfo=timezone.utc), mode="in_hours",
                    ended_at=datetime(2026, 11, 2, 9, 1, tzinfo=timezone.utc))
        result = report(Span.days(parse_settings({}), date(2026, 11, 2), date(2026, 11, 2)))
    assert result.unknown == [] and result.total["abandoned_greeting"] == 1


def test_the_upgrade_to_kept_months_forgets_what_was_kept_and_forgets_months_after(
        database_url):
    from dutyline.db import make_sqlite_file
    from dutyline.migrations import _runner
    from reports.models import ReportUnit

    open_database(database_url)
    make_sqlite_file()
    with database.connection_context():
        _runner().up("0015_report_units")  # the release before kept months
        database.execute_sql(
            'INSERT INTO "report_unit" ("level", "starts_at", "ends_at", "basis", "total", '
            '"hours", "engineers", "customers") VALUES (\'day\', \'2026-10-01 23:00:00\', '
            '\'2026-10-02 23:00:00\', \'x\', \'{}\', \'{}\', \'{}\', \'{}\')')
    assert 16 in upgrade()
    settings = parse_settings({})
    year = Span.days(settings, date(2026, 1, 1), date(2026, 12, 31),
                     now=datetime(2026, 12, 25, 18, 30, tzinfo=timezone.utc))
    with database.connection_context():
        assert ReportUnit.select().count() == 0
        # the line's first call, the year before: every month of the year may be kept
        Call.create(sid="CA" + "6" * 32, from_number="+447400123458", mode="in_hours",
                    started_at=datetime(2025, 6, 2, 9, tzinfo=timezone.utc), status="missed")
        at = datetime(2026, 10, 20, 9, tzinfo=timezone.utc)
        call = Call.create(sid="CA" + "5" * 32, from_number="+447400123458", started_at=at,
                           mode="in_hours", status="missed")
        assert report(year).total["unfinished"] == 1
        assert ReportUnit.select().where(ReportUnit.level == "month").count() == 11
        Call.update(ended_at=at + timedelta(seconds=40)).where(Call.id == call.id).execute()
        months = [unit.starts_at.astimezone(year.tz).date() for unit in
                  ReportUnit.select().where(ReportUnit.level == "month")]
        assert len(months) == 10 and date(2026, 10, 1) not in months
        assert report(year).total["unfinished"] == 0
