"""blocked_number: nuisance callers' numbers, answered with one sentence and hung up on."""
from peewee import AutoField, CharField, DateTimeField, Model


class BlockedNumber(Model):
    id = AutoField()
    number = CharField(unique=True)
    reason = CharField()
    created_at = DateTimeField()
    created_by = CharField()
    ends_at = DateTimeField(null=True)

    class Meta:
        table_name = "blocked_number"
        legacy_table_names = False


def up(migrator, db):
    db.bind([BlockedNumber])
    db.create_tables([BlockedNumber])
