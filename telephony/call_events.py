"""The moments of a call the statistics read, written once each as callbacks report them.

Twilio's status callbacks carry their own `Timestamp` (RFC 2822, e.g. "Tue, 01 Dec 2026
10:00:02 +0000"): when it is there and readable it is the moment, otherwise the time the
callback was received. Callbacks may come twice or out of order, so every moment is set
only while still empty, except a call's first ringing, which keeps the earliest.
"""

from datetime import timedelta, timezone
from email.utils import parsedate_to_datetime

from telephony.models import Call, Leg

# a Timestamp further than this from the receipt is not believed (a clock gone wrong)
BELIEVABLE = timedelta(hours=1)


def callback_moment(timestamp, received):
    """The moment a Twilio callback reports: its Timestamp when readable, else `received`."""
    if timestamp:
        try:
            moment = parsedate_to_datetime(str(timestamp))
        except (TypeError, ValueError, IndexError):
            moment = None
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)  # Twilio's are UTC (+0000)
        if moment is not None and abs(moment - received) <= BELIEVABLE:
            return moment.astimezone(timezone.utc)
    return received


def record_ringing(leg, at):
    """An engineer's phone rang: the leg's ringing moment, and the call's first ringing."""
    (Leg
     .update(ringing_at=at)
     .where(Leg.id == leg.id, Leg.ringing_at.is_null())
     .execute())
    (Call
     .update(ringing_at=at)
     .where(Call.id == leg.call_id, Call.ringing_at.is_null() | (Call.ringing_at > at))
     .execute())


def record_destination(sid, step, at):
    """The caller (by CallSid) was sent to voicemail or the fallback number at `at`, when the
    Step (telephony.steps) sends them there: the statistics' voicemail_at or fallback_at."""
    if step.ring is not None or step.gate_call_id is not None or step.hang_up or step.blocked:
        return
    column = Call.fallback_at if step.fallback_number else Call.voicemail_at
    (Call
     .update({column: at})
     .where(Call.sid == sid[:64], column.is_null())
     .execute())
