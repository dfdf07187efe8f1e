"""Calls by weekday and local hour (the Reports page's heat map): each call once, at the hour
it arrived in the team's zone, across the changes to and from summer time; the same from
kept figures as counted from the calls."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from reports import Budget, Span
from reports.heat import grid, weekday_hours
from reports.models import ReportUnit

LONDON = ZoneInfo("Europe/London")
UTC = timezone.utc
SUNDAY, SATURDAY, MONDAY = 6, 5, 0


def counts(span, **options):
    return weekday_hours(span, **options)


@pytest.mark.parametrize("now", [
    datetime(2026, 10, 26, 12, 0, tzinfo=UTC),  # the day after: the change day is kept
    datetime(2026, 10, 25, 3, 0, tzinfo=UTC),   # during it: its closed hours kept, one by one
])
def test_the_hour_the_clocks_go_back_over_counts_each_call_once(settings, log_call, now):
    # Sun 25 Oct 2026: 01:30 BST is 00:30 UTC, 01:30 GMT is 01:30 UTC
    for day, hour, minute in ((25, 0, 30), (25, 1, 30), (25, 1, 45), (24, 23, 30), (25, 2, 10)):
        log_call(datetime(2026, 10, day, hour, minute, tzinfo=UTC), answered=4, ended=60)
    span = Span.days(settings, date(2026, 10, 24), date(2026, 10, 25), now=now)
    counted = counts(span, kept=False)
    assert counted == {(SUNDAY, 0): 1, (SUNDAY, 1): 3, (SUNDAY, 2): 1}
    assert counts(span) == counted  # kept days and hours give the same
    assert counts(span) == counted  # and again, read back from what was kept


def test_the_hour_the_clocks_skip_has_no_calls_and_the_next_one_has_them(settings, log_call):
    # Sun 29 Mar 2026: 00:59 GMT, then 01:00 UTC is 02:00 BST
    for day, hour, minute, second in ((29, 0, 59, 0), (29, 1, 0, 0), (29, 1, 30, 0),
                                      (28, 23, 59, 59)):
        log_call(datetime(2026, 3, day, hour, minute, second, tzinfo=UTC), answered=4, ended=60)
    span = Span.days(settings, date(2026, 3, 28), date(2026, 3, 29),
                     now=datetime(2026, 4, 2, tzinfo=UTC))
    assert counts(span) == counts(span, kept=False) == {
        (SATURDAY, 23): 1, (SUNDAY, 0): 1, (SUNDAY, 2): 2}


def test_a_month_kept_whole_is_read_by_its_days(settings, log_call, db):
    """A kept month has lost its days' weekdays: the heat map reads its days instead."""
    log_call(datetime(2026, 11, 2, 9, 15, tzinfo=UTC), answered=3)    # Mon 09:00
    log_call(datetime(2026, 11, 7, 9, 15, tzinfo=UTC), answered=3)    # Sat 09:00
    log_call(datetime(2026, 11, 30, 17, 5, tzinfo=UTC), voicemail=30, ended=70)  # Mon 17:00
    from reports import report

    span = Span.days(settings, date(2026, 11, 1), date(2026, 11, 30),
                     now=datetime(2026, 12, 7, tzinfo=UTC))
    assert report(span).total["calls"] == 3  # keeps November as a month, and its days
    assert ReportUnit.select().where(ReportUnit.level == "month").count() == 1
    assert counts(span) == counts(span, kept=False) == {
        (MONDAY, 9): 1, (SATURDAY, 9): 1, (MONDAY, 17): 1}


def test_only_the_calls_of_the_mode_asked(settings, log_call):
    log_call(datetime(2026, 12, 1, 10, 0, tzinfo=UTC), answered=3, mode="in_hours")
    log_call(datetime(2026, 12, 1, 22, 0, tzinfo=UTC), answered=3, mode="out_of_hours")
    span = Span.days(settings, date(2026, 12, 1), date(2026, 12, 1), mode="out_of_hours",
                     now=datetime(2026, 12, 3, tzinfo=UTC))
    assert counts(span) == counts(span, kept=False) == {(1, 22): 1}


@pytest.mark.parametrize("settings_data, first", [({}, "Mon"), ({"week_start": "sun"}, "Sun")])
def test_the_grid_starts_on_the_teams_first_weekday(settings, log_call, settings_data, first):
    for minutes in (0, 20, 40):
        log_call(datetime(2026, 12, 6, 14, minutes, tzinfo=UTC), answered=3)  # a Sunday
    span = Span.days(settings, date(2026, 12, 1), date(2026, 12, 6),
                     now=datetime(2026, 12, 7, tzinfo=UTC))
    rows = grid(span, weekday_hours(span))
    assert [name for name, _ in rows][0] == first and len(rows) == 7
    assert all(len(hours) == 24 for _, hours in rows)
    assert dict(rows)["Sun"][14] == 3 and sum(sum(hours) for _, hours in rows) == 3


def test_a_long_span_from_its_kept_days(settings, log_call):
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    for day in range(0, 330, 3):
        log_call(start + timedelta(days=day, minutes=day % 60), answered=5)
    span = Span.days(settings, date(2026, 1, 1), date(2026, 11, 30),
                     now=datetime(2026, 12, 7, tzinfo=UTC))
    kept = counts(span, budget=Budget(300))  # eleven months' days counted and kept at once
    assert kept == counts(span) == counts(span, kept=False)
    assert sum(kept.values()) == 110
