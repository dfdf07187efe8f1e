"""On-call pay (rota.pay): who held duty, for how long out of hours, and which nights, weekend
days and public holidays, in Europe/London; a table of boundary rows."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from dutyline.localtime import local_instant
from dutyline.settings import parse_settings
from rota.pay import duty_pay, held_spans, month_window
from rota.periods import period_bounds

LONDON = ZoneInfo("Europe/London")
A, B, C = 1, 2, 3
EVERY_DAY = {"hours": {day: "08:00-18:00"
                       for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}


def at(day, clock):
    """A local wall-clock time in London as an instant."""
    hour, minute = map(int, clock.split(":"))
    return local_instant(day, datetime.min.time().replace(hour=hour, minute=minute), LONDON)


def plan_of(settings, days, engineer=A):
    return [(*period_bounds(day, settings), engineer) for day in days]


def summary(pay):
    """{engineer: (hours, nights, weekend days, public holidays, calls)}."""
    return {who: (p.minutes / 60, [str(d) for d in p.nights], [str(d) for d in p.weekend_days],
                  [str(d) for d in p.holidays], p.calls)
            for who, p in sorted(pay.items())}


D = date
ROWS = [
    # (what, settings, month, A's planned days, overrides as (day, from, day, to, who),
    #  expected {engineer: (hours, nights, weekend days, public holidays, calls)})
    ("October DST night, office open every day: 15 h", EVERY_DAY, (2026, 10),
     [D(2026, 10, 24)], [], {A: (15, ["2026-10-24"], [], [], 0)}),
    ("October DST weekend day, closed weekends: 25 h", {}, (2026, 10),
     [D(2026, 10, 24)], [], {A: (25, [], ["2026-10-25"], [], 0)}),
    ("March DST night, office open every day: 13 h", EVERY_DAY, (2026, 3),
     [D(2026, 3, 28)], [], {A: (13, ["2026-03-28"], [], [], 0)}),
    ("March DST weekend day: 23 h", {}, (2026, 3),
     [D(2026, 3, 28)], [], {A: (23, [], ["2026-03-29"], [], 0)}),
    ("an ordinary weeknight: 14 h", {}, (2026, 12),
     [D(2026, 12, 1)], [], {A: (14, ["2026-12-01"], [], [], 0)}),
    ("the month's last night belongs to the month it starts in", {}, (2026, 3),
     [D(2026, 3, 31)], [], {A: (14, ["2026-03-31"], [], [], 0)}),
    ("... and is not in the next month", {}, (2026, 4), [D(2026, 3, 31)], [], {}),
    ("the night before the 1st belongs to the month before", {}, (2026, 4),
     [D(2026, 3, 31), D(2026, 4, 1)], [], {A: (14, ["2026-04-01"], [], [], 0)}),
    ("25 December: the duty from the 24th's handover", {}, (2026, 12),
     [D(2026, 12, 24)], [], {A: (24, [], [], ["2026-12-25"], 0)}),
    ("26 December (a Saturday)", {}, (2026, 12),
     [D(2026, 12, 25)], [], {A: (24, [], [], ["2026-12-26"], 0)}),
    ("27 December is a Sunday, 28 December the substitute holiday", {}, (2026, 12),
     [D(2026, 12, 26), D(2026, 12, 27)], [],
     {A: (48, [], ["2026-12-27"], ["2026-12-28"], 0)}),
    ("1 January: the duty from the handover on 31 December, December's", {}, (2026, 12),
     [D(2026, 12, 31)], [], {A: (24, [], [], ["2027-01-01"], 0)}),
    ("a closure day that is no public holiday counts as a weekend day",
     {"closed": ["2026-12-24"]}, (2026, 12),
     [D(2026, 12, 23)], [], {A: (24, [], ["2026-12-24"], [], 0)}),
    ("an override 21:00-02:00: its hours, the night stays with the plan", {}, (2026, 12),
     [D(2026, 12, 1)], [(D(2026, 12, 1), "21:00", D(2026, 12, 2), "02:00", B)],
     {A: (9, ["2026-12-01"], [], [], 0), B: (5, [], [], [], 0)}),
    ("an override of the whole day pays only its out-of-hours time", {}, (2026, 12),
     [D(2026, 12, 1)], [(D(2026, 12, 1), "18:00", D(2026, 12, 2), "18:00", B)],
     {B: (14, ["2026-12-01"], [], [], 0)}),
    ("the override made last wins", {}, (2026, 12),
     [D(2026, 12, 1)], [(D(2026, 12, 1), "18:00", D(2026, 12, 2), "08:00", B),
                        (D(2026, 12, 1), "20:00", D(2026, 12, 1), "22:30", C)],
     {B: (11.5, ["2026-12-01"], [], [], 0), C: (2.5, [], [], [], 0)}),
    ("an override in a gap of the plan is all there is", {}, (2026, 12),
     [], [(D(2026, 12, 1), "23:15", D(2026, 12, 2), "01:45", B)],
     {B: (2.5, ["2026-12-01"], [], [], 0)}),
    ("a tie goes to whoever held it first", {}, (2026, 12),
     [D(2026, 12, 1)], [(D(2026, 12, 1), "18:00", D(2026, 12, 2), "01:00", B)],
     {A: (7, [], [], [], 0), B: (7, ["2026-12-01"], [], [], 0)}),
    ("an override for most of Christmas Day takes it, the hours split to the minute", {},
     (2026, 12), [D(2026, 12, 24)], [(D(2026, 12, 24), "18:00", D(2026, 12, 25), "06:59", B)],
     {A: (11 + 1 / 60, [], [], [], 0), B: (12 + 59 / 60, [], [], ["2026-12-25"], 0)}),
]


@pytest.mark.parametrize("what, extra, month, days, overrides, expected", ROWS,
                         ids=[row[0] for row in ROWS])
def test_duty_pay(what, extra, month, days, overrides, expected):
    settings = parse_settings(extra)
    made = [(at(d1, t1), at(d2, t2), who) for d1, t1, d2, t2, who in overrides]
    pay = duty_pay(*month, settings, plan_of(settings, days), made, [])
    assert summary(pay) == {who: (pytest.approx(row[0]), *row[1:])
                            for who, row in expected.items()}


def test_a_weekly_period_is_five_nights_and_two_weekend_days():
    settings = parse_settings({"period": "week"})
    start, _ = period_bounds(D(2026, 12, 7), settings)  # a Monday
    plan = [(start, start + timedelta(days=7), A)]
    pay = duty_pay(2026, 12, settings, plan, [], [])[A]
    assert (len(pay.nights), len(pay.weekend_days), pay.minutes) == (5, 2, (5 * 14 + 48) * 60)


def test_calls_out_of_hours_count_in_the_month_they_arrived():
    settings = parse_settings({})
    start, end = month_window(2026, 12, settings)
    calls = [(A, start), (A, end - timedelta(seconds=1)), (A, end), (B, start - timedelta(1)),
             (None, start), (B, start + timedelta(hours=3))]
    pay = duty_pay(2026, 12, settings, [], [], calls)
    assert {who: p.calls for who, p in pay.items()} == {A: 2, B: 1}
    assert pay[B].minutes == 0 and pay[B].nights == []


def test_the_month_runs_from_handover_to_handover():
    start, end = month_window(2026, 12, parse_settings({}))
    assert start == datetime(2026, 12, 1, 18, tzinfo=timezone.utc)
    assert end == datetime(2027, 1, 1, 18, tzinfo=timezone.utc)


def test_who_held_duty_when():
    t = [datetime(2026, 12, 1, h, tzinfo=timezone.utc) for h in range(24)]
    plan = [(t[0], t[10], A), (t[10], t[20], None)]
    overrides = [(t[2], t[6], B), (t[4], t[12], C), (t[9], t[8], B)]  # the last is reversed
    assert held_spans(t[1], t[23], plan, overrides) == [
        (t[1], t[2], A), (t[2], t[4], B), (t[4], t[12], C)]
