"""Overlapped hunting in the call log: legs started through the REST API, the one accept, the end.

The caller waits in a queue of their own; each wait-URL fetch is a tick (telephony.overlap
decides it). Engineer legs are logged like sequential ones (table leg, one row a step) and
carry Twilio's CallSid of the outbound call in `child_sid`. The first press of 1 wins by a
compare-and-set on the call; everyone else's leg is stopped.
"""

import logging
from dataclasses import dataclass

from dutyline.db import database
from rota.models import Engineer
from telephony.arrival import engineers_on_a_call
from telephony.calls import begin_leg, targets_of
from telephony.dialer import DialerError
from telephony.models import Call, Leg
from telephony.overlap import LegView, decide_tick
from telephony.routing import dial_timeout

log = logging.getLogger(__name__)

NOT_STARTED = "not-started"  # the REST API refused or did not answer: hunt one at a time


def queue_name(call_id):
    """The call's own queue: only this caller waits in it, so a join reaches only them."""
    return f"dutyline-call-{int(call_id)}"


@dataclass(frozen=True)
class TickOutcome:
    leg_id: int | None = None  # a leg to start once the answer is on its way
    leave: bool = False  # the caller leaves the queue (voicemail, or one at a time)
    stop: tuple = ()  # CallSids of legs to stop


def _views(call):
    return [LegView(leg.step, leg.engineer_id, leg.started_at, leg.ended_at, leg.accepted_at)
            for leg in Leg.select().where(Leg.call == call).order_by(Leg.step)]


def _ready_ids(now):
    signed_in = {row.id for row in Engineer.select(Engineer.id)
                 .where(Engineer.active, Engineer.signed_in)}
    return frozenset(signed_in - engineers_on_a_call(now))


def live_sids(call, except_leg_id=None):
    """Outbound CallSids of the call's legs that have not ended."""
    query = Leg.select(Leg.id, Leg.child_sid, Leg.picked_up_at).where(
        Leg.call == call, Leg.ended_at.is_null(), Leg.child_sid.is_null(False))
    return tuple((leg.child_sid, leg.picked_up_at is None) for leg in query
                 if leg.id != except_leg_id)


def tick(call, settings, now):
    """One wait-URL fetch: maybe a new leg, maybe the end of waiting."""
    if Leg.select().where(Leg.call == call, Leg.outcome == NOT_STARTED).exists():
        return TickOutcome(leave=True)
    _release_failed_accept(call)
    decision = decide_tick(targets_of(call), _views(call), call.started_at, now, settings,
                           _ready_ids(now))
    if decision.leave:
        return TickOutcome(leave=True, stop=live_sids(call) if decision.stop_live else ())
    if decision.start is None:
        return TickOutcome()
    ring = begin_leg(call, targets_of(call), decision.start, now)
    return TickOutcome(leg_id=ring.leg_id)


def _release_failed_accept(call):
    """An accepted leg that ended while the caller still waits never joined: hunt on."""
    accepted = (Leg.select(Leg.id)
                .where(Leg.call == call, Leg.accepted_at.is_null(False),
                       Leg.ended_at.is_null(False)))
    if call.answered_at is None or not accepted.exists():
        return
    with database.atomic():
        (Leg.update(outcome="join-failed", accepted_at=None)
         .where(Leg.call == call, Leg.accepted_at.is_null(False), Leg.ended_at.is_null(False))
         .execute())
        (Call.update(status="ringing", answered_by=None, answered_at=None)
         .where(Call.id == call.id).execute())
    log.warning("telephony.queue_hunt: accepted leg ended before the join call=%s", call.id)


def start_leg(leg_id, dialer, url, settings, now):
    """Ring the leg's engineer through the REST API; False (and the leg closed) when refused."""
    leg = Leg.select(Leg, Call).join(Call).where(Leg.id == leg_id).first()
    if leg is None or leg.ended_at is not None or leg.child_sid:
        return True
    try:
        sid = dialer.start(to=leg.number, from_=leg.call.to_number,
                           url=url("leg_whisper", leg=leg.id),
                           status_callback=url("leg_status", leg=leg.id),
                           timeout=dial_timeout(settings.ring_seconds))
    except DialerError as exc:
        log.warning("telephony.queue_hunt: leg not started call=%s error=%s", leg.call_id, exc)
        (Leg.update(ended_at=now, outcome=NOT_STARTED)
         .where(Leg.id == leg.id, Leg.ended_at.is_null()).execute())
        return False
    Leg.update(child_sid=sid).where(Leg.id == leg.id).execute()
    return True


def stop_legs(dialer, sids):
    """Stop legs nobody needs; one that cannot be stopped rings out by itself."""
    for sid, ringing in sids:
        try:
            dialer.stop(sid, ringing)
        except DialerError as exc:
            log.warning("telephony.queue_hunt: leg not stopped sid=%s error=%s", sid[:34], exc)


def claim_answer(leg, now):
    """The engineer pressed 1: True for the first such press of the call, False for any later."""
    with database.atomic():
        won = (Call
               .update(status="answered", answered_by=leg.engineer_id, answered_at=now)
               .where(Call.id == leg.call_id, Call.answered_at.is_null(),
                      Call.ended_at.is_null())
               .execute())
        if won:
            (Leg.update(accepted_at=now, outcome="accepted")
             .where(Leg.id == leg.id).execute())
    if not won:
        not_needed(leg)
    return bool(won)


TAKEN_BY_ANOTHER = "taken-by-another"
CALLER_HUNG_UP = "caller-hung-up"


def not_needed(leg):
    """An engineer picked up or pressed 1 too late: their leg is logged as such.

    The outcome says why (another engineer took the call, or the caller had gone); a leg
    whose outcome is already known keeps it.
    """
    gone = Call.select(Call.ended_at).where(Call.id == leg.call_id).scalar() is not None
    outcome = CALLER_HUNG_UP if gone else TAKEN_BY_ANOTHER
    (Leg.update(outcome=outcome)
     .where(Leg.id == leg.id, Leg.accepted_at.is_null(),
            Leg.outcome.in_(("ringing", TAKEN_BY_ANOTHER)))
     .execute())
    return gone


def resume_one_at_a_time(call, now):
    """After the REST API failed: the leg that could not start, rung again with <Dial>."""
    failed = (Leg.select().where(Leg.call == call, Leg.outcome == NOT_STARTED)
              .order_by(Leg.step).first())
    if failed is None:
        return None
    (Leg.update(ended_at=None, outcome="ringing", started_at=now)
     .where(Leg.id == failed.id).execute())
    return failed

