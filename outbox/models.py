"""The table of outgoing messages, their channels and their statuses."""

from peewee import AutoField, CharField, IntegerField, TextField

from dutyline.db import BaseModel, UTCDateTimeField

SMS = "sms"
EMAIL = "email"
WEBHOOK = "webhook"
VOICE = "voice"  # a spoken call (a ticket's escalation), made through Twilio's Calls resource
CHANNELS = (SMS, EMAIL, WEBHOOK, VOICE)

QUEUED = "queued"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
CANCELLED = "cancelled"  # no longer wanted before it was sent (an acknowledged ticket's call)


class OutboxMessage(BaseModel):
    """One outgoing message (a text, an e-mail or a webhook event), delivered by the worker."""

    id = AutoField()
    channel = CharField(index=True)  # sms | email | webhook | voice
    recipient = CharField()
    subject = CharField(null=True)  # for channels that have one
    thread_key = CharField(null=True)  # the dedupe key of the message this one follows up
    body = TextField()
    dedupe_key = CharField(unique=True)  # the same notice is enqueued once, however often asked
    status = CharField(default=QUEUED, index=True)  # queued | sending | sent | failed | cancelled
    attempts = IntegerField(default=0)
    next_attempt_at = UTCDateTimeField(index=True)
    lease_token = CharField(null=True)  # the claim holding the row while sending: worker/random
    lease_until = UTCDateTimeField(null=True)
    last_error = TextField(null=True)
    provider_id = CharField(null=True)  # e.g. the Twilio message SID
    created_at = UTCDateTimeField()
    sent_at = UTCDateTimeField(null=True)
