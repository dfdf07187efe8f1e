"""`dutyline calls missed` lists the call-backs due; `dutyline calls done` ends one."""

import json
from datetime import timedelta

import pytest

from dutyline.db import database
from telephony.models import Call, CallStatus
from voicemail import missed


@pytest.fixture
def two_missed(app, clock, settings):
    with database.connection_context():
        for n, number in enumerate(("+447400123456", "anonymous")):
            Call.create(sid=f"CA{n:032d}", from_number=number, status=CallStatus.MISSED,
                        started_at=clock.now - timedelta(minutes=30 - n), mode="in_hours",
                        ended_at=clock.now - timedelta(minutes=29 - n))
        assert missed.queue_missed_calls(settings, clock.now) == 2


def test_missed_lists_the_calls_due_a_call_back_and_says_withheld(cli, two_missed):
    text = cli("calls", "missed").output
    assert "#1001" in text and "+447400123456" in text and "2026-12-01 09:30" in text
    assert "withheld: cannot be called back" in text
    rows = json.loads(cli("calls", "missed", "--json").output)
    assert [(r["ticket"], r["can_call_back"]) for r in rows] == [(1001, True), (1002, False)]


def test_done_takes_a_call_back_off_the_list_with_its_reason(cli, two_missed, make_engineer):
    make_engineer("Ben Smith")
    result = cli("calls", "done", "1002", "--reason", "withheld, no message",
                 "--engineer", "ben smith")
    assert result.exit_code == 0, result.output
    assert [r["ticket"] for r in json.loads(cli("calls", "missed", "--json").output)] == [1001]
    again = cli("calls", "done", "1002", "--reason", "again")
    assert again.exit_code == 1 and "already done" in again.output


def test_back_queues_the_engineers_call_and_refuses_a_withheld_number(cli, two_missed,
                                                                      make_engineer):
    make_engineer("Ben Smith", mobile="+447911000001")
    made = cli("calls", "back", "1001", "--engineer", "Ben Smith")
    assert made.exit_code == 0 and "calling Ben Smith now" in made.output
    with database.connection_context():
        from outbox.models import OutboxMessage

        assert [(m.channel, m.recipient) for m in OutboxMessage.select().where(
            OutboxMessage.channel == "voice")] == [("voice", "+447911000001")]
    refused = cli("calls", "back", "1002", "--engineer", "Ben Smith")
    assert refused.exit_code == 1 and "withheld" in refused.output
