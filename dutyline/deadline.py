"""A deadline for a request's database work, enforced by the app rather than by the server.

A server-side `statement_timeout` cannot fire in a PostgreSQL whose processes are stopped
(a stuck disk, a paused virtual machine), and TCP keeps acknowledging what is sent to it,
so a statement can wait for as long as the server is away. A voice webhook must answer
within seconds whatever the database does, so its database work runs under

    with deadlines.bounded(3.0) as deadline:
        ...                         # every statement's connection is watched

When the time is up, one watchdog thread cuts the connections the request used (a
PostgreSQL socket is shut down, an SQLite statement interrupted): the waiting statement fails
at once with the driver's own error, later statements in the same request fail before they
start, and the request answers its fallback. The connection is then thrown away, not given
back to the pool, so the line recovers by itself once the database answers again.
"""

import logging
import os
import socket
import sqlite3
import threading
import time
from contextlib import contextmanager

log = logging.getLogger(__name__)

_current = threading.local()


class DeadlinePassed(Exception):
    """Raised (as the database's OperationalError, see dutyline.db) for a statement started
    after its request's deadline."""


class Deadline:
    """One request's deadline and the connections it has used."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.expires = time.monotonic() + seconds
        self.expired = False
        self._connections = []
        self._lock = threading.Lock()

    def watch(self, connection):
        """Cut `connection` too if the deadline passes; at once if it has passed."""
        with self._lock:
            if not any(known is connection for known in self._connections):
                self._connections.append(connection)
            expired = self.expired
        if expired:
            _cut(connection)

    def expire(self):
        with self._lock:
            self.expired = True
            connections = list(self._connections)
        for connection in connections:
            _cut(connection)


def _cut(connection):
    """Make a statement waiting on `connection` fail now, whatever the server is doing."""
    try:
        if isinstance(connection, sqlite3.Connection):
            connection.interrupt()
            return
        pgconn = getattr(connection, "pgconn", None)  # psycopg 3
        if pgconn is None or connection.closed:
            return
        # shut the socket down under libpq's feet: its wait for the server sees the end of
        # the stream at once, and psycopg marks the connection broken
        duplicate = socket.socket(fileno=os.dup(pgconn.socket))
        try:
            duplicate.shutdown(socket.SHUT_RDWR)
        finally:
            duplicate.close()
    except (OSError, ValueError, sqlite3.Error) as exc:
        log.warning("dutyline.deadline: could not cut a connection error=%s", type(exc).__name__)


class Watchdog:
    """One thread that expires the deadlines of all requests of a process."""

    def __init__(self):
        self._lock = threading.Condition()
        self._waiting = set()
        self._thread = None

    @contextmanager
    def bounded(self, seconds):
        """Run the block's database work under a deadline of `seconds` from now."""
        deadline = Deadline(seconds)
        outer = getattr(_current, "deadline", None)
        _current.deadline = deadline
        with self._lock:
            self._waiting.add(deadline)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="dutyline-deadlines",
                                                daemon=True)
                self._thread.start()
            self._lock.notify()
        try:
            yield deadline
        finally:
            with self._lock:
                self._waiting.discard(deadline)
            _current.deadline = outer

    def _run(self):
        while True:
            with self._lock:
                now = time.monotonic()
                due = [d for d in self._waiting if d.expires <= now]
                self._waiting.difference_update(due)
                if not due:
                    soonest = min((d.expires for d in self._waiting), default=None)
                    self._lock.wait(None if soonest is None else max(soonest - now, 0.001))
                    continue
            for deadline in due:
                log.warning("dutyline.deadline: database work cut after seconds=%s",
                            deadline.seconds)
                deadline.expire()


deadlines = Watchdog()


def current():
    """The deadline of the work running in this thread, or None."""
    return getattr(_current, "deadline", None)


def check(connection):
    """Watch `connection` under this thread's deadline; DeadlinePassed when it has passed."""
    deadline = current()
    if deadline is None:
        return
    if deadline.expired:
        raise DeadlinePassed(f"the request's {deadline.seconds:g} s for the database are over")
    deadline.watch(connection)
