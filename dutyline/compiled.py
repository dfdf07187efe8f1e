"""Queries built from the models once, compiled once per kind of database, run many times.

Building and compiling a peewee query costs more than running a small one, and the
arrival's statements have the same shape on every call. A statement here is a function
that builds the query with `slot("name")` wherever a value changes from run to run; it is
compiled on first use for the connected database's dialect and kept. Each run fills the
slots from a mapping, already in the form the column stores (`to_db`), and reads rows by
column name.
"""

import threading

from peewee import SqliteDatabase, Value

from dutyline.db import UTCDateTimeField, database

_to_db_time = UTCDateTimeField().db_value


class _Slot:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


def slot(name):
    """A value filled in at each run; passed through to the driver without conversion."""
    return Value(_Slot(name), converter=False)


def to_db(field, value):
    """`value` as the column of `field` stores it (what peewee would pass for it).

    On SQLite a time goes as the text the sqlite3 module would have made of it, made once
    here: a moment bound in several places of a statement is otherwise formatted again at
    each one, which costs more than the statement's own work on the row.
    """
    if not isinstance(field, UTCDateTimeField):
        return field.db_value(value)
    value = _to_db_time(value)
    if value is not None and isinstance(database.obj, SqliteDatabase):
        return value.isoformat(" ")
    return value


class Statement:
    """A query-building function, compiled once per database class on first run."""

    def __init__(self, build):
        self.build = build
        self._compiled = {}
        self._columns = {}
        self._lock = threading.Lock()

    def _for(self, db):
        key = type(db)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                sql, params = db.get_sql_context().sql(self.build()).query()
                compiled = self._compiled[key] = (sql, tuple(params))
        return compiled

    def run(self, **values):
        """Execute with the slots filled from `values`; returns the cursor."""
        db = database.obj  # the database itself: each call through the proxy is a detour
        sql, params = self._for(db)
        filled = [values[p.name] if type(p) is _Slot else p for p in params]
        return db.execute_sql(sql, filled)

    def _names(self, cursor):
        # the same columns on every run: psycopg builds its description anew each time it
        # is read, which costs more than the row itself
        key = type(database.obj)
        names = self._columns.get(key)
        if names is None:
            names = self._columns[key] = tuple(column[0] for column in cursor.description)
        return names

    def rows(self, **values):
        """Every row, each a dict keyed by the column names the query gives."""
        cursor = self.run(**values)
        names = self._names(cursor)
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def row(self, **values):
        """The first row as a dict, or None."""
        cursor = self.run(**values)
        row = cursor.fetchone()
        return None if row is None else dict(zip(self._names(cursor), row))


def statement(build):
    """Decorator: the function building a query becomes a Statement."""
    return Statement(build)
