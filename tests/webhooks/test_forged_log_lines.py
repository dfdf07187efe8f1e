"""Text from outside that a log line repeats is escaped: a line feed in a feed's URL or in a
signed form field never starts a forged line of its own."""

import logging
from datetime import datetime, timezone

import pytest

from calendars.tokens import issue_token
from dutyline.db import database
from dutyline.plain_text import for_log

FORGED = "\n2026-12-07 ERROR forged"
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("text, shown", [
    # header: text from outside -> as the log line shows it
    ("CA0123", "CA0123"),
    ("Zoë O'Brien", "Zoë O'Brien"),
    (FORGED, "\\n2026-12-07 ERROR forged"),
    ("a\r\nb", "a\\r\\nb"),
    ("\x1b[31mred", "\\x1b[31mred"),
    ("\u202eabc\u2028", "\\u202eabc\\u2028"),
    ("a\\nb", "a\\\\nb"),  # a backslash typed in cannot pass for an escape
])
def test_for_log_escapes_what_would_end_or_hide_a_line(text, shown):
    assert for_log(text) == shown


def assert_no_forged_lines(records):
    messages = [record.getMessage() for record in records]
    assert messages, "nothing was logged"
    for message in messages:
        assert "\n" not in message and "\r" not in message, message
    assert any("\\n2026-12-07 ERROR forged" in message for message in messages), messages


def test_a_feed_url_with_a_line_feed_logs_one_line(app, db, caplog):
    token = issue_token(NOW, label="board")
    client = app.test_client()
    with caplog.at_level(logging.INFO):
        for path in (f"/calendars/{token}/rota{FORGED}.ics",
                     f"/calendars/nonsense/rota{FORGED}.ics"):
            assert client.get(path.replace("\n", "%0A")).status_code == 404
    assert_no_forged_lines(caplog.records)


@pytest.mark.parametrize("path, form", [
    ("/sms/incoming", {"MessageSid": "SM" + FORGED, "From": "+447911000001", "Body": "WHO"}),
    ("/voice/incoming", {"CallSid": "CA" + FORGED, "From": "+447400123456",
                         "To": "+442071838750"}),
    ("/voice/status", {"CallSid": "CA" + FORGED, "CallStatus": "completed" + FORGED}),
])
def test_a_signed_field_with_a_line_feed_logs_one_line(twilio, db, caplog, path, form):
    with caplog.at_level(logging.INFO):
        assert twilio.post(path, form).status_code == 200
    assert_no_forged_lines(caplog.records)


def test_a_database_fault_on_a_forged_path_logs_one_line(app, caplog, monkeypatch):
    from webhooks import feeds

    def broken(_token):
        database.execute_sql("SELECT * FROM no_such_table")

    monkeypatch.setattr(feeds, "resolve_token", broken)
    with caplog.at_level(logging.INFO):
        app.test_client().get(f"/calendars/x/rota{FORGED}.ics".replace("\n", "%0A"))
    assert_no_forged_lines(caplog.records)
