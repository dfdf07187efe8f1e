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
        if moment is not None and moment.tzinfo is not None \
                and abs(moment - received) <= BELIEVABLE:
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


def record_voicemail(call_id, at):
    """The caller was sent to the voicemail prompt."""
    Call.update(voicemail_at=at).where(Call.id == call_id, Call.voicemail_at.is_null()).execute()


def record_fallback(call_id, at):
    """The fallback number was dialled for the caller."""
    Call.update(fallback_at=at).where(Call.id == call_id, Call.fallback_at.is_null()).execute()


def record_step(call_id, step, at):
    """What a step of the call sends the caller to, as far as the statistics count it:
    `step` is "voicemail", "fallback" or anything else (ringing, hanging up: nothing)."""
    if step == "voicemail":
        record_voicemail(call_id, at)
    elif step == "fallback":
        record_fallback(call_id, at)
