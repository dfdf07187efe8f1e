"""How each engineer answers on each of their numbers, learned from the call log's legs.

An `Answering` is what the target-driven hunt (telephony.target_hunt) reckons with: the
chance that a ring on that number ends in an acceptance, the pick-up delay from the ring
(taken as uniform between `low` and `high`, with the mean and spread of the delays seen),
and the share of pick-ups that press 1 (the rest are voicemail boxes or people who do not).
Until there is history the priors stand; each leg counts as much as a prior ring when it is
new and half as much every `half_life_days` after, so recent weeks weigh more.
"""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Answering:
    chance: float  # a ring ends in an acceptance
    low: float  # pick-up delay from the ring, seconds: uniform low..high
    high: float
    person: float = 1.0  # share of pick-ups that press 1

    def answered_within(self, seconds):
        """The chance of an acceptance whose pick-up came within `seconds` of the ring."""
        if seconds <= self.low:
            return 0.0
        if seconds >= self.high or self.high <= self.low:
            return self.chance
        return self.chance * (seconds - self.low) / (self.high - self.low)


PRIOR = Answering(chance=0.85, low=2.0, high=8.0, person=0.95)
PRIOR_WEIGHT = 1.0  # the prior counts as one ring
HALF_LIFE_DAYS = 14.0
EM_ROUNDS = 8


@dataclass(frozen=True)
class Ring:
    """One leg of the log, as the learner needs it."""

    rung_at: object  # aware datetime the phone started ringing
    picked_up_after: float | None  # seconds from the ring to the pick-up; None: never
    accepted: bool
    stopped_after: float | None = None  # stopped, never picked up, after ringing this long


def _share_by(answering, seconds):
    """The share of the pick-ups that come within `seconds` of the ring."""
    if answering.chance <= 0:
        return 1.0
    return answering.answered_within(seconds) / answering.chance


def learn(rings, now, prior=PRIOR, prior_weight=PRIOR_WEIGHT, half_life_days=HALF_LIFE_DAYS):
    """The Answering of one number from its `rings` (older than `now`, any order)."""
    rings = list(rings)
    guess = prior
    for _ in range(EM_ROUNDS):  # each round reads the stopped rings by the last round's figures
        guess = _learn(rings, now, prior, prior_weight, half_life_days, guess)
    return guess


def _learn(rings, now, prior, prior_weight, half_life_days, guess=None):
    """A ring stopped before a pick-up counts as an acceptance by the chance that one was
    still to come, as `guess` (the figures of the other rings) tells it."""
    total = accepted = picked = pressed = 0.0
    delays = []  # (weight, seconds) of the accepted pick-ups
    for ring in rings:
        age = max((now - ring.rung_at).total_seconds() / 86400.0, 0.0)
        weight = 0.5 ** (age / half_life_days)
        total += weight
        if ring.stopped_after is not None:
            gone = guess.chance * _share_by(guess, ring.stopped_after)
            if gone < 1.0:
                accepted += weight * (guess.chance - gone) / (1.0 - gone)
            continue
        if ring.picked_up_after is not None:
            picked += weight
            if ring.accepted:
                pressed += weight
                delays.append((weight, ring.picked_up_after))
        if ring.accepted:
            accepted += weight
    chance = (accepted + prior_weight * prior.chance) / (total + prior_weight)
    person = (pressed + prior_weight * prior.person) / (picked + prior_weight)
    prior_mean = (prior.low + prior.high) / 2
    prior_var = (prior.high - prior.low) ** 2 / 12
    seen = sum(weight for weight, _ in delays)
    mean = (sum(w * s for w, s in delays) + prior_weight * prior_mean) / (seen + prior_weight)
    spread = (sum(w * (s - mean) ** 2 for w, s in delays)
              + prior_weight * (prior_var + (prior_mean - mean) ** 2)) / (seen + prior_weight)
    half = math.sqrt(3 * spread)  # a uniform with that mean and variance
    return Answering(min(chance, 1.0), max(mean - half, 0.0), mean + half, min(person, 1.0))
