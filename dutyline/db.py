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


def open_database(url):
    """Connect the shared proxy to the database named by a URL (sqlite or postgresql).

    Connections are pooled: a request "closes" its connection back to the pool, so the
    connection set-up (and SQLite's checkpoint on a last close) is not paid per request.
    """
    previous = database.obj
    if previous is not None and hasattr(previous, "close_all"):
        previous.close_all()
    scheme, sep, rest = url.partition("://")
    if sep and "+pool" not in scheme:
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


def all_models():
    """Every table of the application, in creation order."""
    from calendars.models import FeedToken, PublishedEvent, PublishedFeed
    from customers.models import Customer, CustomerNumber
    from outbox.models import OutboxMessage
    from rota.models import Absence, DutyPeriod, Engineer, Override
    from telephony.models import Call, HuntPosition, Leg
    from voicemail.models import Ticket
    from reports.models import StatisticsStart

    return [Engineer, DutyPeriod, HuntPosition, Customer, CustomerNumber, Call, Leg, Ticket,
            Override, Absence, FeedToken, PublishedEvent, PublishedFeed, OutboxMessage,
            StatisticsStart]


def create_tables():
    """Bring the schema up to date (the versioned migrations); safe to run again."""
    from dutyline.migrations import upgrade

    return upgrade()
