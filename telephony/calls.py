"""The call log after the arrival (telephony.arrival): legs, acceptance, the end of a call."""

import json
from dataclasses import dataclass

from peewee import Case, IntegrityError

from dutyline.db import database
from dutyline.ids import as_id
from rota.models import Engineer
from telephony.arrival import engineers_on_a_call
from telephony.models import Call, CallStatus, HuntPosition, Leg, LegOutcome
from telephony.routing import COVER, HUNT, Target
from telephony.steps import Ring, Step, shown_caller_id


def targets_of(call):
    return [Target.from_dict(item) for item in json.loads(call.plan or "[]")]


def pass_gate(call, now, fallback_number=None):
    """The caller pressed 1 for an emergency: the first duty leg, else the fallback or voicemail."""
    targets = targets_of(call)
    if not targets:
        return Step(fallback_number=fallback_number)
    return Step(ring=begin_leg(call, targets, 0, now))


def begin_leg(call, targets, index, now, only_new=False):
    """The Ring of step `index` of the call (its leg created once); moves the hunt position on.

    With `only_new`, None when the leg was there already (a duplicated request made it).
    """
    target = targets[index]
    leg = Leg.get_or_none(Leg.call == call, Leg.step == index)
    if leg is not None and only_new:
        return None
    if leg is None:
        try:
            leg = Leg.create(call=call, step=index, engineer=target.engineer_id,
                             number=target.number, role=target.role, started_at=now)
        except IntegrityError:  # a retried callback made it a moment ago
            if only_new:
                return None
            leg = Leg.get(Leg.call == call, Leg.step == index)
        if target.role in (HUNT, COVER) and index > 0:
            (HuntPosition
             .update(last_rotation=target.rotation, version=HuntPosition.version + 1)
             .where(HuntPosition.id == 1)
             .execute())
    return Ring(target, leg.id, shown_caller_id(call.from_number))


def get_leg(leg_id):
    """The leg named in a callback URL, or None."""
    key = as_id(leg_id)  # a number past the keys' range names no leg
    return Leg.select(Leg, Call).join(Call).where(Leg.id == key).first() if key else None


def get_call(call_id):
    """The call named in a callback URL, or None."""
    key = as_id(call_id)
    return Call.get_or_none(Call.id == key) if key else None


def record_pickup(leg, now):
    """The engineer's phone answered (a person, or their personal voicemail)."""
    (Leg
     .update(picked_up_at=now)
     .where(Leg.id == leg.id, Leg.picked_up_at.is_null())
     .execute())


def connects_on_pickup(leg):
    """True when the leg rings a desk phone set to connect on pick-up (no press-1 whisper)."""
    targets = targets_of(leg.call)
    return 0 <= leg.step < len(targets) and targets[leg.step].on_pickup


def record_accept(leg, now):
    """The engineer pressed 1 (or picked up a desk phone that connects on pick-up): only
    this connects the caller."""
    with database.atomic():
        (Leg
         .update(accepted_at=now, outcome=LegOutcome.ACCEPTED)
         .where(Leg.id == leg.id, Leg.accepted_at.is_null())
         .execute())
        (Call
         .update(status=CallStatus.ANSWERED, answered_by=leg.engineer_id, answered_at=now,
                 connected_at=now)
         .where(Call.id == leg.call_id, Call.answered_at.is_null())
         .execute())


# how Twilio says a <Dial> or a leg ended, as Leg.outcome keeps it
DIAL_OUTCOMES = {LegOutcome.BUSY, LegOutcome.NO_ANSWER, LegOutcome.FAILED, LegOutcome.CANCELED}


@dataclass(frozen=True)
class DialEnded:
    """A leg whose <Dial> is over."""

    leg: Leg
    over: bool  # the engineer accepted, or the caller hung up: nothing follows


def end_dial(leg, dial_status, now, bridged=False):
    """Record how a leg's <Dial> ended.

    DialCallStatus alone never counts as an answer: a whisper that hung up reports
    'completed' too; only the engineer's press of 1 (accepted_at) does. A desk phone that
    connects on pick-up has no whisper: there 'completed' with DialBridged is the answer,
    should its pick-up's status callback not have recorded it.
    """
    call = leg.call
    leg = Leg.get_by_id(leg.id)  # as it is now: the engineer may have accepted meanwhile
    leg.call = call
    accepted = leg.accepted_at is not None
    if not accepted and bridged and dial_status == "completed" and connects_on_pickup(leg):
        record_accept(leg, leg.picked_up_at or now)
        leg = Leg.get_by_id(leg.id)
        accepted = True
    if leg.ended_at is None:
        outcome = LegOutcome.ACCEPTED if accepted else (
            LegOutcome(dial_status) if dial_status in DIAL_OUTCOMES else LegOutcome.NOT_ACCEPTED)
        (Leg
         .update(ended_at=now, outcome=outcome)
         .where(Leg.id == leg.id, Leg.ended_at.is_null())
         .execute())
    return DialEnded(leg, over=accepted or dial_status == LegOutcome.CANCELED)


@dataclass(frozen=True)
class HuntState:
    """What choosing the next engineer of a call needs."""

    call: Call
    targets: tuple  # the plan stored at arrival
    ready_ids: frozenset  # signed in and not on a call now
    waited_seconds: float


def load_hunt(call, now):
    """The snapshot for choosing the next engineer of `call` at `now`."""
    busy = engineers_on_a_call(now)
    ready = frozenset(e.id for e in Engineer.select(Engineer.id)
                      .where(Engineer.active, Engineer.signed_in)) - busy
    return HuntState(call, tuple(targets_of(call)), ready,
                     (now - call.started_at).total_seconds())


def ring_next(hunt, index, now):
    """The Step for the target `index` chose (its leg logged), or voicemail for None."""
    if index is None:
        return Step()
    return Step(ring=begin_leg(hunt.call, list(hunt.targets), index, now))


TERMINAL_LEG = {"completed", *DIAL_OUTCOMES}
# why a leg was not needed, said before it ended (overlapped hunting): its end keeps it
KEPT_OUTCOMES = (LegOutcome.TAKEN_BY_ANOTHER, LegOutcome.CALLER_HUNG_UP)


def update_leg_status(leg, status, child_sid, now, dialled=False):
    """Record a status callback of an engineer leg.

    `dialled`: the leg is a <Dial> of the caller's own call (its ParentCallSid); there a
    desk phone that connects on pick-up is accepted the moment it answers.
    """
    if dialled and status == "in-progress" and leg.accepted_at is None \
            and connects_on_pickup(leg):
        record_accept(leg, now)
    changes = {}
    if child_sid and not leg.child_sid:
        changes["child_sid"] = child_sid
    if status == "in-progress" and leg.picked_up_at is None:
        changes["picked_up_at"] = now
    if status in TERMINAL_LEG and leg.ended_at is None:
        changes["ended_at"] = now
        if leg.accepted_at is None and leg.outcome not in KEPT_OUTCOMES:
            changes["outcome"] = (LegOutcome(status) if status != "completed"
                                  else LegOutcome.NOT_ACCEPTED)
    if changes:
        Leg.update(**changes).where(Leg.id == leg.id).execute()


def finish_call(sid, duration, now):
    """The caller's call has ended (after `duration` whole seconds, or None when unknown):
    close its open legs and settle its status."""
    call = Call.get_or_none(Call.sid == sid)
    if call is None:
        return None
    with database.atomic():
        # a leg still open when the caller hangs up ended because of it
        (Leg
         .update(ended_at=now, outcome=Case(None, [(Leg.outcome == LegOutcome.RINGING,
                                                     LegOutcome.CALLER_HUNG_UP)], Leg.outcome))
         .where(Leg.call == call, Leg.ended_at.is_null())
         .execute())
        status = call.status
        if status == CallStatus.RINGING:
            status = CallStatus.MISSED
        (Call
         .update(ended_at=now, duration=duration, status=status)
         .where(Call.id == call.id, Call.ended_at.is_null())
         .execute())
    return call


def mark_voicemail(call):
    (Call.update(status=CallStatus.VOICEMAIL)
     .where(Call.id == call.id, Call.status != CallStatus.ANSWERED).execute())
