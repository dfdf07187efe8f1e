"""The outbox of outgoing messages."""
from peewee import CharField, DateTimeField, IntegerField, Model, TextField


class OutboxMessage(Model):
    channel = CharField(index=True)
    recipient = CharField()
    subject = CharField(null=True)
    body = TextField()
    dedupe_key = CharField(unique=True)
    status = CharField(default="queued", index=True)
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(index=True)
    lease_token = CharField(null=True)
    lease_until = DateTimeField(null=True)
    last_error = TextField(null=True)
    provider_id = CharField(null=True)
    created_at = DateTimeField()
    sent_at = DateTimeField(null=True)

    class Meta:
        legacy_table_names = False


def up(migrator, db):
    db.bind([OutboxMessage])
    db.create_tables([OutboxMessage])
