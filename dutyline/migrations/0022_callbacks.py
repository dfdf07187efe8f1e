"""ticket.kind (voicemail, or missed: a call that reached nobody and left no message) and
the call-back's end (when, by whom, why). Tickets from before are not due a call-back."""
from peewee import CharField, DateTimeField, ForeignKeyField, Model, TextField


class Base(Model):
    class Meta:
        legacy_table_names = False


class Engineer(Base):  # the existing table, as far as the key below needs it
    class Meta:
        table_name = "engineer"


def up(migrator, db):
    db.bind([Engineer])
    migrator.migrate(
        migrator.add_column("ticket", "kind", CharField(default="voicemail")),
        migrator.add_column("ticket", "callback_done_at", DateTimeField(null=True)),
        migrator.add_column("ticket", "callback_done_by_id",
                            ForeignKeyField(Engineer, null=True, field=Engineer.id)),
        migrator.add_column("ticket", "callback_reason", TextField(null=True)),
    )
    db.execute_sql('UPDATE "ticket" SET "callback_done_at" = "created_at", '
                   "\"callback_reason\" = 'before the call-back list'")
