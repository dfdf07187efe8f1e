"""Calls from blocked numbers are never offered: left out of the service level, abandonment
and short abandons, counted apart (`blocked`) per day, in the CSV, the text table and the
weekly mail, and the same from kept days as counted from the call log."""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from reports import Span, report, weekly
from reports.models import ReportUnit
from reports.tables import report_csv, report_text

LONDON = ZoneInfo("Europe/London")
TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
WEDNESDAY_10 = datetime(2026, 12, 2, 10, 0, tzinfo=LONDON)
THURSDAY_9 = datetime(2026, 12, 3, 9, 0, tzinfo=LONDON)
NUISANCE = "+447400999888"


@pytest.fixture
def calls(log_call, make_engineer):
    """Tuesday: one answer within 8 s, one abandoned while ringing, three blocked calls (two
    over in 4 s, which would be short abandons, one after 40 s, which would be abandoned in
    the greeting). Wednesday: one answer, one blocked call whose end never came."""
    ben = make_engineer("Ben Smith")
    log_call(TUESDAY_10, answered=8, ringing=1, ended=100, legs=[(ben, "accepted", 1, 5, 8, 100)])
    log_call(TUESDAY_10 + timedelta(minutes=5), ringing=1, ended=50,
             legs=[(ben, "no-answer", 1, None, None, 20)])
    for minutes, ended in ((10, 4), (20, 4), (30, 40)):
        blocked = log_call(TUESDAY_10 + timedelta(minutes=minutes), ended=ended, status="blocked")
        blocked.from_number = NUISANCE
        blocked.save()
    log_call(WEDNESDAY_10, answered=5, ringing=1, ended=60, legs=[(ben, "accepted", 1, 3, 5, 60)])
    log_call(WEDNESDAY_10 + timedelta(hours=1), ended=None, status="blocked")
    return ben


def two_days(settings):
    return Span.days(settings, date(2026, 12, 1), date(2026, 12, 2), now=THURSDAY_9)


def figures(row, *names):
    return tuple(row[name] for name in names)


NAMES = ("calls", "blocked", "offered", "answered", "answered_within", "service_level",
         "abandoned", "short_abandons", "abandonment", "unfinished")


def test_blocked_calls_are_counted_apart_per_day_and_never_offered(settings, calls):
    by_day = report(two_days(settings), "day", kept=False)
    tuesday, wednesday = by_day.rows
    assert figures(tuesday, *NAMES) == (5, 3, 2, 1, 1, 0.5, 1, 0, 0.5, 0)
    assert figures(wednesday, *NAMES) == (2, 1, 1, 1, 1, 1.0, 0, 0, 0.0, 0)
    assert figures(by_day.total, *NAMES) == (7, 4, 3, 2, 2, 2 / 3, 1, 0, 1 / 3, 0)
    assert "calls from blocked numbers" in by_day.formula


def test_kept_days_give_the_same_blocked_figures_and_a_late_blocked_call_counts(
        settings, calls, log_call):
    span = two_days(settings)
    counted = report(span, "day", kept=False)
    for _ in range(2):  # the first keeps the days, the second reads them
        kept = report(span, "day")
        assert (kept.rows, kept.total) == (counted.rows, counted.total)
    assert ReportUnit.select().where(ReportUnit.level == "day").count() == 2
    # a blocked call written into a kept day (the triggers forget that day)
    log_call(TUESDAY_10 + timedelta(hours=2), ended=4, status="blocked")
    later = report(span, "day")
    assert [row["blocked"] for row in later.rows] == [4, 1]
    assert later.total == report(span, "day", kept=False).total


def test_blocked_calls_belong_to_nobody_in_the_engineers_report(settings, calls):
    result = report(two_days(settings), "engineer")
    rows = {row["label"]: row for row in result.rows}
    assert rows["Ben Smith"]["blocked"] is None
    assert rows["(nobody)"]["blocked"] == 4 and result.total["blocked"] == 4


def test_the_csv_and_the_text_table_show_blocked_per_day(settings, calls):
    by_day = report(two_days(settings), "day")
    lines = list(csv.DictReader(io.StringIO(report_csv(by_day))))
    assert [(line["key"], line["blocked"], line["offered"]) for line in lines] == [
        ("2026-12-01", "3", "2"), ("2026-12-02", "1", "1"), ("total", "4", "3")]
    table = report_text(by_day, "day").splitlines()
    headings = table[0].split()
    assert headings[-1] == "blocked"
    assert [line.split()[-1] for line in table[2:5]] == ["3", "1", "4"]


def test_the_weekly_mail_counts_blocked_calls_apart_and_lists_none_as_missed(settings, calls):
    subject, body = weekly.summary_mail(settings, date(2026, 11, 30), date(2026, 12, 6),
                                        datetime(2026, 12, 7, 9, 0, tzinfo=LONDON))
    assert subject.endswith("1 missed call(s)")  # the one abandoned while ringing
    assert "(2 of 3 offered calls)" in body
    assert "Blocked:         4 call(s) from numbers on the block list, not offered" in body
    assert NUISANCE not in body
