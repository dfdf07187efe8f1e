"""Engineers' texts acted on once per MessageSid: inbound_text."""
from peewee import AutoField, CharField, DateTimeField, Model, TextField


class InboundText(Model):
    id = AutoField()
    message_sid = CharField(unique=True)
    received_at = DateTimeField()
    reply = TextField(default="")

    class Meta:
        legacy_table_names = False


def up(migrator, db):
    db.bind([InboundText])
    db.create_tables([InboundText])
