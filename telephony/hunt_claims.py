"""Who gets the caller: compare-and-sets on the call, each done once, for both strategies.

- an engineer's press of 1 (or the pick-up of a desk phone that connects on pick-up) is
  the one acceptance, `accept`: it takes the caller only while the call is still ringing,
  unanswered and not ended, and that engineer's own leg had not ended when they accepted;
- a tick of the overlapped hunt that gives up claims the caller for voicemail the same way,
  so a press of 1 at the same moment either wins before it or loses after it, never both;
- an accepted leg that ended (or never joined) before reaching the caller gives the claim
  back, and the hunt goes on.
Every loser's leg is logged with the reason.
"""

from enum import StrEnum

from peewee import Case

from dutyline.db import database
from telephony.models import Call, CallStatus, Leg, LegOutcome


class Acceptance(StrEnum):
    """What an engineer's acceptance came to."""

    WON = "won"  # the first acceptance of the call: this engineer has the caller
    HELD = "held"  # this leg had the caller already (the same request, again)
    # not needed, and why
    TAKEN = "taken"  # another engineer has the caller
    MOVED_ON = "moved-on"  # this leg had ended: the hunt went on without it
    CALLER_GONE = "caller-gone"  # the caller hung up
    LEAVING_MESSAGE = "leaving-message"  # the hunt gave up: the caller is leaving a message


def accept(leg, at):
    """The engineer accepted the caller at `at`; Acceptance.WON for the first acceptance of
    the call, HELD for this leg's own again, else why the caller is not theirs."""
    leg_up = Leg.select(Leg.call).where(Leg.id == leg.id,
                                        Leg.ended_at.is_null() | (Leg.ended_at > at))
    with database.atomic():
        won = (Call
               .update(status=CallStatus.ANSWERED, answered_by=leg.engineer_id, answered_at=at,
                       connected_at=at)
               .where(Call.id == leg.call_id, Call.status == CallStatus.RINGING,
                      Call.answered_at.is_null(), Call.ended_at.is_null(),
                      Call.id.in_(leg_up))
               .execute())
        if won:
            (Leg.update(accepted_at=at, outcome=LegOutcome.ACCEPTED)
             .where(Leg.id == leg.id).execute())
    if won:
        return Acceptance.WON
    if Leg.select().where(Leg.id == leg.id, Leg.accepted_at.is_null(False)).exists():
        return Acceptance.HELD
    return not_needed(leg)


def not_needed(leg):
    """An engineer picked up or pressed 1 when the caller was not theirs to take: their leg
    is logged as such (one whose ending is known already keeps it), and the Acceptance
    that says why is returned."""
    call = Call.select(Call.ended_at, Call.status).where(Call.id == leg.call_id).first()
    if call is None or call.ended_at is not None:
        reason, outcome = Acceptance.CALLER_GONE, LegOutcome.CALLER_HUNG_UP
    elif call.status == CallStatus.VOICEMAIL:
        reason, outcome = Acceptance.LEAVING_MESSAGE, LegOutcome.NOT_ACCEPTED
    elif call.status == CallStatus.RINGING:  # still to be had: only not on this leg
        return Acceptance.MOVED_ON
    else:
        reason, outcome = Acceptance.TAKEN, LegOutcome.TAKEN_BY_ANOTHER
    (Leg.update(outcome=outcome)
     .where(Leg.id == leg.id, Leg.accepted_at.is_null(),
            Leg.outcome.in_((LegOutcome.RINGING, LegOutcome.TAKEN_BY_ANOTHER)))
     .execute())
    return reason


def close_live_legs(call, now, outcome):
    """End every open leg of the call in the log; (CallSid, ringing) of those to stop."""
    with database.atomic():
        live = list(Leg.select(Leg.id, Leg.child_sid, Leg.picked_up_at)
                    .where(Leg.call == call, Leg.ended_at.is_null(),
                           Leg.accepted_at.is_null()))
        if live:
            (Leg.update(ended_at=now, outcome=outcome)
             .where(Leg.id.in_([leg.id for leg in live]), Leg.ended_at.is_null())
             .execute())
    return tuple((leg.child_sid, leg.picked_up_at is None) for leg in live if leg.child_sid)


def leave_for_voicemail(call, now):
    """The hunt gives up: claim the caller for voicemail and end the legs still up.

    None when an engineer accepted (or the caller went) first; else the legs to stop.
    """
    with database.atomic():
        won = (Call.update(status=CallStatus.VOICEMAIL)
               .where(Call.id == call.id, Call.status == CallStatus.RINGING,
                      Call.answered_at.is_null(), Call.ended_at.is_null())
               .execute())
        if not won:
            return None
        live = list(Leg.select(Leg.id, Leg.child_sid, Leg.picked_up_at)
                    .where(Leg.call == call, Leg.ended_at.is_null()))
        # a phone still ringing was not answered; one picked up never had 1 pressed
        (Leg.update(ended_at=now, outcome=Case(None, [(Leg.picked_up_at.is_null(),
                                                       LegOutcome.NO_ANSWER)],
                                               LegOutcome.NOT_ACCEPTED))
         .where(Leg.call == call, Leg.ended_at.is_null())
         .execute())
    return tuple((leg.child_sid, leg.picked_up_at is None) for leg in live if leg.child_sid)


def stale_accepts(call, accepted_before):
    """Accepted legs of a caller still waiting that never joined: ended, or accepted before
    `accepted_before` (the join takes a second or two)."""
    return list(Leg.select()
                .where(Leg.call == call, Leg.accepted_at.is_null(False),
                       Leg.ended_at.is_null(False) | (Leg.accepted_at < accepted_before)))


def release_accept(leg, now):
    """Give back the claim of an accepted leg that did not reach the caller; the hunt goes
    on. The legs to stop (this one, when still up)."""
    with database.atomic():
        (Leg.update(outcome=LegOutcome.JOIN_FAILED, accepted_at=None,
                    ended_at=Case(None, [(Leg.ended_at.is_null(), now)], Leg.ended_at))
         .where(Leg.id == leg.id, Leg.accepted_at.is_null(False))
         .execute())
        (Call.update(status=CallStatus.RINGING, answered_by=None, answered_at=None,
                     connected_at=None)
         .where(Call.id == leg.call_id, Call.answered_by == leg.engineer_id,
                Call.ended_at.is_null())
         .execute())
    return ((leg.child_sid, False),) if leg.ended_at is None and leg.child_sid else ()


def join_failed(leg, now):
    """The accepted engineer's join to the caller's queue failed. The caller still waiting:
    the claim is given back and the hunt goes on; the caller gone: the call was never
    answered (an abandoned call, as the statistics count it). A call already taken back
    because its caller left the queue first (telephony.bridging) is gone too, its leg as
    it was logged then."""
    with database.atomic():
        call = Call.select(Call.ended_at, Call.status).where(Call.id == leg.call_id).first()
        gone = call is not None and (call.ended_at is not None
                                     or call.status == CallStatus.MISSED)
        (Leg.update(outcome=LegOutcome.JOIN_FAILED, accepted_at=None,
                    ended_at=Case(None, [(Leg.ended_at.is_null(), now)], Leg.ended_at))
         .where(Leg.id == leg.id, Leg.accepted_at.is_null(False),
                Leg.outcome == LegOutcome.ACCEPTED)
         .execute())
        (Call.update(status=CallStatus.MISSED if gone else CallStatus.RINGING,
                     answered_by=None, answered_at=None, connected_at=None)
         .where(Call.id == leg.call_id, Call.answered_by == leg.engineer_id,
                Call.status == CallStatus.ANSWERED)
         .execute())
    return gone
