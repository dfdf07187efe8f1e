"""The target-driven hunt's decision (telephony.target_hunt.next_start), row by row: a team
that answers fast never needs a second phone within the window, a slow team gets one at
once, max_phones stops the plan, the window already past starts every phone, a phone picked
up counts for its person share; and the learner (telephony.answering.learn)."""

from datetime import datetime, timedelta, timezone

import pytest

from telephony.answering import PRIOR, Answering, Ring, learn
from telephony.target_hunt import Plan, RingingLeg, Timing, Why, chance_in_time, next_start

FAST = Answering(1.0, 2.0, 4.0)  # everyone answers in 2-4 s
MOSTLY = Answering(0.85, 2.0, 8.0)  # 85 % in 2-8 s
NIGHT = Answering(0.9, 6.0, 14.0)
NEVER = Answering(0.0, 2.0, 4.0)
SET_UP = -Timing().ring_after  # a phone just asked for: rings in 2.05 s


def ringing(answering, rung_for=SET_UP, picked_up=False):
    return RingingLeg(answering, rung_for, picked_up)


@pytest.mark.parametrize("legs, following, window, elapsed, max_phones, expected", [
    # nothing ringing: the first phone starts at once
    ((), FAST, 12, 0.0, 3, 0.0),
    ((), NEVER, 12, 0.0, 3, 0.0),
    # a fast team: Ann alone is certain; the next phone is planned only for the instant Ann's
    # pick-up is overdue (she rings at 2.05 s and picks up within 4 s)
    ((ringing(FAST),), FAST, 12, 0.0, 3, 6.0),
    # a slow team: Ann alone has 77 %, so Ben starts at once ...
    ((ringing(MOSTLY),), MOSTLY, 12, 0.0, 3, 0.0),
    # ... and with two (94.8 %) the third keeps the target only if it starts within 1.1 s
    ((ringing(MOSTLY), ringing(MOSTLY)), MOSTLY, 12, 0.0, 3, 1.1),
    # one step on, the same plan: 0.1 s left, and at the instant itself: start now
    ((ringing(MOSTLY, SET_UP + 1.0), ringing(MOSTLY, SET_UP + 1.0)), MOSTLY, 12, 1.0, 3, 0.1),
    ((ringing(MOSTLY, SET_UP + 1.1), ringing(MOSTLY, SET_UP + 1.1)), MOSTLY, 12, 1.1, 3, 0.0),
    # max_phones reached: no start, whatever the chance
    ((ringing(MOSTLY), ringing(MOSTLY)), MOSTLY, 12, 0.0, 2, None),
    ((ringing(NEVER),), FAST, 12, 0.0, 1, None),
    # nobody left to ring
    ((ringing(MOSTLY),), None, 12, 0.0, 3, None),
    # the window already past: the next phone starts at once
    ((ringing(FAST, 20.0),), FAST, 12, 22.0, 3, 0.0),
    # a phone picked up: the next is planned for when its key is overdue
    ((ringing(FAST, 3.0, picked_up=True),), FAST, 12, 5.0, 3, 2.4),
    # night, 20 s: the backup joins when the duty engineer alone stops giving the target
    ((ringing(NIGHT),), NIGHT, 20, 0.0, 2, 2.3),
])
def test_next_start(legs, following, window, elapsed, max_phones, expected):
    plan = next_start(list(legs), following, 0.98, window, elapsed, max_phones)
    assert plan.start_in == expected


def test_the_reason_is_the_chance_the_phones_ringing_gave():
    plan = next_start([ringing(MOSTLY)], MOSTLY, 0.98, 12, 0.0, 3)
    assert plan == Plan(0.0, pytest.approx(0.772, abs=0.001), Why.SHORT)


def test_chance_in_time_of_two_at_once():
    assert chance_in_time([ringing(MOSTLY)] * 2, 12) == pytest.approx(0.948, abs=0.001)
    assert chance_in_time([ringing(FAST)], 12) == 1.0
    assert chance_in_time([ringing(FAST)], 12 - 9.0) == 0.0  # no time left to pick up


def test_a_lower_target_lets_one_phone_do():
    assert next_start([ringing(MOSTLY)], MOSTLY, 0.75, 12, 0.0, 3).start_in > 0


NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)


def test_with_no_history_the_prior_stands():
    learned = learn([], NOW)
    assert [learned.chance, learned.low, learned.high, learned.person] == pytest.approx(
        [PRIOR.chance, PRIOR.low, PRIOR.high, PRIOR.person])


def test_history_moves_the_prior_and_recent_weeks_weigh_more():
    answered = [Ring(NOW - timedelta(days=1, minutes=n), 3.0, True) for n in range(20)]
    missed_long_ago = [Ring(NOW - timedelta(days=70, minutes=n), None, False) for n in range(20)]
    learned = learn(answered, NOW)
    assert learned.chance > 0.95
    assert learned.low < 3.0 < learned.high  # the prior's 2-10 s drawn towards 3 s
    assert learned.high - learned.low < (PRIOR.high - PRIOR.low) * 0.6
    mixed = learn(answered + missed_long_ago, NOW)
    assert mixed.chance > 0.9  # 20 misses ten weeks ago count as under one recent ring
    recent_misses = learn(answered + [Ring(NOW - timedelta(hours=1, minutes=n), None, False)
                                      for n in range(20)], NOW)
    assert 0.45 < recent_misses.chance < 0.6


def test_a_voicemail_that_picks_up_lowers_the_person_share():
    rings = [Ring(NOW - timedelta(days=2, minutes=n), 8.0, False) for n in range(10)]
    learned = learn(rings, NOW)
    assert learned.person < 0.3
    assert learned.chance < 0.25


def test_rings_stopped_while_ringing_count_as_far_as_they_went():
    # half the rings accepted at 3 s, half stopped after 6 s of ringing: by 6 s most of the
    # pick-ups of this number would have come, so the stopped ones read mostly as misses
    accepted = [Ring(NOW - timedelta(days=1, minutes=n), 3.0, True) for n in range(10)]
    stopped = [Ring(NOW - timedelta(days=1, minutes=n), None, False, stopped_after=6.0)
               for n in range(10)]
    learned = learn(accepted + stopped, NOW)
    assert 0.5 < learned.chance < 0.7
    # stopped at once, a ring says nothing of the number's chance
    early = [Ring(NOW - timedelta(days=1, minutes=n), None, False, stopped_after=0.0)
             for n in range(10)]
    assert learn(accepted + early, NOW).chance > 0.9
