"""Versioned schema upgrades: `dutyline db upgrade` applies each one once, in order.

Every step is idempotent (it creates only missing tables and adds only missing columns),
so a database made by any earlier release, or a fresh one, ends in the same shape. The
applied versions are recorded in `schema_version`. Upgrades are serialised: an advisory
lock on PostgreSQL, an immediate transaction on SQLite.
"""

import logging
from datetime import datetime, timezone

from peewee import IntegerField, PostgresqlDatabase
from playhouse.migrate import SchemaMigrator, migrate

from dutyline.db import BaseModel, UTCDateTimeField, database

log = logging.getLogger(__name__)

ADVISORY_LOCK = 7_734_210_001  # any constant shared by every dutyline process


class SchemaVersion(BaseModel):
    version = IntegerField(primary_key=True)
    applied_at = UTCDateTimeField()


def _models(*names):
    from dutyline.db import all_models

    by_name = {model.__name__: model for model in all_models()}
    return [by_name[name] for name in names]


def _ensure(*names):
    """Create the named models' missing tables, then add their missing columns."""
    models = _models(*names)
    absent = [model for model in models if not database.table_exists(model._meta.table_name)]
    database.create_tables(absent)
    migrator = SchemaMigrator.from_database(database.obj)
    for model in models:
        if model in absent:
            continue
        table = model._meta.table_name
        present = {column.name for column in database.get_columns(table)}
        missing = [field for field in model._meta.sorted_fields if field.column_name not in present]
        if missing:
            migrate(*[migrator.add_column(table, field.column_name, field) for field in missing])


def _indexes(*names):
    """Create the named models' missing indexes."""
    for model in _models(*names):
        model._schema.create_indexes(safe=True)


# indexes the first releases made (one per foreign key) that no query reads; each cost
# every arrival a write
UNREAD_INDEXES = ("call_answered_by_id", "call_duty_engineer_id", "leg_call_id",
                  "leg_engineer_id", "leg_ended_at")


def _drop_indexes(*names):
    for name in names:
        database.execute_sql(f'DROP INDEX IF EXISTS "{name}"')


def _widen_recording_url():
    """Recording links outgrew 255 characters: a text column (PostgreSQL enforces the limit)."""
    if isinstance(database.obj, PostgresqlDatabase):
        database.execute_sql('ALTER TABLE "ticket" ALTER COLUMN "recording_url" TYPE TEXT')


def _call_statistics():
    """The moments the call statistics read, tickets indexed by creation, and a record of
    which calls were logged before (they report what can be known)."""
    _ensure("Call", "Leg", "StatisticsStart")
    _indexes("Ticket")
    statistics_start, call = _models("StatisticsStart", "Call")
    last = call.select(call.started_at).order_by(call.started_at.desc()).first()
    if last is not None:
        statistics_start.insert(id=1, partial_until=last.started_at).on_conflict_ignore(
        ).execute()


MIGRATIONS = [
    (1, "first schema: engineers, duty periods, hunt position, calls, legs, tickets",
     lambda: _ensure("Engineer", "DutyPeriod", "HuntPosition", "Call", "Leg", "Ticket")),
    (2, "customers and contracts; the call's customer and gate; ticket transcript, deadline, "
        "acknowledgement and closing",
     lambda: (_ensure("Customer", "CustomerNumber", "Call", "Ticket"), _widen_recording_url())),
    (3, "rota changes: overrides, absences, duty_period.updated_at",
     lambda: _ensure("DutyPeriod", "Override", "Absence")),
    (4, "calendar feeds: tokens and published events",
     lambda: _ensure("FeedToken", "PublishedEvent", "PublishedFeed")),
    (5, "the outbox of outgoing messages", lambda: _ensure("OutboxMessage")),
    (6, "outbox threads (e-mail follow-ups)", lambda: _ensure("OutboxMessage")),
    (7, "engineer.updated_at, so calendar feeds see renames and new numbers",
     lambda: _ensure("Engineer")),
    (8, "indexes for arrivals: leg_on_a_call (the legs engineers are on now) in, the "
        "indexes no query reads out",
     lambda: (_indexes("Leg"), _drop_indexes(*UNREAD_INDEXES))),
    (9, "call statistics: when each call and leg rang, was put through, went to voicemail "
        "or the fallback; tickets by creation; which calls were logged before",
     _call_statistics),
    (10, "engineer.weekly_notice (the weekly duty list, opt-out) and engineer.cover_until "
         "(out-of-hours cover)",
     lambda: _ensure("Engineer")),
]
LATEST = MIGRATIONS[-1][0]


def _current_version():
    if not database.table_exists(SchemaVersion._meta.table_name):
        database.create_tables([SchemaVersion])
    recorded = SchemaVersion.select(SchemaVersion.version).order_by(SchemaVersion.version.desc())
    top = recorded.scalar()
    if top is not None:
        return top
    # a database made before versions were recorded: the first release's tables are there
    return 1 if database.table_exists("engineer") else 0


def upgrade(now=None):
    """Apply every migration newer than the database; returns the versions applied."""
    now = now or datetime.now(timezone.utc)
    applied = []
    with database.connection_context():
        postgres = isinstance(database.obj, PostgresqlDatabase)
        if postgres:
            database.execute_sql("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK,))
        else:
            # SQLite rebuilds a table to add a NOT NULL column; its documented procedure
            # turns foreign keys off (outside the transaction) while it does so
            database.execute_sql("PRAGMA foreign_keys = OFF")
        try:
            with database.atomic(*([] if postgres else ["IMMEDIATE"])):
                current = _current_version()
                if current == 0:  # a new database: today's tables, every version recorded
                    from dutyline.db import all_models

                    database.create_tables(all_models())
                    for version, _description, _step in MIGRATIONS:
                        SchemaVersion.insert(version=version, applied_at=now).execute()
                    log.info("dutyline.migrations.upgrade: new database at version=%s", LATEST)
                    return [version for version, _, _ in MIGRATIONS]
                for version, description, step in MIGRATIONS:
                    if version <= current:
                        continue
                    step()
                    SchemaVersion.insert(version=version, applied_at=now).on_conflict_ignore(
                    ).execute()
                    log.info("dutyline.migrations.upgrade: version=%s %s", version, description)
                    applied.append(version)
        finally:
            if postgres:
                database.execute_sql("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK,))
            else:
                database.execute_sql("PRAGMA foreign_keys = ON")
    return applied


def schema_version():
    """The version the database is at (0 for an empty one)."""
    with database.connection_context():
        return _current_version()
