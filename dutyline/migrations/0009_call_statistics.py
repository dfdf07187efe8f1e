"""Call statistics: when each call and leg rang, was put through, went to voicemail or the
fallback; tickets indexed by creation; and which calls were logged before (the statistics
report what can be known of them)."""
from peewee import DateTimeField, IntegerField, Model


class Base(Model):
    class Meta:
        legacy_table_names = False


class Call(Base):  # the existing table, as far as the row below needs it
    started_at = DateTimeField()


class StatisticsStart(Base):
    id = IntegerField(primary_key=True)
    partial_until = DateTimeField()


def up(migrator, db):
    db.bind([Call, StatisticsStart])
    db.create_tables([StatisticsStart])
    migrator.migrate(
        migrator.add_column("call", "ringing_at", DateTimeField(null=True)),
        migrator.add_column("call", "connected_at", DateTimeField(null=True)),
        migrator.add_column("call", "voicemail_at", DateTimeField(null=True)),
        migrator.add_column("call", "fallback_at", DateTimeField(null=True)),
        migrator.add_column("leg", "ringing_at", DateTimeField(null=True)),
        migrator.add_index("ticket", ("created_at",)),
    )
    last = Call.select(Call.started_at).order_by(Call.started_at.desc()).first()
    if last is not None:
        StatisticsStart.insert(id=1, partial_until=last.started_at).execute()
