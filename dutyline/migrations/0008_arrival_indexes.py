"""Indexes for arrivals: leg_on_a_call (the legs engineers are on now) in, the indexes no
query reads out (each cost every arrival a write)."""
from peewee import DateTimeField, IntegerField, Model

UNREAD_INDEXES = ("call_answered_by_id", "call_duty_engineer_id", "leg_call_id",
                  "leg_engineer_id", "leg_ended_at")


class Leg(Model):  # the existing table, as far as the index needs it
    engineer = IntegerField(column_name="engineer_id", null=True)
    started_at = DateTimeField()
    picked_up_at = DateTimeField(null=True)
    ended_at = DateTimeField(null=True)

    class Meta:
        table_name = "leg"


def up(migrator, db):
    db.bind([Leg])
    db.execute(Leg.index(Leg.engineer, Leg.started_at, name="leg_on_a_call", safe=True).where(
        Leg.ended_at.is_null() & Leg.picked_up_at.is_null(False) & Leg.engineer.is_null(False)))
    for name in UNREAD_INDEXES:
        # IF EXISTS: a database made after a model stopped indexing a column never had it
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
