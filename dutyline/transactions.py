"""Transactions whose failure is told by its cause, never by the rollback after it.

SQLite ends a transaction itself when a write meets a full disk ("database or disk is
full"), an I/O error or a lack of memory. The ROLLBACK peewee then sends fails ("cannot
rollback - no transaction is active", or "no such savepoint" for a nested block), and
that failure would be raised in the place of the error that ended the transaction: a full
disk logged as a rollback problem. The same goes for a connection lost mid-transaction.

Here a rollback that fails while an error is on its way out of the block (the block's own,
or its commit's) is noted on that error, which goes on as it was; a rollback with no error
pending, or one asked to begin a new transaction, raises as before.
"""

import sys

from peewee import DatabaseError, DatabaseProxy, InterfaceError, _savepoint, _transaction


class _KeepsTheCause:
    def rollback(self, begin=True):
        # peewee rolls back with begin=False only from a block's exit, inside the handling
        # of the error that ends it: that error is the one being handled here
        pending = sys.exc_info()[1]
        try:
            super().rollback(begin)
        except (DatabaseError, InterfaceError) as failure:
            if begin or pending is None:
                raise
            pending.add_note(f"then the rollback failed: {type(failure).__name__}: {failure}")


class Transaction(_KeepsTheCause, _transaction):
    """An outermost atomic block (BEGIN … COMMIT)."""


class Savepoint(_KeepsTheCause, _savepoint):
    """A nested atomic block (SAVEPOINT … RELEASE)."""


class KeepsTheCause:
    """For a peewee Database class, or the proxy: its atomic blocks raise the error that
    ended them."""

    __slots__ = ()

    def transaction(self, *args, **kwargs):
        return Transaction(self, *args, **kwargs)

    def savepoint(self):
        return Savepoint(self)


class KeepsTheCauseProxy(KeepsTheCause, DatabaseProxy):
    """The shared handle (dutyline.db.database): `database.atomic()` makes its transaction
    and savepoints itself, not through the database it stands for."""

    __slots__ = ("obj", "_callbacks", "_Model")  # the proxy sets only its own
