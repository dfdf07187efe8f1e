"""Tables of voicemail tickets."""

from peewee import AutoField, CharField, ForeignKeyField, IntegerField, TextField

from dutyline.db import BaseModel, UTCDateTimeField
from rota.models import Engineer
from telephony.models import Call
from voicemail.customers import Customer

TICKET_BASE = 1000  # ticket numbers start at 1001 so they read as references, not counters


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
    created_at = UTCDateTimeField()
    deadline = UTCDateTimeField(null=True)  # reaction due, counted from the contract
    acknowledged_at = UTCDateTimeField(null=True)
    acknowledged_by = ForeignKeyField(Engineer, null=True, backref="acknowledged_tickets")
    closed_at = UTCDateTimeField(null=True)

    @property
    def number(self):
        return TICKET_BASE + self.id


QUEUED = "queued"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"


class OutboxMessage(BaseModel):
    """One outgoing message (a text now; e-mail and webhooks later), delivered by the worker."""

    id = AutoField()
    channel = CharField(index=True)  # sms | (later) email, webhook
    recipient = CharField()
    subject = CharField(null=True)  # for channels that have one
    thread_key = CharField(null=True)  # the dedupe key of the message this one follows up
    body = TextField()
    dedupe_key = CharField(unique=True)  # the same notice is enqueued once, however often asked
    status = CharField(default=QUEUED, index=True)  # queued | sending | sent | failed
    attempts = IntegerField(default=0)
    next_attempt_at = UTCDateTimeField(index=True)
    lease_token = CharField(null=True)  # which worker holds the row while sending
    lease_until = UTCDateTimeField(null=True)
    last_error = TextField(null=True)
    provider_id = CharField(null=True)  # e.g. the Twilio message SID
    created_at = UTCDateTimeField()
    sent_at = UTCDateTimeField(null=True)
