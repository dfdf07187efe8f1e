"""Shared fixtures: an app on a fresh database, a fixed clock, signed Twilio requests."""

import os
import shutil
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask.cli import ScriptInfo
from lxml import etree

from dutyline.db import database, open_database
from dutyline.migrations import upgrade
from dutyline.settings import parse_settings
from rota import engineers as engineer_service
from webhooks import create_app
from webhooks.runtime import runtime

AUTH_TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC_URL = "https://support.example.com"
ADDED_AT = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)  # when test engineers are added
SCHEMA_DIR = Path(__file__).resolve().parent / "twiml_schema"  # Twilio's, see its README


@pytest.fixture(scope="session")
def twiml_schema():
    path = SCHEMA_DIR / "twiml_v20100401_twilioRealtimeCallSchema.xsd"
    assert path.exists(), f"TwiML schema not found at {path}"
    return etree.XMLSchema(etree.parse(str(path)))


def assert_valid_twiml(schema, body):
    document = etree.fromstring(body.encode() if isinstance(body, str) else body)
    if [child.tag for child in document] == ["Leave"]:
        # <Leave/> (an <Enqueue> wait URL's way out of the queue) is missing from the
        # published schema: such a document must be exactly <Response><Leave/></Response>
        leave = document[0]
        assert document.tag == "Response" and not leave.attrib and not len(leave) \
            and not (leave.text or "").strip(), body
        return
    assert schema.validate(document), f"{schema.error_log}\n{body}"


class FixedClock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def set(self, now):
        self.now = now


@pytest.fixture
def clock():
    return FixedClock(datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc))


@pytest.fixture(scope="session")
def postgres_server():
    """One PostgreSQL server for the session, started on first use."""
    from tests.postgres import TemporaryPostgres

    server = TemporaryPostgres().start()
    yield server
    server.stop()


def migrate(url):
    """Migrate the database at `url` as `dutyline db init` does, then close every connection
    to it; the shared database handle is left as it was."""
    previous = database.obj
    migrated = open_database(url)
    try:
        upgrade()
    finally:
        migrated.close_all()
        database.initialize(previous)


# The schema is migrated once a session, and a test that runs the app gets a copy of it in a
# database of its own (its own file, its own PostgreSQL database), as `dutyline db init` would
# have left it. Tests of the migrations ask for database_url without the app: they get an
# empty database and migrate it themselves.

@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory):
    """A SQLite file migrated once a session, copied for each test that runs the app."""
    path = tmp_path_factory.mktemp("schema") / "migrated.db"
    migrate(f"sqlite:///{path}")
    # the last connection closed wrote the write-ahead log back: the file alone is whole
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture(scope="session")
def postgres_schema(postgres_server):
    """A PostgreSQL database migrated once a session: the template of each test's copy."""
    url = postgres_server.new_database()
    migrate(url)
    return postgres_server.make_template(url)


POSTGRES_COPIES = set()  # the URLs of the databases made from postgres_schema


@pytest.fixture
def postgres_url(request, postgres_server):
    """A fresh database on the session's server: empty, or a copy of the migrated one
    when the test runs the app (which then finds its schema in place)."""
    if "app" not in request.fixturenames:
        return postgres_server.new_database()
    url = postgres_server.new_database(template=request.getfixturevalue("postgres_schema"))
    POSTGRES_COPIES.add(url)
    return url


def sqlite_path(url):
    """The file a sqlite:/// URL names, or None for another URL or an in-memory database."""
    if not url.startswith("sqlite:///") or "?" in url:
        return None
    path = Path(url.removeprefix("sqlite:///"))
    return None if path.name == ":memory:" else path


@pytest.fixture
def database_url(request, tmp_path):
    """A fresh database for the test: SQLite, or PostgreSQL when
    DUTYLINE_TEST_DATABASE=postgresql (CI runs the suite both ways). Empty, unless the test
    runs the app: the app fixture gives it the schema then."""
    if os.environ.get("DUTYLINE_TEST_DATABASE") == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def settings_data():
    """Team settings for the test; override in a test module to change them."""
    return {}


@pytest.fixture
def app_config():
    """More configuration for the app under test; override in a test module."""
    return {}


@pytest.fixture
def dialer():
    """The fake REST dialer: engineer legs a queued hunt starts are kept, not rung. A module
    hands it to the app with app_config, {"DIALER": dialer}."""
    from telephony.dialer import RecordingDialer

    return RecordingDialer()


@pytest.fixture
def app(request, database_url, clock, settings_data, app_config, tmp_path):
    # a SQLite file not there yet is the test's fresh database: a copy of the migrated one
    fresh_file = sqlite_path(database_url)
    if fresh_file is not None and (fresh_file.exists() or not fresh_file.parent.is_dir()):
        fresh_file = None
    template = request.getfixturevalue("sqlite_schema") if fresh_file is not None else None
    app = create_app({
        "SPOOL_FOLDER": str(tmp_path / "spool"),
        "DATABASE_URL": database_url,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "PUBLIC_URL": PUBLIC_URL,
        "FALLBACK_NUMBER": None,
        "HELPDESK_EMAIL": None,
        "TICKET_WEBHOOK_URL": None,
        "SETTINGS": parse_settings(settings_data),
        "CLOCK": clock,
        **app_config,
    })
    # the schema as `dutyline db init` makes it: the app itself never migrates
    if template is not None:
        shutil.copyfile(template, fresh_file)
    elif database_url not in POSTGRES_COPIES:
        upgrade()  # a database the test made otherwise
    yield app
    if not database.is_closed():
        database.close()


@pytest.fixture
def settings(app):
    with app.app_context():
        return runtime().settings


@pytest.fixture
def db(app):
    """An open connection for direct use of the models in a test."""
    with database.connection_context():
        yield database


@pytest.fixture
def twilio(app, twiml_schema):
    """Posts Twilio-signed forms to the app; every voice answer is checked against the schema."""
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(AUTH_TOKEN)
    client = app.test_client()

    class Twilio:
        def post(self, url, params=None, signature=None, validate=True):
            params = params or {}
            if not url.startswith("http"):
                url = PUBLIC_URL + url
            parts = urlsplit(url)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if signature is None:
                signature = validator.compute_signature(url, params)
            headers = {"X-Twilio-Signature": signature} if signature else {}
            response = client.post(path, data=params, headers=headers,
                                   base_url="http://internal:8000")
            if validate and response.status_code == 200 and parts.path.startswith("/voice/"):
                assert response.mimetype == "text/xml"
                assert_valid_twiml(twiml_schema, response.get_data())
            return response

    return Twilio()


@pytest.fixture
def callback_url(app):
    """callback_url("accept", leg=3): the URL the app writes into its TwiML for that leg."""

    def build(name, **params):
        with app.app_context():
            return runtime().url(name, **params)

    return build


@pytest.fixture
def make_engineer(app):
    """Adds an engineer: make_engineer("Ben Smith", signed_in=True, location="office")."""
    counter = {"n": 0}

    def make(name, mobile=None, desk=None, signed_in=True, location="remote", email=None):
        counter["n"] += 1
        n = counter["n"]
        mobile = mobile or f"+4479111234{n:02d}"
        with database.connection_context():
            engineer = engineer_service.add_engineer(name, mobile, desk, email, region="GB",
                                                    now=ADDED_AT)
            engineer_service.set_signed_in(name, signed_in, now=ADDED_AT)
            engineer = engineer_service.set_location(name, location, now=ADDED_AT)
        return engineer

    return make


@pytest.fixture
def simulate(app, twiml_schema):
    """Runs a Scenario through the simulator; every TwiML answer is checked against the schema."""
    from console.simulator import Simulator

    def run(scenario):
        outcome = Simulator(app).run(scenario)
        for path, status, body in outcome.responses:
            assert status == 200, (path, status, body)
            assert_valid_twiml(twiml_schema, body)
        return outcome

    return run


def app_info(app):
    """What a dutyline command invoked by a test runs in: this app (Flask's ScriptInfo)."""
    return ScriptInfo(create_app=lambda: app)


def command_line(app):
    """run("team", "list"): a dutyline command on this app, its database and its clock."""
    from click.testing import CliRunner

    from console.main import main

    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args), obj=app_info(app),
                                       catch_exceptions=False)


@pytest.fixture
def cli(app):
    """A dutyline command on the test's app (command_line); a module may define its own."""
    return command_line(app)
