"""The table of voicemail tickets, and a ticket as plain data."""

from peewee import (AutoField, BooleanField, CharField, ForeignKeyField, IntegerField,
                    TextField)

from customers.models import Customer
from dutyline.db import BaseModel, UTCDateTimeField
from dutyline.ids import as_id
from rota.models import Engineer
from telephony.models import Call

TICKET_BASE = 1000  # ticket numbers start at 1001 so they read as references, not counters
PRIORITIES = {"A": "critical", "B": "important", "C": "normal", "D": "low"}
DEFAULT_PRIORITY = "C"
VOICEMAIL_KIND = "voicemail"  # the caller left a message
MISSED_KIND = "missed"  # the call reached nobody and left no message


def ticket_id(reference):
    """The key of the ticket a reference ("1042", "#1042", 1042) names, or None when it is
    not a number or one no ticket could have."""
    text = str(reference if reference is not None else "").strip().lstrip("#")
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        return None
    return as_id(int(text) - TICKET_BASE)


def escalation_prefix(number):
    """The start of the outbox keys of a ticket's escalation calls."""
    return f"ticket:{number}:escalate:"


def engineer_text_prefix(number):
    """The start of the outbox keys of a ticket's texts to engineers ("Reply ACK …")."""
    return f"ticket:{number}:engineer-text:"


class Ticket(BaseModel):
    id = AutoField()
    call = ForeignKeyField(Call, unique=True, backref="tickets")
    caller = CharField()
    recording_sid = CharField(null=True, unique=True)
    recording_url = TextField(null=True)
    recording_seconds = IntegerField(null=True)
    engineer = ForeignKeyField(Engineer, null=True, backref="tickets")
    customer = ForeignKeyField(Customer, null=True, backref="tickets")
    transcript = TextField(null=True)
    status = CharField(default="new")  # new | acknowledged | closed
    priority = CharField(max_length=1, default=DEFAULT_PRIORITY)  # a key of PRIORITIES
    created_at = UTCDateTimeField(index=True)  # the call statistics count tickets by it
    deadline = UTCDateTimeField(null=True)  # reaction due, counted from the contract
    acknowledged_at = UTCDateTimeField(null=True)
    acknowledged_by = ForeignKeyField(Engineer, null=True, backref="acknowledged_tickets")
    closed_at = UTCDateTimeField(null=True)
    kind = CharField(default=VOICEMAIL_KIND)  # VOICEMAIL_KIND | MISSED_KIND
    # the caller is due a call-back until it reaches them or an engineer marks it done
    callback_done_at = UTCDateTimeField(null=True)
    callback_done_by = ForeignKeyField(Engineer, null=True, backref="callbacks_done")
    callback_reason = TextField(null=True)

    @property
    def number(self):
        return TICKET_BASE + self.id

    @property
    def priority_label(self):
        """"A critical", "C normal" …"""
        return f"{self.priority} {PRIORITIES.get(self.priority, '')}".strip()


class CallBack(BaseModel):
    """An engineer's call-back of a ticket's caller through the support number: the outbox
    rings the engineer (`message_id`), 1 pressed dials the customer."""

    id = AutoField()
    ticket = ForeignKeyField(Ticket, backref="callbacks", on_delete="CASCADE")
    engineer = ForeignKeyField(Engineer, backref="callbacks")
    message_id = IntegerField(null=True, unique=True)  # the outbox row of the engineer's call
    requested_at = UTCDateTimeField()
    connected_at = UTCDateTimeField(null=True)  # the engineer pressed 1: the customer dialled
    ended_at = UTCDateTimeField(null=True)
    answered = BooleanField(null=True)  # the customer answered; None until the dial ended
    seconds = IntegerField(null=True)  # how long the customer was on the line


def ticket_as_dict(ticket):
    def stamp(value):
        return value.isoformat() if value else None

    return {"number": ticket.number, "caller": ticket.caller, "status": ticket.status,
            "priority": ticket.priority,
            "customer": ticket.customer.name if ticket.customer_id else None,
            "recording_url": ticket.recording_url, "recording_seconds": ticket.recording_seconds,
            "recording_sid": ticket.recording_sid, "transcript": ticket.transcript,
            "engineer": ticket.engineer.name if ticket.engineer_id else None,
            "created_at": stamp(ticket.created_at), "deadline": stamp(ticket.deadline),
            "acknowledged_at": stamp(ticket.acknowledged_at),
            "acknowledged_by": ticket.acknowledged_by.name if ticket.acknowledged_by_id else None,
            "closed_at": stamp(ticket.closed_at), "kind": ticket.kind,
            "callback_done_at": stamp(ticket.callback_done_at),
            "callback_reason": ticket.callback_reason}
