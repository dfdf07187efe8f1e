"""psycopg's prepare_threshold, the knob for PgBouncer in transaction mode, read from
DATABASE_URL: a number, or none (never prepare); anything else is refused in one line."""

import pytest
from click.testing import CliRunner

from console.main import main
from dutyline.db import open_database


@pytest.mark.parametrize("query, expected", [
    ("", 5),  # psycopg's own default
    ("?prepare_threshold=none", None),  # a pooler that cannot keep prepared statements
    ("?prepare_threshold=0", 0),  # prepare every statement at once
])
def test_prepare_threshold_reaches_the_connection(postgres_url, query, expected):
    db = open_database(postgres_url + query)
    try:
        with db.connection_context():
            assert db.connection().prepare_threshold == expected
    finally:
        db.close_all()


def test_a_prepare_threshold_that_is_no_number_is_one_line(postgres_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", postgres_url + "?prepare_threshold=often")
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "token")
    result = CliRunner().invoke(main, ["engineer", "list"])
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [
        "Error: DATABASE_URL: prepare_threshold: expected a number or none, got 'often'"]
