"""Schema upgrades through peewee's migration runner (`playhouse.migrations`).

Each step is a file in this folder, `NNNN_what.py`, with an `up(migrator, db)` and a frozen
copy of the models it needs: a step never changes once released. The runner records the
applied files in `schema_migration`; the schema's version is the number of the last one.
Add a step with the next number; never edit an old one.

Releases before the runner counted versions in `schema_version` (1 to 8, one a step, the
same steps as the files 0001 to 0008). Such a database is adopted on its next upgrade: its
steps are recorded as applied, none is run again.

Upgrades are serialised between processes: an advisory lock on PostgreSQL, an immediate
transaction on SQLite. They run only in `dutyline db upgrade`, `dutyline db init` and the
demo: never when the web app or another command starts.
"""

import logging
import os

from peewee import PostgresqlDatabase
from playhouse.migrations import Migration, Runner

from dutyline.db import SQLITE_BUSY_MS, database, make_sqlite_file
from dutyline.kept_figures import make_triggers

log = logging.getLogger(__name__)

DIRECTORY = os.path.dirname(os.path.abspath(__file__))
HISTORY_TABLE = "schema_migration"
LEGACY_TABLE = "schema_version"  # the version counter of the releases before the runner
ADVISORY_LOCK = 7_734_210_001  # any constant shared by every dutyline process
UPGRADE_BUSY_MS = 120_000  # how long an upgrade waits for a locked SQLite file


class SchemaError(Exception):
    """The database's schema is not the one this version needs; the message says what to run."""


def steps():
    """The migration files, in order."""
    return Migration.load_directory(DIRECTORY)


LATEST = steps()[-1].idx


def _runner():
    return Runner(database.obj, DIRECTORY, table_name=HISTORY_TABLE)


def _legacy_version():
    """The version a database from before the runner is at (0 for an empty database)."""
    if database.table_exists(LEGACY_TABLE):
        top = database.execute_sql(f'SELECT max("version") FROM "{LEGACY_TABLE}"').fetchone()[0]
        if top is not None:
            return top
    # made before versions were recorded: the first release's tables are there
    return 1 if database.table_exists("engineer") else 0


def _version(runner):
    if runner.History.table_exists():
        applied = [step.idx for step in runner.status() if step.applied]
        if applied:
            return max(applied)
    return _legacy_version()


def _adopt(runner):
    """Record the steps a database from before the runner has had, without running them."""
    if runner.History.table_exists():
        return []
    legacy = _legacy_version()
    done = [step.name for step in steps() if step.idx <= legacy]
    if not done:
        return []
    faked = runner.fake(done[-1])
    log.info("dutyline.migrations: schema_version %s adopted, steps recorded: %s", legacy,
             ", ".join(faked))
    return faked


def upgrade():
    """Apply every step the database lacks; returns the numbers of the steps applied."""
    make_sqlite_file()  # a new SQLite database starts here (db init, the demo)
    with database.connection_context():
        postgres = isinstance(database.obj, PostgresqlDatabase)
        # an upgrade may wait for another one and rewrite big tables: none of the timeouts
        # that keep webhooks quick (dutyline.db) apply to it
        if postgres:
            database.execute_sql("SET statement_timeout = 0")
            database.execute_sql("SET lock_timeout = 0")
            database.execute_sql("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK,))
        else:
            database.execute_sql(f"PRAGMA busy_timeout = {UPGRADE_BUSY_MS}")
            # SQLite rebuilds a table to add a NOT NULL column; its documented procedure
            # turns foreign keys off (outside the transaction) while it does so
            database.execute_sql("PRAGMA foreign_keys = OFF")
        try:
            with database.atomic(*([] if postgres else ["IMMEDIATE"])):
                runner = _runner()
                _adopt(runner)
                applied = runner.up()
                # the reports' kept figures: their triggers made anew (SQLite drops a
                # table's triggers when a step rebuilds it), the units forgotten after a step
                make_triggers(database.obj, forget=bool(applied))
        finally:
            if postgres:
                database.execute_sql("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK,))
                database.execute_sql("RESET statement_timeout")
                database.execute_sql("RESET lock_timeout")
            else:
                database.execute_sql("PRAGMA foreign_keys = ON")
                database.execute_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
    for name in applied:
        log.info("dutyline.migrations.upgrade: applied %s", name)
    return [int(name.split("_", 1)[0]) for name in applied]


def schema_version():
    """The version the database is at (0 for an empty one); reads, never changes anything."""
    with database.connection_context():
        return _version(_runner())


def check_current():
    """Raise SchemaError unless the database is at the schema this version needs."""
    version = schema_version()
    if version == 0:
        raise SchemaError("the database is empty: run dutyline db init")
    if version < LATEST:
        raise SchemaError(f"the database is at schema {version}, this version needs {LATEST}: "
                          "run dutyline db upgrade")
    if version > LATEST:
        raise SchemaError(f"the database is at schema {version}, newer than this version "
                          f"({LATEST}): run a newer dutyline")
    return version
