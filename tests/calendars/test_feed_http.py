"""The feed endpoints over HTTP: headers, 304 answers, changes, cancellations, who may read what."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import vobject

from tests.calendars.conftest import DECEMBER_1, days


def events(response):
    """UID -> (summary, sequence, status, dtstamp) as vobject reads the body."""
    calendar = vobject.readOne(response.get_data(as_text=True), validate=True)
    return {event.uid.value: (event.summary.value, int(event.sequence.value),
                              event.status.value, event.dtstamp.value)
            for event in getattr(calendar, "vevent_list", [])}


@pytest.fixture
def december(team, assign):
    """Ben, Tobi, Asha on duty 1-3 December, each backed up by the next."""
    ben, tobi, asha = team
    for day, (primary, backup) in zip(days(DECEMBER_1, 3), [(ben, tobi), (tobi, asha), (asha, ben)]):
        assign(day, primary, backup)
    return team


def test_headers_and_calendar_properties(december, fetch):
    response = fetch("manager", "rota")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Encoding" not in response.headers
    assert response.headers["ETag"].startswith('"')
    assert response.headers["Last-Modified"] == "Fri, 20 Nov 2026 09:00:00 GMT"
    body = response.get_data(as_text=True)
    for line in ("VERSION:2.0", "METHOD:PUBLISH", "X-WR-CALNAME:Support: duty rota",
                 "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H"):
        assert line + "\r\n" in body
    assert body.count("TRANSP:TRANSPARENT") == 6
    assert "PRODID:" in body


def test_rota_has_primary_and_backup_with_numbers(december, fetch):
    found = events(fetch("manager", "rota"))
    assert found["rota-20261201-primary@support.dutyline"][0] == "On duty: Ben Smith"
    assert found["rota-20261201-backup@support.dutyline"][0] == "Backup: Tobi Jones"
    body = fetch("manager", "rota").get_data(as_text=True)
    assert "+447911123401" in body and "+442079460101" in body


def test_dtstamp_is_the_last_change_not_now(december, fetch, clock):
    clock.set(datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc))
    stamps = {stamp for _, _, _, stamp in events(fetch("manager", "rota")).values()}
    assert stamps == {datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)}


def test_unchanged_rota_keeps_etag_and_answers_304(december, fetch, clock):
    first = fetch("manager", "rota")
    clock.set(clock() + timedelta(minutes=30))
    second = fetch("manager", "rota")
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.get_data() == first.get_data()
    again = fetch("manager", "rota", {"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    since = fetch("manager", "rota", {"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


def test_304_does_not_render(december, fetch, monkeypatch):
    etag = fetch("manager", "handovers").headers["ETag"]

    def must_not_build(*_args, **_kwargs):
        raise AssertionError("rendered for a 304")

    monkeypatch.setattr("webhooks.feeds.build_feed", must_not_build)
    assert fetch("manager", "handovers", {"If-None-Match": etag}).status_code == 304


def test_stale_validators_get_the_feed(december, fetch):
    response = fetch("manager", "rota", {"If-None-Match": '"0123"',
                                        "If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})
    assert response.status_code == 200


def test_swap_keeps_uids_raises_sequence_changes_etag(december, fetch, assign):
    ben, tobi, asha = december
    before = fetch("manager", "rota")
    old = events(before)
    swap_time = datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)
    # Ben and Tobi swap their first two nights
    assign(DECEMBER_1, tobi, asha, at=swap_time)
    assign(DECEMBER_1 + timedelta(days=1), ben, asha, at=swap_time)
    stale = fetch("manager", "rota", {"If-None-Match": before.headers["ETag"]})
    assert stale.status_code == 200
    assert stale.headers["ETag"] != before.headers["ETag"]
    new = events(stale)
    assert set(new) == set(old)
    uid = "rota-20261201-primary@support.dutyline"
    assert new[uid][0] == "On duty: Tobi Jones"
    assert new[uid][1] == old[uid][1] + 1
    assert new[uid][3] == swap_time
    untouched = "rota-20261203-primary@support.dutyline"
    assert new[untouched] == old[untouched]
    assert stale.headers["Last-Modified"] == "Wed, 25 Nov 2026 08:00:00 GMT"


def test_regenerating_the_same_rota_changes_nothing(december, fetch, assign):
    ben, tobi, asha = december
    before = fetch("manager", "rota")
    for day, (primary, backup) in zip(days(DECEMBER_1, 3), [(ben, tobi), (tobi, asha), (asha, ben)]):
        assign(day, primary, backup, at=datetime(2026, 11, 26, 8, 0, tzinfo=timezone.utc))
    assert fetch("manager", "rota", {"If-None-Match": before.headers["ETag"]}).status_code == 304


def test_regenerating_a_month_keeps_uids_and_raises_every_changed_sequence(december, fetch, assign):
    ben, tobi, asha = december
    old = events(fetch("manager", "rota"))
    later = datetime(2026, 11, 27, 8, 0, tzinfo=timezone.utc)
    for day, (primary, backup) in zip(days(DECEMBER_1, 3), [(asha, ben), (ben, tobi), (tobi, asha)]):
        assign(day, primary, backup, at=later)
    new = events(fetch("manager", "rota"))
    assert set(new) == set(old)
    assert all(new[uid][1] == old[uid][1] + 1 for uid in old)


def test_reassigned_period_is_cancelled_in_the_old_personal_feed(december, fetch, assign):
    ben, tobi, asha = december
    mine_before = events(fetch("ben", "mine"))
    assert mine_before["mine-20261201-primary@support.dutyline"][2] == "CONFIRMED"
    assign(DECEMBER_1, asha, tobi, at=datetime(2026, 11, 28, 8, 0, tzinfo=timezone.utc))
    ben_now = events(fetch("ben", "mine"))
    summary, sequence, status, _ = ben_now["mine-20261201-primary@support.dutyline"]
    assert (status, sequence) == ("CANCELLED", 1)
    asha_now = events(fetch("asha", "mine"))
    assert asha_now["mine-20261201-primary@support.dutyline"][:3] == ("On duty: Asha Patel", 0,
                                                                      "CONFIRMED")
    # giving it back to Ben brings the same UID back, higher again
    assign(DECEMBER_1, ben, tobi, at=datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc))
    back = events(fetch("ben", "mine"))["mine-20261201-primary@support.dutyline"]
    assert back[1:3] == (2, "CONFIRMED")


def test_removed_period_stays_cancelled_for_31_days(team, assign, remove_period, fetch, clock):
    ben, tobi, _ = team
    far = DECEMBER_1 + timedelta(days=120)
    assign(far, ben, tobi)
    uid = f"rota-{far:%Y%m%d}-primary@support.dutyline"
    assert events(fetch("manager", "rota"))[uid][2] == "CONFIRMED"
    remove_period(far)
    removed_at = clock()
    assert events(fetch("manager", "rota"))[uid][1:3] == (1, "CANCELLED")
    clock.set(removed_at + timedelta(days=30))
    assert events(fetch("manager", "rota"))[uid][1:3] == (1, "CANCELLED")
    clock.set(removed_at + timedelta(days=33))
    assert uid not in events(fetch("manager", "rota"))


def test_handover_events(december, fetch):
    found = events(fetch("manager", "handovers"))
    assert found["handover-20261202-handover@support.dutyline"][0] == (
        "Handover: Ben Smith → Tobi Jones")
    assert found["handover-20261201-handover@support.dutyline"][0] == "Handover: nobody → Ben Smith"
    body = fetch("tobi", "handovers").get_data(as_text=True)
    assert "DTSTART:20261202T180000Z" in body and "DTEND:20261202T181500Z" in body


def test_personal_feed_has_only_the_owners_periods(december, fetch):
    found = events(fetch("tobi", "mine"))
    assert sorted(summary for summary, *_ in found.values()) == [
        "Backup: Tobi Jones", "On duty: Tobi Jones"]
    assert "X-WR-CALNAME:Support: duty of Tobi Jones" in fetch("tobi", "mine").get_data(as_text=True)


# who            feed          status
ACCESS = [
    ("manager", "rota", 200),
    ("manager", "handovers", 200),
    ("manager", "mine", 404),
    ("ben", "mine", 200),
    ("ben", "rota", 200),
    ("ben", "handovers", 200),
    ("ben", "other", 404),
]


@pytest.mark.parametrize("who, feed, status", ACCESS)
def test_access(december, fetch, who, feed, status):
    response = fetch(who, feed)
    assert response.status_code == status
    if status == 404:
        assert response.get_data() == b"not found\n"


@pytest.mark.parametrize("token", ["nonsense", "a" * 40, "", "x" * 200])
def test_wrong_token_is_plain_404(december, app, tokens, token):
    response = app.test_client().get(f"/calendars/{token}/rota.ics")
    assert response.status_code == 404
    assert "ETag" not in response.headers


def test_revoked_token_is_404(december, app, fetch, tokens, clock):
    from calendars.tokens import revoke_token
    from dutyline.db import database

    assert fetch("ben", "mine").status_code == 200
    with app.app_context(), database.connection_context():
        revoke_token(tokens["ben"][:8], clock())
    assert fetch("ben", "mine").status_code == 404
    assert fetch("tobi", "mine").status_code == 200


def test_if_modified_since_does_not_hide_a_removed_period(december, fetch, remove_period):
    before = fetch("manager", "rota")
    remove_period(DECEMBER_1 + timedelta(days=2))
    # nothing newer than Last-Modified was written, but the rota did change
    after = fetch("manager", "rota", {"If-Modified-Since": before.headers["Last-Modified"]})
    assert after.status_code == 200
    assert events(after)["rota-20261203-primary@support.dutyline"][2] == "CANCELLED"
    assert fetch("manager", "rota", {"If-Modified-Since": after.headers["Last-Modified"]}
                 ).status_code == 304


LONDON = ZoneInfo("Europe/London")
TOBI_COVERS = (datetime(2026, 12, 1, 21, 0, tzinfo=LONDON),
               datetime(2026, 12, 2, 2, 0, tzinfo=LONDON))
COVER_UID = "{feed}-20261201T210000Z-20261202T020000Z-cover@support.dutyline"


def test_an_override_reaches_mine_and_rota_and_changes_the_etag(december, fetch, cover):
    before = {who: fetch(who, feed) for who, feed in (("tobi", "mine"), ("manager", "rota"),
                                                       ("ben", "mine"))}
    cover("Tobi Jones", *TOBI_COVERS)
    for (who, feed), old in zip((("tobi", "mine"), ("manager", "rota"), ("ben", "mine")),
                                before.values()):
        response = fetch(who, feed, {"If-None-Match": old.headers["ETag"]})
        assert response.status_code == 200, (who, feed)
        assert response.headers["ETag"] != old.headers["ETag"]
    tobi = events(fetch("tobi", "mine"))
    assert tobi[COVER_UID.format(feed="mine")][:3] == ("On duty (cover): Tobi Jones", 0,
                                                       "CONFIRMED")
    rota = events(fetch("manager", "rota"))
    assert rota[COVER_UID.format(feed="rota")][0] == "On duty (cover): Tobi Jones"
    # Ben's own night says who covers part of it, as a new version of the same event
    ben = fetch("ben", "mine")
    assert events(ben)["mine-20261201-primary@support.dutyline"][1] == 1
    unfolded = ben.get_data(as_text=True).replace("\r\n ", "")
    assert "Covered by Tobi Jones from 21:00 Tue 01 Dec 2026 to 02:00 Wed 02 Dec 2026" in unfolded
    assert COVER_UID.format(feed="mine") not in events(ben)
    body = fetch("tobi", "mine").get_data(as_text=True)
    assert "DTSTART:20261201T210000Z" in body and "DTEND:20261202T020000Z" in body


def test_a_removed_override_is_cancelled_with_a_higher_sequence(december, fetch, cover, uncover):
    made = cover("Tobi Jones", *TOBI_COVERS)
    before = fetch("tobi", "mine")
    assert events(before)[COVER_UID.format(feed="mine")][1:3] == (0, "CONFIRMED")
    assert events(fetch("manager", "rota"))[COVER_UID.format(feed="rota")][2] == "CONFIRMED"
    uncover(made)
    after = fetch("tobi", "mine", {"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert events(after)[COVER_UID.format(feed="mine")][1:3] == (1, "CANCELLED")
    assert events(fetch("manager", "rota"))[COVER_UID.format(feed="rota")][2] == "CANCELLED"


def test_an_override_made_again_for_the_same_span_keeps_its_uid(december, fetch, cover, uncover):
    uid = COVER_UID.format(feed="rota")
    made = cover("Tobi Jones", *TOBI_COVERS)
    assert events(fetch("manager", "rota"))[uid][:3] == ("On duty (cover): Tobi Jones", 0,
                                                         "CONFIRMED")
    uncover(made)
    assert events(fetch("manager", "rota"))[uid][1:3] == (1, "CANCELLED")
    cover("Asha Patel", *TOBI_COVERS, at=datetime(2026, 11, 23, 9, tzinfo=timezone.utc))
    assert events(fetch("manager", "rota"))[uid][:3] == ("On duty (cover): Asha Patel", 2,
                                                         "CONFIRMED")


def test_renaming_an_engineer_changes_the_etag_and_the_events(december, fetch):
    from dutyline.db import database
    from rota.engineers import update_engineer

    before = {who: fetch(who, feed) for who, feed in (("tobi", "mine"), ("manager", "rota"))}
    with database.connection_context():
        update_engineer("Tobi Jones", datetime(2026, 11, 22, 9, tzinfo=timezone.utc),
                        new_name="Tobi Evans", region="GB")
    mine = fetch("tobi", "mine", {"If-None-Match": before["tobi"].headers["ETag"]})
    assert mine.status_code == 200
    assert "X-WR-CALNAME:Support: duty of Tobi Evans" in mine.get_data(as_text=True)
    rota = fetch("manager", "rota", {"If-None-Match": before["manager"].headers["ETag"]})
    assert rota.status_code == 200
    renamed = events(rota)["rota-20261202-primary@support.dutyline"]
    assert renamed[:2] == ("On duty: Tobi Evans", 1)


def test_a_changed_number_changes_the_etag_and_the_description(december, fetch):
    from dutyline.db import database
    from rota.engineers import update_engineer

    before = fetch("manager", "rota")
    with database.connection_context():
        update_engineer("Asha Patel", datetime(2026, 11, 22, 9, tzinfo=timezone.utc),
                        mobile="+447911123499", region="GB")
    after = fetch("manager", "rota", {"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert "+447911123499" in after.get_data(as_text=True)
    assert events(after)["rota-20261203-primary@support.dutyline"][1] == 1
    # setting the same number again is no change: the old ETag stays good
    with database.connection_context():
        update_engineer("Asha Patel", datetime(2026, 11, 23, 9, tzinfo=timezone.utc),
                        mobile="+447911123499", region="GB")
    assert fetch("manager", "rota", {"If-None-Match": after.headers["ETag"]}).status_code == 304


def test_overrides_made_in_the_same_second_do_not_break_the_feeds(december, fetch, cover):
    # two TAKE texts in one second: both overrides start within the same second
    start, end = TOBI_COVERS
    cover("Tobi Jones", start.replace(microsecond=100_000), end)
    cover("Asha Patel", start.replace(microsecond=600_000), end,
          at=datetime(2026, 11, 21, 9, 0, 0, 500_000, tzinfo=timezone.utc))
    for who, feed in (("manager", "rota"), ("tobi", "mine"), ("asha", "mine")):
        response = fetch(who, feed)
        assert response.status_code == 200, (who, feed)
    covers = [summary for summary, *_ in events(fetch("manager", "rota")).values()
              if "cover" in summary]
    assert sorted(covers) == ["On duty (cover): Asha Patel", "On duty (cover): Tobi Jones"]


def test_a_repeated_uid_is_published_once_not_a_failure(app, caplog):
    from calendars.events import FeedEvent
    from calendars.publish import Window, publish
    from dutyline.db import database

    start = datetime(2026, 12, 1, 21, tzinfo=timezone.utc)
    twice = [FeedEvent(uid="rota-x-cover@support.dutyline", day=DECEMBER_1, starts_at=start,
                       ends_at=start + timedelta(hours=1), summary=summary, description="")
             for summary in ("first", "second")]
    window = Window(DECEMBER_1, DECEMBER_1, start)
    with database.connection_context():
        blocks, _ = publish("rota", twice, window, start)
    assert len(blocks) == 1 and "SUMMARY:first" in blocks[0]
    assert "duplicate_uid=rota-x-cover@support.dutyline" in caplog.text
