"""The round robin's memory, and its one claim.

The hunt position is the rotation of the engineer rung last, shared by every call of a
team (the row's id is the team's: each team has its own round robin). A leg
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


def _following():
    """The lowest of the candidates' rotations (filled in at each run as a JSON list) above
    the position, or NULL. The statement is compiled once for each database; the function
    that reads a JSON list as rows is all they differ in."""
    if isinstance(database.obj, PostgresqlDatabase):
        rows = fn.json_array_elements_text(Cast(slot("rotations"), "json")).alias("c")
        rotation = Cast(SQL('"c"."value"'), "integer")
    else:
        rows, rotation = fn.json_each(slot("rotations")).alias("c"), SQL('"c"."value"')
    return Select([rows], [fn.MIN(rotation)]).where(rotation > HuntPosition.last_rotation)


def claim_query():
    """The claim as a query, its slots `rotations` (a JSON list, ascending) and `lowest`;
    it returns the rotation claimed. telephony.arrival_save composes it into the arrival's
    one statement on PostgreSQL."""
    # the next one round the circle: the lowest above the position, else the lowest of all;
    # and the lowest of all when no call was ever rung
    return (HuntPosition
            .insert(id=slot("team"), last_rotation=slot("lowest"), version=1)
            .on_conflict(conflict_target=[HuntPosition.id],
                         update={HuntPosition.last_rotation:
                                 fn.COALESCE(_following(), slot("lowest")),
                                 HuntPosition.version: HuntPosition.version + 1})
            .returning(HuntPosition.last_rotation))


_claim = statement(claim_query)


def claim_slots(rotations, team):
    """The claim's slots for these candidates, in the round robin of the team (its id)."""
    candidates = sorted(set(rotations))
    return {"rotations": json.dumps(candidates), "lowest": candidates[0], "team": team}


def claim(rotations, team):
    """Move the team's hunt position to the next of `rotations` after it, as the database
    holds it (the row locked, or SQLite's write lock); returns that rotation."""
    return _claim.value(**claim_slots(rotations, team))
