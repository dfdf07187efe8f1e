"""An index on report_unit by level, then start: the triggers that forget a changed row's
units (dutyline.migrations.kept_figures) find its hour, its day and its month each by one
short look-up, where the index by start alone made them read every unit of the 32 days
before the row's moment (about 800 in a line's normal life) at every change of a call or a
leg."""
from peewee import CharField, DateTimeField, Model


class ReportUnit(Model):  # the existing table, as far as the index needs it
    level = CharField()
    starts_at = DateTimeField()

    class Meta:
        table_name = "report_unit"
        legacy_table_names = False


def up(migrator, db):
    db.bind([ReportUnit])
    db.execute(ReportUnit.index(ReportUnit.level, ReportUnit.starts_at,
                                name="report_unit_level_starts_at", safe=True))
