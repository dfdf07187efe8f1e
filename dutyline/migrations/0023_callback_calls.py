"""callback: an engineer's call-back of a ticket's caller through the support number."""
from peewee import (AutoField, BooleanField, DateTimeField, ForeignKeyField, IntegerField,
                    Model)


class Base(Model):
    class Meta:
        legacy_table_names = False


class Engineer(Base):  # the existing tables, as far as the keys below need them
    class Meta:
        table_name = "engineer"


class Ticket(Base):
    class Meta:
        table_name = "ticket"


class CallBack(Base):
    id = AutoField()
    ticket = ForeignKeyField(Ticket, on_delete="CASCADE")
    engineer = ForeignKeyField(Engineer)
    message_id = IntegerField(null=True, unique=True)
    requested_at = DateTimeField()
    connected_at = DateTimeField(null=True)
    ended_at = DateTimeField(null=True)
    answered = BooleanField(null=True)
    seconds = IntegerField(null=True)

    class Meta:
        table_name = "call_back"


def up(migrator, db):
    db.bind([Engineer, Ticket, CallBack])
    db.create_tables([CallBack])
