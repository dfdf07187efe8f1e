"""The target-driven hunt at a wait-URL fetch: start the next leg now, or when to look again.

The caller waits in their own queue as in the overlapped hunt (telephony.queue_hunt), but the
wait document lasts until the next planned start (telephony.target_hunt.next_start) instead
of a second: no webhook a second per waiting caller. How each number answers comes from
`answering_of(target)` (telephony.answering; the priors until there is history).
"""

import re
from dataclasses import dataclass

from telephony.routing import HUNT
from telephony.target_hunt import RingingLeg, Timing, Why, next_start

RECHECK_SECONDS = 3  # nothing planned: look again this often (a leg may end meanwhile)
FETCH_SECONDS = 0.25  # the wait document's own trip; a start this close is made now
SOON = 0.5


@dataclass(frozen=True)
class TargetTick:
    start: int | None = None  # the step to ring now
    leave: bool = False
    stop_live: bool = False
    wait_for: int = 1  # seconds the wait document lasts
    chance: float | None = None  # the phones ringing's chance in time when deciding
    reason: str | None = None  # why the phone of `start` starts now, in words (explain)


def first_look_seconds(greeting):
    """Seconds from the arrival to the caller's first wait-URL fetch: the answer's trip, the
    greeting (2.6 words a second and 0.2 s a <Say>), the fetch's own trip."""
    words = len(re.findall(r"[\w'’]+", greeting or ""))
    return 2 * FETCH_SECONDS + (words / 2.6 + 0.2 if words else 0.0)


def decide_target(targets, legs, call_started, now, settings, ready_ids, answering_of,
                  timing=None, out_of_hours=False, soon=None):
    """The next thing to do for a target-driven hunt at the aware instant `now`; out of hours
    the window is out_of_hours_service_level_seconds (the backup joins by the same rule).
    A start planned within `soon` seconds (the next look, at the earliest) is made now."""
    timing = timing or Timing()
    live = [leg for leg in legs if leg.ended_at is None]
    if any(leg.accepted_at is not None for leg in live):
        return TargetTick(wait_for=1)  # the join is under way
    elapsed = (now - call_started).total_seconds()
    if elapsed >= settings.max_wait_seconds:
        return TargetTick(leave=True, stop_live=bool(live))
    last = max((leg.step for leg in legs), default=-1)
    remaining = [index for index in range(last + 1, len(targets))
                 if targets[index].role != HUNT or targets[index].engineer_id in ready_ids]
    if not remaining and not live:
        return TargetTick(leave=True)
    step = remaining[0] if remaining else None
    following = None
    if step is not None and targets[step].engineer_id not in {leg.engineer_id for leg in live}:
        following = answering_of(targets[step])
    ringing = [RingingLeg(answering_of(targets[leg.step]), _rung_for(leg, now, timing),
                          leg.picked_up_at is not None) for leg in live]
    window = (settings.out_of_hours_service_level_seconds if out_of_hours
              else settings.service_level_seconds)
    plan = next_start(ringing, following, settings.service_level_target, window, elapsed,
                      settings.max_phones, timing)
    if plan.start_in is not None and plan.start_in <= max(SOON, soon or 0.0):
        return TargetTick(start=step, chance=plan.chance,
                          reason=explain(plan, targets[step].name,
                                         [targets[leg.step].name for leg in live], elapsed,
                                         settings.service_level_target, window))
    until = RECHECK_SECONDS if plan.start_in is None else plan.start_in - FETCH_SECONDS
    until = min(until, settings.max_wait_seconds - elapsed)
    return TargetTick(wait_for=max(1, round(until)), chance=plan.chance)


def explain(plan, name, ringing, elapsed, target, window):
    """Why `name`'s phone starts `elapsed` seconds into the call, from the hunt's own Plan
    (telephony.target_hunt.next_start): e.g. "Ben Smith too at 2.1 s: Ann Archer alone had
    a 71% chance of an acceptance within 12 s; any later, under the 98% target"."""
    at = f"{elapsed:.1f} s"
    alone = " and ".join(dict.fromkeys(ringing)) or "the phones ringing"
    share = f"{_percent(plan.chance)} chance of an acceptance within {window:g} s"
    if plan.why == Why.NONE_RINGING:
        return f"{name} at {at}: no other phone was ringing"
    if plan.why == Why.PAST_WINDOW:
        return f"{name} too at {at}: past the {window:g} s window, every phone that may ring starts"
    if plan.why == Why.SHORT:
        return (f"{name} too at {at}, at once: {alone} alone had a {share}, and even with "
                f"{name} under the {_percent(target)} target")
    return (f"{name} too at {at}: {alone} alone had a {share}; any later, under the "
            f"{_percent(target)} target")


def _percent(share):
    """A share in words: a whole percent well under a target (71%), from 89.5% to a tenth
    (89.5%, 97.8%, 98%), so that a near miss never reads as the target."""
    value = share * 100
    if value < 89.5:
        return f"{value:.0f}%"
    return f"{value:.1f}".rstrip("0").rstrip(".") + "%"


def _rung_for(leg, now, timing):
    if leg.ringing_at is not None:
        return (now - leg.ringing_at).total_seconds()
    return (now - leg.started_at).total_seconds() - timing.ring_after
