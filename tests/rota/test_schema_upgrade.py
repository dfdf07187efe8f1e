"""A database made before duty periods had updated_at gets the column on start."""

from datetime import date

from peewee import AutoField, DateField, IntegerField

from dutyline.db import BaseModel, UTCDateTimeField, create_tables, database
from rota.models import DutyPeriod
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


def columns():
    return {column.name for column in database.get_columns("duty_period")}


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
