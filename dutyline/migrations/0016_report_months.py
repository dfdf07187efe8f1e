"""Kept months (report_unit rows of level "month", made from the kept days): the triggers
made before them forgot only the units of the 26 h before a changed row, so a late change
would have left its month counted as it was. The old triggers go, and with them every unit
kept under them; the upgrade makes the triggers anew (dutyline.migrations.kept_figures)."""
from peewee import AutoField, CharField, Model, PostgresqlDatabase

TABLES = ("call", "leg", "ticket")
SQLITE_EVENTS = ("insert", "update", "delete")


class ReportUnit(Model):  # the existing table, as far as forgetting its rows needs it
    id = AutoField()
    level = CharField()

    class Meta:
        table_name = "report_unit"
        legacy_table_names = False


def up(migrator, db):
    db.bind([ReportUnit])
    for table in TABLES:
        if isinstance(db, PostgresqlDatabase):
            db.execute_sql(f'DROP TRIGGER IF EXISTS report_unit_{table} ON "{table}"')
        else:
            for event in SQLITE_EVENTS:
                db.execute_sql(f'DROP TRIGGER IF EXISTS "report_unit_{table}_{event}"')
    ReportUnit.delete().execute()
