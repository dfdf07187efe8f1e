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
    """Connect the shared proxy to the database named by a URL (sqlite or postgresql)."""
    if url.startswith("sqlite"):
        # WAL and a busy timeout let several threads and processes write in turn.
        db = connect(url, pragmas={"journal_mode": "wal", "busy_timeout": 10000,
                                   "foreign_keys": 1}, check_same_thread=False)
    else:
        db = connect(url)
    database.initialize(db)
    return db


def all_models():
    """Every table of the application, in creation order."""
    from rota.models import DutyPeriod, Engineer
    from telephony.models import Call, HuntPosition, Leg
    from voicemail.models import OutboxMessage, Ticket

    return [Engineer, DutyPeriod, HuntPosition, Call, Leg, Ticket, OutboxMessage]


def create_tables():
    """Create any missing table; safe to run again."""
    with database.connection_context():
        database.create_tables(all_models(), safe=True)
