"""What a form saw: the rota as a page showed it, carried back by the form that changes it.

A form sent twice (a double click) must do what it said once. The page puts the team's
month's duty periods (day, primary, backup) and its newest override's id into the form; the
change compares them with the rota under the rota's write lock. The same state: the change is
made. The change already made (the second of two identical submits): AlreadyDone, nothing
changes, nobody is texted. Anything else: RotaChanged, the page is to be read again.
"""

import re
from calendar import monthrange
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from peewee import PostgresqlDatabase, fn

from dutyline.db import database
from rota.engineers import RotaError
from rota.models import FIRST_TEAM, DutyPeriod, Override

ROTA_LOCK = 0x526F7461  # PostgreSQL advisory lock of rota changes made from forms


class AlreadyDone(RotaError):
    """The change asked for is what the rota already holds since the form was shown."""


class RotaChanged(RotaError):
    """The rota changed otherwise since the form was shown: nothing is done."""


@dataclass(frozen=True)
class Seen:
    """The month a page showed: {day: (primary id, backup id)} of the periods starting in
    it, and the newest override's id of the team then (0 when none)."""

    year: int
    month: int
    periods: dict
    last_override: int

    def expected(self, period_day):
        """(primary id, backup id) the page showed for the period starting on that day; None
        when the page did not show that month."""
        if (period_day.year, period_day.month) != (self.year, self.month):
            return None
        return self.periods.get(period_day, (None, None))


def snapshot(year, month, team=FIRST_TEAM):
    """The text a page puts in its forms about the team's month: "2026-12/17/1:3:,2:1:2,…"."""
    first, last = date(year, month, 1), date(year, month, monthrange(year, month)[1])
    rows = (DutyPeriod
            .select(DutyPeriod.day, DutyPeriod.primary, DutyPeriod.backup)
            .where(DutyPeriod.team == team, DutyPeriod.day.between(first, last))
            .order_by(DutyPeriod.day)
            .tuples())
    last_override = (Override.select(fn.MAX(Override.id)).where(Override.team == team)
                     .scalar() or 0)
    cells = ",".join(f"{day.day}:{p or ''}:{b or ''}" for day, p, b in rows)
    return f"{year:04d}-{month:02d}/{last_override}/{cells}"


_SNAPSHOT = re.compile(r"([0-9]{4})-([0-9]{2})/([0-9]{1,18})/((?:[0-9]{1,2}:[0-9]*:[0-9]*,?)*)")


def parse_seen(text):
    """The Seen a form carried; None when it carried none; RotaChanged when it is not one."""
    if not text:
        return None
    match = _SNAPSHOT.fullmatch(text.strip())
    if match is None:
        raise RotaChanged("the form could not be read; reload the page and try again")
    year, month = int(match.group(1)), int(match.group(2))
    periods = {}
    try:
        for cell in filter(None, match.group(4).split(",")):
            day, primary, backup = cell.split(":")
            periods[date(year, month, int(day))] = (int(primary) if primary else None,
                                                    int(backup) if backup else None)
    except ValueError as exc:
        raise RotaChanged("the form could not be read; reload the page and try again") from exc
    return Seen(year, month, periods, int(match.group(3)))


@contextmanager
def rota_write():
    """A transaction holding the rota's write lock from its start, so that of two identical
    submits the second reads what the first wrote (SQLite's write lock, taken first;
    PostgreSQL's advisory lock)."""
    if isinstance(database.obj, PostgresqlDatabase):
        with database.atomic():
            database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (ROTA_LOCK,))
            yield
    else:
        with database.atomic("IMMEDIATE"):
            yield


def held(period):
    """(primary id, backup id) of a period as stored (nobody for one not stored yet)."""
    if period is None or period.id is None:
        return (None, None)
    return (period.primary_id, period.backup_id)


def check_seen(seen, periods, after, what):
    """Compare the periods a change concerns, as held now, with what the page showed:
    the same, nothing is raised; each already holds what the change gives it (`after`, in
    the same order), AlreadyDone(`what`); anything else, RotaChanged. No check when there
    is no Seen, or the page did not show one of the periods."""
    shown = [seen.expected(period.day) for period in periods] if seen is not None else [None]
    if None in shown:
        return
    now_held = [held(period) for period in periods]
    if now_held == shown:
        return
    if now_held == list(after):
        raise AlreadyDone(what)
    raise RotaChanged("the rota has changed since the page was shown; look at it again and "
                      "retry")
