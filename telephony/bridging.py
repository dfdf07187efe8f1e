"""Whether an engineer's acceptance ever reached the caller, and how the call ends if not.

The press of 1 (telephony.hunt_claims.accept) records the answer at once, before Twilio has
bridged the two calls: the join takes a second or two more (the engineer's `<Dial><Queue>`
in a queued hunt, the end of the whisper in a `<Dial>` hunt). A caller who hangs up in that
moment spoke to nobody, and the call is logged as abandoned (CallStatus.MISSED, no
answered_by, no answer time), never as answered.

What counts as evidence, from the caller's own call only (an engineer's side can end for
reasons of its own, and a `<Dial><Queue>` to a queue the caller has left just waits):

- a queued hunt: the caller's `<Enqueue>` action. QueueResult `bridged` (or
  `bridging-in-process`) means a `<Dial><Queue>` took the caller out of the queue: bridged.
  `hangup` means the caller hung up while still waiting in the queue: never bridged, however
  the engineer's join later ends. Any other result says nothing of a bridge.
- a `<Dial>` hunt: the `<Dial>` action. DialBridged `true` means bridged; DialBridged
  `false` while the caller's own CallStatus is `completed` means the caller hung up before
  the bridge. DialBridged `false` with the caller still on the line is the engineer's side
  ending first: not the caller's abandonment, and not decided here.

Without such evidence an answer stands: the end of a call (`/voice/status`) alone never
takes an answer back.
"""

from enum import StrEnum

from dutyline.db import database
from telephony.models import Call, CallStatus, Leg, LegOutcome


class Bridge(StrEnum):
    """What the caller's call says of a bridge to the accepting engineer."""

    BRIDGED = "bridged"  # the caller met the engineer
    CALLER_LEFT = "caller-left"  # the caller's call ended before any bridge
    UNKNOWN = "unknown"  # nothing said either way


BRIDGED_QUEUE_RESULTS = ("bridged", "bridging-in-process")
LEFT_QUEUE_RESULTS = ("hangup",)


def queue_bridge(queue_result):
    """The evidence of the caller's `<Enqueue>` action's QueueResult."""
    if queue_result in BRIDGED_QUEUE_RESULTS:
        return Bridge.BRIDGED
    if queue_result in LEFT_QUEUE_RESULTS:
        return Bridge.CALLER_LEFT
    return Bridge.UNKNOWN


def dial_bridge(dial_bridged, caller_status):
    """The evidence of a `<Dial>` action: its DialBridged, and the caller's CallStatus."""
    if dial_bridged == "true":
        return Bridge.BRIDGED
    if dial_bridged == "false" and caller_status == "completed":
        return Bridge.CALLER_LEFT
    return Bridge.UNKNOWN


def ends_as(status, bridge):
    """The status a call of `status` ends with, given the evidence `bridge`: still ringing
    is abandoned (MISSED); answered stays answered unless the caller left before the bridge;
    voicemail, missed and blocked stay as they are."""
    if status == CallStatus.RINGING:
        return CallStatus.MISSED
    if status == CallStatus.ANSWERED and bridge == Bridge.CALLER_LEFT:
        return CallStatus.MISSED
    return CallStatus(status)


def settle(call_id, bridge, now):
    """Take back an answer the caller never heard: with Bridge.CALLER_LEFT an answered call
    becomes abandoned (ended or not yet: `/voice/status` may come before or after), and the
    accepted leg is logged as LegOutcome.CALLER_HUNG_UP, its press of 1 kept (it tells how
    that engineer answers). True when an answer was taken back."""
    if ends_as(CallStatus.ANSWERED, bridge) == CallStatus.ANSWERED:
        return False
    with database.atomic():
        taken_back = (Call
                      .update(status=ends_as(CallStatus.ANSWERED, bridge), answered_by=None,
                              answered_at=None, connected_at=None)
                      .where(Call.id == call_id, Call.status == CallStatus.ANSWERED)
                      .execute())
        if taken_back:
            (Leg.update(outcome=LegOutcome.CALLER_HUNG_UP)
             .where(Leg.call == call_id, Leg.outcome == LegOutcome.ACCEPTED)
             .execute())
            (Leg.update(ended_at=now)
             .where(Leg.call == call_id, Leg.outcome == LegOutcome.CALLER_HUNG_UP,
                    Leg.ended_at.is_null())
             .execute())
    return bool(taken_back)

