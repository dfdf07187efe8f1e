"""A database made before duty periods and engineers had updated_at gets the columns on start."""

from datetime import date, datetime, timezone

from peewee import AutoField, DateField, IntegerField

from dutyline.db import BaseModel, UTCDateTimeField, create_tables, database
from rota.engineers import update_engineer
from rota.models import DutyPeriod, Engineer
from rota.periods import assign_period


class OlderDutyPeriod(BaseModel):
    """The duty period table as the first version made it."""

    id = AutoField()
    day = DateField(unique=True)
    starts_at = UTCDateTimeField()
    ends_at = UTCDateTimeField()
    primary_id = IntegerField(null=True)
    backup_id = IntegerField(null=True)

    class Meta:
        table_name = "duty_period"


def columns(table="duty_period"):
    return {column.name for column in database.get_columns(table)}


def test_updated_at_added_to_an_older_table(app, make_engineer, settings):
    ben = make_engineer("Ben Smith")
    with database.connection_context():
        database.drop_tables([DutyPeriod])
        database.create_tables([OlderDutyPeriod])
        assert "updated_at" not in columns()
    create_tables()
    with database.connection_context():
        assert "updated_at" in columns()
        period = assign_period(date(2026, 12, 1), ben, None, settings)
        assert DutyPeriod.get_by_id(period.id).updated_at is not None


def test_engineer_updated_at_added_to_an_older_table(app, make_engineer):
    ben = make_engineer("Ben Smith")
    with database.connection_context():
        database.execute_sql('ALTER TABLE engineer DROP COLUMN updated_at')
        assert "updated_at" not in columns("engineer")
    create_tables()
    with database.connection_context():
        assert "updated_at" in columns("engineer")
        assert Engineer.get_by_id(ben.id).updated_at is None
        renamed_at = datetime(2026, 11, 22, 9, tzinfo=timezone.utc)
        update_engineer("Ben Smith", renamed_at, new_name="Ben Smythe")
        assert Engineer.get_by_id(ben.id).updated_at == renamed_at
