"""The tables the call statistics keep of their own: which calls were logged in part, and
the figures of closed days and hours."""

from weakref import WeakKeyDictionary

from peewee import AutoField, CharField, IntegerField, TextField

from dutyline.db import BaseModel, UTCDateTimeField, database


class StatisticsStart(BaseModel):
    """One row, made by the migration that added the statistics: calls that arrived at or
    before `partial_until` (the last call logged then) were logged without the moments the
    statistics read (first ringing, voicemail, fallback, each leg's ringing). A database
    made with the statistics in place, or upgraded with no calls, has no row."""

    id = IntegerField(primary_key=True)
    partial_until = UTCDateTimeField()


_PARTIAL_UNTIL = WeakKeyDictionary()  # database -> (the moment or None,)


def partial_until():
    """The arrival of the last call logged before full recording, or None.

    Read once per database: only the step that added the statistics writes it, before any
    process of this version may use the database (dutyline.migrations.check_current)."""
    db = database.obj
    found = _PARTIAL_UNTIL.get(db)
    if found is None:
        row = StatisticsStart.get_or_none(StatisticsStart.id == 1)
        found = _PARTIAL_UNTIL[db] = (row.partial_until if row else None,)
    return found[0]


class ReportUnit(BaseModel):
    """The counted figures of one stretch of time that report() need not count again: a
    local month or day of the team's zone, or an hour (reports.units); a month's total is
    kept by day. `basis` names what the
    figures were counted with (zone, thresholds); the other columns hold them as JSON, in
    total and per hour (days only), engineer and customer, so that a report reads only the
    grouping it shows. Triggers on call, leg and ticket delete the units a changed row falls
    in (dutyline.kept_figures)."""

    id = AutoField()
    level = CharField()  # month | day | hour
    starts_at = UTCDateTimeField()
    ends_at = UTCDateTimeField()
    basis = CharField()
    total = TextField()
    hours = TextField(null=True)
    engineers = TextField()
    customers = TextField()

    class Meta:
        table_name = "report_unit"
        # one unit a level and start; the triggers read the latest end, then find a changed
        # row's units by level and start (dutyline.kept_figures)
        indexes = ((("starts_at", "level"), True), (("level", "starts_at"), False),
                   (("ends_at",), False))
