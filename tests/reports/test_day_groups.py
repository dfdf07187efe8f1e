"""Reports by week and by month: the days of the team's zone added up, cut at local midnight
on the week's first day (the settings' week_start) and on the 1st of the month, across the
changes to and from summer time; the same from kept figures as counted from the calls."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from reports import Span, report
from reports.day_groups import fold, period_key, periods
from reports.measures import CallTally

LONDON = ZoneInfo("Europe/London")
UTC = timezone.utc
AFTER = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)  # the report is made later: months kept


def local(*args, again=False):
    """A local wall-clock time; `again`: the second of a time the clocks go back over."""
    return datetime(*args, tzinfo=LONDON).replace(fold=int(again))


# one call at each moment (Europe/London), with the week (from Monday, from Sunday) and the
# month it belongs to
AUTUMN = [
    # the night summer time ends, Sun 25 Oct 2026: 01:00-02:00 comes twice
    (local(2026, 10, 24, 23, 59, 59), "2026-10-19", "2026-10-18", "2026-10"),
    (local(2026, 10, 25, 0, 0), "2026-10-19", "2026-10-25", "2026-10"),
    (local(2026, 10, 25, 1, 30), "2026-10-19", "2026-10-25", "2026-10"),          # BST
    (local(2026, 10, 25, 1, 30, again=True), "2026-10-19", "2026-10-25", "2026-10"),  # GMT
    (local(2026, 10, 25, 23, 59, 59), "2026-10-19", "2026-10-25", "2026-10"),
    (local(2026, 10, 26, 0, 0), "2026-10-26", "2026-10-25", "2026-10"),
    # a month's end inside a week
    (local(2026, 10, 31, 23, 59, 59), "2026-10-26", "2026-10-25", "2026-10"),
    (local(2026, 11, 1, 0, 0), "2026-10-26", "2026-11-01", "2026-11"),
    (local(2026, 11, 30, 23, 59, 59), "2026-11-30", "2026-11-29", "2026-11"),
]
SPRING = [
    # the night summer time starts, Sun 29 Mar 2026: 01:00-02:00 never comes
    (local(2026, 3, 28, 23, 59, 59), "2026-03-23", "2026-03-22", "2026-03"),
    (local(2026, 3, 29, 0, 30), "2026-03-23", "2026-03-29", "2026-03"),
    (local(2026, 3, 29, 2, 30), "2026-03-23", "2026-03-29", "2026-03"),  # BST, 01:30 UTC
    (local(2026, 3, 29, 23, 59, 59), "2026-03-23", "2026-03-29", "2026-03"),
    (local(2026, 3, 30, 0, 0), "2026-03-30", "2026-03-29", "2026-03"),
    (local(2026, 3, 31, 23, 59, 59), "2026-03-30", "2026-03-29", "2026-03"),  # 22:59:59 UTC
    (local(2026, 4, 1, 0, 0), "2026-03-30", "2026-03-29", "2026-04"),  # 23:00 UTC on the 31st
]


def expected(moments, column):
    counts = {}
    for moment in moments:
        counts[moment[column]] = counts.get(moment[column], 0) + 1
    return counts


@pytest.mark.parametrize("moments, first, last", [
    (AUTUMN, date(2026, 10, 1), date(2026, 11, 30)),
    (SPRING, date(2026, 3, 1), date(2026, 4, 30)),
])
@pytest.mark.parametrize("kept", [True, False])
@pytest.mark.parametrize("settings_data, column", [({}, 1), ({"week_start": "sun"}, 2)])
def test_weeks_and_months_cut_at_local_midnight(settings, log_call, moments, first, last, kept,
                                                settings_data, column):
    for at, *_ in moments:
        log_call(at.astimezone(UTC), answered=5, ended=60)
    span = Span.days(settings, first, last, now=AFTER)
    weeks = report(span, "week", kept=kept)
    calls = {row["key"]: row["calls"] for row in weeks.rows if row["calls"]}
    assert calls == expected(moments, column)
    months = report(span, "month", kept=kept)
    assert {row["key"]: row["calls"] for row in months.rows} == expected(moments, 3)
    assert weeks.total == months.total == report(span, kept=kept).total
    assert weeks.total["calls"] == len(moments)


@pytest.mark.parametrize("kept", [True, False])
def test_a_week_is_the_sum_of_its_days(settings, log_call, kept):
    for day in range(1, 31):  # a call a day, answered after day % 20 seconds
        at = local(2026, 11, day, 9, 0).astimezone(UTC)
        log_call(at, answered=day % 20, ended=90)
        log_call(at + timedelta(hours=1), ended=40, voicemail=30)
    span = Span.days(settings, date(2026, 11, 1), date(2026, 11, 30), now=AFTER)
    days = report(span, "day", kept=kept).rows
    for row in report(span, "week", kept=kept).rows:
        inside = [day for day in days if row["first_day"] <= day["key"] <= row["last_day"]]
        whole = CallTally()
        for day in inside:
            whole.calls += day["calls"]
            whole.answered += day["answered"]
            whole.answered_within += day["answered_within"]
            whole.voicemail += day["voicemail"]
        assert (row["calls"], row["answered"], row["answered_within"], row["voicemail"]) == (
            whole.calls, whole.answered, whole.answered_within, whole.voicemail)
        assert row["service_level"] == whole.answered_within / (whole.calls or 1)


def test_the_first_and_last_week_and_month_are_cut_to_the_span(settings):
    span = Span.days(settings, date(2026, 12, 1), date(2027, 1, 13), now=AFTER)  # Tue to Wed
    weeks = periods(span, "week")
    assert weeks[0] == ("2026-11-30", "Tue 01 Dec – Sun 06 Dec 2026", date(2026, 12, 1),
                        date(2026, 12, 6))
    assert weeks[-1] == ("2027-01-11", "Mon 11 Jan – Wed 13 Jan 2027", date(2027, 1, 11),
                         date(2027, 1, 13))
    assert len(weeks) == 7
    assert periods(span, "month") == [
        ("2026-12", "December 2026", date(2026, 12, 1), date(2026, 12, 31)),
        ("2027-01", "January 2027 (1–13)", date(2027, 1, 1), date(2027, 1, 13))]
    assert period_key(date(2026, 12, 1), "week", week_start=6) == "2026-11-29"  # a Sunday


def test_rows_of_weeks_say_which_days_they_hold(settings, log_call):
    log_call(local(2026, 12, 2, 10, 0).astimezone(UTC), answered=4)
    span = Span.days(settings, date(2026, 12, 1), date(2026, 12, 13), now=AFTER)
    rows = report(span, "week").rows
    assert [(row["key"], row["first_day"], row["last_day"], row["calls"]) for row in rows] == [
        ("2026-11-30", "2026-12-01", "2026-12-06", 1), ("2026-12-07", "2026-12-07",
                                                        "2026-12-13", 0)]
    assert report(span, "week").as_dict()["groups"][0]["first_day"] == "2026-12-01"


def test_fold_adds_up_days_into_months():
    one, two = CallTally(calls=1, waits={3: 1}), CallTally(calls=2, waits={3: 1, 9: 1})
    folded = fold({"2026-10-31": one, "2026-11-01": two, "2026-11-30": one}, "month")
    assert {key: (tally.calls, tally.waits) for key, tally in folded.items()} == {
        "2026-10": (1, {3: 1}), "2026-11": (3, {3: 2, 9: 1})}
    assert one.calls == 1 and one.waits == {3: 1}  # the days' own tallies are left as they were
