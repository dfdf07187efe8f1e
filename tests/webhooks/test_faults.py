"""A database that is unreachable: callers still get a path, /healthz says so, one log line."""

import logging
import socket
import tempfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from lxml import etree
from twilio.request_validator import RequestValidator

from dutyline.db import database
from dutyline.migrations import upgrade
from dutyline.settings import parse_settings
from telephony.models import Call
from tests.conftest import AUTH_TOKEN, PUBLIC_URL, FixedClock, assert_valid_twiml
from webhooks import create_app

TUESDAY_10 = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def unused_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_app(url, spool=None):
    return create_app({"DATABASE_URL": url, "SPOOL_FOLDER": spool or tempfile.mkdtemp(),
                       "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                       "PUBLIC_URL": PUBLIC_URL, "FALLBACK_NUMBER": "+442079460999",
                       "SETTINGS": parse_settings({}),
                       "CLOCK": FixedClock(TUESDAY_10)})


def post_call(app, n):
    form = {"CallSid": f"CA{n:032d}", "From": "+447400123456", "To": "+442071838750"}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + "/voice/incoming",
                                                               form)
    return app.test_client().post("/voice/incoming", data=form,
                                  headers={"X-Twilio-Signature": signature})


@pytest.fixture(params=["sqlite-missing-folder", "postgres-stopped", "postgres-unknown-role",
                        "postgres-wrong-password"])
def broken_url(request, tmp_path):
    if request.param == "sqlite-missing-folder":
        return f"sqlite:///{tmp_path / 'not-yet' / 'x.db'}"
    if request.param == "postgres-stopped":
        return f"postgresql://postgres@127.0.0.1:{unused_port()}/dutyline?connect_timeout=2"
    server = request.getfixturevalue("postgres_server")
    user = "nobody" if request.param == "postgres-unknown-role" else "postgres"
    return f"postgresql://{user}:wrong@127.0.0.1:{server.port}/postgres"


def test_unreachable_database_gives_fallback_twiml_and_503_health(broken_url, twiml_schema,
                                                                  caplog):
    app = make_app(broken_url)
    caplog.set_level(logging.INFO)
    for n in range(5):
        response = post_call(app, n)
        assert response.status_code == 200
        assert_valid_twiml(twiml_schema, response.get_data())
        assert etree.fromstring(response.get_data()).find("Dial/Number").text == "+442079460999"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    assert "database unavailable" in errors[0].getMessage()
    assert app.test_client().get("/healthz").status_code == 503


def test_incident_ends_when_the_database_is_back(tmp_path, caplog):
    app = make_app(f"sqlite:///{tmp_path / 'later' / 'x.db'}")
    caplog.set_level(logging.INFO)
    post_call(app, 1)
    post_call(app, 2)
    (tmp_path / "later").mkdir()
    upgrade()
    assert post_call(app, 3).status_code == 200
    with database.connection_context():
        assert [c.sid for c in Call.select()] == [f"CA{3:032d}"]  # logged: the normal path
    messages = [r.getMessage() for r in caplog.records if r.name == "webhooks.incidents"]
    assert len(messages) == 2
    assert "database unavailable" in messages[0]
    assert "database back after failed_requests=2" in messages[1]
    assert app.test_client().get("/healthz").status_code == 200
    if not database.is_closed():
        database.close()


def test_health_is_200_with_the_database(app):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_data() == b"ok\n"


def test_one_structured_line_per_webhook_without_phone_numbers(twilio, make_engineer, caplog):
    make_engineer("Ben Smith")
    caplog.set_level(logging.INFO, logger="webhooks.voice")
    form = {"CallSid": "CA" + "3" * 32, "From": "+447400123456", "To": "+442071838750"}
    twilio.post("/voice/incoming", form)
    lines = [r.getMessage() for r in caplog.records if r.name == "webhooks.voice"]
    assert len(lines) == 1
    assert lines[0].startswith("webhooks.voice: endpoint=/voice/incoming call=CA3333")
    assert "outcome=ok decision=Say+Dial+Number ms=" in lines[0]
    assert "7400123456" not in lines[0] and "2071838750" not in lines[0]


def test_locked_sqlite_file_answers_with_the_fallback_in_time(tmp_path, twiml_schema, caplog):
    import sqlite3
    import time

    path = tmp_path / "locked.db"
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        upgrade()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    caplog.set_level(logging.INFO)
    try:
        started = time.monotonic()
        response = post_call(app, 7)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 200
    assert_valid_twiml(twiml_schema, response.get_data())
    assert etree.fromstring(response.get_data()).find("Dial/Number").text == "+442079460999"
    assert waited < 10  # well inside Twilio's 15 s
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR][0].startswith(
        "webhooks.incidents: database unavailable")


def test_logs_show_no_full_phone_numbers(twilio, make_engineer, caplog):
    from datetime import timedelta

    from outbox import queue
    from outbox.models import SMS
    from outbox.senders import RecordingSender

    make_engineer("Ben Smith", mobile="+447911123456")
    caplog.set_level(logging.INFO)  # the level a service runs at; DEBUG shows SQL parameters
    call = {"CallSid": "CA" + "6" * 32, "From": "+447400654321", "To": "+442071838750"}
    twilio.post("/voice/incoming", call)
    twilio.post("/voice/recorded", {**call, "RecordingUrl": "https://r/1", "RecordingDuration": "9"})
    with database.connection_context():
        queue.deliver_due({SMS: RecordingSender()}, TUESDAY_10 + timedelta(minutes=5))
    twilio.post("/sms/incoming", {"From": "+447400654321", "Body": "WHO", "MessageSid": "SM1"})
    text = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert "outbox.queue.enqueue" in text and "outcome=sent" in text
    for number in ("7400654321", "7911123456"):
        assert number not in text


@pytest.fixture
def own_postgres():
    """A server of this test's own, to stop and start again."""
    from tests.postgres import TemporaryPostgres

    server = TemporaryPostgres().start()
    yield server
    server.stop()


def app_with_ben_signed_in(url):
    from rota import engineers as engineer_service
    from tests.conftest import ADDED_AT

    app = make_app(url)
    upgrade()
    with database.connection_context():
        engineer_service.add_engineer("Ben Smith", "+447911123401", region="GB", now=ADDED_AT)
        engineer_service.set_signed_in("Ben Smith", True, now=ADDED_AT)
    return app


def test_calls_ring_engineers_again_once_a_restarted_postgres_is_back(own_postgres, caplog):
    app = app_with_ben_signed_in(own_postgres.new_database())

    def first_number(n):
        response = post_call(app, n)
        assert response.status_code == 200
        return etree.fromstring(response.get_data()).find("Dial/Number").text

    assert first_number(1) == "+447911123401"  # pooled connections, prepared statements
    own_postgres.halt()
    assert first_number(2) == "+442079460999"  # the fallback while it is down
    own_postgres.resume()
    assert first_number(3) == "+447911123401"  # the first call after: the normal path
    assert app.test_client().get("/healthz").status_code == 200
    database.close_all()


def test_a_pooled_connection_the_server_dropped_costs_no_caller(postgres_url):
    import psycopg

    app = app_with_ben_signed_in(postgres_url)
    assert etree.fromstring(post_call(app, 1).get_data()).find("Dial/Number").text == \
        "+447911123401"
    # the server ends the pooled session (an idle timeout, a failover) ...
    with psycopg.connect(postgres_url) as admin, admin.cursor() as cursor:
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        assert cursor.fetchone()[0] >= 1
    admin.close()
    # ... and the next call: the pool finds the connection dead and opens another
    assert etree.fromstring(post_call(app, 2).get_data()).find("Dial/Number").text == \
        "+447911123401"
    database.close_all()


def test_pooled_connections_an_idle_timeout_ended_cost_no_caller(postgres_url):
    import threading
    import time

    import psycopg
    from psycopg import sql

    # the server ends any session idle for half a second (PostgreSQL's idle_session_timeout)
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        name = admin.execute("SELECT current_database()").fetchone()[0]
        admin.execute(sql.SQL("ALTER DATABASE {} SET idle_session_timeout = '500ms'")
                      .format(sql.Identifier(name)))
    app = app_with_ben_signed_in(postgres_url)
    ready = threading.Barrier(3)

    def busy_moment():  # three requests at once leave three connections in the pool
        database.connect()
        database.execute_sql("SELECT 1")
        ready.wait()
        database.close()

    threads = [threading.Thread(target=busy_moment) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    time.sleep(1)  # ... and the server ends all three while the line is quiet
    for n in range(1, 4):
        response = post_call(app, n)
        assert etree.fromstring(response.get_data()).find("Dial/Number").text == \
            "+447911123401", n
    database.close_all()


def test_a_command_keeps_its_connection_context_when_the_server_ended_its_connection(
        postgres_url):
    import psycopg

    app_with_ben_signed_in(postgres_url)
    with database.connection_context():
        assert database.execute_sql("SELECT count(*) FROM engineer").fetchone()[0] == 1
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        # a long-running command (the clock, the outbox worker) meets it mid-context
        assert database.execute_sql("SELECT count(*) FROM engineer").fetchone()[0] == 1
    assert database.is_closed()
    database.close_all()


def test_every_voice_webhook_answers_twiml_while_the_database_is_unreachable(broken_url,
                                                                             twiml_schema):
    app = make_app(broken_url)
    paths = sorted(rule.rule for rule in app.url_map.iter_rules()
                   if rule.rule.startswith("/voice/") and "POST" in rule.methods)
    assert len(paths) > 10, paths
    form = {"CallSid": "CA" + "7" * 32, "From": "+447400123456", "To": "+442071838750",
            "CallStatus": "completed", "DialCallStatus": "no-answer", "Digits": "1",
            "RecordingUrl": "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
            "RecordingDuration": "12"}
    for path in paths:
        url = f"{path}?leg=1&t=0"
        signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + url, form)
        response = app.test_client().post(url, data=form,
                                          headers={"X-Twilio-Signature": signature})
        assert response.status_code == 200, path
        if response.get_data().strip():
            assert_valid_twiml(twiml_schema, response.get_data())
    assert app.test_client().get("/healthz").status_code == 503
    database.close_all()


def test_a_mistyped_sqlite_path_gets_the_fallback_and_makes_no_database(tmp_path, twiml_schema):
    app = make_app(f"sqlite:///{tmp_path / 'dutylin.db'}")  # the real one is dutyline.db
    for n in range(2):
        response = post_call(app, n)
        assert response.status_code == 200
        assert_valid_twiml(twiml_schema, response.get_data())
        assert etree.fromstring(response.get_data()).find("Dial/Number").text == "+442079460999"
    assert app.test_client().get("/healthz").status_code == 503
    assert list(tmp_path.iterdir()) == []  # no empty database left to be mistaken for one


def test_a_feed_asked_while_the_database_is_down_keeps_its_token_out_of_the_log(tmp_path,
                                                                               caplog):
    app = make_app(f"sqlite:///{tmp_path / 'not-yet' / 'x.db'}")
    caplog.set_level(logging.INFO)
    token = "s3cretFeedToken0123456789abcdefghij"
    response = app.test_client().get(f"/calendars/{token}/rota.ics")
    assert response.status_code >= 500 or response.status_code == 404
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "database unavailable" in logged
    assert token not in logged
