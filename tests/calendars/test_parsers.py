"""Every feed read by parsers that are not the generator, including DST nights and cancellations."""

import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tests.calendars import parsers
from tests.calendars.conftest import DECEMBER_1, days

LONDON = ZoneInfo("Europe/London")
FEEDS = [("manager", "rota"), ("ben", "mine"), ("manager", "handovers")]


def local(*fields):
    """An instant given in London wall-clock time."""
    return datetime(*fields, tzinfo=LONDON)


# overrides in the feeds: UID without feed and team, who, local start and end
COVERS = {
    "20261202T210000Z-20261203T020000Z-cover": ("Ben Smith", local(2026, 12, 2, 21),
                                                local(2026, 12, 3, 2)),
    # across the spring-forward night: 00:30 GMT to 03:30 BST is two hours
    "20270328T003000Z-20270328T023000Z-cover": ("Tobi Jones", local(2027, 3, 28, 0, 30),
                                                local(2027, 3, 28, 3, 30)),
    # made, published, then removed
    "20261203T220000Z-20261203T230000Z-cover": ("Ben Smith", local(2026, 12, 3, 22),
                                                local(2026, 12, 3, 23)),
}
REMOVED_COVER = "20261203T220000Z-20261203T230000Z-cover"


@pytest.fixture
def feed_files(team, assign, remove_period, cover, uncover, fetch, tmp_path):
    """rota, Ben's mine and handovers: DST nights, a reassigned and a removed period, overrides."""
    ben, tobi, asha = team
    people = [(ben, tobi), (tobi, asha), (asha, ben)]
    for first in (DECEMBER_1, date(2027, 3, 27), date(2027, 10, 30)):
        for day, (primary, backup) in zip(days(first, 3), people):
            assign(day, primary, backup)
    made = {key: cover(name, start, end) for key, (name, start, end) in COVERS.items()}
    for feed in FEEDS:
        fetch(*feed)  # published once, so the changes below become new sequences
    later = datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)
    assign(DECEMBER_1, asha, tobi, at=later)  # Ben's first night goes to Asha
    remove_period(date(2027, 3, 29))
    uncover(made[REMOVED_COVER])
    paths = {}
    for who, feed in FEEDS:
        response = fetch(who, feed)
        assert response.status_code == 200
        paths[feed] = tmp_path / f"{feed}.ics"
        paths[feed].write_bytes(response.get_data())
    return paths


def texts(feed_files):
    return {feed: path.read_bytes().decode("utf-8") for feed, path in feed_files.items()}


def assert_local_1800(uid, start, end):
    """Periods run 18:00 to 18:00 local, handovers 15 minutes from 18:00, covers as made."""
    key = uid.split("@")[0].split("-", 1)[1]
    if key in COVERS:
        assert (start, end) == COVERS[key][1:], uid
    elif uid.startswith("handover-"):
        assert start.astimezone(LONDON).strftime("%H:%M") == "18:00", uid
        assert (end - start).total_seconds() == 15 * 60, uid
    else:
        assert start.astimezone(LONDON).strftime("%H:%M") == "18:00", uid
        assert end.astimezone(LONDON).strftime("%H:%M") == "18:00", uid


def test_vobject_validates_every_feed(feed_files):
    for feed, text in texts(feed_files).items():
        calendar, found = parsers.with_vobject(text)
        assert calendar.method.value == "PUBLISH"
        assert found, feed
        for uid, event in found.items():
            assert event["transp"] == "TRANSPARENT"
            assert_local_1800(uid, event["start"], event["end"])
    _, mine = parsers.with_vobject(texts(feed_files)["mine"])
    assert mine["mine-20261201-primary@support.dutyline"]["status"] == "CANCELLED"
    _, rota = parsers.with_vobject(texts(feed_files)["rota"])
    assert rota["rota-20270329-primary@support.dutyline"]["status"] == "CANCELLED"
    assert rota["rota-20270329-primary@support.dutyline"]["sequence"] == 1
    covers = {uid.split("@")[0]: event for uid, event in {**mine, **rota}.items()
              if "-cover" in uid}
    assert sorted(covers) == sorted(f"{feed}-{key}" for feed in ("mine", "rota") for key in COVERS
                                    if feed == "rota" or COVERS[key][0] == "Ben Smith")
    for uid, event in covers.items():
        key = uid.split("-", 1)[1]
        assert event["summary"] == f"On duty (cover): {COVERS[key][0]}"
        assert (event["status"], event["sequence"]) == (
            ("CANCELLED", 1) if key == REMOVED_COVER else ("CONFIRMED", 0))
    spring = rota["rota-20270328T003000Z-20270328T023000Z-cover@support.dutyline"]
    assert spring["end"] - spring["start"] == timedelta(hours=2)


def test_ical_package_reads_every_feed_as_vobject_does(feed_files):
    for feed, text in texts(feed_files).items():
        _, expected = parsers.with_vobject(text)
        found = parsers.with_ical(text)
        assert set(found) == set(expected), feed
        for uid, event in found.items():
            assert (event["start"], event["end"], event["summary"], event["sequence"],
                    event["status"]) == tuple(expected[uid][key] for key in (
                        "start", "end", "summary", "sequence", "status"))
            assert_local_1800(uid, event["start"], event["end"])


def test_radicale_verifies_every_calendar_object(feed_files, tmp_path):
    items, failures = parsers.verify_with_radicale(feed_files.values(), tmp_path)
    assert not failures, failures
    expected = sum(len(parsers.with_vobject(text)[1]) for text in texts(feed_files).values())
    assert len(items) == expected > 0


def test_icaljs_reads_every_feed_as_vobject_does(feed_files):
    read = parsers.with_icaljs(feed_files.values())
    for path in feed_files.values():
        calendar = read[str(path)]
        assert (calendar["method"], calendar["version"], calendar["refresh"], calendar["ttl"]) == (
            "PUBLISH", "2.0", "PT1H", "PT1H")
        assert calendar["name"].startswith("Support: ")
        _, expected = parsers.with_vobject(path.read_bytes().decode("utf-8"))
        assert {event["uid"] for event in calendar["events"]} == set(expected)
        for event in calendar["events"]:
            start = datetime.fromisoformat(event["start"].replace("Z", "+00:00"))
            end = datetime.fromisoformat(event["end"].replace("Z", "+00:00"))
            mine = expected[event["uid"]]
            assert event["startIsUtc"]
            assert (start, end, event["sequence"], event["status"], event["transp"]) == (
                mine["start"], mine["end"], mine["sequence"], mine["status"], mine["transp"])
            assert_local_1800(event["uid"], start, end)


def test_radicale_split_matches_the_feed(feed_files):
    # the split used for Radicale keeps every event whole: one object per UID
    text = texts(feed_files)["handovers"]
    objects = parsers.split_by_uid(text)
    assert len(objects) == text.count("BEGIN:VEVENT")
    assert all(item.count("UID:") == 1 and item.endswith("END:VCALENDAR\r\n") for item in objects)


def test_radicale_check_reports_a_broken_object(feed_files, tmp_path):
    # the checker itself must be able to fail: a feed with an impossible DTSTART
    broken = tmp_path / "broken.ics"
    text = texts(feed_files)["handovers"]
    broken.write_bytes(text.replace("DTSTART:20261202T180000Z", "DTSTART:2026120", 1).encode())
    (workdir := tmp_path / "items").mkdir()
    _, failures = parsers.verify_with_radicale([broken], workdir)
    assert [name for name, *_ in failures] == ["broken-1.ics"]


def test_an_empty_personal_feed_is_readable(team, make_engineer, app, tmp_path):
    # a new engineer with no duty yet still gets a calendar every parser accepts
    from calendars.tokens import issue_token
    from dutyline.db import database

    newcomer = make_engineer("Noor Khan")
    with database.connection_context():
        token = issue_token(datetime(2026, 11, 20, tzinfo=timezone.utc), engineer=newcomer)
    response = app.test_client().get(f"/calendars/{token}/mine.ics")
    assert response.status_code == 200
    path = tmp_path / "empty.ics"
    path.write_bytes(response.get_data())
    text = response.get_data(as_text=True)
    assert parsers.with_vobject(text)[1] == {} and parsers.with_ical(text) == {}
    assert parsers.with_icaljs([path])[str(path)]["name"] == "Support: duty of Noor Khan"
    result = subprocess.run([sys.executable, "-m", "radicale", "--verify-item", str(path)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
