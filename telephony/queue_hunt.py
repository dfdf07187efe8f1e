"""Overlapped hunting in the call log: legs started through the REST API, ticks, the end.

The caller waits in a queue of their own; each wait-URL fetch is a tick (telephony.overlap
decides it). Engineer legs are logged, and claim the hunt position, as in the sequential
hunt (telephony.hunt.begin_leg: table leg, one row a step), and carry Twilio's CallSid of
the outbound call in `child_sid`. Who gets the caller is settled by compare-and-sets on
the call (telephony.hunt_claims): the first acceptance, or the tick that sends the caller
on, whichever comes first.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from hours.business_hours import OUT_OF_HOURS
from telephony.answering import PRIOR
from telephony.answering_log import learned_for
from telephony.dialer import DialerError
from telephony.hunt import begin_leg, targets_of
from telephony.hunt_claims import (close_live_legs, leave_for_voicemail, release_accept,
                                   stale_accepts)
from telephony.models import Call, CallStatus, Leg, LegOutcome
from telephony.overlap import LegView, decide_tick
from telephony.presence import free_engineers
from telephony.routing import dial_timeout
from telephony.steps import Ring, shown_caller_id
from telephony.target_hunt import Timing
from telephony.target_tick import decide_target

# the short whisper: its document, the 0.3 s tone, the key 0.8 s after, the accept's answer
TONE_WHISPER = Timing(accept_after=1.6)

log = logging.getLogger(__name__)

# An accepted leg is joined to the caller within a second or two of the press of 1; a
# caller still fetching the wait URL this long after one was never joined.
JOIN_GRACE = timedelta(seconds=10)


def queue_name(call_id):
    """The call's own queue: only this caller waits in it, so a join reaches only them."""
    return f"dutyline-call-{int(call_id)}"


@dataclass(frozen=True)
class TickOutcome:
    leg_id: int | None = None  # a leg to start once the answer is on its way
    leave: bool = False  # the caller leaves the queue (voicemail, or one at a time)
    stop: tuple = ()  # (CallSid, ringing) of legs to stop
    wait_for: int | None = None  # target hunt: seconds the wait document lasts
    more: tuple = ()  # target hunt: further legs to start at the same moment


def _views(call):
    return [LegView(leg.step, leg.engineer_id, leg.started_at, leg.ended_at, leg.accepted_at,
                    leg.picked_up_at, leg.ringing_at)
            for leg in Leg.select().where(Leg.call == call).order_by(Leg.step)]


def answering_of(call, now):
    """How each target of the call answers (telephony.answering.learned_for)."""
    return lambda target: learned_for(target.engineer_id, target.number, now)


def live_sids(call, except_leg_id=None):
    """(CallSid, still ringing) of the call's REST legs that have not ended."""
    query = Leg.select(Leg.id, Leg.child_sid, Leg.picked_up_at).where(
        Leg.call == call, Leg.ended_at.is_null(), Leg.child_sid.is_null(False))
    return tuple((leg.child_sid, leg.picked_up_at is None) for leg in query
                 if leg.id != except_leg_id)


def tick(call, settings, now):
    """One wait-URL fetch: maybe a new leg, maybe the end of waiting."""
    if call.status == CallStatus.VOICEMAIL or call.ended_at is not None:
        return TickOutcome(leave=True)  # a tick before this one sent the caller on, or late
    if Leg.select().where(Leg.call == call, Leg.outcome == LegOutcome.NOT_STARTED).exists():
        # the REST API let us down: the phones still ringing stop, one at a time from here
        return TickOutcome(leave=True, stop=close_live_legs(call, now, LegOutcome.WITHDRAWN))
    stop = ()
    for leg in stale_accepts(call, now - JOIN_GRACE):
        log.warning("telephony.queue_hunt: accepted leg never joined call=%s", call.id)
        stop += release_accept(leg, now)
    targets = targets_of(call)
    if settings.hunt == "target":
        decision = decide_target(targets, _views(call), call.started_at, now, settings,
                                 free_engineers(now), answering_of(call, now),
                                 timing=TONE_WHISPER, out_of_hours=call.mode == OUT_OF_HOURS)
    else:
        decision = decide_tick(targets, _views(call), call.started_at, now, settings,
                               free_engineers(now))
    wait_for = getattr(decision, "wait_for", None)
    if decision.leave:
        left = leave_for_voicemail(call, now)
        if left is None:  # an engineer accepted at this very moment: the join comes next
            return TickOutcome(stop=stop)
        return TickOutcome(leave=True, stop=stop + left)
    if decision.start is None:
        return TickOutcome(stop=stop, wait_for=wait_for)
    ring = begin_leg(call, targets, decision.start, now, only_new=True)
    # a duplicated tick finds the leg made already: only the first starts it
    if ring is None:
        return TickOutcome(stop=stop, wait_for=wait_for)
    keep_reason(ring.leg_id, getattr(decision, "reason", None))
    if settings.hunt != "target":
        return TickOutcome(leg_id=ring.leg_id, stop=stop)
    more, wait_for = further_starts(call, targets, settings, now)
    return TickOutcome(leg_id=ring.leg_id, stop=stop, wait_for=wait_for or 1, more=more)


def further_starts(call, targets, settings, now, soon=None):
    """The target hunt: (leg ids, wait seconds) of further phones the plan wants at `now`
    (or within `soon` seconds, before it can look again), their legs logged, and how long
    until it looks again."""
    more = ()
    while True:
        decision = decide_target(targets, _views(call), call.started_at, now, settings,
                                 free_engineers(now), answering_of(call, now),
                                 timing=TONE_WHISPER, out_of_hours=call.mode == OUT_OF_HOURS,
                                 soon=soon)
        extra = (begin_leg(call, targets, decision.start, now, only_new=True)
                 if decision.start is not None else None)
        if extra is None:
            return more, decision.wait_for
        keep_reason(extra.leg_id, decision.reason)
        more += (extra.leg_id,)


def keep_reason(leg_id, reason):
    """The call log keeps why the target hunt started a leg (TargetTick.reason)."""
    if reason:
        Leg.update(reason=reason).where(Leg.id == leg_id).execute()


def explain_first(call, targets, settings):
    """The target hunt's reason for the arrival's own first leg, by the same decision as
    every later one (telephony.target_tick.decide_target with no leg yet: it starts at once
    whoever it rings, so no answering need be learned for it)."""
    if not targets:
        return
    decision = decide_target(targets, [], call.started_at, call.started_at, settings,
                             {targets[0].engineer_id}, lambda target: PRIOR,
                             timing=TONE_WHISPER, out_of_hours=call.mode == OUT_OF_HOURS)
    if decision.start == 0:
        (Leg.update(reason=decision.reason)
         .where(Leg.call == call, Leg.step == 0, Leg.reason.is_null()).execute())


def start_leg(leg_id, dialer, url, settings, now):
    """Ring the leg's engineer through the REST API: None, or the DialerError (and the leg
    closed as LegOutcome.NOT_STARTED) when the API refused or did not answer in time."""
    leg = Leg.select(Leg, Call).join(Call).where(Leg.id == leg_id).first()
    if leg is None or leg.ended_at is not None or leg.child_sid:
        return None
    try:
        sid = dialer.start(to=leg.number, from_=leg.call.to_number,
                           url=url("leg_whisper", leg=leg.id),
                           status_callback=url("leg_status", leg=leg.id),
                           timeout=dial_timeout(settings.ring_seconds))
    except DialerError as exc:
        # the incident is logged once (webhooks.incidents), not once a call
        log.debug("telephony.queue_hunt: leg not started call=%s error=%s", leg.call_id, exc)
        (Leg.update(ended_at=now, outcome=LegOutcome.NOT_STARTED)
         .where(Leg.id == leg.id, Leg.ended_at.is_null()).execute())
        return exc
    updated = (Leg.update(child_sid=sid)
               .where(Leg.id == leg.id, Leg.ended_at.is_null()).execute())
    if not updated:  # the hunt ended while the leg was being started: stop it again
        Leg.update(child_sid=sid).where(Leg.id == leg.id).execute()
        stop_legs(dialer, ((sid, True),))
    return None


def stop_legs(dialer, sids):
    """Stop legs nobody needs; one that cannot be stopped rings out by itself (and a press of
    1 on it finds the leg ended)."""
    for sid, ringing in sids:
        try:
            dialer.stop(sid, ringing)
        except DialerError as exc:
            log.info("telephony.queue_hunt: leg not stopped sid=%s error=%s", sid[:34], exc)


def resume_one_at_a_time(call, now):
    """After the REST API failed: the Ring of the leg that could not start, rung again with
    <Dial>, or None."""
    failed = (Leg.select().where(Leg.call == call, Leg.outcome == LegOutcome.NOT_STARTED)
              .order_by(Leg.step).first())
    if failed is None:
        return None
    (Leg.update(ended_at=None, outcome=LegOutcome.RINGING, started_at=now)
     .where(Leg.id == failed.id).execute())
    return Ring(targets_of(call)[failed.step], failed.id, shown_caller_id(call.from_number))
