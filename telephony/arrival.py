"""The statements every arriving call runs, in plain SQL.

This path runs once per call and its cost is mostly the ORM building SQL (about half a
millisecond a statement against a few microseconds to execute one). So the arrival's
reads and writes are fixed statements with placeholders; everything else goes through the
models. Column names follow telephony.models, rota.models and voicemail.customers; the
call-flow tests run every statement on SQLite and PostgreSQL.
"""

from datetime import timedelta

from peewee import IntegrityError

from dutyline.db import UTCDateTimeField, database
from telephony.routing import Person

CONNECTED_STALE = timedelta(hours=4)  # a picked-up leg with no news for this long has ended

_to_db = UTCDateTimeField().db_value


def _run(sql, params=()):
    placeholder = database.obj.param
    if placeholder != "?":
        sql = sql.replace("?", placeholder)
    return database.execute_sql(sql, params)


def call_seen(sid):
    """True when a call with this CallSid is logged already (a retried arrival)."""
    return _run('SELECT 1 FROM "call" WHERE "sid" = ?', (sid,)).fetchone() is not None


def customer_of(number):
    """(customer id, contract hours) for a caller's number, or (None, None)."""
    row = _run('SELECT "c"."id", "c"."hours" FROM "customer" AS "c" '
               'JOIN "customer_number" AS "n" ON "n"."customer_id" = "c"."id" '
               'WHERE "n"."number" = ?', (number,)).fetchone()
    return (row[0], row[1]) if row else (None, None)


def ready_engineers():
    """The active, signed-in engineers as the router sees them."""
    rows = _run('SELECT "id", "name", "rotation", "mobile", "desk", "location" FROM "engineer" '
                'WHERE "active" = ? AND "signed_in" = ?', (True, True)).fetchall()
    return tuple(Person(id=row[0], name=row[1], rotation=row[2], mobile=row[3], desk=row[4],
                        in_office=row[5] == "office", signed_in=True) for row in rows)


def engineers_on_a_call(now):
    """Engineers on a support call: a leg picked up (whisper or conversation), not ended.

    A phone that is only ringing does not count: the engineer is not yet on a call.
    """
    rows = _run('SELECT DISTINCT "engineer_id" FROM "leg" WHERE "ended_at" IS NULL '
                'AND "engineer_id" IS NOT NULL AND "picked_up_at" IS NOT NULL '
                'AND "started_at" > ?', (_to_db(now - CONNECTED_STALE),)).fetchall()
    return frozenset(row[0] for row in rows)


def hunt_position():
    """(last rotation rung, version) of the shared round-robin position; made on first use."""
    row = _run('SELECT "last_rotation", "version" FROM "hunt_position" WHERE "id" = 1').fetchone()
    if row is None:
        try:
            _run('INSERT INTO "hunt_position" ("id", "last_rotation", "version") VALUES (1, 0, 0)')
        except IntegrityError:
            pass  # another call made it a moment ago
        return hunt_position()
    return row[0], row[1]


def claim_position(rotation, version):
    """Compare-and-set: move the position to `rotation` if nobody moved it since `version`."""
    cursor = _run('UPDATE "hunt_position" SET "last_rotation" = ?, "version" = "version" + 1 '
                  'WHERE "id" = 1 AND "version" = ?', (rotation, version))
    return cursor.rowcount == 1


def insert_call(sid, from_number, to_number, customer_id, now, mode, plan, gated, duty_id):
    """Log a new call with its plan; the id, or IntegrityError for a CallSid already logged."""
    return _run('INSERT INTO "call" ("sid", "from_number", "to_number", "customer_id", '
                '"started_at", "mode", "plan", "gated", "duty_engineer_id", "status") '
                'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"',
                (sid, from_number, to_number, customer_id, _to_db(now), mode, plan, gated,
                 duty_id, "ringing")).fetchone()[0]


def insert_leg(call_id, step, target, now):
    """The first leg of a call just logged; its id."""
    return _run('INSERT INTO "leg" ("call_id", "step", "engineer_id", "number", "role", '
                '"started_at", "outcome") VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING "id"',
                (call_id, step, target.engineer_id, target.number, target.role, _to_db(now),
                 "ringing")).fetchone()[0]
