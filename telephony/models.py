"""Tables of the call log: calls, the legs rung for them, and the hunt position."""

from peewee import (AutoField, BooleanField, CharField, ForeignKeyField, IntegerField,
                    TextField)

from customers.models import Customer
from dutyline.db import BaseModel, UTCDateTimeField
from rota.models import Engineer


class HuntPosition(BaseModel):
    """Round robin with memory: the rotation of the last engineer rung, shared by all calls."""

    id = IntegerField(primary_key=True)
    last_rotation = IntegerField(default=0)
    version = IntegerField(default=0)


class Call(BaseModel):
    id = AutoField()
    sid = CharField(unique=True)
    from_number = CharField()
    to_number = CharField(default="")
    # (customer, started_at) below serves a customer's newest calls and the key's checks
    customer = ForeignKeyField(Customer, null=True, backref="calls", index=False)
    started_at = UTCDateTimeField(index=True)
    mode = CharField(default="")  # in_hours | out_of_hours | fallback
    plan = TextField(null=True)  # JSON list of targets decided at arrival
    duty_engineer = ForeignKeyField(Engineer, null=True, index=False)
    gated = BooleanField(default=False)  # waits for 'press 1 for an emergency'
    status = CharField(default="ringing")  # ringing | answered | voicemail | missed | blocked
    answered_by = ForeignKeyField(Engineer, null=True, backref="answered_calls", index=False)
    answered_at = UTCDateTimeField(null=True)
    ended_at = UTCDateTimeField(null=True)
    duration = IntegerField(null=True)
    # moments the call statistics read (reports/); null when they did not happen
    ringing_at = UTCDateTimeField(null=True)  # the first engineer's phone rang
    connected_at = UTCDateTimeField(null=True)  # the caller was put through to an engineer
    voicemail_at = UTCDateTimeField(null=True)  # the caller was sent to the voicemail prompt
    fallback_at = UTCDateTimeField(null=True)  # the fallback number was dialled


class Leg(BaseModel):
    """One attempt to reach one engineer for one call."""

    id = AutoField()
    # (call, step) below serves every look-up by call
    call = ForeignKeyField(Call, backref="legs", on_delete="CASCADE", index=False)
    step = IntegerField()
    engineer = ForeignKeyField(Engineer, null=True, backref="legs", index=False)
    number = CharField()
    role = CharField()  # hunt | primary | backup
    child_sid = CharField(null=True)
    started_at = UTCDateTimeField()
    ringing_at = UTCDateTimeField(null=True)
    picked_up_at = UTCDateTimeField(null=True)
    accepted_at = UTCDateTimeField(null=True)
    ended_at = UTCDateTimeField(null=True)
    outcome = CharField(default="ringing")

    class Meta:
        indexes = ((("call", "step"), True),)


# Every index is written on every arrival, so there are only those a query uses.
# The legs of engineers on a call right now: picked up and not ended. Arrivals ask this of
# every signed-in engineer; the partial index stays as small as the number of live calls.
Call.add_index(Call.index(Call.customer, Call.started_at, name="call_customer_started_at"))
Leg.add_index(Leg.index(Leg.engineer, Leg.started_at, name="leg_on_a_call").where(
    Leg.ended_at.is_null() & Leg.picked_up_at.is_null(False) & Leg.engineer.is_null(False)))
