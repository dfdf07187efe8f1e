"""Tables of voicemail tickets."""

from peewee import AutoField, CharField, ForeignKeyField, IntegerField

from dutyline.db import BaseModel, UTCDateTimeField
from rota.models import Engineer
from telephony.models import Call

TICKET_BASE = 1000  # ticket numbers start at 1001 so they read as references, not counters


class Ticket(BaseModel):
    id = AutoField()
    call = ForeignKeyField(Call, unique=True, backref="tickets")
    caller = CharField()
    recording_sid = CharField(null=True, unique=True)
    recording_url = CharField(null=True)
    recording_seconds = IntegerField(null=True)
    engineer = ForeignKeyField(Engineer, null=True, backref="tickets")
    status = CharField(default="new")  # new | acknowledged | closed
    created_at = UTCDateTimeField()

    @property
    def number(self):
        return TICKET_BASE + self.id
