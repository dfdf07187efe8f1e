"""Tables of the call log: calls, the legs rung for them, and the hunt position; the words
their status columns hold, and the shape of Twilio's CallSid that names a call."""

import re
from enum import StrEnum

from peewee import (AutoField, BooleanField, CharField, ForeignKeyField, IntegerField,
                    TextField)

from customers.models import Customer
from dutyline.db import BaseModel, UTCDateTimeField
from rota.models import Engineer, Team

CALL_SID = re.compile(r"CA[0-9a-fA-F]{32}")  # Twilio's "CA" and 32 hex digits


class CallStatus(StrEnum):
    """Call.status: where the caller's call stands."""

    RINGING = "ringing"  # hunting: nobody has the caller yet
    ANSWERED = "answered"  # an engineer accepted
    VOICEMAIL = "voicemail"  # sent to leave a message
    MISSED = "missed"  # ended while still ringing
    BLOCKED = "blocked"  # a number on the block list: one sentence, then hung up


class LegOutcome(StrEnum):
    """Leg.outcome: how one engineer's leg ended (RINGING while it has not)."""

    RINGING = "ringing"
    ACCEPTED = "accepted"  # 1 pressed (or a desk phone that connects on pick-up answered)
    NOT_ACCEPTED = "not-accepted"  # picked up (a person or a voicemail box), 1 never pressed
    # as Twilio reports a leg's end
    BUSY = "busy"
    NO_ANSWER = "no-answer"
    FAILED = "failed"
    CANCELED = "canceled"
    # why a leg was not needed, written before it ended: its end keeps it
    CALLER_HUNG_UP = "caller-hung-up"
    TAKEN_BY_ANOTHER = "taken-by-another"  # 1 pressed after another leg had the caller
    # overlapped hunting
    JOIN_FAILED = "join-failed"  # accepted, but never reached the caller: the claim given back
    NOT_STARTED = "not-started"  # the REST API refused or did not answer: hunt one at a time
    WITHDRAWN = "withdrawn"  # stopped: the caller went on (voicemail, or one at a time)


class HuntPosition(BaseModel):
    """Round robin with memory: the rotation of the last engineer rung, shared by all the
    calls of a team; its id is the team's."""

    id = IntegerField(primary_key=True)
    last_rotation = IntegerField(default=0)
    version = IntegerField(default=0)


class Line(BaseModel):
    """A Twilio number the line answers: it belongs to a team, or offers the caller a short
    choice first (`menu`, JSON, telephony.lines.Menu). A call to a number with no line goes
    to the first team, as every call did before there were lines."""

    id = AutoField()
    number = CharField(unique=True)  # E.164
    team = ForeignKeyField(Team, null=True, backref="lines")
    menu = TextField(null=True)
    created_at = UTCDateTimeField()


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
    status = CharField(default=CallStatus.RINGING)
    answered_by = ForeignKeyField(Engineer, null=True, backref="answered_calls", index=False)
    answered_at = UTCDateTimeField(null=True)
    ended_at = UTCDateTimeField(null=True)
    duration = IntegerField(null=True)
    # moments the call statistics read (reports/); null when they did not happen
    ringing_at = UTCDateTimeField(null=True)  # the first engineer's phone rang
    connected_at = UTCDateTimeField(null=True)  # the caller was put through to an engineer
    voicemail_at = UTCDateTimeField(null=True)  # the caller was sent to the voicemail prompt
    fallback_at = UTCDateTimeField(null=True)  # the fallback number was dialled
    team = ForeignKeyField(Team, null=True, backref="calls", index=False)
    line = ForeignKeyField(Line, null=True, backref="calls", index=False)


class Leg(BaseModel):
    """One attempt to reach one engineer for one call."""

    id = AutoField()
    # (call, step) below serves every look-up by call
    call = ForeignKeyField(Call, backref="legs", on_delete="CASCADE", index=False)
    step = IntegerField()
    engineer = ForeignKeyField(Engineer, null=True, backref="legs", index=False)
    number = CharField()
    role = CharField()  # hunt | primary | backup | cover (telephony.routing)
    child_sid = CharField(null=True)
    started_at = UTCDateTimeField()
    ringing_at = UTCDateTimeField(null=True)
    picked_up_at = UTCDateTimeField(null=True)
    accepted_at = UTCDateTimeField(null=True)
    ended_at = UTCDateTimeField(null=True)
    outcome = CharField(default=LegOutcome.RINGING)
    # why the target hunt started it when it did, in words (telephony.target_tick.explain)
    reason = TextField(null=True)

    class Meta:
        indexes = ((("call", "step"), True),)


# Every index is written on every arrival, so there are only those a query uses.
# The legs of engineers on a call right now: picked up and not ended. Arrivals ask this of
# every signed-in engineer; the partial index stays as small as the number of live calls.
Call.add_index(Call.index(Call.customer, Call.started_at, name="call_customer_started_at"))
Leg.add_index(Leg.index(Leg.engineer, Leg.started_at, name="leg_on_a_call").where(
    Leg.ended_at.is_null() & Leg.picked_up_at.is_null(False) & Leg.engineer.is_null(False)))
