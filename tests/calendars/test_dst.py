"""Duty events start and end at 18:00 in London on both sides of every DST change of 2026 and 2027."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tests.calendars import parsers
from tests.calendars.conftest import days

LONDON = ZoneInfo("Europe/London")

# change day          hours of the night that contains it
DST_CHANGES = [
    (date(2026, 3, 29), 23),
    (date(2026, 10, 25), 25),
    (date(2027, 3, 28), 23),
    (date(2027, 10, 31), 25),
]


@pytest.mark.parametrize("change, night_hours", DST_CHANGES)
def test_events_stay_at_1800_local_across_dst(team, assign, fetch, clock, change, night_hours):
    ben, tobi, asha = team
    clock.set(datetime.combine(change - timedelta(days=20), datetime.min.time(), tzinfo=timezone.utc))
    people = [(ben, tobi), (tobi, asha), (asha, ben), (ben, asha), (tobi, ben)]
    for day, (primary, backup) in zip(days(change - timedelta(days=2), 5), people):
        assign(day, primary, backup, at=clock())
    for who, feed in (("manager", "rota"), ("ben", "mine"), ("manager", "handovers")):
        response = fetch(who, feed)
        assert response.status_code == 200
        found = parsers.with_ical(response.get_data(as_text=True))
        assert found, feed
        for uid, event in found.items():
            start, end = event["start"].astimezone(LONDON), event["end"].astimezone(LONDON)
            assert event["start"].utcoffset() == timedelta(0)
            assert f"{start:%H:%M}" == "18:00", uid
            day = date(int(uid.split("-")[1][:4]), int(uid.split("-")[1][4:6]),
                       int(uid.split("-")[1][6:]))
            assert start.date() == day, uid
            if feed == "handovers":
                assert end - start == timedelta(minutes=15)
                continue
            assert f"{end:%H:%M}" == "18:00" and end.date() == day + timedelta(days=1), uid
            hours = (event["end"] - event["start"]).total_seconds() / 3600
            assert hours == (night_hours if day == change - timedelta(days=1) else 24), uid
