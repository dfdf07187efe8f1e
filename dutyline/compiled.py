"""Queries built from the models once, compiled once per kind of database, run many times.

Building and compiling a peewee query costs more than running a small one, and the
arrival's statements have the same shape on every call: compiling them at every arrival
would make it several times dearer (docs/performance.md). A statement here is a function
that builds the query with `slot("name")` wherever a value changes from run to run; it is
compiled on first use for the connected database's dialect and kept. Each run fills the
slots from a mapping, with values in the form their column stores (`Field.db_value`), and
reads rows by column name.
"""

import threading

from peewee import Value

from dutyline.db import database


class _Slot:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


def slot(name):
    """A value filled in at each run; passed through to the driver without conversion."""
    return Value(_Slot(name), converter=False)


class Statement:
    """A query-building function, compiled once per database class on first run."""

    def __init__(self, build):
        self.build = build
        self._compiled = {}
        self._lock = threading.Lock()

    def _sql(self):
        kind = type(database.obj)  # the dialect the statement is compiled for
        compiled = self._compiled.get(kind)
        if compiled is None:
            with self._lock:
                sql, params = database.get_sql_context().sql(self.build()).query()
                compiled = self._compiled[kind] = (sql, tuple(params))
        return compiled

    def run(self, **values):
        """Execute with the slots filled from `values`; returns the cursor."""
        sql, params = self._sql()
        filled = [values[p.name] if type(p) is _Slot else p for p in params]
        return database.execute_sql(sql, filled)

    def rows(self, **values):
        """Every row, each a dict keyed by the column names the query gives."""
        cursor = self.run(**values)
        names = _names(cursor)
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def row(self, **values):
        """The first row as a dict, or None."""
        cursor = self.run(**values)
        row = cursor.fetchone()
        return None if row is None else dict(zip(_names(cursor), row))

    def value(self, **values):
        """The first column of the first row (an INSERT's RETURNING id, say)."""
        return self.run(**values).fetchone()[0]


def _names(cursor):
    return [column[0] for column in cursor.description]


def statement(build):
    """Decorator: the function building a query becomes a Statement."""
    return Statement(build)
