"""Wall-clock times in the team's zone as UTC instants, across DST changes and month ends."""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from dutyline.localtime import local_day_span, local_instant, local_midnight, wall_clock_to_utc

LONDON = ZoneInfo("Europe/London")
SANTIAGO = ZoneInfo("America/Santiago")  # its clocks skip from 00:00 to 01:00 in September


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


# local date, wall clock, zone -> the instant
@pytest.mark.parametrize("day, clock, zone, expected", [
    (date(2026, 12, 1), time(18, 0), LONDON, utc(2026, 12, 1, 18, 0)),       # GMT
    (date(2026, 7, 1), time(18, 0), LONDON, utc(2026, 7, 1, 17, 0)),         # BST
    (date(2026, 3, 29), time(0, 30), LONDON, utc(2026, 3, 29, 0, 30)),       # before the jump
    (date(2026, 3, 29), time(1, 30), LONDON, utc(2026, 3, 29, 1, 30)),       # skipped: 02:30 BST
    (date(2026, 3, 29), time(2, 30), LONDON, utc(2026, 3, 29, 1, 30)),       # after the jump
    (date(2026, 10, 25), time(1, 30), LONDON, utc(2026, 10, 25, 0, 30)),     # repeated: the first
    (date(2026, 10, 25), time(2, 30), LONDON, utc(2026, 10, 25, 2, 30)),
    (date(2026, 3, 28), time.max, LONDON, utc(2026, 3, 29, 0, 0)),           # 24:00, a GMT night
    (date(2026, 3, 29), time.max, LONDON, utc(2026, 3, 29, 23, 0)),          # 24:00 on a 23 h day
    (date(2026, 10, 31), time.max, LONDON, utc(2026, 11, 1, 0, 0)),          # over a month end
    (date(2026, 12, 31), time.max, LONDON, utc(2027, 1, 1, 0, 0)),           # and a year end
    (date(2026, 9, 6), time(0, 0), SANTIAGO, utc(2026, 9, 6, 4, 0)),         # 01:00 -03, the start
])
def test_local_instant(day, clock, zone, expected):
    assert local_instant(day, clock, zone) == expected
    assert local_instant(day, clock, zone).tzinfo == timezone.utc


def test_a_day_is_as_long_as_its_clocks_run():
    lengths = {day: local_day_span(day, day, LONDON)[1] - local_day_span(day, day, LONDON)[0]
               for day in (date(2026, 3, 29), date(2026, 10, 25), date(2026, 11, 30))}
    assert lengths == {date(2026, 3, 29): timedelta(hours=23),
                       date(2026, 10, 25): timedelta(hours=25),
                       date(2026, 11, 30): timedelta(hours=24)}
    assert local_day_span(date(2026, 3, 1), date(2026, 3, 31), LONDON) == (
        local_midnight(date(2026, 3, 1), LONDON), local_midnight(date(2026, 4, 1), LONDON))


def test_local_midnight_of_a_day_whose_midnight_is_skipped_is_when_it_starts():
    start = local_midnight(date(2026, 9, 6), SANTIAGO)
    assert start.astimezone(SANTIAGO).time() == time(1, 0)
    assert start - timedelta(seconds=1) == local_midnight(date(2026, 9, 5), SANTIAGO) + \
        timedelta(hours=24) - timedelta(seconds=1)


@pytest.mark.parametrize("value, expected", [
    (datetime(2026, 3, 29, 1, 30), utc(2026, 3, 29, 1, 30)),                  # naive: London
    (datetime(2026, 10, 25, 1, 30), utc(2026, 10, 25, 0, 30)),
    (datetime(2026, 10, 25, 1, 30, fold=1), utc(2026, 10, 25, 1, 30)),        # the second 01:30
    (datetime(2026, 7, 1, 9, 0, tzinfo=timezone(timedelta(hours=2))), utc(2026, 7, 1, 7, 0)),
])
def test_wall_clock_to_utc(value, expected):
    assert wall_clock_to_utc(value, LONDON) == expected
