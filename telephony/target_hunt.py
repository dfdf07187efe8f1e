"""The target-driven hunt's decision, purely: when the next engineer's phone must start.

A call is "in time" when an engineer accepts within `window` seconds of its arrival. Each
phone is described by how it answers (telephony.answering.Answering: the chance of an
acceptance, the pick-up delay, uniform between two bounds, and the share of pick-ups that
press 1). Seen from the instant of a decision, and given that nobody has accepted yet, the
phones ringing and the next one started `d` seconds from now have some chance of an
acceptance in time; that chance falls as `d` grows. The next phone starts at the latest
moment it still brings the chance to `target`, at once when even starting it now does not,
and never while `max_phones` ring. A plan is worked out on a 0.1 s grid.
"""

from dataclasses import dataclass
from enum import StrEnum

from telephony.answering import Answering

GRID = 0.1


@dataclass(frozen=True)
class Timing:
    """The seconds of the model the plan reckons with (console.caller_clock states them)."""

    ring_after: float = 2.05  # a REST leg asked for -> its phone ringing (0.25 + 0.3 + 1.5)
    accept_after: float = 2.5  # a person's pick-up -> the caller connected: whisper, key, join


@dataclass(frozen=True)
class RingingLeg:
    answering: Answering
    rung_for: float  # seconds its phone has rung; negative while it is still being set up
    picked_up: bool = False  # picked up, the whisper playing, no key yet


class Why(StrEnum):
    """Why the next phone starts when it does."""

    NONE_RINGING = "none-ringing"  # no phone rings for the call: the next starts at once
    KEEPS_TARGET = "keeps-target"  # the last moment the target still holds with it
    SHORT = "short"  # even started at once, the target is not reached: at once
    PAST_WINDOW = "past-window"  # the window is over: every phone that may ring starts


@dataclass(frozen=True)
class Plan:
    start_in: float | None  # seconds from now to start the next phone; None: not needed
    chance: float  # the chance in time the phones ringing give on their own at that start
    why: Why | None = None  # why it starts then (None when no phone is to start)


def leg_chance(leg, remaining, timing):
    """The chance, given no acceptance so far, that `leg` brings one within `remaining` s."""
    if leg.picked_up:
        return leg.answering.person if remaining >= timing.accept_after else 0.0
    already = max(leg.rung_for, 0.0)
    by_then = leg.rung_for + remaining - timing.accept_after
    answered = leg.answering.answered_within
    left = 1.0 - answered(already)
    if left <= 0.0 or by_then <= already:
        return 0.0
    return max(0.0, (answered(by_then) - answered(already)) / left)


def chance_in_time(legs, remaining, timing=Timing()):
    """The chance that at least one of `legs` brings an acceptance within `remaining` s."""
    miss = 1.0
    for leg in legs:
        miss *= 1.0 - leg_chance(leg, remaining, timing)
    return 1.0 - miss


def next_start(legs, following, target, window, elapsed, max_phones, timing=Timing(),
               horizon=600.0):
    """When the next phone (answering as `following`, None: nobody left) must start.

    `legs` are the phones ringing or picked up, `elapsed` the seconds since the call arrived.
    Past the window the chance in time is nil, so every phone that may still ring starts.
    The Plan says why (Plan.why), and what the phones ringing gave on their own then: the
    hunt's own reason, which the call log keeps and the simulator and the call's page show.
    """
    if following is None or len(legs) >= max_phones:
        return Plan(None, chance_in_time(legs, window - elapsed, timing))
    if not legs:
        return Plan(0.0, 0.0, Why.NONE_RINGING)
    if elapsed >= window:
        return Plan(0.0, 0.0, Why.PAST_WINDOW)
    last_good = None
    steps = int(round(horizon / GRID))
    for step in range(steps + 1):
        d = step * GRID
        remaining = window - elapsed - d
        alone = _conditional(legs, d, remaining, timing)
        fresh = RingingLeg(following, -timing.ring_after)
        with_next = 1.0 - (1.0 - alone) * (1.0 - leg_chance(fresh, remaining, timing))
        if with_next < target:
            at, why = (last_good, Why.KEEPS_TARGET) if last_good is not None else (d, Why.SHORT)
            return Plan(round(at, 1), _conditional(legs, at, window - elapsed - at, timing), why)
        last_good = d
    return Plan(None, chance_in_time(legs, window - elapsed, timing))


def _conditional(legs, d, remaining, timing):
    """The phones' chance in time as seen `d` seconds from now, none having accepted by then
    (a phone picked up that long ago without a key has not brought one)."""
    return chance_in_time([RingingLeg(leg.answering, leg.rung_for + d, leg.picked_up)
                           for leg in legs if not leg.picked_up or d < timing.accept_after],
                          remaining, timing)
