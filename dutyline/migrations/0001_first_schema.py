"""The first schema: engineers, duty periods, the hunt position, calls, legs, tickets.

A frozen copy of the models as the first release shipped them; history, never edited.
"""
from peewee import (BooleanField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, Model, TextField)


class Base(Model):
    class Meta:
        legacy_table_names = False


class Engineer(Base):
    name = CharField(unique=True)
    mobile = CharField()
    desk = CharField(null=True)
    email = CharField(null=True)
    rotation = IntegerField(index=True)
    signed_in = BooleanField(default=False)
    location = CharField(default="office")
    active = BooleanField(default=True)


class DutyPeriod(Base):
    day = DateField(unique=True)
    starts_at = DateTimeField(index=True)
    ends_at = DateTimeField(index=True)
    primary = ForeignKeyField(Engineer, null=True)
    backup = ForeignKeyField(Engineer, null=True)


class HuntPosition(Base):
    id = IntegerField(primary_key=True)
    last_rotation = IntegerField(default=0)
    version = IntegerField(default=0)


class Call(Base):
    sid = CharField(unique=True)
    from_number = CharField()
    to_number = CharField(default="")
    started_at = DateTimeField(index=True)
    mode = CharField(default="")
    plan = TextField(null=True)
    duty_engineer = ForeignKeyField(Engineer, null=True)
    status = CharField(default="ringing")
    answered_by = ForeignKeyField(Engineer, null=True)
    answered_at = DateTimeField(null=True)
    ended_at = DateTimeField(null=True)
    duration = IntegerField(null=True)


class Leg(Base):
    call = ForeignKeyField(Call, on_delete="CASCADE")
    step = IntegerField()
    engineer = ForeignKeyField(Engineer, null=True)
    number = CharField()
    role = CharField()
    child_sid = CharField(null=True)
    started_at = DateTimeField()
    picked_up_at = DateTimeField(null=True)
    accepted_at = DateTimeField(null=True)
    ended_at = DateTimeField(null=True, index=True)
    outcome = CharField(default="ringing")

    class Meta:
        indexes = ((("call", "step"), True),)


class Ticket(Base):
    call = ForeignKeyField(Call, unique=True)
    caller = CharField()
    recording_sid = CharField(null=True, unique=True)
    recording_url = CharField(null=True)
    recording_seconds = IntegerField(null=True)
    engineer = ForeignKeyField(Engineer, null=True)
    status = CharField(default="new")
    created_at = DateTimeField()


MODELS = [Engineer, DutyPeriod, HuntPosition, Call, Leg, Ticket]


def up(migrator, db):
    db.bind(MODELS)
    db.create_tables(MODELS)
