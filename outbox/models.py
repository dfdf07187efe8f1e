"""The table of outgoing messages, their channels and their statuses."""

from peewee import AutoField, CharField, IntegerField, TextField

from dutyline.db import BaseModel, UTCDateTimeField

SMS = "sms"
EMAIL = "email"
WEBHOOK = "webhook"
CHANNELS = (SMS, EMAIL, WEBHOOK)

QUEUED = "queued"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"


class OutboxMessage(BaseModel):
    """One outgoing message (a text, an e-mail or a webhook event), delivered by the worker."""

    id = AutoField()
    channel = CharField(index=True)  # sms | email | webhook
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
