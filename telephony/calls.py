"""The call log after the arrival (telephony.arrival): legs, acceptance, the end of a call."""

from dataclasses import dataclass

from peewee import Case

from dutyline.db import database
from dutyline.ids import as_id
from telephony import twiml
from telephony.hunt import connects_on_pickup
from telephony.hunt_claims import accept
from telephony.models import Call, CallStatus, Leg, LegOutcome


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


def whisper_label(call):
    """How the whisper names the caller of `call`: their customer, else "Support call"."""
    return twiml.caller_label(call.customer.name if call.customer_id else None)


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
        accept(leg, leg.picked_up_at or now)
        leg = Leg.get_by_id(leg.id)
        leg.call = call
        accepted = leg.accepted_at is not None
    if leg.ended_at is None:
        outcome = LegOutcome.ACCEPTED if accepted else (
            LegOutcome(dial_status) if dial_status in DIAL_OUTCOMES else LegOutcome.NOT_ACCEPTED)
        (Leg
         .update(ended_at=now, outcome=outcome)
         .where(Leg.id == leg.id, Leg.ended_at.is_null())
         .execute())
    return DialEnded(leg, over=accepted or dial_status == LegOutcome.CANCELED)


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
        accept(leg, now)
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
