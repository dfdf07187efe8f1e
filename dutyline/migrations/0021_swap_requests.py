"""swap_request: an engineer asks a colleague to swap days; the colleague accepts or not."""
from peewee import AutoField, CharField, DateField, DateTimeField, ForeignKeyField, Model


class Base(Model):
    class Meta:
        legacy_table_names = False


class Engineer(Base):  # the existing table, as far as the keys below need it
    class Meta:
        table_name = "engineer"


class SwapRequest(Base):
    id = AutoField()
    requester = ForeignKeyField(Engineer)
    colleague = ForeignKeyField(Engineer)
    give_day = DateField()
    take_day = DateField()
    status = CharField(default="pending")
    created_at = DateTimeField()
    expires_at = DateTimeField(index=True)
    answered_at = DateTimeField(null=True)


def up(migrator, db):
    db.bind([Engineer, SwapRequest])
    db.create_tables([SwapRequest])
