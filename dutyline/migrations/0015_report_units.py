"""Kept figures for reports (the report_unit table), and a customer's calls indexed by
arrival."""
from peewee import AutoField, CharField, DateTimeField, IntegerField, Model, TextField


class ReportUnit(Model):
    id = AutoField()
    level = CharField()
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    basis = CharField()
    total = TextField()
    hours = TextField(null=True)
    engineers = TextField()
    customers = TextField()

    class Meta:
        table_name = "report_unit"
        legacy_table_names = False
        indexes = ((("starts_at", "level"), True),)


class Call(Model):  # the existing table, as far as the index needs it
    customer = IntegerField(column_name="customer_id", null=True)
    started_at = DateTimeField()

    class Meta:
        table_name = "call"


def up(migrator, db):
    db.bind([ReportUnit, Call])
    db.create_tables([ReportUnit])
    db.execute_sql('DROP INDEX IF EXISTS "call_customer_id"')
    db.execute(Call.index(Call.customer, Call.started_at, name="call_customer_started_at",
                          safe=True))
    # the triggers that keep the units right are made after every upgrade
    # (dutyline.migrations.kept_figures), since rebuilding a table drops its triggers
