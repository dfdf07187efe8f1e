"""Voicemail tickets: one per call, whichever callback arrives first."""

import logging
from datetime import timedelta

from peewee import JOIN, IntegrityError, SqliteDatabase

from customers.models import ALL_HOURS, Customer
from dutyline.db import database
from dutyline.ids import MAX_ID
from hours.business_time import add_business_time
from rota.models import Engineer
from telephony.calls import mark_voicemail
from telephony.models import Call
from voicemail import notify
from voicemail.recordings import plain_text, recording_link, recording_seconds
from voicemail.recordings import recording_sid as checked_sid
from outbox.queue import cancel_queued
from voicemail.models import (MISSED_KIND, PRIORITIES, TICKET_BASE, VOICEMAIL_KIND, Ticket,
                              engineer_text_prefix, escalation_prefix, ticket_id)
from voicemail.notify import Delivery
from voicemail.ticket_teams import of_team

log = logging.getLogger(__name__)

DEFAULT_REACTION_MINUTES = 240
STATUSES = ("new", "acknowledged", "closed")


class TicketError(ValueError):
    """A ticket request that cannot be carried out; the message says why."""


def reaction_deadline(settings, customer, created_at):
    """When the reaction is due: contract time in business hours; a 24x7 contract runs always."""
    if customer is not None and customer.hours == ALL_HOURS:
        return created_at + timedelta(minutes=customer.reaction_minutes)
    minutes = customer.reaction_minutes if customer is not None else DEFAULT_REACTION_MINUTES
    return add_business_time(settings, created_at, minutes)


def _create(call, now, settings):
    customer = call.customer if call.customer_id else None
    try:
        with database.atomic():  # a savepoint: a duplicate leaves the outer transaction usable
            return Ticket.create(call=call, caller=call.from_number, customer=customer,
                                 engineer=call.duty_engineer_id, created_at=now,
                                 deadline=reaction_deadline(settings, customer, now)), True
    except IntegrityError:
        return Ticket.get(Ticket.call == call), False


def write_transaction():
    # SQLite: take the write lock before reading, so that of two callbacks racing for one
    # call the second waits and then sees the first one's ticket; a read transaction that
    # tried to write after the other's commit would fail at once ("database is locked")
    if isinstance(database.obj, SqliteDatabase):
        return database.atomic("IMMEDIATE")
    return database.atomic()


def _complete(ticket, changes):
    try:
        with database.atomic():  # a savepoint, as in _create
            Ticket.update(**changes).where(Ticket.id == ticket.id).execute()
    except IntegrityError:
        # a recording sid another ticket already has: the message matters more than the sid
        log.warning("voicemail.tickets.record_voicemail: ticket=%s recording_sid=%s taken, "
                    "dropped", ticket.number, changes.pop("recording_sid", None))
        if not changes:
            return
        Ticket.update(**changes).where(Ticket.id == ticket.id).execute()
    for key, value in changes.items():
        setattr(ticket, key, value)


def record_voicemail(call, now, settings, recording_url=None, seconds=None, recording_sid=None,
                     transcript=None, delivery=None):
    """The ticket for the call's voicemail, created once and completed by later callbacks.

    Its notices are queued in the same transaction: the new ticket's once, whichever
    callback makes it; the transcript's once, when it first arrives.
    """
    delivery = delivery or Delivery()
    with write_transaction():
        ticket = Ticket.get_or_none(Ticket.call == call)
        created = False
        if ticket is None:
            ticket, created = _create(call, now, settings)
        changes = {}
        recording_url = recording_link(recording_url)
        if recording_url and not ticket.recording_url:
            changes["recording_url"] = recording_url
            if ticket.kind == MISSED_KIND:  # the message came after the clock's pass
                changes["kind"] = VOICEMAIL_KIND
        seconds = recording_seconds(seconds)
        if seconds is not None and ticket.recording_seconds is None:
            changes["recording_seconds"] = seconds
        recording_sid = checked_sid(recording_sid)
        if recording_sid and not ticket.recording_sid:
            changes["recording_sid"] = recording_sid
        transcript = plain_text(transcript)
        transcribed = bool(transcript and transcript.strip() and not ticket.transcript)
        if transcribed:
            changes["transcript"] = transcript.strip()
        if changes:
            _complete(ticket, changes)
        mark_voicemail(call)
        if created:
            notify.queue_ticket_created(ticket, call, delivery, settings, now)
        elif transcribed:
            notify.queue_transcript(ticket, call, delivery, settings, now)
    return ticket


def find_call(sid):
    return Call.get_or_none(Call.sid == sid)


def get_ticket(number):
    """The ticket with this reference number, or TicketError."""
    text = str(number).strip().lstrip("#")
    if not (text.isascii() and text.isdigit()):
        raise TicketError(f"not a ticket number: {number!r}")
    key = ticket_id(text)  # None beyond any ticket: not found, however many digits
    ticket = Ticket.get_or_none(Ticket.id == key) if key is not None else None
    if ticket is None:
        raise TicketError(f"no ticket #{text}")
    return ticket


def parse_priority(text):
    """A priority letter (A to D, any case), or TicketError saying which there are."""
    letter = str(text or "").strip().upper()
    if letter not in PRIORITIES:
        choices = ", ".join(f"{key} ({name})" for key, name in PRIORITIES.items())
        raise TicketError(f"priority must be one of {choices}, got {str(text)[:10]!r}")
    return letter


def _set_priority(ticket, priority, now, by, delivery):
    if priority is None or priority == ticket.priority:
        return False
    Ticket.update(priority=priority).where(Ticket.id == ticket.id).execute()
    ticket.priority = priority
    notify.queue_priority_changed(ticket, delivery or Delivery(), now, by)
    log.info("voicemail.tickets: ticket=%s priority=%s", ticket.number, priority)
    return True


def _cancel_asks(ticket, reason):
    """Cancel the ticket's notices not yet sent that ask for an acknowledgement."""
    cancel_queued(escalation_prefix(ticket.number), reason)
    cancel_queued(engineer_text_prefix(ticket.number), reason)


def acknowledge(number, now, engineer=None, priority=None, delivery=None):
    """Mark a new ticket acknowledged (by an engineer), and set its priority when given;
    acknowledging twice changes nothing. A bad priority changes nothing at all."""
    ticket = get_ticket(number)
    if priority is not None:
        priority = parse_priority(priority)
    if ticket.status == "closed":
        raise TicketError(f"ticket #{ticket.number} is closed")
    with database.atomic():
        changed = (Ticket
                   .update(status="acknowledged", acknowledged_at=now,
                           acknowledged_by=engineer.id if engineer else None)
                   .where(Ticket.id == ticket.id, Ticket.status == "new")
                   .execute())
        if changed:  # seen: its escalation calls and "Reply ACK" texts not yet sent are not
            # needed any more
            _cancel_asks(ticket, "the ticket was acknowledged")
        _set_priority(ticket, priority, now, engineer, delivery)
    return Ticket.get_by_id(ticket.id)


def set_priority(number, priority, now, engineer=None, delivery=None):
    """Give a ticket a priority (A to D); the helpdesk hears of a change."""
    ticket = get_ticket(number)
    priority = parse_priority(priority)
    with database.atomic():
        _set_priority(ticket, priority, now, engineer, delivery)
    return Ticket.get_by_id(ticket.id)


def close(number, now):
    """Close a ticket."""
    ticket = get_ticket(number)
    with database.atomic():
        Ticket.update(status="closed", closed_at=now).where(Ticket.id == ticket.id,
                                                            Ticket.status != "closed").execute()
        _cancel_asks(ticket, "the ticket was closed")
    return Ticket.get_by_id(ticket.id)


def list_tickets(status=None, limit=200, before=None, team=None):
    """The most recent tickets (those numbered below `before`, when given), newest first,
    with their customer and engineer; of the team whose id is `team`, when given."""
    if status is not None and status not in STATUSES:
        raise TicketError(f"status must be one of {', '.join(STATUSES)}")
    query = (Ticket
             .select(Ticket, Customer, Engineer)
             .join(Customer, JOIN.LEFT_OUTER, on=(Ticket.customer == Customer.id))
             .switch(Ticket)
             .join(Engineer, JOIN.LEFT_OUTER, on=(Ticket.engineer == Engineer.id))
             .order_by(Ticket.id.desc())
             .limit(limit))
    if status:
        query = query.where(Ticket.status == status)
    if before is not None:  # every ticket is below a number past the keys' range
        query = query.where(Ticket.id < min(before - TICKET_BASE, MAX_ID + 1))
    if team is not None:
        query = query.where(of_team(team))
    return list(query)
