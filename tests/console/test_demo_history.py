"""The demo's month of traffic, as planned: busy weekday mornings, quieter afternoons, quiet
Fridays, a few calls at night, nothing after now and something today, whatever the day."""

import random
from datetime import datetime, timedelta, timezone

import pytest

from console.demo_history import QUIET, arrivals
from dutyline.settings import parse_settings

SETTINGS = parse_settings({})


@pytest.mark.parametrize("now", [
    datetime(2026, 12, 7, 11, 36, tzinfo=timezone.utc),  # a Monday morning
    datetime(2026, 11, 1, 0, 2, tzinfo=timezone.utc),    # two minutes into a Sunday
    datetime(2026, 3, 31, 17, 0, tzinfo=timezone.utc),   # after the clocks went forward
])
def test_a_month_of_calls_up_to_now(now):
    first = (now - timedelta(days=30)).date()
    avoid = [now - timedelta(days=2, hours=1)]
    calls = arrivals(SETTINGS, first, now, random.Random(2026), avoid)
    local = [at.astimezone(SETTINGS.tz) for at in calls]
    assert 120 <= len(calls) <= 260
    assert all(at < now for at in calls) and calls == sorted(calls)
    assert all(at <= now - QUIET or at.date() == now.astimezone(SETTINGS.tz).date()
               for at in local)  # only today's one call may come closer, when today is young
    assert any(at.date() == now.astimezone(SETTINGS.tz).date() for at in local)  # today
    assert all(abs(at - other) >= QUIET for at in calls for other in avoid)
    assert all(b - a >= timedelta(minutes=4) for a, b in zip(calls, calls[1:]))  # no overlap

    def count(days, hours):
        return sum(at.weekday() in days and at.hour in hours for at in local)

    mornings, afternoons = count(range(4), range(8, 11)), count(range(4), range(14, 17))
    assert mornings > 2 * afternoons  # busy mornings
    fridays, thursdays = count([4], range(8, 18)), count([3], range(8, 18))
    assert fridays < thursdays  # quiet Fridays
    assert 1 <= count(range(7), [*range(0, 7), *range(19, 24)]) <= 20  # a few at night
