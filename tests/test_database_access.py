"""Commands and a bad DATABASE_URL: one line that says what to do, never a traceback, and no
database made by accident."""

import socket

import pytest
from click.testing import CliRunner

from console.main import main


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "access-token")
    for key in ("DATABASE_URL", "DUTYLINE_SETTINGS", "FALLBACK_NUMBER", "PUBLIC_URL",
                "TWILIO_ACCOUNT_SID", "TWILIO_FROM_NUMBER", "SMTP_URL", "TICKET_WEBHOOK_SECRET"):
        monkeypatch.delenv(key, raising=False)

    def run(*args, url=None):
        if url is not None:
            monkeypatch.setenv("DATABASE_URL", url)
        return CliRunner().invoke(main, list(args))

    return run


def one_line(result):
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def unused_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_command_in_an_empty_folder_makes_no_database(env, tmp_path):
    line = one_line(env("rota", "who"))
    assert line == "Error: no database at dutyline.db: run dutyline db init (or set DATABASE_URL)"
    assert list(tmp_path.iterdir()) == []
    assert env("db", "init").exit_code == 0
    result = env("rota", "who")
    assert result.exit_code == 0 and "on duty: nobody" in result.output


def test_a_mistyped_sqlite_path_is_not_made(env, tmp_path):
    assert env("db", "init", url=f"sqlite:///{tmp_path / 'line.db'}").exit_code == 0
    line = one_line(env("engineer", "list", url=f"sqlite:///{tmp_path / 'lien.db'}"))
    assert "no database at" in line and "lien.db: run dutyline db init" in line
    assert not (tmp_path / "lien.db").exists()


def test_db_upgrade_does_not_make_a_sqlite_file_either(env, tmp_path):
    line = one_line(env("db", "upgrade", url=f"sqlite:///{tmp_path / 'new.db'}"))
    assert "run dutyline db init" in line
    assert not (tmp_path / "new.db").exists()


def test_a_sqlite_folder_that_does_not_exist(env, tmp_path):
    for command in (["db", "init"], ["rota", "who"], ["outbox", "work", "--once"],
                    ["clock", "--once"]):
        line = one_line(env(*command, url=f"sqlite:///{tmp_path / 'nowhere' / 'x.db'}"))
        assert line == f"Error: the folder {tmp_path / 'nowhere'} (DATABASE_URL) does not exist"


SERVICES = (["outbox", "work", "--once"], ["clock", "--once"])  # the long-running ones


@pytest.mark.parametrize("command", [["rota", "who"], *SERVICES])
def test_an_unknown_scheme(env, command):
    line = one_line(env(*command, url="mysql://root@localhost/dutyline"))
    assert line.startswith("Error: DATABASE_URL: unknown scheme 'mysql': expected sqlite:///")


# a newcomer's slips in DATABASE_URL       | the one line that says what to write instead
@pytest.mark.parametrize("url, expected", [
    ("sqlite://dutyline.db", "Error: DATABASE_URL: 'sqlite://dutyline.db' names a host, not a "
                             "file: a path needs three slashes, sqlite:///dutyline.db"),
    ("postgresql://localhost", "Error: DATABASE_URL: names no database"),
    ("postgresql://mia:secret@localhost/", "Error: DATABASE_URL: names no database"),
])
def test_a_mistyped_database_url_says_what_to_write(env, url, expected):
    for command in (["db", "init"], ["rota", "who"]):
        line = one_line(env(*command, url=url))
        assert line.startswith(expected), line
        assert "secret" not in line


@pytest.mark.parametrize("command", [["rota", "who"], *SERVICES])
def test_the_postgresql_driver_missing_names_the_extra(env, monkeypatch, command):
    import builtins

    real_import = builtins.__import__

    def without_driver(name, *args, **kwargs):
        if name.startswith(("psycopg", "psycopg2")):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_driver)
    line = one_line(env(*command, url="postgresql://postgres@127.0.0.1/dutyline"))
    assert "driver is not installed" in line and "'.[postgres]'" in line


def test_postgresql_connection_refused(env):
    port = unused_port()
    for command in (["rota", "who"], ["outbox", "work", "--once"], ["clock", "--once"],
                    ["db", "upgrade"]):
        line = one_line(env(*command, url=f"postgresql://postgres@127.0.0.1:{port}/dutyline"))
        assert line == (f"Error: cannot connect to PostgreSQL at 127.0.0.1:{port}: connection "
                        "refused (is it running?)")


@pytest.mark.parametrize("command", [["db", "init"], ["rota", "who"], *SERVICES])
def test_postgresql_database_that_does_not_exist(env, postgres_server, command):
    url = (f"postgresql://postgres:{postgres_server.PASSWORD}@127.0.0.1:{postgres_server.port}"
           "/no_such_db")
    line = one_line(env(*command, url=url))
    assert line == ('Error: the PostgreSQL database "no_such_db" does not exist: create it '
                    "(createdb no_such_db), then run dutyline db init")


@pytest.mark.parametrize("command", [["rota", "who"], *SERVICES])
@pytest.mark.parametrize("user", ["postgres", "nobody"])
def test_postgresql_login_refused(env, postgres_server, user, command):
    url = f"postgresql://{user}:secret-pw@127.0.0.1:{postgres_server.port}/postgres"
    line = one_line(env(*command, url=url))
    assert line == (f'Error: PostgreSQL at 127.0.0.1:{postgres_server.port} refused the login '
                    f'of "{user}": wrong user or password in DATABASE_URL')
    assert "secret-pw" not in line


def test_an_empty_postgresql_database_says_to_init_it(env, postgres_url):
    for command in (["rota", "who"], *SERVICES):
        assert one_line(env(*command, url=postgres_url)) == \
            "Error: the database is empty: run dutyline db init"
    assert env("db", "upgrade").exit_code == 0  # the release step makes the tables
    assert env("rota", "who").exit_code == 0


def test_a_postgresql_shutting_down_is_named_in_one_line():
    from peewee import OperationalError

    from dutyline.db_check import describe

    fault = OperationalError('connection failed: connection to server at "127.0.0.1", port 5432 '
                             "failed: FATAL:  the database system is shutting down")
    assert describe(fault, "postgresql://dutyline:pw@127.0.0.1/dutyline") == \
        "PostgreSQL at 127.0.0.1:5432 is not accepting connections: the database system is " \
        "shutting down"
