"""Duty periods across DST changes and month ends: handover at 18:00 local, always."""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from dutyline.settings import parse_settings
from rota.months import month_slots, month_span, period_days
from rota.periods import period_bounds
from rota.spans import WEEKEND, WEEKNIGHT, in_hours_windows, out_of_hours_spans, period_kind

LONDON = ZoneInfo("Europe/London")
HOURS = 3600


def hours(span_list):
    return sum((b - a).total_seconds() for a, b in span_list) / HOURS


@pytest.mark.parametrize("day, length, out_of_hours", [
    # start day        period hours  out of hours (Mon-Fri 08:00-18:00; the first is a Saturday)
    (date(2026, 3, 28), 23,          23),   # clocks go forward on Sunday 29 March
    (date(2026, 10, 24), 25,         25),   # clocks go back on Sunday 25 October
    (date(2026, 3, 29), 24,          14),   # Sunday evening to Monday evening
    (date(2026, 3, 27), 24,          24),   # Friday evening to Saturday evening
    (date(2026, 12, 31), 24,         24),   # New Year's Day is a holiday
    (date(2028, 2, 28), 24,          14),   # leap year: into 29 February
])
def test_daily_period_lengths(day, length, out_of_hours):
    settings = parse_settings({})
    start, end = period_bounds(day, settings)
    assert start.astimezone(LONDON).time() == time(18) == end.astimezone(LONDON).time()
    assert (end - start).total_seconds() / HOURS == length
    assert hours(out_of_hours_spans(settings, start, end)) == out_of_hours


@pytest.mark.parametrize("day, out_of_hours", [
    # with hours on Sundays too, the change nights are 13 and 15 hours long
    (date(2026, 3, 28), 13),
    (date(2026, 10, 24), 15),
    (date(2026, 10, 17), 14),
])
def test_change_nights_exclude_the_in_hours_part(day, out_of_hours):
    settings = parse_settings({"hours": {"sun": "08:00-18:00"}})
    start, end = period_bounds(day, settings)
    spans = out_of_hours_spans(settings, start, end)
    assert hours(spans) == out_of_hours
    assert spans[-1][1].astimezone(LONDON).time() == time(8)
    assert period_kind(settings, start, end) == WEEKNIGHT


@pytest.mark.parametrize("timezone_name", ["Europe/London", "America/New_York", "Australia/Sydney"])
def test_every_period_of_a_year_runs_handover_to_handover(timezone_name):
    settings = parse_settings({"timezone": timezone_name, "holidays": "", "handover": "18:00"})
    tz = ZoneInfo(timezone_name)
    lengths = []
    for month in range(1, 13):
        slots = month_slots(2026, month, settings)
        assert [s.day for s in slots] == [date(2026, month, 1) + timedelta(days=n)
                                          for n in range(len(slots))]
        for slot in slots:
            assert slot.starts_at.astimezone(tz).replace(tzinfo=None) == datetime.combine(
                slot.day, time(18))
            assert slot.ends_at.astimezone(tz).replace(tzinfo=None) == datetime.combine(
                slot.day + timedelta(days=1), time(18))
            lengths.append((slot.ends_at - slot.starts_at).total_seconds() / HOURS)
        # the month's periods follow each other without a gap
        assert all(a.ends_at == b.starts_at for a, b in zip(slots, slots[1:]))
    assert sorted(set(lengths)) == [23, 24, 25]
    assert lengths.count(23) == lengths.count(25) == 1


@pytest.mark.parametrize("month, first, last, count", [
    # month      first start       last end (local)            periods
    ((2026, 2), date(2026, 2, 1), datetime(2026, 3, 1, 18), 28),
    ((2028, 2), date(2028, 2, 1), datetime(2028, 3, 1, 18), 29),
    ((2026, 12), date(2026, 12, 1), datetime(2027, 1, 1, 18), 31),
])
def test_month_ends(month, first, last, count):
    settings = parse_settings({})
    days = period_days(*month, settings)
    start, end = month_span(*month, settings)
    assert len(days) == count and days[0] == first
    assert start.astimezone(LONDON) == datetime.combine(first, time(18), tzinfo=LONDON)
    assert end.astimezone(LONDON).replace(tzinfo=None) == last


@pytest.mark.parametrize("week_start, month, starts", [
    # weekly periods start on the configured weekday; a month holds those starting in it
    ("mon", (2026, 11), [2, 9, 16, 23, 30]),
    ("fri", (2026, 11), [6, 13, 20, 27]),
    ("sun", (2026, 3), [1, 8, 15, 22, 29]),
])
def test_weekly_periods(week_start, month, starts):
    settings = parse_settings({"period": "week", "week_start": week_start})
    slots = month_slots(*month, settings)
    assert [s.day.day for s in slots] == starts
    for slot in slots:
        assert slot.ends_at.astimezone(LONDON).time() == time(18)
        assert (slot.ends_at.astimezone(LONDON).date() - slot.day).days == 7
    assert all(a.ends_at == b.starts_at for a, b in zip(slots, slots[1:]))


@pytest.mark.parametrize("day, kind", [
    # a period without any business hours in it is a weekend-or-holiday period
    (date(2026, 12, 4), WEEKEND),     # Friday evening to Saturday evening
    (date(2026, 12, 5), WEEKEND),     # Saturday to Sunday
    (date(2026, 12, 6), WEEKNIGHT),   # Sunday evening to Monday evening: Monday's hours
    (date(2026, 12, 24), WEEKEND),    # into Christmas Day
    (date(2026, 12, 27), WEEKEND),    # Sunday into the Boxing Day substitute Monday
    (date(2026, 12, 29), WEEKNIGHT),
])
def test_period_kinds(day, kind):
    settings = parse_settings({})
    assert period_kind(settings, *period_bounds(day, settings)) == kind


def test_in_hours_windows_follow_local_time_across_the_change():
    settings = parse_settings({})
    start = datetime(2026, 3, 27, 0, 0, tzinfo=timezone.utc)
    windows = in_hours_windows(settings, start, start + timedelta(days=4))
    # Friday 08:00 GMT, then Monday 08:00 BST (07:00 UTC)
    assert [(a.hour, b.hour) for a, b in windows] == [(8, 18), (7, 17)]
