"""The one database handle, its base model, and UTC time storage."""

import os
import sqlite3
from datetime import datetime, timezone

from peewee import (DatabaseProxy, DateTimeField, InterfaceError, Model, OperationalError,
                    PostgresqlDatabase, SqliteDatabase)
from playhouse.db_url import parse
from playhouse.pool import PooledDatabase, PooledSqliteDatabase

from dutyline import deadline as deadlines
from dutyline import environment

database = DatabaseProxy()

DEFAULT_URL = environment.default("DATABASE_URL")


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class UTCDateTimeField(DateTimeField):
    """Stores aware datetimes as naive UTC and reads them back aware in UTC."""

    def db_value(self, value):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC field")
        return super().db_value(value.astimezone(timezone.utc).replace(tzinfo=None))

    def python_value(self, value):
        value = super().python_value(value)
        if isinstance(value, datetime):
            if value.tzinfo is None:
                return value.replace(tzinfo=timezone.utc)
            return value.astimezone(timezone.utc)
        return value


class DatabaseUrlError(ValueError):
    """A DATABASE_URL that names no database dutyline can use; the message says why."""


SCHEMES = ("sqlite", "postgres", "postgresql")

# Every database access is bounded, so that a voice webhook answers (with the fallback
# TwiML when it must) within about 5 s of Twilio's 15: a locked SQLite file makes a write
# wait at most SQLITE_BUSY_MS; PostgreSQL gives up connecting after CONNECT_TIMEOUT_S (a
# server that accepts and never answers) and cancels a statement after STATEMENT_TIMEOUT_MS
# or a lock wait after LOCK_TIMEOUT_MS. `dutyline db upgrade` lifts them for its own run.
SQLITE_BUSY_MS = 2000
CONNECT_TIMEOUT_S = 2  # libpq's smallest
STATEMENT_TIMEOUT_MS = 2000
LOCK_TIMEOUT_MS = 1000
TCP_USER_TIMEOUT_MS = 3000  # sent data unacknowledged this long: the connection is dead
POOL = {"max_connections": 64, "stale_timeout": 300}


def _checked(url):
    scheme, sep, _rest = url.partition("://")
    scheme = scheme.removesuffix("+pool")
    if not sep or scheme not in SCHEMES:
        raise DatabaseUrlError(f"unknown scheme {scheme if sep else url!r}: expected "
                               "sqlite:///PATH or postgresql://USER:PASSWORD@HOST/NAME")
    params = parse(url)
    if scheme == "sqlite" and params.get("host"):
        raise DatabaseUrlError(f"{url!r} names a host, not a file: a path needs three slashes, "
                               f"sqlite:///{params['host']} (relative) or sqlite:////abs/path.db")
    if scheme != "sqlite" and not params.get("database"):
        raise DatabaseUrlError("names no database (its password, if any, not repeated "
                               "here): expected postgresql://USER:PASSWORD@HOST/NAME")
    if scheme != "sqlite":
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise DatabaseUrlError("PostgreSQL's driver is not installed: pip install -e "
                                   "'.[postgres]' (or pip install 'dutyline[postgres]')") from None
    return scheme


_NOT_GIVEN = object()


def _prepare_threshold(value):
    """psycopg prepares a statement run this many times on a connection; 'none' never does
    (PgBouncer in transaction mode before 1.21, which cannot keep prepared statements).

    playhouse.db_url reads `?prepare_threshold=none` as None already: only a threshold not
    given at all is psycopg's default."""
    if value is _NOT_GIVEN:
        return 5  # psycopg's own default
    if value is None or str(value).lower() in ("none", ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise DatabaseUrlError(f"prepare_threshold: expected a number or none, got {value!r}") \
            from None


class _Bounded:
    """Every statement's connection is watched by the running request's deadline, if any
    (dutyline.deadline): past it, a waiting statement is cut and a new one refused."""

    def cursor(self, *args, **kwargs):
        cursor = super().cursor(*args, **kwargs)
        try:
            deadlines.check(cursor.connection)
        except deadlines.DeadlinePassed as exc:
            raise OperationalError(str(exc)) from None
        return cursor


class _FileMustExist(SqliteDatabase):
    """SQLite that connects only to a file that is there: a mistyped path in DATABASE_URL
    is a database fault (the caller gets the fallback), never a new empty database.
    `make_sqlite_file()` is how `dutyline db init` and the migrations make one."""

    def _connect(self):
        if self.database != ":memory:" and not os.path.exists(self.database):
            raise OperationalError(f"no database at {self.database}: run dutyline db init")
        return super()._connect()


class _ExistingSqliteDatabase(_Bounded, PooledSqliteDatabase, _FileMustExist):
    """Pooled: the file is looked for when the pool opens a connection, not per checkout."""


class _Renewable:
    """A PostgreSQL connection as the pool lends it out: psycopg's connection, whose server
    session can be replaced in place once the server has ended it.

    To peewee this is the driver's connection (what `_connect` returns, peewee's hook for a
    driver of one's own): a connection context or a request keeps it throughout, and the
    pool keeps it between requests. A new session inside it leaves all of that as it was.
    Everything but `cursor` and `end_session` is psycopg's connection's own.
    """

    __slots__ = ("_open", "_session", "_ended")

    def __init__(self, open_session):
        object.__setattr__(self, "_open", open_session)
        object.__setattr__(self, "_session", open_session())
        object.__setattr__(self, "_ended", False)

    def end_session(self):
        """Close the session the server ended: the next cursor opens a new one (inside
        peewee's statement, so a server still down fails as its connect() would)."""
        try:
            self._session.close()
        except Exception:  # ended already: closed all the same
            pass
        object.__setattr__(self, "_ended", True)

    def cursor(self, *args, **kwargs):
        if self._ended:
            object.__setattr__(self, "_session", self._open())
            object.__setattr__(self, "_ended", False)
        return self._session.cursor(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._session, name)

    def __setattr__(self, name, value):
        setattr(self._session, name, value)


class _RenewablePostgresqlDatabase(PostgresqlDatabase):
    def _connect(self):
        return _Renewable(super()._connect)


class _PostgresDatabase(_Bounded, PooledDatabase, _RenewablePostgresqlDatabase):
    """Pooled psycopg 3 connections, handed out without asking the server first.

    peewee's PostgreSQL pool checks a connection with `SELECT 1` at every checkout: a round
    trip added to each of an arrival's two. Its plain pool (PooledDatabase) takes a pooled
    connection as it is. One the server has ended (a restart, a failover, an idle-session
    timeout, an administrator) fails its first statement with one of `SESSION_ENDED`; a
    new session then takes the ended one's place inside the same connection (`_Renewable`)
    and the statement runs again, never inside a transaction (a transaction's BEGIN is
    retried the same way) and never past the request's deadline (dutyline.deadline: no
    second wait). The other idle connections went the same way, so they are closed too
    rather than met one at a time. A connection that psycopg knows is closed goes back to the
    pool like any other: its next statement fails at once, with no round trip, and renews it
    (one a request's deadline cut is thrown away by the request, webhooks.lifecycle). Only
    peewee's documented API: `_connect` (a driver's hook), `execute_sql`, `begin`, `cursor`,
    `connection` and the pool's `close_idle`.
    """

    SESSION_ENDED = (
        (OperationalError, "terminating connection"),  # ended by the server
        (OperationalError, "server closed the connection"),  # the server went away
        (OperationalError, "consuming input failed"),
        (OperationalError, "the connection is lost"),
        (OperationalError, "the connection is closed"),  # psycopg saw it end earlier
        (InterfaceError, "the connection is closed"),
    )

    def execute_sql(self, sql, params=None):
        try:
            return super().execute_sql(sql, params)
        except (OperationalError, InterfaceError) as exc:
            if not self._renewed(exc):
                raise
        return super().execute_sql(sql, params)

    def begin(self, *args, **kwargs):
        try:
            return super().begin(*args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            if not self._renewed(exc):
                raise
        return super().begin(*args, **kwargs)

    def _renewed(self, exc):
        """True when `exc` says the server ended the session and a new one may take its place:
        outside a transaction (whose work would be lost) and before the deadline."""
        message = str(exc).lower()
        if self.in_transaction() or not any(isinstance(exc, kind) and words in message
                                            for kind, words in self.SESSION_ENDED):
            return False
        late = deadlines.current()
        if late is not None and late.expired:  # cut by the deadline: no second wait
            return False
        self.connection().end_session()
        self.close_idle()
        return True


_ROLLBACK_FAILED = ("cannot rollback", "no transaction is active", "no such savepoint")


def what_ended(exc):
    """The error that ended a transaction, rather than the rollback that failed after it.

    SQLite ends a transaction itself on a full disk, an I/O error or a lack of memory, so
    peewee's ROLLBACK then fails ("cannot rollback - no transaction is active"); Python keeps
    the error being handled as the new one's `__context__`, and that is the one to report.
    """
    while exc.__context__ is not None and any(
            words in str(exc).lower() for words in _ROLLBACK_FAILED):
        exc = exc.__context__
    return exc


def _lower(text):
    return text.lower() if isinstance(text, str) else text


def make_sqlite_file():
    """Make the SQLite file the database names when it is missing (db init, upgrade)."""
    db = database.obj
    if isinstance(db, SqliteDatabase) and db.database != ":memory:" \
            and not os.path.exists(db.database):
        sqlite3.connect(db.database).close()


def open_database(url):
    """Point the shared proxy at the database named by a URL (sqlite or postgresql).

    Nothing is connected here: the first use does, so an app starts whatever state the
    database is in. Connections are pooled: a request "closes" its connection back to the
    pool, so the connection set-up (and SQLite's checkpoint on a last close) is not paid
    per request. PostgreSQL goes through psycopg 3.
    """
    scheme = _checked(url)
    previous = database.obj
    if previous is not None and hasattr(previous, "close_all"):
        previous.close_all()
    params = parse(url)
    name = params.pop("database")
    if scheme == "sqlite":
        # WAL lets readers go on while one writer writes; writers take turns
        db = _ExistingSqliteDatabase(name, pragmas={
            "journal_mode": "wal", "synchronous": "normal", "busy_timeout": SQLITE_BUSY_MS,
            "foreign_keys": 1}, timeout=SQLITE_BUSY_MS / 1000, check_same_thread=False,
            **POOL, **params)
        # SQLite's own LOWER folds only A-Z: "Zoë" would never be found as "zoë". Python's
        # folds as PostgreSQL's lower() does, so names are matched alike on both
        db.register_function(_lower, "lower", 1, deterministic=True)
    else:
        params["prepare_threshold"] = _prepare_threshold(params.pop("prepare_threshold", _NOT_GIVEN))
        params.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
        params.setdefault("tcp_user_timeout", TCP_USER_TIMEOUT_MS)
        params.setdefault("options", f"-c statement_timeout={STATEMENT_TIMEOUT_MS} "
                                     f"-c lock_timeout={LOCK_TIMEOUT_MS}")
        db = _PostgresDatabase(name, prefer_psycopg3=True, **POOL, **params)
    database.initialize(db)
    return db
