"""Whether the database named by DATABASE_URL can be used, said in one line when it cannot.

Commands open the database through `check_for_command`: a missing SQLite file is never made
by accident (only `dutyline db init` makes one), a schema older or newer than this version
is refused, and every connection fault reads as one line that says what to do.
"""

import os
from urllib.parse import unquote, urlsplit

from peewee import DatabaseError, ImproperlyConfigured, InterfaceError

from dutyline.db import database, make_sqlite_file, what_ended
from dutyline.migrations import SchemaError, check_current

FAULTS = (DatabaseError, InterfaceError, ImproperlyConfigured, OSError)
START_CHECK_S = 30  # the web process's check at start gives up after this long


class DatabaseUnavailable(Exception):
    """The database cannot be used; the message is one line that says what to do."""


def sqlite_path(url):
    """The file a sqlite:/// URL names (None for another scheme or an in-memory database)."""
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme.startswith("sqlite"):
        return None
    path = unquote(urlsplit(url).path[1:])
    return None if path in ("", ":memory:") else path


def redacted(url):
    """The URL without its password, fit for a message."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def describe(exc, url):
    """One line for a fault met while connecting to the database at `url`."""
    exc = what_ended(exc)
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    text = str(exc).lower()
    parts = urlsplit(url)
    path = sqlite_path(url)
    if path is not None:
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            return f"the folder {folder} (DATABASE_URL) does not exist"
        if "locked" in text:
            return f"the SQLite file {path} is locked by another process; try again"
        return f"cannot open the SQLite file {path}: {first}"
    where = f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
    name = parts.path.lstrip("/") or parts.username or "postgres"
    if "driver" in text and "not found" in text:
        return ("DATABASE_URL names PostgreSQL but its driver is not installed: "
                "pip install 'dutyline[postgres]'")
    if "database" in text and "does not exist" in text:
        return (f'the PostgreSQL database "{name}" does not exist: create it '
                f"(createdb {name}), then run dutyline db init")
    if "password authentication failed" in text or (
            "role" in text and "does not exist" in text):
        return (f'PostgreSQL at {where} refused the login of "{parts.username}": wrong user or '
                "password in DATABASE_URL")
    if "the database system is" in text:  # shutting down, starting up, in recovery
        state = first.split("FATAL:")[-1].strip()
        return f"PostgreSQL at {where} is not accepting connections: {state}"
    if "connection refused" in text:
        return f"cannot connect to PostgreSQL at {where}: connection refused (is it running?)"
    if "timeout" in text or "timed out" in text:
        return f"PostgreSQL at {where} did not answer in time (connect_timeout)"
    if "translate host name" in text or "name or service not known" in text:
        return f"cannot find the host {parts.hostname} of DATABASE_URL"
    return f"cannot use the database {redacted(url)}: {first}"


def check_for_command(url, create=False, upgrading=False):
    """Open the database for a command; raise DatabaseUnavailable (one line) when it cannot be
    used. `create` (dutyline db init) may make a new SQLite file; it and `upgrading` (dutyline
    db upgrade) take the database at any schema."""
    path = sqlite_path(url)
    if path is not None:
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise DatabaseUnavailable(f"the folder {folder} (DATABASE_URL) does not exist")
        if not create and not os.path.exists(path):
            raise DatabaseUnavailable(f"no database at {path}: run dutyline db init "
                                      "(or set DATABASE_URL)")
        if create:
            make_sqlite_file()
    try:
        with database.connection_context():
            database.execute_sql("SELECT 1")
    except FAULTS as exc:
        raise DatabaseUnavailable(describe(exc, url)) from exc
    if not (create or upgrading):
        try:
            check_current()
        except SchemaError as exc:
            raise DatabaseUnavailable(str(exc)) from exc
        except FAULTS as exc:
            raise DatabaseUnavailable(describe(exc, url)) from exc


def problem_at_start(url):
    """For a web process starting up: the one line that says why its database cannot serve it
    as it is (unreachable, missing, at another schema), or None when it can. Bounded by the
    database's timeouts, makes no SQLite file, and leaves no connection open."""
    try:
        check_for_command(url)
    except DatabaseUnavailable as exc:
        return str(exc)
    finally:
        if hasattr(database.obj, "close_all"):
            database.obj.close_all()
    return None


def main():
    """`python -m dutyline.db_check`: log problem_at_start for DATABASE_URL (after .env) as one
    line on standard error. gunicorn's master runs it beside itself as the workers boot, so a
    database that hangs delays nothing; it gives up after START_CHECK_S."""
    import logging
    import signal

    from dutyline import environment
    from dutyline.db import DatabaseUrlError, open_database

    signal.alarm(START_CHECK_S)
    logging.basicConfig(format="%(asctime)s %(levelname)s %(process)d %(message)s")
    url = environment.get("DATABASE_URL")
    try:
        open_database(url)
    except DatabaseUrlError:
        return  # each worker says so as it fails to start
    problem = problem_at_start(url)
    if problem:
        logging.getLogger(__name__).error("dutyline.db_check: %s; until then callers get the "
                                          "fallback where the database fails them", problem)

if __name__ == "__main__":
    main()
