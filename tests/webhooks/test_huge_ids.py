"""A number in a callback URL or a text past what a table's key holds names nothing: the
answer for a leg, call or ticket that does not exist, never a fault (SQLite cannot even
bind a number past 2**63 - 1)."""

import logging

import pytest

from dutyline.db import database
from dutyline.ids import MAX_ID
from tests.webhooks.test_sms_commands import BEN, rota, team, text  # noqa: F401 (fixtures)
from voicemail.models import Ticket

HUGE = "99999999999999999999"  # past 2**64
FORM = {"CallSid": "CA" + "1" * 32, "ParentCallSid": "CA" + "2" * 32, "Digits": "1",
        "CallStatus": "completed", "DialCallStatus": "completed"}


@pytest.mark.parametrize("name, kind", [
    # header: callback, what its URL names
    ("whisper", "leg"), ("accept", "leg"), ("dial_result", "leg"), ("leg_status", "leg"),
    ("leg_whisper", "leg"), ("leg_accept", "leg"), ("join_result", "leg"),
    ("emergency", "call"), ("queue_result", "call"),
    ("escalation", "esc"), ("escalation_key", "esc"), ("escalation_status", "esc"),
])
def test_a_callback_naming_a_number_past_the_keys_is_answered_as_naming_nothing(
        twilio, callback_url, caplog, name, kind):
    absent = twilio.post(callback_url(name, **{kind: str(MAX_ID)}), FORM)
    caplog.clear()
    for number in (HUGE, str(MAX_ID + 1), "9" * 40):
        with caplog.at_level(logging.INFO):
            response = twilio.post(callback_url(name, **{kind: number}), FORM)
        assert (response.status_code, response.get_data()) == (
            absent.status_code, absent.get_data()), number
    faults = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert faults == []


@pytest.mark.parametrize("body", [f"ACK {HUGE}", f"ACK #{HUGE} A", f"ack {MAX_ID + 1001}"])
def test_ack_of_a_number_past_any_ticket_is_no_ticket(twilio, rota, caplog, body):  # noqa: F811
    number = body.split()[1].lstrip("#")
    with caplog.at_level(logging.INFO):
        assert text(twilio, BEN, body) == (200, f"Not acknowledged: no ticket #{number}.")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    with database.connection_context():
        assert Ticket.select().count() == 0
