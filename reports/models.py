"""The one table the call statistics keep of their own: which calls were logged in part."""

from peewee import IntegerField

from dutyline.db import BaseModel, UTCDateTimeField


class StatisticsStart(BaseModel):
    """One row, made by the migration that added the statistics: calls that arrived at or
    before `partial_until` (the last call logged then) were logged without the moments the
    statistics read (first ringing, voicemail, fallback, each leg's ringing). A database
    made with the statistics in place, or upgraded with no calls, has no row."""

    id = IntegerField(primary_key=True)
    partial_until = UTCDateTimeField()


def partial_until():
    """The arrival of the last call logged before full recording, or None."""
    row = StatisticsStart.get_or_none(StatisticsStart.id == 1)
    return row.partial_until if row else None
