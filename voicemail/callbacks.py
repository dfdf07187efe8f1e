"""Call-backs through the support number: the engineer's own phone is rung through the
outbox's voice channel (Twilio's REST API), told whom they are calling back, and on 1 the
customer is dialled with the support number as caller ID, so the engineer's own number
is never shown to a customer.

Each call-back is a row (voicemail.models.CallBack): who asked, when, whether the
engineer connected, whether the customer answered and for how long. A customer who
answered ends the ticket's call-back; one who did not leaves it due.
"""

import logging
from datetime import timedelta

from dutyline.db import database
from dutyline.phones import masked
from outbox.models import VOICE, OutboxMessage
from outbox.queue import enqueue
from voicemail.models import CallBack, Ticket
from voicemail.missed import can_call_back
from voicemail.tickets import TicketError, get_ticket

log = logging.getLogger(__name__)

KEY_PREFIX = "callback:"  # the outbox keys of call-backs: the sender picks the words' URL


def callback_key(ticket_number, callback_id):
    return f"{KEY_PREFIX}{ticket_number}:{callback_id}"


def is_callback(message):
    return (message.dedupe_key or "").startswith(KEY_PREFIX)


def request_callback(number, engineer, now):
    """Queue the call to `engineer`'s own phone that calls back ticket `number`'s caller;
    the CallBack row. TicketError when there is nobody to call back."""
    ticket = get_ticket(number)
    if not can_call_back(ticket):
        raise TicketError(f"ticket #{ticket.number}: the number was withheld; it cannot be "
                          "called back")
    if engineer is None or not engineer.mobile:
        raise TicketError("a call-back needs an engineer with a phone to ring")
    with database.atomic():
        callback = CallBack.create(ticket=ticket.id, engineer=engineer.id, requested_at=now)
        key = callback_key(ticket.number, callback.id)
        enqueue(VOICE, engineer.mobile, f"Call back ticket #{ticket.number}", key, now)
        message = OutboxMessage.get(OutboxMessage.dedupe_key == key)
        CallBack.update(message_id=message.id).where(CallBack.id == callback.id).execute()
        callback.message_id = message.id
    log.info("voicemail.callbacks: ticket=%s engineer=%s to=%s queued", ticket.number,
             engineer.id, masked(engineer.mobile))
    return callback


def callback_of(message):
    """The CallBack of an outbox row, with its ticket and engineer, or None."""
    if message is None or not is_callback(message):
        return None
    return CallBack.get_or_none(CallBack.message_id == message.id)


def whisper(callback):
    """What the engineer hears before pressing 1."""
    ticket = callback.ticket
    who = ticket.customer.name if ticket.customer_id else "a caller with no contract on file"
    return (f"Calling back {who}, ticket {' '.join(str(ticket.number))}. "
            "Press 1 to connect.")


def connected(callback, now):
    """The engineer pressed 1: the customer is being dialled (once)."""
    (CallBack.update(connected_at=now)
     .where(CallBack.id == callback.id, CallBack.connected_at.is_null()).execute())


def dial_ended(callback, answered, seconds, now):
    """The customer's leg ended: logged once; an answered call-back ends the ticket's
    call-back (by whom, and when it reached the customer)."""
    with database.atomic():
        changed = (CallBack.update(ended_at=now, answered=answered, seconds=seconds)
                   .where(CallBack.id == callback.id, CallBack.ended_at.is_null()).execute())
        if changed and answered:  # reached when the customer picked up
            reached = now - timedelta(seconds=seconds or 0)
            (Ticket.update(callback_done_at=reached, callback_done_by=callback.engineer_id,
                           callback_reason=f"called back by {callback.engineer.name}")
             .where(Ticket.id == callback.ticket_id, Ticket.callback_done_at.is_null())
             .execute())
    return bool(changed)


def callbacks_of(ticket):
    """The ticket's call-backs, the first first."""
    return list(CallBack.select().where(CallBack.ticket == ticket.id).order_by(CallBack.id))


def first_reached(ticket):
    """When the first call-back that reached the customer was picked up, or None."""
    reached = [row.ended_at - timedelta(seconds=row.seconds or 0)
               for row in CallBack.select(CallBack.ended_at, CallBack.seconds)
               .where(CallBack.ticket == ticket.id, CallBack.answered == True)]  # noqa: E712
    return min(reached, default=None)
