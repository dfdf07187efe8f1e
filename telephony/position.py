"""The round robin's memory, and its one claim.

The hunt position is the rotation of the engineer rung last, shared by every call. A leg
that rings a hunt (or cover) engineer claims it: `claim(rotations)` lets the database take
the next of those rotations after the position as the row stands, and move the position
there, in one statement. Simultaneous calls therefore never start with the same engineer,
however many workers answer them, and nobody has to decide again. The arrival claims for
its first leg with the whole round of its plan (telephony.arrival_save), and every later leg
of either strategy with its own engineer (telephony.hunt.begin_leg).
"""

import json

from peewee import SQL, Cast, PostgresqlDatabase, Select, fn

from dutyline.compiled import slot, statement
from dutyline.db import database
from telephony.models import HuntPosition


def _rotations():
    """The candidates' rotations, filled in at each run as a JSON list, as rows of a table
    "c", and the rotation of a row. The statement is compiled once for each database: the
    one function of each that reads a JSON list is all they differ in."""
    if isinstance(database.obj, PostgresqlDatabase):
        return (fn.json_array_elements_text(Cast(slot("rotations"), "json")).alias("c"),
                Cast(SQL('"c"."value"'), "integer"))
    return fn.json_each(slot("rotations")).alias("c"), SQL('"c"."value"')


def _next_after(position):
    """The lowest candidate above `position`, else the lowest: the next one round the circle."""
    rows, rotation = _rotations()
    following = Select([rows], [fn.MIN(rotation)]).where(rotation > position)
    return fn.COALESCE(following, Select([rows], [fn.MIN(rotation)]))


@statement
def _claim():
    first = HuntPosition.last_rotation.default  # the position before any call was rung
    return (HuntPosition
            .insert(id=1, last_rotation=_next_after(first), version=1)
            .on_conflict(conflict_target=[HuntPosition.id],
                         update={HuntPosition.last_rotation:
                                 _next_after(HuntPosition.last_rotation),
                                 HuntPosition.version: HuntPosition.version + 1})
            .returning(HuntPosition.last_rotation))


def claim(rotations):
    """Move the hunt position to the next of `rotations` after it, as the database holds it
    (the row locked, or SQLite's write lock); returns that rotation."""
    return _claim.row(rotations=json.dumps(sorted(set(rotations))))["last_rotation"]
