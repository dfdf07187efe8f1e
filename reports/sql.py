"""The few expressions SQLite and PostgreSQL spell differently: seconds between two
instants, and an instant's local date and hour given the UTC offsets of a span.

Offsets and instants are written into the SQL as literals made here (never user text):
the same expression then appears in a select list and a GROUP BY without bound
parameters that a server-side prepared statement would number apart.
"""

from datetime import timezone

from peewee import SQL, Case, Cast, PostgresqlDatabase, fn

from dutyline.db import database


def is_postgres():
    return isinstance(database.obj, PostgresqlDatabase)


def instant(value):
    """An aware datetime as a SQL literal in the stored form (naive UTC)."""
    text = value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ")
    return SQL(f"'{text}'")


def milliseconds_between(later, earlier):
    """later - earlier in whole milliseconds (NULL when either is NULL).

    SQLite's julianday() is a float of days: rounding to milliseconds keeps 5 s exactly 5 s.
    Sums of whole milliseconds are exact however they are added up (by day, by hour, or a
    stored day's figures plus today's), where sums of fractions of seconds are not.
    """
    if is_postgres():
        seconds = fn.date_part(SQL("'epoch'"), later - earlier)
    else:
        seconds = (fn.julianday(later) - fn.julianday(earlier)) * SQL("86400.0")
    # whole milliseconds in floating point: cheaper than PostgreSQL's numeric rounding
    return fn.ROUND(seconds * SQL("1000"))


def seconds_between(later, earlier):
    """later - earlier in seconds, to the millisecond (NULL when either is NULL)."""
    return milliseconds_between(later, earlier) / SQL("1000.0")


def _offset_case(column, offsets):
    """The UTC offset in seconds at `column`, from utc_offsets() pieces."""
    if len(offsets) == 1:
        return SQL(str(offsets[0][1]))
    whens = [(column < instant(until), SQL(str(seconds))) for until, seconds in offsets[:-1]]
    return Case(None, whens, SQL(str(offsets[-1][1])))


def local_day(column, offsets):
    """The local date of `column` as text 'YYYY-MM-DD'."""
    if is_postgres():
        return fn.to_char(_shifted_pg(column, offsets), SQL("'YYYY-MM-DD'")).coerce(False)
    return fn.date(_whole_second(column), _modifier(column, offsets)).coerce(False)


def local_hour(column, offsets):
    """The local hour of day (0-23) of `column`."""
    if is_postgres():
        return Cast(fn.date_part(SQL("'hour'"), _shifted_pg(column, offsets)), "INTEGER")
    return Cast(fn.strftime(SQL("'%H'"), _whole_second(column), _modifier(column, offsets)),
                "INTEGER")


def _whole_second(column):
    """A stored moment ('YYYY-MM-DD HH:MM:SS.ffffff') cut to its second: SQLite's date
    functions round to the millisecond, which puts 23:59:59.9996 on the next day (and
    hour), where its kept day and the call log's own order put it on this one."""
    return fn.substr(column, SQL("1"), SQL("19"))


def _shifted_pg(column, offsets):
    return column + _offset_case(column, offsets) * SQL("INTERVAL '1 second'")


def _modifier(column, offsets):
    """SQLite's date-function modifier, e.g. '+3600 seconds'."""
    if len(offsets) == 1:
        return SQL(f"'{offsets[0][1]:+d} seconds'")
    whens = [(column < instant(until), SQL(f"'{seconds:+d} seconds'"))
             for until, seconds in offsets[:-1]]
    return Case(None, whens, SQL(f"'{offsets[-1][1]:+d} seconds'"))
