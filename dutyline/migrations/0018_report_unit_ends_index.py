"""An index on report_unit by end: the triggers that forget a changed row's units
(dutyline.migrations.kept_figures) first read the latest end of any kept unit, and a row
from after it (every arriving call) falls in none, so they look no further."""
from peewee import DateTimeField, Model


class ReportUnit(Model):  # the existing table, as far as the index needs it
    ends_at = DateTimeField()

    class Meta:
        table_name = "report_unit"
        legacy_table_names = False


def up(migrator, db):
    db.bind([ReportUnit])
    db.execute(ReportUnit.index(ReportUnit.ends_at, name="report_unit_ends_at", safe=True))
