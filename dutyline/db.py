"""The one database handle, its base model, and UTC time storage."""

from datetime import datetime, timezone

from peewee import DatabaseProxy, DateTimeField, Model
from playhouse.db_url import connect

database = DatabaseProxy()

DEFAULT_URL = "sqlite:///dutyline.db"


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


def _checked(url):
    scheme, sep, rest = url.partition("://")
    scheme = scheme.removesuffix("+pool")
    if not sep or scheme not in SCHEMES:
        raise DatabaseUrlError(f"unknown scheme {scheme if sep else url!r}: expected "
                               "sqlite:///PATH or postgresql://USER:PASSWORD@HOST/NAME")
    if scheme != "sqlite":
        try:
            import psycopg2  # noqa: F401
        except ImportError:
            raise DatabaseUrlError("PostgreSQL's driver is not installed: pip install -e "
                                   "'.[postgres]' (or pip install 'dutyline[postgres]')") from None
    return scheme, rest


def open_database(url):
    """Point the shared proxy at the database named by a URL (sqlite or postgresql).

    Nothing is connected here: the first use does, so an app starts whatever state the
    database is in. Connections are pooled: a request "closes" its connection back to the
    pool, so the connection set-up (and SQLite's checkpoint on a last close) is not paid
    per request.
    """
    scheme, rest = _checked(url)
    previous = database.obj
    if previous is not None and hasattr(previous, "close_all"):
        previous.close_all()
    url = f"{scheme}+pool://{rest}"
    options = {"max_connections": 64, "stale_timeout": 300}
    if url.startswith("sqlite"):
        # WAL and a busy timeout let several threads and processes write in turn; the
        # timeout stays well inside the 15 s Twilio waits, so a locked file still leaves
        # time to answer with the fallback.
        db = connect(url, pragmas={"journal_mode": "wal", "synchronous": "normal",
                                   "busy_timeout": 5000, "foreign_keys": 1},
                     check_same_thread=False, **options)
    else:
        db = connect(url, **options)
    database.initialize(db)
    return db
