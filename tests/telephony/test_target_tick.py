"""The target hunt at a wait fetch (telephony.target_tick.decide_target), row by row: an
acceptance under way, max_wait_seconds reached, the plan exhausted, a phone now, a wait
until the planned start, a start within the first look made at once, the window out of
hours."""

from datetime import datetime, timedelta, timezone

from dutyline.settings import parse_settings
from telephony.answering import Answering
from telephony.routing import HUNT, Target
from telephony.overlap import LegView
from telephony.target_tick import decide_target, first_look_seconds

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
PLAN = tuple(Target(n, f"E{n}", f"+{n}", HUNT, n) for n in (1, 2, 3, 4))
EVERYONE = frozenset({1, 2, 3, 4})
SETTINGS = parse_settings({"hunt": "target"})
MOSTLY = Answering(0.85, 2.0, 8.0)
FAST = Answering(1.0, 2.0, 4.0)


def at(seconds):
    return T0 + timedelta(seconds=seconds)


def decide(legs, now, answering=MOSTLY, **extra):
    return decide_target(PLAN, legs, T0, at(now), SETTINGS, EVERYONE, lambda target: answering,
                         **extra)


def test_an_acceptance_under_way_starts_nothing():
    tick = decide([LegView(0, 1, T0, accepted_at=at(5))], 6)
    assert (tick.start, tick.leave) == (None, False)


def test_max_wait_reached_leaves_and_stops_the_phones():
    tick = decide([LegView(0, 1, T0)], SETTINGS.max_wait_seconds)
    assert (tick.leave, tick.stop_live) == (True, True)
    assert not decide([LegView(0, 1, T0)], SETTINGS.max_wait_seconds - 1).leave


def test_the_plan_exhausted_with_nothing_ringing_leaves():
    legs = [LegView(step, step + 1, T0, ended_at=at(20)) for step in range(4)]
    assert decide(legs, 21).leave


def test_a_slow_team_gets_the_second_phone_at_once():
    assert decide([LegView(0, 1, T0)], 0).start == 1


def test_a_fast_team_waits_until_the_first_pick_up_is_overdue():
    tick = decide([LegView(0, 1, T0)], 0, answering=FAST)
    assert tick.start is None and tick.wait_for == 6  # planned at 6.0 s, less the fetch
    assert tick.chance == 1.0


def test_a_start_before_the_first_look_is_made_at_once():
    legs = [LegView(0, 1, T0), LegView(1, 2, T0)]
    assert decide(legs, 0).start is None  # the third is planned 1.1 s on
    assert decide(legs, 0, soon=first_look_seconds("Connecting you to support.")).start == 2


def test_out_of_hours_the_window_is_longer():
    night = Answering(0.9, 6.0, 14.0)
    assert decide([LegView(0, 1, T0)], 0, answering=night).start == 1
    later = decide([LegView(0, 1, T0)], 0, answering=night, out_of_hours=True)
    assert later.start is None and later.wait_for == 2  # the backup planned at 2.3 s


def test_the_first_look_comes_after_the_greeting():
    assert first_look_seconds("") == 0.5
    assert round(first_look_seconds("Connecting you to support."), 2) == 2.24
