"""Tables of customers and their phone numbers (a customer's support contract is its hours,
its reaction time and what ends the reaction), and of the callers' numbers the line refuses."""

from peewee import AutoField, CharField, ForeignKeyField, IntegerField

from dutyline.db import BaseModel, UTCDateTimeField

CORE = "core"
ALL_HOURS = "24x7"
# what ends the contract's reaction clock (reports.reactions): the first call-back that
# reached the customer, or the ticket's acknowledgement by an engineer
ENDS_AT_CALLBACK = "call-back"
ENDS_AT_ACKNOWLEDGEMENT = "acknowledgement"
REACTION_ENDS = (ENDS_AT_CALLBACK, ENDS_AT_ACKNOWLEDGEMENT)


class Customer(BaseModel):
    id = AutoField()
    name = CharField(unique=True)
    hours = CharField(default=CORE)  # core | 24x7
    reaction_minutes = IntegerField(default=240)
    reaction_end = CharField(default=ENDS_AT_CALLBACK)  # a value of REACTION_ENDS


class CustomerNumber(BaseModel):
    id = AutoField()
    customer = ForeignKeyField(Customer, backref="numbers", on_delete="CASCADE")
    number = CharField(unique=True)


class BlockedNumber(BaseModel):
    """A nuisance caller's number (customers.blocklist): the line says one sentence to it and
    hangs up, rings nobody; the call is logged apart (telephony.routing.Blocked)."""

    id = AutoField()
    number = CharField(unique=True)  # E.164; a withheld number is never one
    reason = CharField()
    created_at = UTCDateTimeField()
    created_by = CharField()  # an e-mail on the web, cli:<user> on the command line
    # blocked until this instant, the end of a local day of the team's zone; None: until removed
    ends_at = UTCDateTimeField(null=True)
