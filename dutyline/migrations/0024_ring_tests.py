"""ring_test: the handover's call to the incoming duty engineer, confirmed with 1 or not."""
from peewee import AutoField, CharField, DateTimeField, ForeignKeyField, Model


class Base(Model):
    class Meta:
        legacy_table_names = False


class Engineer(Base):  # the existing table, as far as the key below needs it
    class Meta:
        table_name = "engineer"


class RingTest(Base):
    id = AutoField()
    engineer = ForeignKeyField(Engineer)
    duty_from = DateTimeField()
    key = CharField(unique=True)
    queued_at = DateTimeField(index=True)
    confirmed_at = DateTimeField(null=True)
    warned_at = DateTimeField(null=True)


def up(migrator, db):
    db.bind([Engineer, RingTest])
    db.create_tables([RingTest])
