"""Business hours, holidays and closure days in the team's time zone."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from dutyline.settings import parse_settings
from hours.business_hours import IN_HOURS, OUT_OF_HOURS, is_in_hours, mode_at

LONDON = ZoneInfo("Europe/London")
DEFAULT = parse_settings({})
SHORT_FRIDAY = parse_settings({"hours": {"mon": "08:00-16:00", "tue": "08:00-16:00",
                                         "wed": "08:00-16:00", "thu": "08:00-16:00",
                                         "fri": "08:00-15:00"},
                               "closed": ["2026-12-24"]})


def local(*args):
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize("settings, when, expected", [
    # header: settings, local time, in hours?
    (DEFAULT, local(2026, 12, 1, 7, 59), False),       # Tuesday, before opening
    (DEFAULT, local(2026, 12, 1, 8, 0), True),         # opening minute
    (DEFAULT, local(2026, 12, 1, 17, 59), True),
    (DEFAULT, local(2026, 12, 1, 18, 0), False),       # closing minute is closed
    (DEFAULT, local(2026, 12, 5, 10, 0), False),       # Saturday
    (DEFAULT, local(2026, 12, 25, 10, 0), False),      # Christmas Day
    (DEFAULT, local(2026, 12, 28, 10, 0), False),      # Boxing Day observed (Monday)
    (DEFAULT, local(2026, 4, 3, 10, 0), False),        # Good Friday
    (DEFAULT, local(2026, 4, 6, 10, 0), False),        # Easter Monday
    (DEFAULT, local(2026, 8, 31, 10, 0), False),       # Late Summer bank holiday
    (DEFAULT, local(2026, 3, 17, 10, 0), True),        # St Patrick's Day: not in England
    (DEFAULT, local(2026, 12, 24, 10, 0), True),       # Christmas Eve is a working day
    (SHORT_FRIDAY, local(2026, 12, 24, 10, 0), False),  # ...unless closed in the settings
    (SHORT_FRIDAY, local(2026, 12, 4, 14, 59), True),  # Friday closes at 15:00
    (SHORT_FRIDAY, local(2026, 12, 4, 15, 0), False),
    (SHORT_FRIDAY, local(2026, 12, 3, 15, 30), True),  # Thursday until 16:00
    (DEFAULT, local(2026, 3, 30, 8, 30), True),        # first Monday of summer time
    (DEFAULT, local(2026, 10, 26, 7, 30), False),      # first Monday of winter time
])
def test_in_hours(settings, when, expected):
    assert is_in_hours(settings, when) is expected
    # the same instant given in UTC gives the same answer
    assert is_in_hours(settings, when.astimezone(timezone.utc)) is expected


def test_utc_instant_is_read_in_local_time():
    # 07:30 UTC on 1 June is 08:30 in London (BST): open; in winter 07:30 UTC is 07:30: closed
    assert mode_at(DEFAULT, datetime(2026, 6, 1, 7, 30, tzinfo=timezone.utc)) == IN_HOURS
    assert mode_at(DEFAULT, datetime(2026, 12, 1, 7, 30, tzinfo=timezone.utc)) == OUT_OF_HOURS


def test_other_time_zone_and_no_holidays():
    settings = parse_settings({"timezone": "America/New_York", "holidays": ""})
    # 25 December 10:00 New York, no holiday region: open
    assert is_in_hours(settings, datetime(2026, 12, 25, 15, 0, tzinfo=timezone.utc))
    # 12:59 UTC is 07:59 in New York: closed; 13:00 UTC is 08:00: open
    assert not is_in_hours(settings, datetime(2026, 12, 1, 12, 59, tzinfo=timezone.utc))
    assert is_in_hours(settings, datetime(2026, 12, 1, 13, 0, tzinfo=timezone.utc))


def test_split_day_and_weekend_hours():
    settings = parse_settings({"hours": {"sat": "09:00-12:00, 13:00-24:00"}})
    assert is_in_hours(settings, local(2026, 12, 5, 11, 0))
    assert not is_in_hours(settings, local(2026, 12, 5, 12, 30))
    assert is_in_hours(settings, local(2026, 12, 5, 23, 59))
    assert not is_in_hours(settings, local(2026, 12, 1, 10, 0))  # weekdays now closed


def test_naive_time_is_refused():
    with pytest.raises(ValueError):
        is_in_hours(DEFAULT, datetime(2026, 12, 1, 10, 0))


def oracle(when_utc):
    """A plain restatement: Mon-Fri 08:00-18:00 London, England's bank holidays of 2026 excluded."""
    offset = timedelta(hours=1) if datetime(2026, 3, 29, 1, tzinfo=timezone.utc) <= when_utc \
        < datetime(2026, 10, 25, 1, tzinfo=timezone.utc) else timedelta(0)
    wall = (when_utc + offset).replace(tzinfo=None)
    bank_holidays = {(4, 3), (4, 6)}  # Good Friday and Easter Monday fall in the first window
    if wall.weekday() >= 5 or (wall.month, wall.day) in bank_holidays:
        return False
    return 8 <= wall.hour < 18


@pytest.mark.parametrize("start, end", [
    ("2026-03-27", "2026-04-01"),   # clocks go forward Sunday 29 March 01:00 UTC
    ("2026-10-23", "2026-10-28"),   # clocks go back Sunday 25 October 01:00 UTC
])
def test_sweep_every_quarter_hour_across_dst(start, end):
    when = datetime.fromisoformat(start).replace(tzinfo=timezone.utc)
    stop = datetime.fromisoformat(end).replace(tzinfo=timezone.utc)
    checked = 0
    while when < stop:
        assert is_in_hours(DEFAULT, when) is oracle(when), when.isoformat()
        when += timedelta(minutes=15)
        checked += 1
    assert checked == 5 * 24 * 4
