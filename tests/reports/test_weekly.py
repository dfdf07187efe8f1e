"""The weekly summary mail: last full local week, queued once however often the clock runs."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from dutyline.db import database
from reports import weekly
from outbox.models import OutboxMessage
from console.main import main
from tests.conftest import app_info

LONDON = ZoneInfo("Europe/London")
MONDAY_7_DEC = datetime(2026, 12, 7, 9, 0, tzinfo=LONDON)


# the clock's instant (local) -> the week it summarises
@pytest.mark.parametrize("now, week", [
    (datetime(2026, 12, 7, 0, 0, tzinfo=LONDON), (date(2026, 11, 30), date(2026, 12, 6))),
    (datetime(2026, 12, 6, 23, 59, tzinfo=LONDON), (date(2026, 11, 23), date(2026, 11, 29))),
    # clocks went back on Sunday 25 October: that week ended at 00:00 GMT Monday
    (datetime(2026, 10, 26, 0, 30, tzinfo=LONDON), (date(2026, 10, 19), date(2026, 10, 25))),
    # 23:59 UTC that Sunday is still Sunday in London (GMT): the week is not over
    (datetime(2026, 10, 25, 23, 59, tzinfo=timezone.utc), (date(2026, 10, 12), date(2026, 10, 18))),
])
def test_last_full_week(settings, now, week):
    assert weekly.last_full_week(settings, now) == week


def test_summary_is_queued_once_with_the_figures(settings, log_call, make_engineer):
    ben = make_engineer("Ben Smith")
    tuesday = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
    log_call(tuesday, answered=8, ringing=1, ended=100, legs=[(ben, "accepted", 1, 5, 8, 100)])
    log_call(tuesday, ringing=1, ended=50, legs=[(ben, "no-answer", 1, None, None, 20)])
    assert weekly.queue_weekly_summary(settings, "boss@example.com", MONDAY_7_DEC)
    assert not weekly.queue_weekly_summary(settings, "boss@example.com", MONDAY_7_DEC)
    mail = OutboxMessage.get()
    assert (mail.channel, mail.recipient) == ("email", "boss@example.com")
    assert mail.subject == "[dutyline] Week of 30 Nov 2026: service level 50.0%, 1 missed call(s)"
    assert "answered within 12 s (1 of 2 offered calls)" in mail.body
    assert "Speed of answer: mean 8 s" in mail.body
    assert "rung: Ben Smith" in mail.body
    assert "past their deadline 0" in mail.body


def test_clock_queues_the_summary_once_across_restarts(app, clock, monkeypatch):
    clock.set(MONDAY_7_DEC.astimezone(timezone.utc))
    app.config["REPORT_EMAIL"] = "boss@example.com"
    runner = CliRunner()
    first = runner.invoke(main, ["clock", "--once"], obj=app_info(app))
    assert first.exit_code == 0, first.output
    assert "queued 1 notice(s)" in first.output
    again = runner.invoke(main, ["clock", "--once"], obj=app_info(app))  # a restart: a new process
    assert "queued 0 notice(s)" in again.output
    with database.connection_context():
        assert [m.dedupe_key for m in OutboxMessage.select()] == ["report:week:2026-11-30"]


def test_clock_refuses_a_report_email_that_is_no_address(app):
    app.config["REPORT_EMAIL"] = "boss"
    result = CliRunner().invoke(main, ["clock", "--once"], obj=app_info(app))
    assert result.exit_code != 0 and "REPORT_EMAIL: not an e-mail address" in result.output


def test_summary_lists_the_call_backs_still_due(settings, log_call):
    from voicemail import missed

    tuesday = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
    log_call(tuesday, ringing=1, ended=50)
    assert missed.queue_missed_calls(settings, tuesday.astimezone(timezone.utc)
                                     + timedelta(minutes=5)) == 1
    _, body = weekly.summary_mail(settings, date(2026, 11, 30), date(2026, 12, 6), MONDAY_7_DEC)
    assert "Call-backs due: 1" in body and "#1001  Tue 01 Dec 10:00" in body
    assert "(no contract): 1 ticket(s), 0 in time; broke the contract: #1001" in body
