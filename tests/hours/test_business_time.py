"""Reaction deadlines counted in business hours, across weekends, holidays and DST."""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from dutyline.settings import parse_settings
from hours.business_time import add_business_time, business_minutes_between
from hours.durations import format_duration, parse_duration

LONDON = ZoneInfo("Europe/London")
CONTRACT_HOURS = parse_settings({"hours": {"mon": "08:00-16:00", "tue": "08:00-16:00",
                                           "wed": "08:00-16:00", "thu": "08:00-16:00",
                                           "fri": "08:00-15:00"}})
DEFAULT = parse_settings({})


def local(*args):
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize("settings, start, minutes, deadline", [
    # header: hours, ticket created (local), working minutes -> deadline (local)
    (CONTRACT_HOURS, local(2026, 11, 27, 14, 0), 240, local(2026, 11, 30, 11, 0)),  # Fri 14:00
    (CONTRACT_HOURS, local(2026, 11, 27, 3, 0), 240, local(2026, 11, 27, 12, 0)),   # at night
    (CONTRACT_HOURS, local(2026, 11, 28, 10, 0), 240, local(2026, 11, 30, 12, 0)),  # Saturday
    (CONTRACT_HOURS, local(2026, 11, 30, 15, 59), 1, local(2026, 11, 30, 16, 0)),
    (CONTRACT_HOURS, local(2026, 11, 30, 16, 0), 1, local(2026, 12, 1, 8, 1)),
    # Christmas: Thu 24 Dec 14:00, then 25, 26 (Sat), 28 (Boxing Day observed) are closed
    (CONTRACT_HOURS, local(2026, 12, 24, 14, 0), 240, local(2026, 12, 29, 10, 0)),
    # Easter 2026: Good Friday 3 April and Easter Monday 6 April
    (DEFAULT, local(2026, 4, 2, 16, 0), 240, local(2026, 4, 7, 10, 0)),
    # the clocks go forward on Sunday 29 March: Friday 17:00 + 2h is Monday 09:00 BST
    (DEFAULT, local(2026, 3, 27, 17, 0), 120, local(2026, 3, 30, 9, 0)),
    # ...and back on Sunday 25 October: Friday 17:00 BST + 2h is Monday 09:00 GMT
    (DEFAULT, local(2026, 10, 23, 17, 0), 120, local(2026, 10, 26, 9, 0)),
    # month and year end
    (DEFAULT, local(2026, 12, 31, 17, 30), 60, local(2027, 1, 4, 8, 30)),
])
def test_deadline(settings, start, minutes, deadline):
    result = add_business_time(settings, start.astimezone(timezone.utc), minutes)
    assert result == deadline
    assert result.tzinfo is not None


@pytest.mark.parametrize("text, minutes", [("4h", 240), ("90m", 90), ("2h30m", 150), ("1h 5m", 65)])
def test_parse_duration(text, minutes):
    assert parse_duration(text) == minutes
    assert parse_duration(format_duration(minutes)) == minutes


@pytest.mark.parametrize("text", ["", "4", "h", "0h", "four hours", "-1h"])
def test_parse_duration_refuses(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_no_open_hours_at_all_is_an_error():
    with pytest.raises(ValueError, match="no business hours"):
        add_business_time(parse_settings({"hours": {}}), local(2026, 1, 1, 9, 0), 60)


ROUND_THE_WEEK = parse_settings({"hours": {day: "00:00-24:00" for day in
                                           ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
                                 "holidays": ""})


@pytest.mark.parametrize("settings, start, end, minutes", [
    # header: hours, arrival (local), reaction (local) -> business minutes between them
    (DEFAULT, local(2026, 11, 30, 9, 0), local(2026, 11, 30, 9, 45), 45),     # inside a day
    (DEFAULT, local(2026, 11, 30, 7, 59), local(2026, 11, 30, 8, 0), 0),      # before opening
    (DEFAULT, local(2026, 11, 30, 7, 59), local(2026, 11, 30, 8, 1), 1),      # across opening
    (DEFAULT, local(2026, 11, 30, 17, 59), local(2026, 11, 30, 18, 0), 1),    # last minute
    (DEFAULT, local(2026, 11, 30, 18, 0), local(2026, 12, 1, 8, 0), 0),       # the night
    (DEFAULT, local(2026, 11, 30, 18, 0), local(2026, 12, 1, 8, 1), 1),
    (DEFAULT, local(2026, 11, 30, 10, 0), local(2026, 11, 30, 10, 0), 0),     # no time at all
    (DEFAULT, local(2026, 11, 30, 11, 0), local(2026, 11, 30, 10, 0), 0),     # end before start
    # Friday 17:00 to Monday 09:00 across a month end: the weekend counts nothing
    (DEFAULT, local(2026, 7, 31, 17, 0), local(2026, 8, 3, 9, 0), 120),
    # Thu 30 April 17:00 to Tue 5 May 09:00: an hour, Friday 1 May, no bank holiday (4 May), an hour
    (DEFAULT, local(2026, 4, 30, 17, 0), local(2026, 5, 5, 9, 0), 12 * 60),
    (DEFAULT, local(2026, 5, 4, 10, 0), local(2026, 5, 4, 12, 0), 0),         # on the holiday
    # the clocks go forward on Sunday 29 March: Friday 17:00 GMT to Monday 09:00 BST
    (DEFAULT, local(2026, 3, 27, 17, 0), local(2026, 3, 30, 9, 0), 120),
    # ...and back on Sunday 25 October: Friday 17:00 BST to Monday 09:00 GMT
    (DEFAULT, local(2026, 10, 23, 17, 0), local(2026, 10, 26, 9, 0), 120),
    # open round the clock: the Sunday of a DST change has 23 or 25 hours, not 24
    (ROUND_THE_WEEK, local(2026, 3, 29, 0, 0), local(2026, 3, 30, 0, 0), 23 * 60),
    (ROUND_THE_WEEK, local(2026, 10, 25, 0, 0), local(2026, 10, 26, 0, 0), 25 * 60),
    (ROUND_THE_WEEK, local(2026, 3, 29, 0, 30), local(2026, 3, 29, 3, 0), 90),  # 01:00 skipped
    (ROUND_THE_WEEK, local(2026, 3, 31, 23, 0), local(2026, 4, 1, 1, 0), 120),  # month end
])
def test_business_minutes_between(settings, start, end, minutes):
    assert business_minutes_between(settings, start.astimezone(timezone.utc),
                                    end.astimezone(timezone.utc)) == minutes


def test_business_minutes_between_agrees_with_the_deadline():
    """A deadline so many business minutes after an arrival is that many minutes away."""
    start = local(2026, 12, 24, 14, 0).astimezone(timezone.utc)
    for minutes in (1, 59, 240, 600, 601, 3000):
        deadline = add_business_time(CONTRACT_HOURS, start, minutes)
        assert business_minutes_between(CONTRACT_HOURS, start, deadline) == minutes


def test_business_minutes_between_needs_aware_instants():
    with pytest.raises(ValueError, match="aware"):
        business_minutes_between(DEFAULT, datetime(2026, 1, 5, 9, 0), local(2026, 1, 5, 10, 0))
