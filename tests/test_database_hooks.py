"""dutyline/db.py extends peewee through its documented API only, so that an upgrade of
peewee cannot change how the line meets a database fault without a test saying so; and a
session the server ended is replaced in place, never past a request's deadline."""

import ast
import inspect
from pathlib import Path

import peewee
import pytest
from playhouse import pool

from dutyline import db as dutyline_db
from dutyline import deadline as deadlines
from dutyline.db import database, open_database

SOURCE = Path(dutyline_db.__file__)
# peewee's own hook for a driver of one's own ("Adding a Custom Database Driver")
DOCUMENTED_PRIVATE_HOOKS = {"_connect"}


def _peewee_classes():
    return [cls for cls in vars(dutyline_db).values()
            if inspect.isclass(cls) and cls.__module__ == dutyline_db.__name__
            and issubclass(cls, peewee.Database)]


def _private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_no_private_peewee_method_is_overridden():
    library = {name for cls in (peewee.Database, peewee.PostgresqlDatabase,
                                peewee.SqliteDatabase, pool.PooledDatabase,
                                pool.PooledPostgresqlDatabase, pool.PooledSqliteDatabase)
               for name in dir(cls) if _private(name)}
    overridden = sorted(f"{cls.__name__}.{name}" for owner in _peewee_classes()
                        for cls in owner.__mro__ if cls.__module__ == dutyline_db.__name__
                        for name in vars(cls)
                        if name in library and name not in DOCUMENTED_PRIVATE_HOOKS)
    assert overridden == []


def test_no_private_peewee_name_is_used():
    """No `self._state`, `__exception_wrapper__` or the like: only names dutyline/db.py
    defines itself may start with an underscore."""
    tree = ast.parse(SOURCE.read_text())
    own = {node.name for node in ast.walk(tree)
           if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    own |= {target.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name)}
    own |= {element.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name) and target.id == "__slots__"
            for element in node.value.elts}
    used = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    used |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
             for alias in node.names}
    assert sorted(name for name in used if _private(name) and name not in own
                  and name not in DOCUMENTED_PRIVATE_HOOKS) == []


class Server:
    """The PostgreSQL database under test, the sessions dutyline opened on it, and an
    administrator who ends them."""

    def __init__(self, url, connect):
        self.url, self._connect, self.opened = url, connect, []

    def counted(self, *args, **kwargs):
        self.opened.append(self._connect(*args, **kwargs))
        return self.opened[-1]

    def end_sessions(self):
        with self._connect(self.url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture
def server(postgres_url, monkeypatch):
    import psycopg

    server = Server(postgres_url, psycopg.connect)
    monkeypatch.setattr(psycopg, "connect", server.counted)
    db = open_database(postgres_url)
    yield server
    db.close_all()


def test_a_session_the_server_ended_is_replaced_inside_the_same_connection(server):
    with database.connection_context():
        connection = database.connection()
        assert database.execute_sql("SELECT 1").fetchone() == (1,)
        server.end_sessions()
        assert database.execute_sql("SELECT 2").fetchone() == (2,)
        assert database.connection() is connection  # the context's own, with a new session
    assert database.is_closed()
    assert len(server.opened) == 2


def test_no_new_session_once_the_deadline_has_cut_the_connection(server):
    database.connect()
    with deadlines.deadlines.bounded(0.5):
        with pytest.raises(peewee.OperationalError):
            database.execute_sql("SELECT pg_sleep(5)")  # the watchdog cuts it after 0.5 s
        assert len(server.opened) == 1  # no new session, no second wait
    database.obj.manual_close()  # as the request's lifecycle does with a cut connection


def test_a_transaction_is_never_moved_to_a_new_session(server):
    with database.connection_context():
        database.execute_sql("SELECT 1")
        with pytest.raises(peewee.OperationalError):
            with database.atomic():
                database.execute_sql("SELECT 1")
                server.end_sessions()
                database.execute_sql("SELECT 2")  # its work so far is gone: it fails
        assert database.execute_sql("SELECT 3").fetchone() == (3,)  # the next is fine
    assert len(server.opened) == 2
