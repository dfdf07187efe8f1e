"""Overlapped hunting, decided purely: which engineer legs to start at a tick, and when to stop.

While the caller waits in a queue, Twilio fetches the queue's wait URL again and again; each
fetch is a tick. At a tick the next engineer in the plan starts ringing when nobody has
accepted and either `overlap_seconds` have passed since the last leg started or every leg
so far has ended. Out of hours the backup joins after `backup_after_seconds` (or, when that
is not set, once the primary's leg has ended). The caller leaves for voicemail when the plan
is exhausted or `max_wait_seconds` have passed.
"""

from dataclasses import dataclass

from telephony.routing import BACKUP, HUNT


@dataclass(frozen=True)
class LegView:
    """What a tick needs of one leg already started for the call (either queued hunt's: the
    target hunt reads when it was picked up and rang too)."""

    step: int
    engineer_id: int | None
    started_at: object  # aware datetime
    ended_at: object = None
    accepted_at: object = None
    picked_up_at: object = None
    ringing_at: object = None


@dataclass(frozen=True)
class Tick:
    start: int | None = None  # the step to ring now
    leave: bool = False  # give up hunting: the caller goes on (voicemail)
    stop_live: bool = False  # end every leg still ringing (with leave)


WAIT = Tick()


def decide_tick(targets, legs, call_started, now, settings, ready_ids):
    """The next thing to do for an overlapped hunt at the aware instant `now`.

    `targets` is the call's plan, `legs` the legs started so far, `ready_ids` the engineers
    still signed in and idle (hunt targets outside it are passed over; duty targets are
    always rung).
    """
    live = [leg for leg in legs if leg.ended_at is None]
    if any(leg.accepted_at is not None for leg in live):
        return WAIT  # someone accepted; the join is under way
    if (now - call_started).total_seconds() >= settings.max_wait_seconds:
        return Tick(leave=True, stop_live=bool(live))
    last = max((leg.step for leg in legs), default=-1)
    remaining = [index for index in range(last + 1, len(targets))
                 if targets[index].role != HUNT or targets[index].engineer_id in ready_ids]
    if not remaining:
        return WAIT if live else Tick(leave=True)
    step = remaining[0]
    target = targets[step]
    if not live:
        return Tick(start=step)
    if target.engineer_id in {leg.engineer_id for leg in live}:
        return WAIT  # a second round reaches a phone that is still ringing: let it finish
    gap = settings.overlap_seconds
    if target.role == BACKUP:
        if settings.backup_after_seconds is None:
            return WAIT  # primary, then backup in turn
        gap = settings.backup_after_seconds
    latest = max(leg.started_at for leg in legs)
    if (now - latest).total_seconds() >= gap:
        return Tick(start=step)
    return WAIT
