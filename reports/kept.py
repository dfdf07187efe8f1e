"""Reading and keeping the rows of report_unit, without counting while writers wait.

A unit is kept in three steps, and only the first and the last write:

1. mark: one short transaction puts a marker in the unit's place (any row of the unit kept
   otherwise, or a marker another report left, is deleted): the unit's row with empty
   figures and a basis of its own, `counting:` and a token, which no report reads. From
   then on the triggers (dutyline.kept_figures) delete the marker as they delete
   any kept unit, whenever a call, leg or ticket of the unit is inserted, changed or deleted.
2. count: outside any transaction, with the queries a report counts the call log with.
3. store: one short transaction writes the figures into the marker if it is still there
   (and, for a day, deletes its hours). When it is not, something in the unit changed
   while it was counted: the figures serve this report alone and the next one counts again.

So no change falls between counting and keeping, and a write lock is held only for a
marker or one unit's figures, never while the call log is counted. SQLite's marking waits
for its write lock like any writer, so a call written before it is in the count. On
PostgreSQL a writer under way at the marking may not see the marker: the marking first
takes a SHARE lock on call, leg and ticket, which waits for the writers under way and holds
the next ones off for the moment of the insert (given up after 200 ms, LOCK_TIMEOUT: the unit is
then counted for this report alone).
"""

import logging
import secrets

from peewee import DatabaseError

from dutyline.db import database
from reports.models import ReportUnit
from reports.sql import is_postgres

log = logging.getLogger(__name__)

# how long a PostgreSQL marking waits for writers under way, and the lock it waits for
LOCK_TIMEOUT = "SET LOCAL lock_timeout = '200ms'"
LOCK_WRITERS = 'LOCK TABLE "call", "leg", "ticket" IN SHARE MODE'
MARKER = "counting:"  # the basis of a unit being counted: never read as figures
EMPTY = "{}"


def rows(units, known, names):
    """{(level, start): row} of the units kept with the basis `known`, with the columns
    `names` (none: only which units are kept)."""
    columns = [getattr(ReportUnit, name) for name in sorted(names)]
    found = (ReportUnit
             .select(ReportUnit.level, ReportUnit.starts_at, *columns)
             .where(ReportUnit.starts_at.in_(sorted({start for _, start, _ in units})),
                    ReportUnit.level.in_(sorted({level for level, _, _ in units})),
                    ReportUnit.basis == known)
             .dicts())
    return {(row["level"], ReportUnit.starts_at.python_value(row["starts_at"])): row
            for row in found}


def keep(level, start, end, known, counted):
    """The unit's columns, as `counted()` gives them; kept under the basis `known` when
    nothing in the unit changed while they were counted."""
    if database.in_transaction():  # never hold the caller's transaction's locks longer
        return counted()
    token = MARKER + secrets.token_hex(8)
    try:
        marker = _mark(level, start, end, token)
    except DatabaseError as exc:  # busy, locked, or marked at the same moment elsewhere
        log.info("reports.kept: the %s from %s counted without keeping it: %s", level,
                 start.isoformat(), exc)
        return counted()
    columns = counted()
    try:
        stored = _store(marker, token, level, start, end, known, columns)
    except DatabaseError as exc:
        stored = False
        log.info("reports.kept: the %s from %s not kept: %s", level, start.isoformat(), exc)
    if not stored:
        log.info("reports.kept: the %s from %s changed while it was counted; counted again "
                 "next time", level, start.isoformat())
    return columns


def _write():
    return database.atomic(*([] if is_postgres() else ["IMMEDIATE"]))


def _mark(level, start, end, token):
    with _write():
        if is_postgres():
            database.execute_sql(LOCK_TIMEOUT)
            database.execute_sql(LOCK_WRITERS)
        ReportUnit.delete().where((ReportUnit.level == level)
                                  & (ReportUnit.starts_at == start)).execute()
        return ReportUnit.insert(level=level, starts_at=start, ends_at=end, basis=token,
                                 total=EMPTY, engineers=EMPTY, customers=EMPTY).execute()


class _Gone(Exception):
    """The marker is gone: what the store transaction did is undone."""


def _store(marker, token, level, start, end, known, columns):
    try:
        with _write():
            if level == "day":  # a day kept whole: its hours are read no more (deleted
                # first, in the order the triggers delete a moment's hour, day and month)
                ReportUnit.delete().where((ReportUnit.level == "hour")
                                          & (ReportUnit.starts_at >= start)
                                          & (ReportUnit.starts_at < end)).execute()
            stored = (ReportUnit.update(basis=known, **columns)
                      .where((ReportUnit.id == marker) & (ReportUnit.basis == token))
                      .execute())
            if not stored:
                raise _Gone
    except _Gone:
        return False
    return True
