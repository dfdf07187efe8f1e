"""Why the target hunt starts each phone when it does: the reason is the decision's own
(telephony.target_hunt.next_start), and its words (telephony.target_tick.explain)."""

import pytest

from telephony.answering import Answering
from telephony.target_hunt import Plan, RingingLeg, Timing, Why, next_start
from telephony.target_tick import explain

TIMING = Timing(accept_after=1.6)
OFFICE = Answering(chance=0.85, low=2.0, high=8.0, person=1.0)  # 85% in 2-8 s
FAST = Answering(chance=1.0, low=2.0, high=4.0, person=1.0)  # every call, in 2-4 s
SLOW = Answering(chance=0.7, low=4.0, high=10.0, person=1.0)


def ringing(answering, rung_for):
    return RingingLeg(answering, rung_for)


@pytest.mark.parametrize("legs, following, elapsed, max_phones, start_in, why", [
    # nothing ringing: the next phone starts at once
    ((), OFFICE, 0.0, 3, 0.0, Why.NONE_RINGING),
    ((), OFFICE, 30.0, 3, 0.0, Why.NONE_RINGING),
    # one fast phone keeps the target until it has rung 3.95 s (past 4 s with no key, it
    # never brings one in time): the next one waits for that last good moment
    ((ringing(FAST, -2.05),), FAST, 0.0, 3, 6.0, Why.KEEPS_TARGET),
    # a slow phone cannot give 98% even with another at once: at once
    ((ringing(SLOW, -2.05),), SLOW, 0.0, 3, 0.0, Why.SHORT),
    # the window's last instant and past it: every phone that may ring starts
    ((ringing(OFFICE, 9.0),), OFFICE, 11.9, 3, 0.0, Why.SHORT),
    ((ringing(OFFICE, 9.0),), OFFICE, 12.0, 3, 0.0, Why.PAST_WINDOW),
    ((ringing(OFFICE, 9.0),), OFFICE, 40.0, 3, 0.0, Why.PAST_WINDOW),
    # as many phones ringing as allowed, or nobody left: none starts, and no reason
    ((ringing(SLOW, 0.0), ringing(SLOW, 0.0)), SLOW, 1.0, 2, None, None),
    ((ringing(SLOW, 0.0),), None, 1.0, 3, None, None),
])
def test_each_start_comes_with_its_reason(legs, following, elapsed, max_phones, start_in, why):
    plan = next_start(list(legs), following, 0.98, 12, elapsed, max_phones, TIMING)
    assert (plan.start_in, plan.why) == (start_in, why)


def test_the_reason_gives_what_the_phones_ringing_had_when_the_next_one_started():
    plan = next_start([ringing(OFFICE, -2.05)], OFFICE, 0.98, 12, 0.0, 3, TIMING)
    # Ann's pick-up comes by 8 s of ringing, 2.05 s to ring and 1.6 s to accept: 85% in time
    assert plan.why == Why.SHORT and plan.chance == pytest.approx(0.85)
    words = explain(plan, "Ben Smith", ["Ann Archer"], 0.0, 0.98, 12)
    assert words == ("Ben Smith too at 0.0 s, at once: Ann Archer alone had a 85% chance of "
                     "an acceptance within 12 s, and even with Ben Smith under the 98% target")


@pytest.mark.parametrize("plan, ringing_names, elapsed, words", [
    (Plan(0.0, 0.0, Why.NONE_RINGING), [], 0.0,
     "Ann Archer at 0.0 s: no other phone was ringing"),
    (Plan(0.0, 0.71, Why.KEEPS_TARGET), ["Ben Smith"], 2.14,
     "Ann Archer too at 2.1 s: Ben Smith alone had a 71% chance of an acceptance within 12 s; "
     "any later, under the 98% target"),
    (Plan(0.0, 0.8949, Why.KEEPS_TARGET), ["Ben Smith", "Cat Lee"], 4.0,
     "Ann Archer too at 4.0 s: Ben Smith and Cat Lee alone had a 89% chance of an acceptance "
     "within 12 s; any later, under the 98% target"),
    (Plan(0.0, 0.8951, Why.KEEPS_TARGET), ["Ben Smith"], 4.0,  # near the target: to a tenth
     "Ann Archer too at 4.0 s: Ben Smith alone had a 89.5% chance of an acceptance "
     "within 12 s; any later, under the 98% target"),
    (Plan(0.0, 0.97, Why.KEEPS_TARGET), ["Ben Smith"], 4.0,
     "Ann Archer too at 4.0 s: Ben Smith alone had a 97% chance of an acceptance "
     "within 12 s; any later, under the 98% target"),
    (Plan(0.0, 0.0, Why.PAST_WINDOW), ["Ben Smith"], 12.0,
     "Ann Archer too at 12.0 s: past the 12 s window, every phone that may ring starts"),
])
def test_the_reason_in_words(plan, ringing_names, elapsed, words):
    assert explain(plan, "Ann Archer", ringing_names, elapsed, 0.98, 12) == words
