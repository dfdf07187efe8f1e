"""What one report may ask and do (reports.limits): at most three years, counted from the
first logged call when asked from before it; kept figures filled while a budget lasts, one
unit at least, then "still counting" and the next report goes on; a unit changed while it
was counted is not kept."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from reports import GROUPS, Budget, ReportError, Span, StillCounting, report, units, weekly
from reports.limits import MAX_DAYS, report_span
from reports.models import ReportUnit
from outbox.models import OutboxMessage
from telephony.models import Call

LONDON = ZoneInfo("Europe/London")
UTC = timezone.utc
TUESDAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)


def kept_units(span):
    return ReportUnit.select().where(ReportUnit.basis == units.basis(span)).count()


def assert_as_counted(span, result, group=None):
    counted = report(span, group, kept=False)
    assert (result.rows, result.total) == (counted.rows, counted.total)


def test_three_years_are_the_most_a_report_covers(settings, db):
    first = TUESDAY - timedelta(days=MAX_DAYS - 1)
    widest = report_span(settings, first, TUESDAY, now=NOW)
    assert widest.start.astimezone(LONDON).date() == first
    with pytest.raises(ReportError) as refused:
        report_span(settings, first - timedelta(days=1), TUESDAY, now=NOW)
    assert str(refused.value) == (f"a report covers at most 1,098 days (three years): "
                                  f"{first - timedelta(days=1)} to {TUESDAY} is 1,099 days")
    with pytest.raises(ReportError) as century:
        report_span(settings, date(1900, 1, 1), date(2100, 12, 31), now=NOW)
    assert "1900-01-01 to 2100-12-31 is 73,414 days" in str(century.value)
    with pytest.raises(ReportError):  # however the span was made
        report(Span.days(settings, date(2020, 1, 1), TUESDAY, now=NOW))


def test_a_long_span_from_before_the_first_call_starts_at_it(settings, db, log_call):
    log_call(datetime(2026, 3, 4, 9, 0, tzinfo=LONDON), answered=5)
    since = report_span(settings, date(1900, 1, 1), TUESDAY, now=NOW)
    assert since.start == datetime(2026, 3, 4, 0, 0, tzinfo=LONDON)
    assert report(since).total["calls"] == 1
    # within the limit a span is what was asked, every day of it a row
    within = report_span(settings, date(2026, 1, 1), TUESDAY, now=NOW)
    assert within.start == datetime(2026, 1, 1, 0, 0, tzinfo=LONDON)
    with pytest.raises(ReportError) as refused:
        report_span(settings, date(1900, 1, 1), date(2100, 12, 31), now=NOW)
    assert "2026-03-04 (the first call logged) to 2100-12-31 is 27,331 days" in str(
        refused.value)


def test_units_before_the_first_call_are_counted_not_kept(settings, db, log_call):
    log_call(datetime(2026, 11, 20, 9, 0, tzinfo=LONDON), answered=5)
    log_call(datetime(2026, 11, 24, 15, 0, tzinfo=LONDON), ringing=1, ended=40)
    span = Span.days(settings, date(2026, 11, 2), date(2026, 11, 30), now=NOW)
    result = report(span, "day")
    kept = sorted(unit.starts_at.astimezone(LONDON).date() for unit in ReportUnit.select())
    assert kept == [date(2026, 11, day) for day in range(20, 31)]
    assert_as_counted(span, result, "day")


def test_filling_stops_when_its_budget_is_spent_and_the_next_report_goes_on(
        settings, db, log_call):
    log_call(datetime(2026, 11, 1, 9, 0, tzinfo=LONDON), answered=5)  # the first call
    for day in range(24, 29):
        log_call(datetime(2026, 11, day, 11, 0, tzinfo=LONDON), answered=day - 20)
    span = Span.days(settings, date(2026, 11, 24), date(2026, 11, 28), now=NOW)
    for done in range(1, 5):  # a spent budget: one unit each time
        with pytest.raises(StillCounting) as counting:
            report(span, "day", budget=Budget(0))
        assert kept_units(span) == done
        assert counting.value.done == done / 5
        assert str(counting.value) == (f"still counting this span's figures "
                                       f"({done * 20}% done): ask again to go on")
    result = report(span, "day", budget=Budget(0))  # the last unit: the figures
    assert kept_units(span) == 5 and result.total["answered"] == 5
    assert_as_counted(span, result, "day")


def test_a_month_is_filled_day_by_day_across_reports(settings, db, log_call):
    log_call(datetime(2026, 10, 30, 9, 0, tzinfo=LONDON), answered=5)
    log_call(datetime(2026, 11, 12, 9, 0, tzinfo=LONDON), answered=15)
    november = Span.days(settings, date(2026, 11, 1), date(2026, 11, 30), now=NOW)
    with pytest.raises(StillCounting) as counting:
        report(november, budget=Budget(0))
    assert counting.value.done == pytest.approx(1 / 30, abs=0.01)  # its first day
    for _ in range(30):
        try:
            result = report(november, budget=Budget(0))
            break
        except StillCounting:
            continue
    assert ReportUnit.get(ReportUnit.level == "month").basis == units.basis(november)
    assert_as_counted(november, result)


def test_a_unit_changed_while_it_is_counted_is_not_kept(settings, db, log_call, monkeypatch):
    log_call(datetime(2026, 11, 20, 9, 0, tzinfo=LONDON), ended=None)  # still unfinished
    day = Span.days(settings, date(2026, 11, 20), date(2026, 11, 20), now=NOW)
    count = units.count

    def count_and_end_the_call(sub, level):
        found = count(sub, level)
        Call.update(ended_at=datetime(2026, 11, 20, 9, 1, tzinfo=LONDON),
                    ringing_at=datetime(2026, 11, 20, 9, 0, 2, tzinfo=LONDON)).execute()
        return found

    monkeypatch.setattr(units, "count", count_and_end_the_call)
    during = report(day)
    assert during.total["unfinished"] == 1  # as counted, before the call ended
    assert kept_units(day) == 0  # the change deleted the unit's marker: not kept
    monkeypatch.setattr(units, "count", count)
    after = report(day)
    assert (after.total["unfinished"], after.total["abandoned"]) == (0, 1)
    assert kept_units(day) == 1
    for group in (None, *GROUPS):
        assert_as_counted(day, report(day, group), group)


def test_the_weekly_mail_waits_for_a_week_still_counting(settings, db, log_call, monkeypatch):
    log_call(datetime(2026, 11, 2, 9, 0, tzinfo=LONDON), answered=5)
    log_call(datetime(2026, 12, 1, 10, 0, tzinfo=LONDON), answered=8)
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=LONDON)
    plain = weekly.report
    monkeypatch.setattr(weekly, "report", lambda span: plain(span, budget=Budget(0)))
    passes = 1
    while not weekly.queue_weekly_summary(settings, "boss@example.com", monday):
        assert OutboxMessage.select().count() == 0
        passes += 1
        assert passes <= 8  # a day a pass
    assert passes == 7
    assert "(1 of 1 offered calls)" in OutboxMessage.get().body
