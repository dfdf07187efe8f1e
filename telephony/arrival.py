"""The statements every arriving call runs, in plain SQL: one read, then one write.

This path runs once per call and is the line's busiest. Built through the ORM it cost
about half a millisecond a statement, and each statement was its own round trip and, for a
write, its own commit. So an arrival is now:

- one read (`arrival_state`): whether the CallSid is logged already, the caller's
  customer, and in hours the round-robin position and the signed-in engineers, each
  flagged when on a support call;
- one write (`record_arrival`): the compare-and-set of the position, the call and its
  first leg, all or nothing. PostgreSQL does it in one statement (data-modifying CTEs);
  SQLite in one immediate transaction.

On PostgreSQL each statement is prepared once per connection: planning the read cost
several times more than running it.

Column names follow telephony.models, rota.models and customers.models; the call-flow
tests run every statement on SQLite and PostgreSQL.
"""

import hashlib
import logging
import re
import weakref
from dataclasses import dataclass
from datetime import timedelta

from peewee import DatabaseError, IntegrityError, PostgresqlDatabase

from dutyline.db import UTCDateTimeField, database
from telephony.routing import Person

log = logging.getLogger(__name__)

CONNECTED_STALE = timedelta(hours=4)  # a picked-up leg with no news for this long has ended

_to_db = UTCDateTimeField().db_value

# a leg counts as "on a call" when picked up, not ended and not stale; the partial index
# leg_on_a_call (telephony.models) holds exactly those legs, so this stays cheap however
# long the call log grows
ON_A_CALL = ('"l"."engineer_id" = "e"."id" AND "l"."ended_at" IS NULL '
             'AND "l"."picked_up_at" IS NOT NULL AND "l"."engineer_id" IS NOT NULL '
             'AND "l"."started_at" > ?')

CALLER = ('SELECT (SELECT "id" FROM "call" WHERE "sid" = ?) AS "seen", '
          '(SELECT "n"."customer_id" FROM "customer_number" AS "n" WHERE "n"."number" = ?) '
          'AS "customer_id", '
          '(SELECT "c"."hours" FROM "customer" AS "c" JOIN "customer_number" AS "n" '
          'ON "n"."customer_id" = "c"."id" WHERE "n"."number" = ?) AS "hours"')

HUNT = ('SELECT "s".*, "p"."last_rotation", "p"."version", "e"."id", "e"."name", '
        '"e"."rotation", "e"."mobile", "e"."desk", "e"."location", '
        f'EXISTS (SELECT 1 FROM "leg" AS "l" WHERE {ON_A_CALL}) '
        f'FROM ({CALLER}) AS "s" '
        'LEFT JOIN "hunt_position" AS "p" ON "p"."id" = 1 '
        'LEFT JOIN "engineer" AS "e" ON "e"."active" = ? AND "e"."signed_in" = ?')

BUSY = ('SELECT DISTINCT "e"."id" FROM "engineer" AS "e" JOIN "leg" AS "l" '
        f'ON {ON_A_CALL}')

CALL_COLUMNS = ('"sid", "from_number", "to_number", "customer_id", "started_at", "mode", '
                '"plan", "gated", "duty_engineer_id", "status"')
LEG_COLUMNS = '"call_id", "step", "engineer_id", "number", "role", "started_at", "outcome"'
# the same values in a select list, where a prepared statement cannot infer their types
CALL_TYPED = ("CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS INTEGER), "
              "CAST(? AS TIMESTAMP), CAST(? AS VARCHAR), CAST(? AS TEXT), CAST(? AS BOOLEAN), "
              "CAST(? AS INTEGER), CAST(? AS VARCHAR)")
LEG_TYPED = ("CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS VARCHAR), CAST(? AS VARCHAR), "
             "CAST(? AS TIMESTAMP), CAST(? AS VARCHAR)")


@dataclass(frozen=True)
class ArrivalState:
    """What one read tells an arrival."""

    seen_call_id: int | None  # the call already logged under this CallSid (a retry)
    customer_id: int | None
    customer_hours: str | None
    last_rotation: int = 0
    version: int | None = None  # None until the position row exists
    engineers: tuple = ()  # signed-in, active engineers (Person)
    busy_ids: frozenset = frozenset()


def _postgres():
    return isinstance(database.obj, PostgresqlDatabase)


def _run(sql, params=()):
    if _postgres():
        return _run_prepared(sql, params)
    return database.execute_sql(sql, params)


UNKNOWN_STATEMENT = "26000"  # PostgreSQL's invalid_sql_statement_name
DUPLICATE_STATEMENT = "42P05"  # duplicate_prepared_statement
_PREPARING = True  # off for good once statements turn out not to outlive a statement
_PREPARED = weakref.WeakKeyDictionary()  # PostgreSQL connection -> names prepared on it
_STATEMENTS = {}  # sql -> (name, text with $1, $2 …)


def _statement(sql):
    if sql not in _STATEMENTS:
        name = "dutyline_" + hashlib.sha1(sql.encode()).hexdigest()[:16]
        numbers = iter(range(1, sql.count("?") + 1))
        _STATEMENTS[sql] = name, re.sub(r"\?", lambda _: f"${next(numbers)}", sql)
    return _STATEMENTS[sql]


def _pgcode(exc):
    # peewee re-raises the driver's error as its own, inside the handling of it
    return getattr(exc.__context__, "pgcode", None)


def _run_prepared(sql, params):
    """EXECUTE a statement prepared on this connection (PREPARE it first if it is not).

    Behind a pooler that hands each statement to whichever server session is free
    (PgBouncer's transaction mode), a prepared statement is not there when it is executed:
    after it vanishes twice in a row, the process stops preparing and runs plain SQL.
    """
    global _PREPARING
    if _PREPARING:
        name, text = _statement(sql)
        names = _PREPARED.setdefault(database.connection(), set())
        marks = ", ".join(["%s"] * len(params))
        for _ in range(2):
            if name not in names:
                try:
                    database.execute_sql(f"PREPARE {name} AS {text}")
                except DatabaseError as exc:
                    if _pgcode(exc) != DUPLICATE_STATEMENT:
                        raise
                names.add(name)
            try:
                return database.execute_sql(f"EXECUTE {name}({marks})" if params
                                            else f"EXECUTE {name}", params)
            except DatabaseError as exc:
                if _pgcode(exc) != UNKNOWN_STATEMENT:
                    raise
                names.clear()  # the session was reset underneath (DISCARD ALL, a pooler)
        _PREPARING = False
        log.warning("telephony.arrival: prepared statements do not last between statements "
                    "here (a pooler in transaction mode?); running plain SQL from now on")
    return database.execute_sql(sql.replace("?", "%s"), params)


def arrival_state(sid, number, now, hunting):
    """One read: the retry check and the customer; in hours also the hunt's state."""
    if not hunting:
        seen, customer_id, hours = _run(CALLER, (sid, number, number)).fetchone()
        return ArrivalState(seen, customer_id, hours)
    # placeholders in the order they appear: the EXISTS in the select list comes first
    rows = _run(HUNT, (_to_db(now - CONNECTED_STALE), sid, number, number, True,
                       True)).fetchall()
    seen, customer_id, hours, last_rotation, version = rows[0][:5]
    if version is None:
        _make_position()
    engineers, busy = [], set()
    for row in rows:
        if row[5] is None:  # nobody signed in: the one row of the outer join
            continue
        engineers.append(Person(id=row[5], name=row[6], rotation=row[7], mobile=row[8],
                                desk=row[9], in_office=row[10] == "office", signed_in=True))
        if row[11]:
            busy.add(row[5])
    return ArrivalState(seen, customer_id, hours, last_rotation or 0, version,
                        tuple(engineers), frozenset(busy))


def _make_position():
    try:
        _run('INSERT INTO "hunt_position" ("id", "last_rotation", "version") VALUES (1, 0, 0)')
    except IntegrityError:
        pass  # another call made it a moment ago


def engineers_on_a_call(now):
    """Engineers on a support call: a leg picked up (whisper or conversation), not ended.

    A phone that is only ringing does not count: the engineer is not yet on a call.
    """
    rows = _run(BUSY, (_to_db(now - CONNECTED_STALE),)).fetchall()
    return frozenset(row[0] for row in rows)


def record_arrival(call, claim=None, first_leg=None):
    """Write a new call, all or nothing; returns (call id, first leg id or None).

    `call` is the dict of the call's columns (CALL_COLUMNS, in order); `claim` is
    (rotation, version) to move the hunt position to, only if nobody moved it since
    `version`; `first_leg` the target rung first. Returns None when the claim was lost
    (nothing written: decide again), and raises IntegrityError for a CallSid already logged.
    """
    values = (call["sid"], call["from_number"], call["to_number"], call["customer_id"],
              _to_db(call["started_at"]), call["mode"], call["plan"], call["gated"],
              call["duty_engineer_id"], "ringing")
    leg = None
    if first_leg is not None:
        leg = (0, first_leg.engineer_id, first_leg.number, first_leg.role,
               _to_db(call["started_at"]), "ringing")
    if _postgres():
        return _record_postgres(values, claim, leg)
    return _record_sqlite(values, claim, leg)


def _record_postgres(values, claim, leg):
    """One statement: a lost claim inserts nothing, a duplicate CallSid undoes the claim."""
    marks = ", ".join(["?"] * len(values))
    parts, params = [], []
    if claim is not None:
        parts.append('"claimed" AS (UPDATE "hunt_position" SET "last_rotation" = ?, '
                     '"version" = "version" + 1 WHERE "id" = 1 AND "version" = ? RETURNING 1)')
        params += [claim[0], claim[1]]
        parts.append(f'"new_call" AS (INSERT INTO "call" ({CALL_COLUMNS}) SELECT {CALL_TYPED} '
                     'FROM "claimed" RETURNING "id")')
    else:
        parts.append(f'"new_call" AS (INSERT INTO "call" ({CALL_COLUMNS}) VALUES ({marks}) '
                     'RETURNING "id")')
    params += values
    if leg is not None:
        final = (f'INSERT INTO "leg" ({LEG_COLUMNS}) SELECT "id", {LEG_TYPED} '
                 'FROM "new_call" RETURNING "call_id", "id"')
        params += leg
    else:
        final = 'SELECT "id", NULL FROM "new_call"'
    row = _run(f'WITH {", ".join(parts)} {final}', params).fetchone()
    return (row[0], row[1]) if row else None


def _record_sqlite(values, claim, leg):
    """One immediate transaction: the write lock first, so nothing can slip in between."""
    with database.atomic("IMMEDIATE"):
        if claim is not None:
            moved = _run('UPDATE "hunt_position" SET "last_rotation" = ?, "version" = "version" + 1 '
                         'WHERE "id" = 1 AND "version" = ?', claim).rowcount
            if moved != 1:
                return None
        call_id = _run(f'INSERT INTO "call" ({CALL_COLUMNS}) '
                       f'VALUES ({", ".join(["?"] * len(values))}) RETURNING "id"',
                       values).fetchone()[0]
        leg_id = None
        if leg is not None:
            leg_id = _run(f'INSERT INTO "leg" ({LEG_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) '
                          'RETURNING "id"', (call_id, *leg)).fetchone()[0]
        return call_id, leg_id
