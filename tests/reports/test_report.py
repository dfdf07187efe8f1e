"""report(span, group) on hand-computed call logs: every expected figure below was worked
out by hand from the calls listed beside it."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from reports import ReportError, Span, report
from voicemail.models import Ticket

LONDON = ZoneInfo("Europe/London")
UTC = timezone.utc
TUESDAY = date(2026, 12, 1)
AT_10 = datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)


def tuesday(settings, **extra):
    return Span.days(settings, TUESDAY, TUESDAY, **extra)


@pytest.fixture
def ben(make_engineer):
    return make_engineer("Ben Smith")


@pytest.fixture
def tobi(make_engineer):
    return make_engineer("Tobi Jones")


@pytest.fixture
def asha(make_engineer):
    return make_engineer("Asha Patel")


# the caller hangs up unanswered after `ended` seconds; short abandons are <= 5 s
@pytest.mark.parametrize("ended, ringing, short, greeting, hunting", [
    (3, None, 1, 0, 0),    # hung up during the greeting, within 5 s: not offered
    (5, None, 1, 0, 0),    # exactly 5 s still counts as short
    (6, None, 0, 1, 0),    # 6 s, before any phone rang: abandoned during the greeting
    (4, 2, 1, 0, 0),       # a phone had rung, but the caller left within 5 s
    (40, 2, 0, 0, 1),      # hung up while an engineer's phone rang
])
def test_short_and_real_abandons(settings, log_call, ended, ringing, short, greeting, hunting):
    log_call(AT_10, ended=ended, ringing=ringing)
    total = report(tuesday(settings)).total
    assert (total["short_abandons"], total["abandoned_greeting"], total["abandoned_hunting"]) == (
        short, greeting, hunting)
    assert total["calls"] == 1
    assert total["offered"] == 1 - short
    assert total["abandoned"] == greeting + hunting
    assert total["service_level"] == (None if short else 0.0)
    assert total["abandonment"] == (None if short else 1.0)  # abandoned / offered


def test_call_answered_on_its_third_leg(settings, log_call, ben, tobi, asha):
    # Ben does not answer, Tobi is busy, Asha accepts 31 s after arrival
    log_call(AT_10, answered=31, ringing=1, ended=300, legs=[
        (ben, "no-answer", 1, None, None, 12),
        (tobi, "busy", None, None, None, 13),
        (asha, "accepted", 20, 26, 31, 300)])
    result = report(tuesday(settings), "engineer")
    total = result.total
    assert (total["offered"], total["answered"], total["answered_within"]) == (1, 1, 0)
    assert total["service_level"] == 0.0
    assert total["asa_seconds"] == 31.0
    rows = {row["name"]: row for row in result.rows}
    assert [rows[name]["legs"] for name in ("Ben Smith", "Tobi Jones", "Asha Patel")] == [1, 1, 1]
    assert rows["Ben Smith"]["not_answered"] == 1 and rows["Ben Smith"]["first_legs"] == 1
    assert rows["Ben Smith"]["first_leg_share"] == 0.0
    assert rows["Tobi Jones"]["busy"] == 1
    assert rows["Asha Patel"]["accepted"] == 1
    assert rows["Asha Patel"]["answered"] == 1
    assert rows["Asha Patel"]["ring_to_accept_seconds"] == 11.0  # rang at 20, pressed at 31
    assert rows["Asha Patel"]["first_legs"] == 0


def test_engineer_who_picked_up_and_never_pressed(settings, log_call, ben, tobi):
    log_call(AT_10, answered=25, ringing=1, ended=200, legs=[
        (ben, "not-accepted", 1, 4, None, 14),
        (tobi, "accepted", 15, 20, 25, 200)])
    rows = {row["name"]: row for row in report(tuesday(settings), "engineer").rows}
    assert rows["Ben Smith"]["picked_up_not_pressed"] == 1
    assert rows["Ben Smith"]["accepted"] == 0 and rows["Ben Smith"]["not_answered"] == 0
    assert rows["Tobi Jones"]["ring_to_accept_seconds"] == 10.0


def test_legs_stopped_because_another_leg_accepted(settings, log_call, ben, tobi, asha):
    # overlapped hunting: three phones ring side by side; Tobi presses 1 first (at 9 s),
    # Ben presses 1 a second later and loses, Asha's ringing leg is stopped
    log_call(AT_10, answered=9, ringing=1, ended=200, legs=[
        (ben, "taken-by-another", 1, 6, None, 10),
        (tobi, "accepted", 2, 6, 9, 200),
        (asha, "canceled", 3, None, None, 9)])
    # a second call: Tobi's number fails, the caller hangs up while Ben's phone rings
    log_call(AT_10, ringing=1, ended=15, legs=[(tobi, "failed", None, None, None, 1),
                                               (ben, "caller-hung-up", 1, None, None, 15)])
    result = report(tuesday(settings), "engineer")
    rows = {row["name"]: row for row in result.rows}
    figures = ("legs", "accepted", "cancelled", "caller_hung_up", "failed")
    assert {name: tuple(rows[name][key] for key in figures) for name in rows} == {
        "Ben Smith": (2, 0, 1, 1, 0),
        "Tobi Jones": (2, 1, 0, 0, 1),
        "Asha Patel": (1, 0, 1, 0, 0),
        "(nobody)": (0, 0, 0, 0, 0)}
    assert result.total["cancelled"] == 2 and result.total["legs"] == 5


def test_the_row_of_nobody_holds_the_calls_nobody_answered(settings, log_call, ben):
    log_call(AT_10, answered=8, ringing=1, ended=100, legs=[(ben, "accepted", 1, 5, 8, 100)])
    log_call(AT_10, ringing=1, voicemail=30, ended=80, status="voicemail",
             legs=[(ben, "no-answer", 1, None, None, 20)])
    log_call(AT_10, ringing=1, ended=40, legs=[(ben, "caller-hung-up", 1, None, None, 40)])
    log_call(AT_10, ended=3)  # a short abandon
    rows = {row["name"]: row for row in report(tuesday(settings), "engineer").rows}
    nobody = rows["(nobody)"]
    assert (nobody["calls"], nobody["voicemail"], nobody["abandoned"], nobody["fallback"],
            nobody["short_abandons"]) == (3, 1, 1, 0, 1)
    assert nobody["service_level"] is None and nobody["offered"] is None
    # an engineer's row counts the calls they answered, never the line's misses
    ben_row = rows["Ben Smith"]
    assert (ben_row["answered"], ben_row["calls"], ben_row["voicemail"]) == (1, None, None)


def test_voicemail_is_counted_apart_and_is_a_miss(settings, log_call, db):
    call = log_call(AT_10, ringing=1, voicemail=45, ended=80, status="voicemail")
    created = AT_10 + timedelta(seconds=80)
    Ticket.create(call=call, caller=call.from_number, created_at=created,
                  deadline=created + timedelta(hours=4),
                  acknowledged_at=created + timedelta(minutes=30), status="acknowledged")
    total = report(tuesday(settings)).total
    assert (total["offered"], total["voicemail"], total["abandoned"]) == (1, 1, 0)
    assert total["service_level"] == 0.0 and total["abandonment"] == 0.0
    assert (total["tickets"], total["tickets_acknowledged"]) == (1, 1)
    assert total["reaction_seconds"] == 1800
    assert (total["tickets_met_deadline"], total["deadline_share"]) == (1, 1.0)


def test_service_level_speed_and_percentiles(settings, log_call):
    # answered after 3, 5, 8, 10 and 20 s; one voicemail; one short abandon (not offered)
    for seconds in (3, 5, 8, 10, 20):
        log_call(AT_10, answered=seconds, ringing=1, ended=120)
    log_call(AT_10, ringing=1, voicemail=40, ended=60)
    log_call(AT_10, ended=2)
    total = report(tuesday(settings)).total
    assert (total["calls"], total["short_abandons"], total["offered"]) == (7, 1, 6)
    assert (total["answered"], total["answered_within"]) == (5, 4)
    assert total["service_level"] == pytest.approx(4 / 6)
    assert total["asa_seconds"] == 9.2  # (3 + 5 + 8 + 10 + 20) / 5
    # nearest rank: p50 is the 3rd of 5 waits, p90 and p98 the 5th
    assert (total["wait_p50_seconds"], total["wait_p90_seconds"],
            total["wait_p98_seconds"]) == (8, 20, 20)


def test_percentiles_round_half_seconds_up_on_every_database(settings, log_call):
    # waits of 1.5, 2.5 and 2.5 s are 2, 3 and 3 whole seconds (halves round up, as on
    # SQLite, never to the even second): p50 is the 2nd of 3, p90 the 3rd
    for seconds in (1.5, 2.5, 2.5):
        log_call(AT_10, answered=seconds, ringing=1, ended=60)
    total = report(tuesday(settings)).total
    assert (total["wait_p50_seconds"], total["wait_p90_seconds"]) == (3, 3)
    assert total["asa_seconds"] == 2.2  # 6.5 / 3


def test_threshold_is_a_setting(app, log_call):
    from dutyline.settings import parse_settings

    log_call(AT_10, answered=15, ringing=1, ended=60)
    strict = parse_settings({"service_level_seconds": 12})
    lenient = parse_settings({"service_level_seconds": 20})
    assert report(tuesday(strict)).total["service_level"] == 0.0
    assert report(tuesday(lenient)).total["service_level"] == 1.0
    assert report(tuesday(lenient)).total["threshold_seconds"] == 20


def test_calls_fall_on_their_local_day_across_midnight_and_the_dst_change(settings, log_call):
    # Sunday 25 October 2026: clocks go back at 02:00 BST, so the day lasts 25 hours
    log_call(datetime(2026, 10, 24, 23, 30, tzinfo=UTC), answered=40, ended=900)  # 00:30 BST
    log_call(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), answered=5, ended=60)  # 01:30 BST
    log_call(datetime(2026, 10, 25, 1, 30, tzinfo=UTC), answered=5, ended=60)  # 01:30 GMT
    log_call(datetime(2026, 10, 25, 23, 59, 50, tzinfo=UTC), answered=20, ended=90)  # 23:59:50
    log_call(datetime(2026, 10, 26, 0, 0, 0, tzinfo=UTC), ended=3)  # Monday 00:00 GMT
    span = Span.days(settings, date(2026, 10, 24), date(2026, 10, 26))
    by_day = {row["key"]: row["calls"] for row in report(span, "day").rows}
    assert by_day == {"2026-10-24": 0, "2026-10-25": 4, "2026-10-26": 1}
    by_hour = {row["key"]: row["calls"] for row in report(span, "hour").rows if row["calls"]}
    assert by_hour == {0: 2, 1: 2, 23: 1}
    assert span.end - span.start == timedelta(hours=73)


def test_spring_forward_day_has_23_hours(settings, log_call):
    # Sunday 29 March 2026: 01:00 GMT becomes 02:00 BST
    log_call(datetime(2026, 3, 29, 0, 30, tzinfo=UTC), answered=4, ended=60)  # 00:30 GMT
    log_call(datetime(2026, 3, 29, 1, 30, tzinfo=UTC), answered=4, ended=60)  # 02:30 BST
    span = Span.days(settings, date(2026, 3, 29), date(2026, 3, 29))
    assert span.end - span.start == timedelta(hours=23)
    by_hour = {row["key"]: row["calls"] for row in report(span, "hour").rows if row["calls"]}
    assert by_hour == {0: 1, 2: 1}


def test_a_month_is_its_local_days_over_both_month_ends(settings, log_call):
    # October 2026 in London: 1 October begins at 23:00 UTC on 30 September (BST), 31
    # October ends at 00:00 UTC on 1 November (GMT), and the 25th has 25 hours
    log_call(datetime(2026, 9, 30, 22, 59, 59, tzinfo=UTC), answered=4)  # 23:59:59 BST, Sep
    log_call(datetime(2026, 9, 30, 23, 0, tzinfo=UTC), answered=4)  # 00:00 BST, 1 Oct
    log_call(datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC), answered=4)  # 23:59:59 GMT
    log_call(datetime(2026, 11, 1, 0, 0, tzinfo=UTC), answered=4)  # 00:00 GMT, 1 Nov
    span = Span.days(settings, date(2026, 10, 1), date(2026, 10, 31))
    assert span.end - span.start == timedelta(days=31, hours=1)
    by_day = {row["key"]: row["calls"] for row in report(span, "day").rows}
    assert len(by_day) == 31 and sum(by_day.values()) == 2
    assert (by_day["2026-10-01"], by_day["2026-10-31"]) == (1, 1)


def test_in_hours_and_out_of_hours_apart(settings, log_call):
    log_call(AT_10, answered=4, ended=60, mode="in_hours")
    log_call(AT_10, ended=60, mode="out_of_hours", ringing=1)
    assert report(tuesday(settings, mode="in_hours")).total["calls"] == 1
    night = report(tuesday(settings, mode="out_of_hours")).total
    assert (night["calls"], night["abandoned_hunting"], night["answered"]) == (1, 1, 0)


def test_by_customer(settings, log_call, db):
    from customers.directory import add_customer

    acme = add_customer("Acme Ltd", ["+442079460999"], region="GB")
    log_call(AT_10, answered=4, ended=60, customer=acme)
    log_call(AT_10, ended=60, ringing=1)
    rows = {row["label"]: row for row in report(tuesday(settings), "customer").rows}
    assert rows["Acme Ltd"]["answered"] == 1 and rows["Acme Ltd"]["calls"] == 1
    assert rows["(no customer)"]["abandoned"] == 1


def test_unacknowledged_ticket_past_its_deadline(settings, log_call, db):
    call = log_call(AT_10, voicemail=1, ended=60, status="voicemail")
    Ticket.create(call=call, caller=call.from_number, created_at=AT_10,
                  deadline=AT_10 + timedelta(hours=4))
    before = report(tuesday(settings, now=AT_10 + timedelta(hours=3))).total
    after = report(tuesday(settings, now=AT_10 + timedelta(hours=5))).total
    assert (before["tickets_past_deadline"], before["deadline_share"]) == (0, None)
    assert (after["tickets_past_deadline"], after["deadline_share"]) == (1, 0.0)


def test_calls_outside_the_span_are_left_out(settings, log_call):
    log_call(datetime(2026, 11, 30, 23, 59, 59, tzinfo=LONDON), answered=3)
    log_call(datetime(2026, 12, 2, 0, 0, tzinfo=LONDON), answered=3)
    assert report(tuesday(settings)).total["calls"] == 0


def test_unknown_group_is_refused(settings):
    with pytest.raises(ReportError):
        report(tuesday(settings), "fortnight")
