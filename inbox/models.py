"""Tables of the inbox: the texts engineers sent to the support number, one row a MessageSid."""

from peewee import AutoField, CharField, TextField

from dutyline.db import BaseModel, UTCDateTimeField


class InboundText(BaseModel):
    """A text already acted on: a replay of its MessageSid gets the same reply, nothing more."""

    id = AutoField()
    message_sid = CharField(unique=True)
    received_at = UTCDateTimeField()
    reply = TextField(default="")
