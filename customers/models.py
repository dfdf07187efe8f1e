"""Tables of customers and their phone numbers; a customer's support contract is its hours
and its reaction time."""

from peewee import AutoField, CharField, ForeignKeyField, IntegerField

from dutyline.db import BaseModel

CORE = "core"
ALL_HOURS = "24x7"


class Customer(BaseModel):
    id = AutoField()
    name = CharField(unique=True)
    hours = CharField(default=CORE)  # core | 24x7
    reaction_minutes = IntegerField(default=240)


class CustomerNumber(BaseModel):
    id = AutoField()
    customer = ForeignKeyField(Customer, backref="numbers", on_delete="CASCADE")
    number = CharField(unique=True)
