"""The overlapped hunt's decision at each tick (telephony.overlap.decide_tick), row by row,
with the rows on each boundary: overlap_seconds, backup_after_seconds and max_wait_seconds
reached exactly, and one tick (a second) before."""

from datetime import datetime, timedelta, timezone

import pytest

from dutyline.settings import parse_settings
from telephony.overlap import WAIT, LegView, Tick, decide_tick
from telephony.routing import BACKUP, COVER, HUNT, PRIMARY, Target

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)  # the caller arrived
ANN, BEN, CAT = 1, 2, 3
HUNT_PLAN = (Target(ANN, "Ann", "+1", HUNT, 1), Target(BEN, "Ben", "+2", HUNT, 2),
             Target(CAT, "Cat", "+3", HUNT, 3))
TWO_ROUNDS = HUNT_PLAN[:2] * 2
DUTY_PLAN = (Target(BEN, "Ben", "+2", PRIMARY, 2), Target(CAT, "Cat", "+3", BACKUP, 3),
             Target(ANN, "Ann", "+1", COVER, 1))
EVERYONE = frozenset({ANN, BEN, CAT})


def at(seconds):
    return T0 + timedelta(seconds=seconds)


def leg(step, engineer, started, ended=None, accepted=None):
    """A leg of the plan's `step`, started (ended, accepted) so many seconds after T0."""
    return LegView(step, engineer, at(started), None if ended is None else at(ended),
                   None if accepted is None else at(accepted))


SETTINGS = {"overlap_seconds": 6, "max_wait_seconds": 90, "backup_after_seconds": 10}

# header: plan, legs so far, the tick's second, engineers free, settings changed -> decision
ROWS = [
    # the first leg rings at once
    ("first leg", HUNT_PLAN, [], 0, EVERYONE, {}, Tick(start=0)),
    # overlap_seconds: one tick before, exactly, and measured from the latest leg
    ("overlap - 1", HUNT_PLAN, [leg(0, ANN, 0)], 5, EVERYONE, {}, WAIT),
    ("overlap exactly", HUNT_PLAN, [leg(0, ANN, 0)], 6, EVERYONE, {}, Tick(start=1)),
    ("third: overlap - 1 after the second", HUNT_PLAN, [leg(0, ANN, 0), leg(1, BEN, 6)], 11,
     EVERYONE, {}, WAIT),
    ("third: overlap after the second", HUNT_PLAN, [leg(0, ANN, 0), leg(1, BEN, 6)], 12,
     EVERYONE, {}, Tick(start=2)),
    ("overlap 1 s exactly", HUNT_PLAN, [leg(0, ANN, 0)], 1, EVERYONE,
     {"overlap_seconds": 1}, Tick(start=1)),
    ("overlap 1 s, same second", HUNT_PLAN, [leg(0, ANN, 0)], 0, EVERYONE,
     {"overlap_seconds": 1}, WAIT),
    # every leg so far ended: the next rings at once, whatever overlap_seconds says
    ("all legs ended", HUNT_PLAN, [leg(0, ANN, 0, ended=2)], 2, EVERYONE, {}, Tick(start=1)),
    # who is passed over
    ("next not free", HUNT_PLAN, [leg(0, ANN, 0)], 6, frozenset({ANN, CAT}), {},
     Tick(start=2)),
    ("nobody free is left", HUNT_PLAN, [leg(0, ANN, 0)], 6, frozenset({ANN}), {}, WAIT),
    ("nobody free, nothing live", HUNT_PLAN, [leg(0, ANN, 0, ended=4)], 6, frozenset(), {},
     Tick(leave=True)),
    ("second round: phone still ringing", TWO_ROUNDS, [leg(0, ANN, 0), leg(1, BEN, 6)], 12,
     EVERYONE, {}, WAIT),
    ("second round: phone free again", TWO_ROUNDS,
     [leg(0, ANN, 0, ended=11), leg(1, BEN, 6)], 12, EVERYONE, {}, Tick(start=2)),
    ("plan exhausted, a phone ringing", HUNT_PLAN,
     [leg(0, ANN, 0), leg(1, BEN, 6), leg(2, CAT, 12)], 40, EVERYONE, {}, WAIT),
    ("plan exhausted, nothing live", HUNT_PLAN,
     [leg(0, ANN, 0, 15), leg(1, BEN, 6, 21), leg(2, CAT, 12, 27)], 28, EVERYONE, {},
     Tick(leave=True)),
    # someone accepted: nothing else starts, not even at max_wait_seconds
    ("accepted", HUNT_PLAN, [leg(0, ANN, 0, accepted=4)], 6, EVERYONE, {}, WAIT),
    ("accepted at max wait", HUNT_PLAN, [leg(0, ANN, 0, accepted=88)], 90, EVERYONE, {},
     WAIT),
    # max_wait_seconds: one tick before, exactly; the phones still ringing are stopped
    ("max wait - 1", HUNT_PLAN, [leg(0, ANN, 0), leg(1, BEN, 6), leg(2, CAT, 12)], 89,
     EVERYONE, {}, WAIT),
    ("max wait exactly", HUNT_PLAN, [leg(0, ANN, 0), leg(1, BEN, 6), leg(2, CAT, 12)], 90,
     EVERYONE, {}, Tick(leave=True, stop_live=True)),
    ("max wait, nothing live", HUNT_PLAN, [leg(0, ANN, 0, ended=20)], 90, EVERYONE, {},
     Tick(leave=True)),
    ("max wait - 1, the next due", HUNT_PLAN, [leg(0, ANN, 0)], 89, EVERYONE, {},
     Tick(start=1)),
    # out of hours: the backup after backup_after_seconds, one tick before and exactly
    ("backup after - 1", DUTY_PLAN, [leg(0, BEN, 0)], 9, frozenset(), {}, WAIT),
    ("backup after exactly", DUTY_PLAN, [leg(0, BEN, 0)], 10, frozenset(), {},
     Tick(start=1)),
    ("backup after 0", DUTY_PLAN, [leg(0, BEN, 0)], 0, frozenset(),
     {"backup_after_seconds": 0}, Tick(start=1)),
    # ... or, with none set, only once the primary's phone gave up
    ("backup in turn, primary ringing", DUTY_PLAN, [leg(0, BEN, 0)], 60, frozenset(),
     {"backup_after_seconds": None}, WAIT),
    ("backup in turn, primary over", DUTY_PLAN, [leg(0, BEN, 0, ended=20)], 20, frozenset(),
     {"backup_after_seconds": None}, Tick(start=1)),
    # cover after the backup: overlap_seconds from the backup's leg; like the duty engineers
    # rung whether signed in for the hunt or not (the plan left out those on a call)
    ("cover: overlap - 1", DUTY_PLAN, [leg(0, BEN, 0), leg(1, CAT, 10)], 15, frozenset(), {},
     WAIT),
    ("cover: overlap exactly", DUTY_PLAN, [leg(0, BEN, 0), leg(1, CAT, 10)], 16, frozenset(),
     {}, Tick(start=2)),
]


@pytest.mark.parametrize("plan, legs, second, free, changed, expected",
                         [row[1:] for row in ROWS], ids=[row[0] for row in ROWS])
def test_decide_tick(plan, legs, second, free, changed, expected):
    settings = parse_settings({key: value for key, value in {**SETTINGS, **changed}.items()
                               if value is not None})
    assert decide_tick(plan, legs, T0, at(second), settings, free) == expected
